package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cdaudit/cdaudit/gate"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

type checkFlags struct {
	audit    auditFlags
	report   string
	baseline string
	require  string
	unknown  string
	summary  string
}

func (a *app) checkCmd() *cobra.Command {
	f := &checkFlags{}
	cmd := &cobra.Command{
		Use:   "check [PATH]",
		Short: "Audit (or read a report) and fail (exit 1) when a level regressed or is below a required minimum",
		Long: "check audits PATH (or the targets of --config), or reads --report FILE, and compares the levels with a\n" +
			"baseline — --baseline FILE, else the last audit of each target in the store — and with required\n" +
			"minimums (--require ci=3,version-control.branching=3 or `require:` in the config).\n" +
			"Exit 0 when the gate holds, 1 when it fails, 2 on errors.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := firstNonEmpty(args...) // the optional PATH
			return a.runCheck(cmd.Context(), f, path)
		},
	}
	fl := cmd.Flags()
	f.audit.addTargetFlags(fl, a.sources())
	fl.StringVarP(&f.audit.format, "format", "f", "markdown", "format of the report written with --output: "+formatNames()+"; json also prints the verdict as JSON")
	fl.StringVarP(&f.audit.output, "output", "o", "", "also write the audit report to FILE")
	fl.StringVar(&f.report, "report", "", "check this JSON report instead of auditing")
	fl.StringVar(&f.baseline, "baseline", "", "baseline `FILE` written by cdaudit baseline (default: the store's last audit)")
	fl.StringVar(&f.require, "require", "", "required minimums, e.g. ci=3,version-control.branching=3")
	fl.StringVar(&f.unknown, "unknown", "ignore", "unknown levels: ignore, or fail the gate")
	fl.StringVar(&f.summary, "summary", "", "append the Markdown report and the verdict to FILE (e.g. $GITHUB_STEP_SUMMARY)")
	return cmd
}

func (a *app) runCheck(ctx context.Context, f *checkFlags, path string) error {
	now := time.Now()
	p, err := a.resolve(&f.audit, path, now)
	if err == nil {
		err = a.expand(ctx, p, &f.audit)
	}
	if err != nil {
		return err
	}
	policy, err := gate.ParseUnknownPolicy(f.unknown)
	if err != nil {
		return usageErr("--unknown: %w", err)
	}
	reqs, err := gate.ParseRequirements(firstNonEmpty(f.require, p.cfg.Require), p.cat)
	if err != nil {
		return usageErr("--require: %w", err)
	}
	var baseline *model.Report
	if f.baseline != "" {
		if baseline, err = readReportFile(f.baseline); err != nil {
			return usageErr("--baseline %s: %w", f.baseline, err)
		}
	}
	st, err := a.openStore(ctx, f.audit.store, p.cfg.Store)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
	}
	var current *model.Report
	if f.report != "" {
		if current, err = readReportFile(f.report); err != nil {
			return usageErr("--report %s: %w", f.report, err)
		}
	} else {
		rep, failures := a.collectAll(ctx, p, st, now)
		if ctx.Err() != nil {
			return usageErr("interrupted: %w", ctx.Err())
		}
		if len(failures) == len(p.targets) {
			return &exitError{code: ExitError, err: errors.Join(failures...)}
		}
		a.warnFailed(failures)
		rep.Catalogue = model.CatalogueVersion()
		current = rep
	}
	if baseline == nil && st != nil {
		if baseline, err = latestFromStore(ctx, st, current); err != nil {
			return err
		}
	}
	if f.report == "" {
		// The baseline was read first; now this audit joins the history,
		// whatever the verdict: a check that cannot compare loses nothing.
		if err := a.save(ctx, st, current, firstNonEmpty(f.audit.store.retention, p.cfg.Retention)); err != nil {
			return err
		}
	}
	if f.audit.output != "" {
		if err := a.writeReport(current, p, &f.audit); err != nil {
			return err
		}
	}
	if err := gate.MatchBaseline(current, baseline, f.baseline != ""); err != nil {
		if f.baseline != "" {
			return usageErr("--baseline %s: %w", f.baseline, err)
		}
		return usageErr("the store's last audit as baseline: %w", err)
	}
	if baseline == nil && len(reqs) == 0 {
		why := "the store holds no earlier audit of " + targetNames(current)
		if st == nil {
			why = "--no-store"
		}
		return usageErr("nothing to check: no baseline (%s) and no required minimum: give --baseline FILE "+
			"(written by cdaudit baseline) or --require PRACTICE[.DIMENSION]=LEVEL", why)
	}
	res := gate.CheckReport(current, baseline, reqs, policy)
	verdict := verdictText(res, baseline != nil, len(reqs))
	out := verdict
	if f.audit.format == "json" {
		b, err := verdictJSON(res, f.baseline, st != nil && baseline != nil, reqs)
		if err != nil {
			return err
		}
		out = string(b)
	}
	if _, err := io.WriteString(a.env.Stdout, out); err != nil {
		return err
	}
	if f.summary != "" {
		if err := appendSummary(f.summary, current, p, verdict); err != nil {
			return err
		}
	}
	if !res.Holds {
		return gateFailed(fmt.Sprintf("gate failed: %d failure(s)", len(res.Failures)))
	}
	return nil
}

func readReportFile(path string) (*model.Report, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return gate.ReadBaseline(fh)
}

// latestFromStore builds a baseline from each target's last stored audit.
func latestFromStore(ctx context.Context, st *store.Store, current *model.Report) (*model.Report, error) {
	base := &model.Report{Schema: model.ReportSchema}
	for _, t := range current.Targets {
		r, at, err := st.Latest(ctx, t.Name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading the baseline from the store: %w", err)
		}
		if at.After(base.GeneratedAt) {
			base.GeneratedAt = at
		}
		base.Targets = append(base.Targets, *r)
	}
	if len(base.Targets) == 0 {
		return nil, nil
	}
	return base, nil
}

func verdictText(res gate.Result, haveBaseline bool, nreq int) string {
	var b bytes.Buffer
	if res.Holds {
		fmt.Fprintf(&b, "gate holds: no level fell below the baseline or a required minimum")
		if n := len(res.Ignored); n > 0 {
			fmt.Fprintf(&b, "; %d level(s) could not be checked, being unknown (--unknown=fail fails on them)", n)
		}
	} else {
		fmt.Fprintf(&b, "gate FAILED: %d failure(s)", len(res.Failures))
	}
	if !haveBaseline {
		fmt.Fprintf(&b, " (no baseline: only the %d required minimum(s) were checked)", nreq)
	}
	b.WriteString("\n")
	for _, f := range res.Failures {
		fmt.Fprintf(&b, "  ✗ %s\n", oneLine(f.String()))
	}
	for _, f := range res.Ignored {
		fmt.Fprintf(&b, "  ? %s (unknown; not a failure with --unknown=ignore)\n", oneLine(f.String()))
	}
	return b.String()
}

// appendSummary appends the Markdown report and the verdict to a job summary.
func appendSummary(path string, rep *model.Report, p *plan, verdict string) error {
	var buf bytes.Buffer
	buf.WriteString("### cdaudit gate\n\n```\n" + verdict + "```\n\n")
	if err := report.Render(&buf, rep, report.FormatMarkdown, report.Options{Catalogue: p.cat, Lang: "en"}); err != nil {
		return err
	}
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return usageErr("--summary: %w", err)
	}
	if _, err := fh.Write(buf.Bytes()); err != nil {
		fh.Close()
		return fmt.Errorf("--summary: %w", err)
	}
	return fh.Close()
}

func (a *app) baselineCmd() *cobra.Command {
	f := &auditFlags{}
	var fromStore bool
	cmd := &cobra.Command{
		Use:   "baseline [PATH]",
		Short: "Write a baseline file for `cdaudit check --baseline` (audits, or takes the store's last audits)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := firstNonEmpty(args...) // the optional PATH
			ctx := cmd.Context()
			now := time.Now()
			p, err := a.resolve(f, path, now)
			if err == nil && !fromStore {
				err = a.expand(ctx, p, f)
			}
			if err != nil {
				return err
			}
			st, err := a.openStore(ctx, f.store, p.cfg.Store)
			if err != nil {
				return err
			}
			if st != nil {
				defer st.Close()
			}
			var rep *model.Report
			if fromStore {
				if st == nil {
					return usageErr("--from-store needs a store")
				}
				cur := &model.Report{}
				for _, t := range p.targets {
					cur.Targets = append(cur.Targets, model.TargetResult{Name: t.Name})
				}
				if rep, err = latestFromStore(ctx, st, cur); err != nil {
					return err
				}
				if rep == nil {
					return usageErr("the store holds no audit of %s", p.targets[0].Name)
				}
			} else {
				r, failures := a.collectAll(ctx, p, st, now)
				if len(failures) == len(p.targets) {
					return &exitError{code: ExitError, err: errors.Join(failures...)}
				}
				a.warnFailed(failures)
				r.Catalogue = model.CatalogueVersion()
				rep = r
			}
			var buf bytes.Buffer
			if err := gate.WriteBaseline(&buf, rep); err != nil {
				return err
			}
			out := firstNonEmpty(f.output, "cdaudit-baseline.json")
			if err := a.writeOutput("-o", out, buf.Bytes()); err != nil {
				return err
			}
			a.said("wrote baseline %s: %s, a %s window, catalogue %s", out, targetLabels(rep), windowDays(rep.Window), rep.Catalogue)
			return nil
		},
	}
	fl := cmd.Flags()
	f.addTargetFlags(fl, a.sources())
	fl.StringVarP(&f.output, "output", "o", "cdaudit-baseline.json", "baseline file to write (atomically)")
	fl.BoolVar(&fromStore, "from-store", false, "take each target's last audit from the store instead of auditing")
	f.format = "json"
	return cmd
}
