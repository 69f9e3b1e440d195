package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cdaudit/cdaudit/collectors"
)

// Env is what the commands see of the process: arguments, streams,
// environment. Tests fill it with buffers.
type Env struct {
	Args    []string
	Stdout  io.Writer
	Stderr  io.Writer
	Version string
	Getenv  func(string) string
	// Sources replaces the list of evidence sources (nil: Sources()); tests
	// register a fake source with it.
	Sources []collectors.Descriptor
}

// app is the state shared by the commands of one invocation.
type app struct {
	env      Env
	logLevel string
	quiet    bool
	log      *slog.Logger
}

// Main runs cdaudit and returns the exit code.
func Main(ctx context.Context, env Env) (code int) {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	a := &app{env: env}
	root := a.rootCmd()
	root.SetArgs(env.Args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	defer func() {
		// A panic is a bug; still, never show a stack trace for it.
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "cdaudit: internal error: %s\n", oneLine(fmt.Sprint(r)))
			code = ExitError
		}
	}()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "cdaudit: %s\n", errorLine(err))
		return codeOf(err)
	}
	return ExitOK
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "cdaudit",
		Short:         "Audit continuous-delivery maturity from evidence",
		Long:          "cdaudit collects evidence from git, GitHub and GitLab, measures it, and judges it against the\ncontinuous-delivery level tables (1–5) of the CAICT DevOps capability maturity model.",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setupLogger()
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v (see --help)", err) })
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "no progress indicator and only error logs")
	root.AddCommand(a.auditCmd(), a.checkCmd(), a.baselineCmd(), a.historyCmd(), a.serveCmd(), a.badgeCmd(), a.levelsCmd(), a.attestCmd(), a.versionCmd(), a.recordDeploymentCmd(), a.backfillCmd())
	return root
}

func (a *app) setupLogger() error {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(a.logLevel)); err != nil {
		return usageErr("--log-level %q: want debug, info, warn or error", a.logLevel)
	}
	if a.quiet && lvl < slog.LevelError {
		lvl = slog.LevelError
	}
	a.log = slog.New(slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{Level: lvl}))
	return nil
}

// stderrIsTerminal reports whether progress can be drawn.
func (a *app) stderrIsTerminal() bool {
	f, ok := a.env.Stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
