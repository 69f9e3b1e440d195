package gate

import (
	"github.com/cdaudit/cdaudit/model"
)

// Kind says why a level fails the gate.
type Kind string

// Failure kinds.
const (
	// KindRegression: the level fell below the baseline's.
	KindRegression Kind = "regression"
	// KindBelowMinimum: the level is below a required minimum.
	KindBelowMinimum Kind = "below-minimum"
	// KindUnknown: the level is unknown now where the baseline had one or a
	// minimum is required.
	KindUnknown Kind = "unknown"
)

// Failure is one reason the gate does not hold.
type Failure struct {
	Target    string `json:"target"`
	Practice  string `json:"practice"`
	Dimension string `json:"dimension,omitempty"` // "" for the practice itself
	Kind      Kind   `json:"kind"`
	// From is the baseline's level (nil without a baseline); To the current
	// level, or its upper bound when ToAtMost (the level is unknown but
	// cannot exceed To); nil when unknown.
	From      *int        `json:"from"`
	To        *int        `json:"to"`
	ToAtMost  bool        `json:"to_at_most,omitempty"`
	FromBasis model.Basis `json:"from_basis,omitempty"`
	ToBasis   model.Basis `json:"to_basis,omitempty"`
	// Required is the required minimum (0 when none applies).
	Required int `json:"required,omitempty"`
	// EvidenceChanged lists the measurements that the dimension (or the
	// practice's dimensions) cite whose values changed since the baseline,
	// as "id old → new".
	EvidenceChanged []string `json:"evidence_changed,omitempty"`
	// HeldBy, for a level below a required minimum, names what holds it
	// down: the dimension itself, or the practice's dimensions below it.
	HeldBy []Holder `json:"held_by,omitempty"`
}

// Key returns "practice" or "practice.dimension".
func (f Failure) Key() string {
	if f.Dimension == "" {
		return f.Practice
	}
	return f.Practice + "." + f.Dimension
}

// Result is the gate's verdict.
type Result struct {
	// Failures make the gate fail.
	Failures []Failure `json:"failures"`
	// Ignored are unknown levels that did not fail the gate under the
	// ignore policy; reports may show them.
	Ignored []Failure `json:"ignored,omitempty"`
	// Holds is true when there are no failures.
	Holds bool `json:"holds"`
}

// CheckReport checks every target of current against its entry in baseline
// (nil: no baseline) — the entry of the same identity, or of the same name
// where either records none; MatchBaseline tells when there is none — and
// against reqs.
func CheckReport(current, baseline *model.Report, reqs []Requirement, policy UnknownPolicy) Result {
	var out Result
	if current != nil {
		for i := range current.Targets {
			cur := &current.Targets[i]
			r := Check(cur, findBase(cur, baseline), reqs, policy)
			out.Failures = append(out.Failures, r.Failures...)
			out.Ignored = append(out.Ignored, r.Ignored...)
		}
	}
	out.Holds = len(out.Failures) == 0
	return out
}

// Check compares one target's current result with its baseline (nil: none)
// and the required minimums. Effective levels are compared (an attested
// level counts as much as a measured one); the bases are reported. Proven
// bounds are used where a level is unknown: a practice whose upper bound is
// below the baseline has fallen, a dimension whose lower bound reaches the
// requirement meets it.
func Check(current, baseline *model.TargetResult, reqs []Requirement, policy UnknownPolicy) Result {
	if current == nil {
		current = &model.TargetResult{}
	}
	c := checker{cur: current, base: baseline, fail: policy == UnknownFail}
	if c.base == nil {
		c.base = &model.TargetResult{Name: current.Name}
		c.noBase = true
	}
	required := map[string]int{}
	for _, r := range reqs {
		required[r.Key()] = r.Level
	}

	// Items in the current result's order, then requirements and baseline
	// items the current result lacks.
	done := map[string]bool{}
	for _, p := range current.Practices {
		c.item(p.ID, "", required)
		done[p.ID] = true
		for _, d := range p.Dimensions {
			c.item(p.ID, d.ID, required)
			done[p.ID+"."+d.ID] = true
		}
	}
	for _, p := range c.base.Practices {
		if !done[p.ID] {
			c.item(p.ID, "", required)
			done[p.ID] = true
		}
		for _, d := range p.Dimensions {
			if !done[p.ID+"."+d.ID] {
				c.item(p.ID, d.ID, required)
				done[p.ID+"."+d.ID] = true
			}
		}
	}
	for _, r := range reqs {
		if !done[r.Key()] {
			c.item(r.Practice, r.Dimension, required)
			done[r.Key()] = true
		}
	}
	c.res.Holds = len(c.res.Failures) == 0
	return c.res
}

type checker struct {
	cur, base *model.TargetResult
	noBase    bool
	fail      bool
	res       Result
}

func (c *checker) item(practice, dim string, required map[string]int) {
	key := practice
	if dim != "" {
		key += "." + dim
	}
	now := lookup(c.cur, practice, dim)
	was := lookup(c.base, practice, dim)
	mk := func(k Kind) Failure {
		f := Failure{Target: c.cur.Name, Practice: practice, Dimension: dim, Kind: k,
			ToBasis: now.Basis, To: intPtr(now.Hi), ToAtMost: !now.Known && now.Hi > 0}
		if was.Known {
			f.From, f.FromBasis = intPtr(was.Lo), was.Basis
		}
		return f
	}
	var unknown *Failure

	if was.Known {
		b := was.Lo
		switch {
		case now.Below(b):
			c.add(mk(KindRegression), practice, dim)
		case now.AtLeast(b):
			// holds
		default:
			f := mk(KindUnknown)
			unknown = &f
		}
	}
	if req, ok := required[key]; ok {
		switch {
		case now.Below(req):
			f := mk(KindBelowMinimum)
			f.Required = req
			f.HeldBy = holders(c.cur, practice, dim, req)
			c.add(f, practice, dim)
		case now.AtLeast(req):
			// holds
		default:
			if unknown == nil {
				f := mk(KindUnknown)
				unknown = &f
			}
			unknown.Required = req
		}
	}
	if unknown != nil {
		if c.fail {
			c.add(*unknown, practice, dim)
		} else {
			unknown.EvidenceChanged = c.changed(practice, dim)
			c.res.Ignored = append(c.res.Ignored, *unknown)
		}
	}
}

func (c *checker) add(f Failure, practice, dim string) {
	f.EvidenceChanged = c.changed(practice, dim)
	c.res.Failures = append(c.res.Failures, f)
}

// lookup returns what r proves of a practice's (dim == "") or dimension's
// level.
func lookup(r *model.TargetResult, practice, dim string) model.Level {
	for _, p := range r.Practices {
		if p.ID != practice {
			continue
		}
		if dim == "" {
			return model.PracticeLevel(p)
		}
		for _, d := range p.Dimensions {
			if d.ID == dim {
				return model.DimensionLevel(d)
			}
		}
		break
	}
	return model.Level{Basis: model.BasisUnknown}
}

// intPtr is &n, or nil for 0 (no level or bound).
func intPtr(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}
