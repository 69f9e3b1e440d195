package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/audit"
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/measure"
	"github.com/cdaudit/cdaudit/metrics"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

// auditFlags are the flags of `cdaudit audit`.
type auditFlags struct {
	since, until string
	asOf         string // --as-of: the same as --until, named for time travel
	format       string
	output       string
	configFile   string
	branch       string
	lang         string
	verbose      bool
	store        storeFlags
	hosts        hostFlags
	textfile     string
	push         string
	attest       attestFlags
	discover     discoverFlags
}

func (a *app) auditCmd() *cobra.Command {
	f := &auditFlags{}
	cmd := &cobra.Command{
		Use:   "audit [PATH]",
		Short: "Audit a repository and report its continuous-delivery levels",
		Long: "Audit a local clone (work tree or bare) at PATH (default: the current directory), or the\n" +
			"targets of --config, and print the report.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := firstNonEmpty(args...) // the optional PATH
			return a.runAudit(cmd.Context(), f, path)
		},
	}
	fl := cmd.Flags()
	f.addTargetFlags(fl, a.sources())
	fl.StringVarP(&f.format, "format", "f", "text", "report format: "+formatNames())
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of stdout (written atomically)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "text report: every dimension with all its reasons")
	fl.StringVar(&f.textfile, "textfile", "", "also write Prometheus metrics to DIR/cdaudit.prom (node_exporter textfile collector)")
	fl.StringVar(&f.push, "push", "", "also push Prometheus metrics to this Pushgateway URL (job cdaudit)")
	return cmd
}

// addTargetFlags registers the flags that choose what to audit and how:
// window, config, trunk, language, hosts and store. audit, check, baseline
// and serve share them.
func (f *auditFlags) addTargetFlags(fl *pflag.FlagSet, srcs []collectors.Descriptor) {
	fl.StringVar(&f.since, "since", "", "window start: a duration before --until (90d, 12w, 1y) or a date (default 90d)")
	fl.StringVar(&f.until, "until", "", "window end (exclusive): a date or RFC 3339 time (default now)")
	fl.StringVar(&f.asOf, "as-of", "", "audit the window ending at DATE as the repository stood then (the same as --until)")
	fl.StringVarP(&f.configFile, "config", "c", "", "YAML config file (thresholds, patterns, attestations, targets)")
	fl.StringVar(&f.branch, "branch", "", "trunk: a branch, tag, ref (refs/pipelines/7, HEAD) or full commit id (default: the CI's trunk variable, HEAD, origin/HEAD, main, master)")
	fl.StringVar(&f.lang, "lang", "en", "language of criterion texts in reports: en or zh")
	addHostFlags(fl, &f.hosts)
	addSourceFlags(fl, &f.hosts, srcs)
	addStoreFlags(fl, &f.store)
	addAttestFlags(fl, &f.attest)
	addDiscoverFlags(fl, &f.discover)
}

// plan is everything an audit run needs, resolved from flags and config.
type plan struct {
	cfg     *config.Config
	cat     *model.Catalogue
	window  model.Window
	format  report.Format
	targets []config.Target
	hosts   hostFlags
	attest  attestFlags
	// history holds each target's earlier audits (for HTML trends).
	history map[string][]model.HistoryPoint
	// st is the store of the run (nil: none), for recorded deployments.
	st *store.Store
}

func (a *app) resolve(f *auditFlags, path string, now time.Time) (*plan, error) {
	cat, err := model.LoadCatalogue()
	if err != nil {
		return nil, err
	}
	p := &plan{cat: cat, cfg: config.Default()}
	if f.configFile != "" {
		c, err := config.Load(f.configFile, cat, sourceKeys(f.hosts.srcs)...)
		if err != nil {
			return nil, usageErr("%w", err)
		}
		p.cfg = c
	}
	if p.format, err = report.ParseFormat(f.format); err != nil {
		return nil, usageErr("--format: %w", err)
	}
	if f.lang != "en" && f.lang != "zh" {
		return nil, usageErr("--lang %q: want en or zh", f.lang)
	}
	if f.asOf != "" {
		if f.until != "" && f.until != f.asOf {
			return nil, usageErr("--as-of %s and --until %s name two window ends: give one", f.asOf, f.until)
		}
		f.until = f.asOf
	}
	since, until := firstNonEmpty(f.since, p.cfg.Since, "90d"), firstNonEmpty(f.until, p.cfg.Until)
	if p.window, err = parseWindow(since, until, now); err != nil {
		if f.since == "" && p.cfg.Since != "" || f.until == "" && p.cfg.Until != "" {
			return nil, usageErr("%w (since/until of %s)", err, p.cfg.File)
		}
		return nil, usageErr("%w", err)
	}
	// The retention applies after the audit: check it before any work.
	if r := firstNonEmpty(f.store.retention, p.cfg.Retention); r != "" {
		if _, err := parseRetention(r); err != nil {
			return nil, usageErr("retention: %w", err)
		}
	}
	p.hosts, p.attest = f.hosts, f.attest
	h := f.hosts
	one := config.Target{Path: path, GitHub: h.github, GitLab: h.gitlab, Branch: f.branch, Thresholds: p.cfg.Thresholds}
	applyCIFlags(&one, h.ci)
	applyDeliveryFlags(&one, h.dl)
	one.Sources = h.sourceRefs()
	switch {
	case path != "" || h.github != "" || h.gitlab != "" || one.Jenkins != nil || one.Sources != nil:
		one.Name = firstNonEmpty(h.github, h.gitlab, h.ci.jenkinsJob, firstRef(one.Sources))
		if path != "" {
			one.Name = targetName(path)
		}
		p.targets = []config.Target{one}
	case len(p.cfg.Targets) > 0:
		p.targets = p.cfg.Targets
	case f.configFile != "":
		return nil, usageErr("%s names no targets: add `targets:` or give a PATH, --github or --gitlab", f.configFile)
	default:
		one.Path, one.Name = ".", targetName(".")
		p.targets = []config.Target{one}
	}
	return p, nil
}

func targetName(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	return filepath.Base(abs)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (a *app) runAudit(ctx context.Context, f *auditFlags, path string) error {
	now := time.Now()
	p, err := a.resolve(f, path, now)
	if err != nil {
		return err
	}
	if err := a.expand(ctx, p, f); errors.Is(err, errEmptyShard) {
		a.log.Warn(err.Error())
		return nil
	} else if err != nil {
		return err
	}
	st, err := a.openStore(ctx, f.store, p.cfg.Store)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
	}
	rep, failures := a.collectAll(ctx, p, st, now)
	if ctx.Err() != nil {
		return usageErr("interrupted: %w", ctx.Err())
	}
	if len(failures) == len(p.targets) {
		// Nothing collected: no report to print or keep, only the error.
		return &exitError{code: ExitError, err: errors.Join(failures...)}
	}
	a.warnFailed(failures)
	rep.Catalogue = model.CatalogueVersion()
	if err := a.save(ctx, st, rep, firstNonEmpty(f.store.retention, p.cfg.Retention)); err != nil {
		return err
	}
	if err := a.writeReport(rep, p, f); err != nil {
		return err
	}
	return a.exportMetrics(ctx, rep, f)
}

// exportMetrics writes the textfile and pushes to a Pushgateway when asked.
func (a *app) exportMetrics(ctx context.Context, rep *model.Report, f *auditFlags) error {
	audits := report.AuditsOf(rep)
	if f.textfile != "" {
		if err := report.WriteTextfile(f.textfile, "cdaudit.prom", audits); err != nil {
			return usageErr("--textfile: %w", err)
		}
	}
	if f.push != "" {
		if err := metrics.Push(ctx, f.push, "cdaudit", report.NewPrometheusCollector(audits), metrics.PushOptions{}); err != nil {
			return usageErr("--push: %w", err)
		}
	}
	return nil
}

func (a *app) auditTarget(ctx context.Context, p *plan, t config.Target, hist []model.HistoryPoint, prog *progress) (model.TargetResult, error) {
	cols, err := a.collectorsFor(t, p.hosts, prog)
	if err != nil {
		return model.TargetResult{Name: t.Name, Labels: t.Labels, Error: err.Error()}, err
	}
	mopt := measure.Options{IssuePattern: p.cfg.IssuePattern, ProductionEnv: p.cfg.ProductionEnv,
		DeployWorkflow: p.cfg.DeployWorkflow, BotPattern: p.cfg.BotPattern, StaleAfterDays: t.Thresholds.Branching.StaleAfterDays}
	if t.ProductionEnv != nil {
		mopt.ProductionEnv = t.ProductionEnv
	}
	if err := deliveryOptions(&mopt, t, p.cfg, p.hosts); err != nil {
		return model.TargetResult{Name: t.Name, Labels: t.Labels, Error: err.Error()}, err
	}
	if c := a.recordedCollector(ctx, p.st, t.Name); c != nil {
		cols = append(cols, c)
	}
	thr := t.Thresholds
	atts, attWarns, err := a.targetAttestations(p.attest, t, p.cat, time.Now())
	if err != nil {
		return model.TargetResult{Name: t.Name, Labels: t.Labels, Error: err.Error()}, err
	}
	prog.target(t.Name)
	res, err := audit.Run(ctx, audit.Target{Name: t.Name, Labels: t.Labels, Collectors: cols, Rules: &thr, Measure: &mopt, History: hist,
		Attestations: atts, Warnings: attWarns},
		audit.Options{Window: p.window, Catalogue: p.cat, Rules: p.cfg.Thresholds, Measure: mopt,
			Attestations: p.cfg.Attestations, AllowUnsigned: p.attest.allowUnsigned, Logger: a.log, Sources: p.hosts.srcs})
	res.Identity = identityOf(t, p.hosts)
	return res, err
}

// writeReport renders into memory first, so a failed render never leaves a
// half-written file, then writes stdout or --output (see writeOutput).
func (a *app) writeReport(rep *model.Report, p *plan, f *auditFlags) error {
	var buf bytes.Buffer
	opt := report.Options{Lang: f.lang, Catalogue: p.cat, Verbose: f.verbose, History: p.history,
		Color: (f.output == "" || f.output == "-") && p.format == report.FormatText && a.stdoutIsTerminal()}
	if err := report.Render(&buf, rep, p.format, opt); err != nil {
		return fmt.Errorf("rendering the report: %w", err)
	}
	if f.output == "" {
		_, err := a.env.Stdout.Write(buf.Bytes())
		return err
	}
	return a.writeOutput("--output", f.output, buf.Bytes())
}

func (a *app) stdoutIsTerminal() bool {
	f, ok := a.env.Stdout.(*os.File)
	return ok && isTerminal(f)
}

func formatNames() string {
	var s []string
	for _, f := range report.Formats() {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

// warnFailed says, one line each, which targets failed while others were
// audited (when all fail, the error is the command's last line instead).
func (a *app) warnFailed(failures []error) {
	for _, err := range failures {
		a.log.Warn("target failed", "err", httpx.RedactURL(oneLine(err.Error())))
	}
}
