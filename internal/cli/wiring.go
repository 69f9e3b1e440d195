package cli

import (
	"fmt"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/cdaudit/cdaudit/collectors"
	gitcol "github.com/cdaudit/cdaudit/collectors/git"
	"github.com/cdaudit/cdaudit/config"
)

// collectorsFor builds the collectors of a target from one explicit list:
// the local clone first (it is the richest source of history), then hosts.
func (a *app) collectorsFor(t config.Target, prog *progress) ([]collectors.Collector, error) {
	var cols []collectors.Collector
	if t.Path != "" {
		cols = append(cols, gitcol.New(t.Path, gitcol.Options{Branch: t.Branch, Logger: a.log, Progress: prog.step}))
	}
	if len(cols) == 0 {
		return nil, usageErr("target %q has no source this cdaudit can read", t.Name)
	}
	return cols, nil
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// progress draws a spinner with counts on stderr when it is a terminal.
type progress struct {
	bar *progressbar.ProgressBar
}

func (a *app) newProgress(targets int) *progress {
	if a.quiet || !a.stderrIsTerminal() {
		return &progress{}
	}
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(a.env.Stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("auditing %d target(s)", targets)),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("commits"),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	return &progress{bar: bar}
}

func (p *progress) target(name string) {
	if p.bar != nil {
		p.bar.Describe("auditing " + name)
	}
}

func (p *progress) step(n int) {
	if p.bar != nil {
		_ = p.bar.Set(n)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
