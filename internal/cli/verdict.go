package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/gate"
	"github.com/cdaudit/cdaudit/model"
)

// verdictJSON is the gate's verdict for `check --format json`: whether it
// holds, each failure with its evidence (what fell or is below a minimum,
// the measurements that changed, the dimensions that hold it down with the
// criterion not met and the measurements behind them), and what it was
// checked against.
func verdictJSON(res gate.Result, baselineFile string, fromStore bool, reqs []gate.Requirement) ([]byte, error) {
	v := struct {
		Holds        bool           `json:"holds"`
		Baseline     string         `json:"baseline"` // the file, "store", or "" for none
		Requirements []string       `json:"requirements"`
		Failures     []gate.Failure `json:"failures"`
		Unknown      []gate.Failure `json:"unknown_not_failed,omitempty"`
	}{Holds: res.Holds, Baseline: baselineFile, Requirements: []string{}, Failures: res.Failures, Unknown: res.Ignored}
	if v.Baseline == "" && fromStore {
		v.Baseline = "store"
	}
	if v.Failures == nil {
		v.Failures = []gate.Failure{}
	}
	for _, r := range reqs {
		v.Requirements = append(v.Requirements, r.String())
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// targetNames lists a report's target names for messages.
func targetNames(r *model.Report) string {
	var names []string
	for _, t := range r.Targets {
		names = append(names, "\""+t.Name+"\"")
	}
	return strings.Join(names, ", ")
}

// targetLabels lists a report's targets as "name" (kind location).
func targetLabels(r *model.Report) string {
	var out []string
	for _, t := range r.Targets {
		s := "\"" + t.Name + "\""
		if t.Identity != nil {
			s += " (" + t.Identity.String() + ")"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "no target"
	}
	return strings.Join(out, ", ")
}

// windowDays renders a window's length: "90-day", or hours.
func windowDays(w model.Window) string {
	d := w.Until.Sub(w.Since)
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d-day", d/(24*time.Hour))
	}
	return fmt.Sprintf("%.1f-hour", d.Hours())
}

// said tells on stderr, in one line, what a command did (not with --quiet).
func (a *app) said(format string, args ...any) {
	if a.quiet {
		return
	}
	fmt.Fprintf(a.env.Stderr, "cdaudit: %s\n", oneLine(fmt.Sprintf(format, args...)))
}
