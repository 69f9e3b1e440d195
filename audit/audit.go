// Package audit runs the one-way flow for a target: collect (every
// configured collector, each recorded with its status, duration and error) →
// measure → judge. It returns the target's result; reports, the store and the
// gate take it from there.
//
// Import rules: collectors (the interface, not a host's package: the caller
// hands the collectors in), measure, rules, model and model/vocab; no store,
// report, network or database.
package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/measure"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

// Target is one repository and the collectors that read it.
type Target struct {
	Name       string
	Labels     map[string]string
	Collectors []collectors.Collector
	// Rules overrides Options.Rules for this target when non-nil.
	Rules *rules.Config
	// Measure overrides Options.Measure for this target when non-nil.
	Measure *measure.Options
	// History holds earlier audits of this target, oldest first; nil when no
	// store is in use (history-based dimensions are then unknown).
	History []model.HistoryPoint
	// Attestations are this target's, besides Options.Attestations (e.g.
	// the signed files of its repository); Warnings were found before the
	// audit (e.g. attestation files left out) and join the result's.
	Attestations []model.Attestation
	Warnings     []string
}

// Options are shared by all targets of one audit.
type Options struct {
	Window       model.Window
	Catalogue    *model.Catalogue
	Rules        rules.Config
	Measure      measure.Options
	Attestations []model.Attestation
	// AllowUnsigned lets unverified attestations raise levels.
	AllowUnsigned bool
	Logger        *slog.Logger
	// Now is the clock for attestation expiry and the collection time.
	Now func() time.Time
	// Sources are the descriptors of every source (internal/cli's list).
	// The audit picks the providers of each evidence kind among a target's
	// collectors by their declared priority (collectors.Choose) and tells
	// each selective collector its kinds; the rules name the sources that
	// can provide a missing kind. Nil: every collector collects all it can,
	// and no source is named.
	Sources []collectors.Descriptor
}

// ErrNothingCollected is returned (wrapped) when every collector of a target failed.
var ErrNothingCollected = errors.New("no evidence could be collected")

// selectKinds picks the providers of each evidence kind among cols by the
// priorities their descriptors declare, and tells each selective collector
// the kinds chosen for it (a host then leaves a local clone's kinds alone
// and makes none of their requests). A collector without a descriptor in
// sources collects all it can.
func selectKinds(cols []collectors.Collector, sources []collectors.Descriptor) {
	var present []collectors.Descriptor
	for _, c := range cols {
		if d, ok := collectors.Lookup(sources, c.Kind()); ok {
			present = append(present, d)
		}
	}
	chosen := collectors.Choose(present)
	for _, c := range cols {
		if s, ok := c.(collectors.Selective); ok {
			if kinds, ok := chosen[c.Kind()]; ok {
				s.Select(kinds)
			}
		}
	}
}

// reserve books the estimated cost of every budgeted collector; when one
// does not fit it settles the others and returns the reason. settle returns
// what the bookings did not spend.
func reserve(cols []collectors.Collector) (settle func(), reason string) {
	var booked []collectors.Budgeted
	settle = func() {
		for _, b := range booked {
			b.Settle()
		}
		booked = nil
	}
	for _, c := range cols {
		b, ok := c.(collectors.Budgeted)
		if !ok {
			continue
		}
		if err := b.Reserve(); err != nil {
			settle()
			return settle, c.Kind() + ": " + err.Error()
		}
		booked = append(booked, b)
	}
	return settle, ""
}

// Run audits one target. It returns the result even on error: the error says
// that every collector failed (the result then carries each one's failure).
// A target whose budgeted collectors' estimated cost does not fit their
// shared budget is deferred: its result has Status model.TargetDeferred and
// the reason, nothing is collected, and the error is nil.
func Run(ctx context.Context, t Target, opt Options) (model.TargetResult, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	ev := &model.Evidence{Target: t.Name, Window: opt.Window, CollectedAt: now().UTC(), History: t.History}
	if t.History != nil {
		ev.Mark(model.KindHistory)
	}
	res := model.TargetResult{Name: t.Name, Labels: t.Labels}
	selectKinds(t.Collectors, opt.Sources)
	settle, reason := reserve(t.Collectors)
	defer settle()
	if reason != "" {
		log.Info("deferred", "target", t.Name, "reason", reason)
		res.Status, res.Deferred = model.TargetDeferred, reason
		res.Sources = []model.SourceStatus{}
		return res, nil
	}
	okCount := 0
	var firstErr error
	var failed []model.SourceStatus
	for _, c := range t.Collectors {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		start := time.Now()
		log.Info("collecting", "target", t.Name, "source", c.Kind())
		r, err := c.Collect(ctx, ev)
		st := model.SourceStatus{Kind: c.Kind(), Status: model.StatusOK, Duration: time.Since(start).Seconds(),
			Warnings: r.Warnings, Requests: r.Requests}
		switch {
		case err != nil:
			st.Status, st.Error = model.StatusFailed, err.Error()
			if r.Partial {
				st.Status = model.StatusPartial
				okCount++
			}
			if firstErr == nil {
				firstErr = err
			}
			failed = append(failed, st)
		case r.Partial:
			st.Status = model.StatusPartial
			okCount++
		default:
			okCount++
		}
		res.Sources = append(res.Sources, st)
	}
	if okCount > 0 {
		// The target goes on without these sources; when none is left, the
		// error returned is the only word of it (one line, not two).
		for _, st := range failed {
			log.Warn("collector failed", "target", t.Name, "source", st.Kind, "err", st.Error)
		}
	}
	res.DefaultBranch = ev.DefaultBranch
	if ev.TrunkTip != "" && !ev.TrunkTipAt.IsZero() {
		res.Trunk = &model.TrunkAt{Commit: ev.TrunkTip, Committed: ev.TrunkTipAt}
	}
	res.Warnings = append(res.Warnings, ev.Notes...)
	res.Warnings = append(res.Warnings, t.Warnings...)

	mopt := opt.Measure
	if t.Measure != nil {
		mopt = *t.Measure
	}
	res.Measurements = measure.Compute(ev, mopt)
	res.DORA = measure.DORA(res.Measurements)
	cfg := opt.Rules
	if t.Rules != nil {
		cfg = *t.Rules
	}
	practices, warns := rules.Judge(rules.Input{Catalogue: opt.Catalogue, Evidence: ev, Measurements: res.Measurements,
		Config: &cfg, Attestations: append(slices.Clip(opt.Attestations), t.Attestations...), AllowUnsigned: opt.AllowUnsigned, Now: now(),
		Providers: collectors.Providers(opt.Sources)})
	res.Practices = practices
	el := model.EvidenceLevelOf(practices)
	res.EvidenceLevel = &el
	res.Warnings = append(res.Warnings, warns...)
	sort.Strings(res.Warnings)
	if okCount == 0 && len(t.Collectors) > 0 {
		res.Error = firstErr.Error()
		return res, fmt.Errorf("%s: %w: %w", t.Name, ErrNothingCollected, firstErr)
	}
	return res, nil
}
