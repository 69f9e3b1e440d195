// Package rules maps evidence and measurements onto the level tables of the
// continuous-delivery model: one module per practice, each a pure function
// from evidence to dimension levels with reasons and evidence references.
//
// Levels are cumulative: a dimension reaches level N only when the criteria of
// every level from 2 to N hold. A criterion whose evidence was not collected
// makes the dimension unknown (with the level proven so far as its lower
// bound), never a guess. Above a dimension's automatic maximum only an
// attestation can raise it.
//
// Import rules: model and model/vocab only, and YAML for its embedded
// defaults; no I/O (no os, net, database or slog).
package rules

import (
	"fmt"
	"sort"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// judge carries what every rule module reads.
type judge struct {
	ev        *model.Evidence
	ms        model.Measurements
	cfg       *Config
	providers map[model.Kind][]string
}

// dimSteps is one dimension's criteria, level 2 upwards.
type dimSteps struct {
	id    string
	steps []step
}

// module judges one practice.
type module struct {
	practice string
	judge    func(j *judge) []dimSteps
}

// modules is the explicit list of rule modules, in catalogue order.
func modules() []module {
	return []module{
		{"version-control", versionControl},
		{"traceability", traceability},
		{"build", build},
		{"ci", ci},
		{"test-layering", testLayering},
		{"code-quality", codeQuality},
		{"test-automation", testAutomation},
		{"deploy-release", deployRelease},
		{"pipeline", pipeline},
		{"environment", environment},
		{"test-data", testData},
		{"data-change", dataChange},
		{"metrics", metrics},
		{"improvement", improvement},
	}
}

// Input is what Judge works from.
type Input struct {
	Catalogue    *model.Catalogue
	Evidence     *model.Evidence
	Measurements model.Measurements
	Config       *Config // nil: the defaults
	Attestations []model.Attestation
	// AllowUnsigned lets unverified attestations raise levels; without it
	// they are only reported.
	AllowUnsigned bool
	// Now decides whether attestations have expired.
	Now time.Time
	// Providers names, per evidence kind, the sources that can provide it
	// (from their descriptors, collectors.Providers): a criterion whose
	// evidence is missing names them. Nil names none.
	Providers map[model.Kind][]string
}

// Judge assigns every practice and dimension of the catalogue a level. The
// warnings name attestations that were ignored.
func Judge(in Input) ([]model.PracticeResult, []string) {
	cfg := in.Config
	if cfg == nil {
		d := Defaults()
		cfg = &d
	}
	j := &judge{ev: in.Evidence, ms: in.Measurements, cfg: cfg, providers: in.Providers}
	byPractice := map[string][]dimSteps{}
	for _, m := range modules() {
		byPractice[m.practice] = m.judge(j)
	}
	atts, unverified, warnings := activeAttestations(in.Attestations, in.Evidence.Target, in.Now, in.AllowUnsigned)
	var out []model.PracticeResult
	for _, p := range in.Catalogue.Practices {
		pr := model.PracticeResult{ID: p.ID}
		steps := map[string][]step{}
		for _, d := range byPractice[p.ID] {
			steps[d.id] = d.steps
		}
		for _, d := range p.Dimensions {
			r := ladder(p.ID, d, steps[d.ID])
			if a, ok := atts[p.ID+"."+d.ID]; ok {
				applyAttestation(&r, a)
			} else if a, ok := unverified[p.ID+"."+d.ID]; ok {
				r.Reasons = append(r.Reasons, fmt.Sprintf("unverified attestation of L%d by %s: not signed, so it raises no level", a.Level, a.By))
			}
			pr.Dimensions = append(pr.Dimensions, r)
		}
		aggregate(&pr)
		out = append(out, pr)
	}
	return out, warnings
}

// ladder climbs a dimension's criteria from level 2 to its automatic maximum.
func ladder(practice string, d model.Dimension, steps []step) model.DimensionResult {
	r := model.DimensionResult{ID: d.ID, AutomaticMax: d.AutomaticMax, Reasons: []string{}, Evidence: []model.Ref{}}
	byLevel := map[int]step{}
	for _, s := range steps {
		byLevel[s.level] = s
	}
	level := 1
	for l := 2; l <= d.AutomaticMax; l++ {
		s, ok := byLevel[l]
		if !ok {
			// A rule module that forgot a level must not inflate the result.
			s = unk(l, "no rule judges this level")
		}
		crit := fmt.Sprintf("L%d “%s”", l, d.Criterion(l).EN)
		switch s.out {
		case holds:
			level = l
			if s.describes {
				r.Reasons = append(r.Reasons, fmt.Sprintf("L%d describes the level reached (%s), a shortfall a higher level replaces: %s",
					l, d.Criterion(l).EN, s.reason))
			} else {
				r.Reasons = append(r.Reasons, fmt.Sprintf("%s holds: %s", crit, s.reason))
			}
			r.Evidence = appendRefs(r.Evidence, s.refs)
			continue
		case fails:
			r.Reasons = append(r.Reasons, fmt.Sprintf("%s does not hold: %s", crit, s.reason))
			r.Evidence = appendRefs(r.Evidence, s.refs)
			r.HeldBack = fmt.Sprintf("L%d: %s", l, s.reason)
			r.Level, r.MeasuredLevel, r.Basis = model.IntPtr(level), model.IntPtr(level), model.BasisMeasured
			return r
		default:
			r.Reasons = append(r.Reasons, fmt.Sprintf("%s cannot be judged: %s", crit, s.reason))
			r.HeldBack = fmt.Sprintf("L%d unknown: %s", l, s.reason)
			r.Basis = model.BasisUnknown
			r.LowerBound = model.IntPtr(level)
			return r
		}
	}
	if d.AutomaticMax <= 1 {
		// Every level above the floor needs a person's statement: the
		// dimension is unknown until attested, never "measured L1".
		r.Basis, r.LowerBound, r.NeedsAttestation = model.BasisUnknown, model.IntPtr(1), true
		r.Reasons = append(r.Reasons, "needs attestation: every level above L1 is about people and organisation, which no collected evidence can show")
		r.HeldBack = "L2 needs an attestation"
		return r
	}
	r.Level, r.MeasuredLevel, r.Basis = model.IntPtr(level), model.IntPtr(level), model.BasisMeasured
	if d.AutomaticMax < 5 {
		r.NeedsAttestation = true
		r.Reasons = append(r.Reasons, fmt.Sprintf("levels above L%d cannot be proven from evidence: they need an attestation", d.AutomaticMax))
		r.HeldBack = fmt.Sprintf("L%d needs an attestation", d.AutomaticMax+1)
	}
	return r
}

func appendRefs(dst, src []model.Ref) []model.Ref {
	seen := map[model.Ref]bool{}
	for _, r := range dst {
		seen[r] = true
	}
	for _, r := range src {
		if !seen[r] && len(dst) < 20 {
			seen[r] = true
			dst = append(dst, r)
		}
	}
	return dst
}

// aggregate sets a practice's level: the lowest dimension level when all are
// known, else nil with the lowest known level as the upper bound.
func aggregate(pr *model.PracticeResult) {
	var low *int
	allKnown := true
	for _, d := range pr.Dimensions {
		if d.Level == nil {
			allKnown = false
			continue
		}
		if low == nil || *d.Level < *low {
			low = model.IntPtr(*d.Level)
		}
	}
	pr.UpperBound = low
	if allKnown && low != nil {
		pr.Level = model.IntPtr(*low)
	}
}

// activeAttestations keeps the attestations for target that have not
// expired, keyed "practice.dimension" (the highest level wins on a tie), and
// warns about the expired ones. Unverified attestations go apart, with a
// warning, unless allowUnsigned.
func activeAttestations(atts []model.Attestation, target string, now time.Time, allowUnsigned bool) (map[string]model.Attestation, map[string]model.Attestation, []string) {
	out, unverified := map[string]model.Attestation{}, map[string]model.Attestation{}
	var warnings []string
	sorted := append([]model.Attestation(nil), atts...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Level < sorted[j].Level })
	for _, a := range sorted {
		if a.Target != "" && a.Target != target {
			continue
		}
		key := a.Practice + "." + a.Dimension
		if !a.Expires.IsZero() && !now.Before(a.Expires) {
			warnings = append(warnings, fmt.Sprintf("attestation of %s L%d by %s expired on %s: ignored",
				key, a.Level, a.By, a.Expires.Format("2006-01-02")))
			continue
		}
		if a.Unverified && !allowUnsigned {
			warnings = append(warnings, fmt.Sprintf("attestation of %s L%d by %s is unsigned: reported as unverified, raises no level "+
				"(sign it with `cdaudit attest`, or allow unsigned attestations)", key, a.Level, a.By))
			unverified[key] = a
			continue
		}
		out[key] = a
	}
	return out, unverified, warnings
}

// applyAttestation raises a dimension to an attested level, keeping the
// measured level apart.
func applyAttestation(r *model.DimensionResult, a model.Attestation) {
	att := a
	if r.MeasuredLevel != nil && *r.MeasuredLevel >= a.Level {
		r.Reasons = append(r.Reasons, fmt.Sprintf("attestation of L%d by %s does not raise the measured L%d", a.Level, a.Signer(), *r.MeasuredLevel))
		return
	}
	r.Attestation = &att
	r.Level = model.IntPtr(a.Level)
	r.Basis = model.BasisAttested
	r.Reasons = append(r.Reasons, fmt.Sprintf("L%d attested by %s on %s (expires %s): %s",
		a.Level, a.Signer(), a.Date.Format("2006-01-02"), a.Expires.Format("2006-01-02"), a.Evidence))
	r.Evidence = appendRefs(r.Evidence, []model.Ref{{Kind: model.RefURL, Ref: a.Evidence, URL: a.Evidence}})
	r.NeedsAttestation = false
	r.HeldBack = ""
}
