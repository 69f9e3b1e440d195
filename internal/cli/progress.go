package cli

import (
	"fmt"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/cdaudit/cdaudit/model"
)

// progress draws one line on stderr when it is a terminal: targets done of
// the total, the current stage and the API requests spent so far, e.g.
// "3/40 targets · acme/shop: pull requests · 812 requests". A nil bar
// (quiet, not a terminal) draws nothing; the counts are kept either way.
type progress struct {
	bar *progressbar.ProgressBar

	mu       sync.Mutex
	total    int
	finished int
	current  string // the stage shown
	commits  int    // commits walked by the git collector of the current target
	requests int    // API requests of the finished targets' sources
}

func (a *app) newProgress(targets int) *progress {
	p := &progress{total: targets}
	if a.quiet || !a.stderrIsTerminal() {
		return p
	}
	p.bar = progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(a.env.Stderr),
		progressbar.OptionSetDescription(p.line()),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
	return p
}

// line is the progress text.
func (p *progress) line() string {
	s := fmt.Sprintf("%d/%d targets", p.finished, p.total)
	if p.current != "" {
		s += " · " + p.current
	}
	if p.commits > 0 {
		s += fmt.Sprintf(" (%d commits)", p.commits)
	}
	return s + fmt.Sprintf(" · %d requests", p.requests)
}

// update changes the counts under the lock and redraws.
func (p *progress) update(f func()) {
	if p == nil {
		return
	}
	p.mu.Lock()
	f()
	line := p.line()
	p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(line)
		_ = p.bar.Add(1) // turns the spinner; the count is not shown
	}
}

// stage names what runs now: "discovering github:acme", a target, a
// target's source step.
func (p *progress) stage(s string) { p.update(func() { p.current, p.commits = s, 0 }) }

// target starts a target.
func (p *progress) target(name string) { p.stage(name) }

// step is the git collector's count of commits walked.
func (p *progress) step(n int) { p.update(func() { p.commits = n }) }

// targetDone counts a target done with the requests its sources spent.
func (p *progress) targetDone(res model.TargetResult) {
	p.update(func() {
		p.finished++
		for _, s := range res.Sources {
			if s.Requests != nil {
				p.requests += s.Requests.Total
			}
		}
	})
}

// snapshot returns done, total and requests (tests).
func (p *progress) snapshot() (done, total, requests int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finished, p.total, p.requests
}

// done clears the line.
func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
