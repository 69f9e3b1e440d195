package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

// historyDepth is how many earlier audits feed trends and history-based rules.
const historyDepth = 60

// storeFlags select the audit history store.
type storeFlags struct {
	dsn       string
	none      bool
	retention string
}

// openStore opens the history store unless disabled: --store, then
// $CDAUDIT_STORE, then the config's store, then the default path.
func (a *app) openStore(ctx context.Context, sf storeFlags, cfgStore string) (*store.Store, error) {
	return a.openStoreMode(ctx, sf, cfgStore, false)
}

// openStoreReadOnly opens the store as openStore does, for reading only
// (history, badge, serve without --every): a missing store is an error,
// never created, and nothing is migrated or written.
func (a *app) openStoreReadOnly(ctx context.Context, sf storeFlags, cfgStore string) (*store.Store, error) {
	return a.openStoreMode(ctx, sf, cfgStore, true)
}

func (a *app) openStoreMode(ctx context.Context, sf storeFlags, cfgStore string, readOnly bool) (*store.Store, error) {
	if sf.none {
		return nil, nil
	}
	dsn := firstNonEmpty(sf.dsn, a.env.Getenv("CDAUDIT_STORE"), cfgStore)
	if dsn == "" {
		p, err := store.DefaultPath()
		if err != nil {
			return nil, usageErr("no --store given and no default location: %w", err)
		}
		dsn = p
	}
	st, err := store.OpenWith(ctx, dsn, store.Options{Logger: a.log, ReadOnly: readOnly})
	if err != nil {
		return nil, usageErr("%w", err)
	}
	return st, nil
}

// history loads a target's earlier audits, oldest first, for history-based
// rules and trends; nil without a store.
func (a *app) history(ctx context.Context, st *store.Store, target string) ([]model.HistoryPoint, error) {
	if st == nil {
		return nil, nil
	}
	snaps, err := st.History(ctx, target, historyDepth)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	// History is newest first; points go oldest first.
	for i, j := 0, len(snaps)-1; i < j; i, j = i+1, j-1 {
		snaps[i], snaps[j] = snaps[j], snaps[i]
	}
	ids := []string{"git.commits", "git.branch_lifetime_hours.p50", "git.integrations_per_dev_day", "ci.duration_seconds.p50",
		"ci.success_ratio", "coverage.percent", "test.pass_ratio", "dora.deployment_frequency_per_day", "dora.lead_time_hours.p50",
		"dora.change_failure_ratio", "dora.recovery_hours.p50"}
	pts := store.Points(snaps, ids...)
	if pts == nil {
		pts = []model.HistoryPoint{}
	}
	return pts, nil
}

// collectAll audits every target of the plan with bounded concurrency, in
// the plan's order. One target's failure is recorded in its result and the
// rest go on; the returned errors are the failed targets'.
func (a *app) collectAll(ctx context.Context, p *plan, st *store.Store, now time.Time) (*model.Report, []error) {
	rep := &model.Report{Schema: model.ReportSchema, Version: a.env.Version, GeneratedAt: now.UTC(), Window: p.window}
	rep.Targets = make([]model.TargetResult, len(p.targets))
	errs := make([]error, len(p.targets))
	hists := make([][]model.HistoryPoint, len(p.targets))
	p.st = st
	prog := a.newProgress(len(p.targets))
	defer prog.done()
	workers := p.cfg.Concurrency
	if workers < 1 {
		workers = 2
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, t := range p.targets {
		// Targets start in the plan's order, so that a shared request
		// budget books the first ones first and defers the last.
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			hist, err := a.history(ctx, st, t.Name)
			if err != nil {
				a.log.Warn("history unavailable", "target", t.Name, "err", err)
				hist = nil
			}
			res, err := a.auditTarget(ctx, p, t, hist, prog)
			prog.targetDone(res)
			rep.Targets[i], errs[i], hists[i] = res, err, hist
		}()
	}
	wg.Wait()
	p.history = map[string][]model.HistoryPoint{}
	for i, t := range p.targets {
		if hists[i] != nil {
			p.history[t.Name] = hists[i]
		}
	}
	var failed []error
	for _, e := range errs {
		if e != nil {
			failed = append(failed, e)
		}
	}
	return rep, failed
}

// save stores the report and applies the retention.
func (a *app) save(ctx context.Context, st *store.Store, rep *model.Report, retention string) error {
	if st == nil {
		return nil
	}
	rep = withoutDeferred(rep)
	if len(rep.Targets) == 0 {
		return nil
	}
	if _, err := st.Save(ctx, rep); err != nil {
		return fmt.Errorf("saving the audit to the store: %w", err)
	}
	if retention == "" {
		return nil
	}
	keep, err := parseRetention(retention)
	if err != nil {
		return usageErr("retention: %w", err)
	}
	n, err := st.Prune(ctx, keep)
	if err != nil {
		return fmt.Errorf("applying the retention: %w", err)
	}
	if n > 0 {
		a.log.Info("pruned old audits", "results", n)
	}
	return nil
}

// parseRetention reads "90d" / "26w" / "1y" (an age) or "keep:N".
func parseRetention(s string) (store.Retention, error) {
	if k, ok := strings.CutPrefix(s, "keep:"); ok {
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 {
			return store.Retention{}, fmt.Errorf("%q: want keep:N with N a whole number of at least 1", s)
		}
		return store.Retention{KeepLast: n}, nil
	}
	m := relRE.FindStringSubmatch(s)
	if m == nil {
		return store.Retention{}, fmt.Errorf("%q: want an age such as 90d, 26w, 1y, or keep:N", s)
	}
	if strings.Trim(m[1], "0") == "" {
		return store.Retention{}, fmt.Errorf("%q: an age of zero would prune every audit", s)
	}
	now := time.Now()
	t, err := parseWhen(s, now)
	if err != nil {
		return store.Retention{}, err
	}
	return store.Retention{MaxAge: now.Sub(t)}, nil
}

func addStoreFlags(fl *pflag.FlagSet, sf *storeFlags) {
	fl.StringVar(&sf.dsn, "store", "", "audit history store: a SQLite path or postgres:// URL (default $CDAUDIT_STORE, the config's store, or "+defaultStoreHint()+")")
	fl.BoolVar(&sf.none, "no-store", false, "do not read or write the audit history")
	fl.StringVar(&sf.retention, "retention", "", "prune stored audits older than this (90d, 1y) or beyond keep:N per target")
}

func defaultStoreHint() string {
	if p, err := store.DefaultPath(); err == nil {
		return p
	}
	return "~/.local/share/cdaudit/history.db"
}
