package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cdaudit/cdaudit/audit"
	"github.com/cdaudit/cdaudit/collectors"
	gitcol "github.com/cdaudit/cdaudit/collectors/git"
	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/measure"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

// maxBackfill bounds the audits one backfill writes (ten years of weeks).
const maxBackfill = 520

type backfillFlags struct {
	every, since, until, window string
	branch, configFile          string
	store                       storeFlags
}

func (a *app) backfillCmd() *cobra.Command {
	f := &backfillFlags{}
	cmd := &cobra.Command{
		Use:   "backfill [PATH]",
		Short: "Fill the audit history with audits of the past, from one walk of a local clone",
		Long: "Audit the local clone at PATH (default: the current directory) as it was at regular points in\n" +
			"the past — every --every from --since up to --until — and save each audit in the history store,\n" +
			"so that trends and the gate have a history from the first day. Each audit is of the --window\n" +
			"ending at its point, read as it was then (see docs/measurements.md, \"A past window\"). The\n" +
			"clone is walked once for all of them. Only the clone is read: host records are not backfilled.\n" +
			"A point the store already holds an audit of (same target, same window) is skipped, so running\n" +
			"it again only adds the points missing. One audit of a past window is `cdaudit audit --until DATE`.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runBackfill(cmd.Context(), f, firstNonEmpty(firstNonEmpty(args...), "."), time.Now())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.every, "every", "1w", "time between audits (1d, 1w, 4w…)")
	fl.StringVar(&f.since, "since", "1y", "first audit point: a duration before --until (1y, 26w) or a date")
	fl.StringVar(&f.until, "until", "", "last audit point: a date or RFC 3339 time (default now)")
	fl.StringVar(&f.window, "window", "90d", "the window each audit covers, ending at its point")
	fl.StringVar(&f.branch, "branch", "", "trunk: a branch, tag, ref or full commit id (default HEAD, origin/HEAD, main, master)")
	fl.StringVarP(&f.configFile, "config", "c", "", "YAML config file (thresholds, patterns)")
	addStoreFlags(fl, &f.store)
	return cmd
}

// backfillPoints returns the audit windows, oldest first: each ends at a
// point, from until back every `every` as far as since.
func backfillPoints(f *backfillFlags, now time.Time) ([]model.Window, error) {
	last := now
	if f.until != "" {
		t, err := parseWhen(f.until, now)
		if err != nil {
			return nil, fmt.Errorf("--until: %w", err)
		}
		last = t
	}
	if last.After(now.Add(24 * time.Hour)) {
		return nil, fmt.Errorf("--until %s lies in the future", last.UTC().Format(time.RFC3339))
	}
	first, err := parseWhen(f.since, last)
	if err != nil {
		return nil, fmt.Errorf("--since: %w", err)
	}
	if relRE.FindStringSubmatch(f.every) == nil {
		return nil, fmt.Errorf("--every %q: want a duration such as 1d, 1w, 4w", f.every)
	}
	if relRE.FindStringSubmatch(f.window) == nil {
		return nil, fmt.Errorf("--window %q: want a duration such as 30d, 12w, 90d", f.window)
	}
	var out []model.Window
	for end := last; !end.Before(first); {
		start, err := parseWhen(f.window, end)
		if err != nil {
			return nil, fmt.Errorf("--window: %w", err)
		}
		out = append(out, model.Window{Since: start.UTC(), Until: end.UTC()})
		if len(out) > maxBackfill {
			return nil, fmt.Errorf("--since %s with --every %s makes more than %d audits", f.since, f.every, maxBackfill)
		}
		prev, err := parseWhen(f.every, end)
		if err != nil || !prev.Before(end) {
			return nil, fmt.Errorf("--every %q: want a positive duration", f.every)
		}
		end = prev
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

func (a *app) runBackfill(ctx context.Context, f *backfillFlags, path string, now time.Time) error {
	ws, err := backfillPoints(f, now)
	if err != nil {
		return usageErr("%w", err)
	}
	if len(ws) == 0 {
		return usageErr("--since %s is after --until: no audit to make", f.since)
	}
	cat, err := model.LoadCatalogue()
	if err != nil {
		return err
	}
	cfg := config.Default()
	if f.configFile != "" {
		if cfg, err = config.Load(f.configFile, cat, sourceKeys(a.sources())...); err != nil {
			return usageErr("%w", err)
		}
	}
	if f.store.none {
		return usageErr("backfill writes the audit history: --no-store leaves it nothing to do")
	}
	st, err := a.openStore(ctx, f.store, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()

	t := config.Target{Path: path, Name: targetName(path), Branch: f.branch, Thresholds: cfg.Thresholds}
	first, last := ws[0].Until, ws[len(ws)-1].Until
	ws, stored, err := unstoredPoints(ctx, st, t.Name, identityOf(t, hostFlags{}), ws)
	if err != nil {
		return err
	}
	ci := a.ciCheckoutOf(path)
	col := gitcol.New(path, gitcol.Options{Branch: t.Branch, TrunkHints: ci.hints, CI: ci.ci, Logger: a.log})
	evs := make([]*model.Evidence, len(ws))
	for k, w := range ws {
		evs[k] = &model.Evidence{Window: w}
	}
	start := time.Now()
	var results []collectors.Result
	var errs []error
	if len(evs) > 0 {
		if results, errs, err = col.CollectSeries(ctx, evs); err != nil {
			return err
		}
	}
	a.log.Debug("backfill walked", "windows", len(ws), "took", time.Since(start))
	mopt := measure.Options{IssuePattern: cfg.IssuePattern, ProductionEnv: cfg.ProductionEnv,
		DeployWorkflow: cfg.DeployWorkflow, BotPattern: cfg.BotPattern, StaleAfterDays: t.Thresholds.Branching.StaleAfterDays}
	saved, skipped := 0, 0
	for k, w := range ws {
		if errs[k] != nil {
			if errors.Is(errs[k], gitcol.ErrWindowBeforeHistory) {
				skipped++ // before the first commit: nothing to audit
				continue
			}
			return errs[k]
		}
		hist, err := a.historyBefore(ctx, st, t.Name, w.Until)
		if err != nil {
			return err
		}
		at := w.Until
		thr := t.Thresholds
		res, err := audit.Run(ctx, audit.Target{Name: t.Name, Collectors: []collectors.Collector{replay{evs[k], results[k]}},
			Rules: &thr, Measure: &mopt, History: hist},
			audit.Options{Window: w, Catalogue: cat, Rules: cfg.Thresholds, Measure: mopt, Attestations: cfg.Attestations,
				Logger: a.log, Now: func() time.Time { return at }, Sources: a.sources()})
		if err != nil {
			return err
		}
		res.Identity = identityOf(t, hostFlags{})
		rep := &model.Report{Schema: model.ReportSchema, Version: a.env.Version, GeneratedAt: at, Window: w,
			Targets: []model.TargetResult{res}, Catalogue: model.CatalogueVersion()}
		if err := a.save(ctx, st, rep, ""); err != nil {
			return err
		}
		saved++
	}
	msg := fmt.Sprintf("backfilled %d audits of %s, every %s from %s to %s (windows of %s)", saved, t.Name, f.every,
		first.Format(time.DateOnly), last.Format(time.DateOnly), f.window)
	if stored > 0 {
		msg += fmt.Sprintf("; %d points already in the store skipped", stored)
	}
	if skipped > 0 {
		msg += fmt.Sprintf("; %d points before the first commit left out", skipped)
	}
	_, err = fmt.Fprintln(a.env.Stdout, msg)
	return err
}

// unstoredPoints leaves out the windows the store already holds an audit of
// for the same target (its identity, or its name when the stored audit
// predates identities): a backfill run twice skips what the first run saved
// rather than storing it again. It returns the windows left and how many
// were skipped.
func unstoredPoints(ctx context.Context, st *store.Store, target string, id *model.Identity, ws []model.Window) ([]model.Window, int, error) {
	snaps, err := st.History(ctx, target, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, 0, err
	}
	type span struct{ since, until int64 }
	have := map[span]bool{}
	for _, s := range snaps {
		if r := s.Result.Identity; r == nil || id == nil || *r == *id {
			have[span{s.Window.Since.Unix(), s.Window.Until.Unix()}] = true
		}
	}
	out := make([]model.Window, 0, len(ws))
	for _, w := range ws {
		if !have[span{w.Since.Unix(), w.Until.Unix()}] {
			out = append(out, w)
		}
	}
	return out, len(ws) - len(out), nil
}

// historyBefore is the target's stored history before a point in time:
// what an audit made then would have seen.
func (a *app) historyBefore(ctx context.Context, st *store.Store, target string, until time.Time) ([]model.HistoryPoint, error) {
	hist, err := a.history(ctx, st, target)
	if err != nil {
		return nil, err
	}
	out := hist[:0]
	for _, h := range hist {
		if h.At.Before(until) {
			out = append(out, h)
		}
	}
	return out, nil
}

// replay is a collector that hands over evidence collected beforehand (by
// CollectSeries) to an audit.
type replay struct {
	ev  *model.Evidence
	res collectors.Result
}

func (replay) Kind() string { return "git" }

func (r replay) Collect(_ context.Context, ev *model.Evidence) (collectors.Result, error) {
	src := r.ev
	ev.DefaultBranch, ev.TrunkTip, ev.TrunkTipAt = src.DefaultBranch, src.TrunkTip, src.TrunkTipAt
	ev.Shallow, ev.HistoryStart = src.Shallow, src.HistoryStart
	ev.Commits, ev.Merges, ev.Branches, ev.Tags, ev.Tree = src.Commits, src.Merges, src.Branches, src.Tags, src.Tree
	ev.Notes = append(ev.Notes, src.Notes...)
	for k, ok := range src.Have {
		if ok {
			ev.Mark(k)
		}
	}
	return r.res, nil
}
