package measure

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// ciT0 is the start of the test window (a Monday); the window is 28 days.
var ciT0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

func ciAt(h float64) time.Time { return ciT0.Add(time.Duration(h * float64(time.Hour))) }

func ciTP(t time.Time) *time.Time { return &t }

func ciFP(f float64) *float64 { return &f }

// ciEv returns evidence for the test window with the kinds marked.
func ciEv(kinds ...model.Kind) *model.Evidence {
	ev := &model.Evidence{
		Target:        "t",
		Window:        model.Window{Since: ciT0, Until: ciT0.AddDate(0, 0, 28)},
		DefaultBranch: "main",
	}
	ev.Mark(kinds...)
	return ev
}

// ciRun builds a completed run created at hour h that ran for dur seconds.
func ciRun(id, name string, trig model.Trigger, branch, sha, concl string, h, dur float64) model.Run {
	created := ciAt(h)
	fin := created.Add(time.Duration(dur * float64(time.Second)))
	return model.Run{ID: id, URL: "https://ci.example/" + id, Name: name, Trigger: trig, Branch: branch,
		SHA: sha, Status: "completed", Conclusion: concl, CreatedAt: created, StartedAt: ciTP(created),
		FinishedAt: &fin}
}

// ciGot is the comparable part of a measurement.
type ciGot struct {
	Known bool
	Value float64
	N     int
}

// ciK is a known measurement, ciU an unknown one.
func ciK(v float64, n int) ciGot { return ciGot{Known: true, Value: v, N: n} }

var ciU = ciGot{}

// ciCheck compares the wanted measurements (and, for notes, that the note
// contains the wanted text).
func ciCheck(t *testing.T, ms model.Measurements, want map[string]ciGot, notes map[string]string) {
	t.Helper()
	got := map[string]ciGot{}
	for id := range want {
		m, ok := ms[id]
		if !ok {
			t.Errorf("%s: missing", id)
			continue
		}
		got[id] = ciGot{Known: m.Known, Value: math.Round(m.Value*1e6) / 1e6, N: m.N}
	}
	rounded := map[string]ciGot{}
	for id, w := range want {
		w.Value = math.Round(w.Value*1e6) / 1e6
		rounded[id] = w
	}
	if d := cmp.Diff(rounded, got); d != "" {
		t.Errorf("measurements (-want +got):\n%s", d)
	}
	for id, n := range notes {
		if m := ms[id]; !strings.Contains(m.Note, n) {
			t.Errorf("%s note = %q, want it to contain %q", id, m.Note, n)
		}
	}
}

// ciRefs returns the refs of a measurement as "kind:ref" strings.
func ciRefs(ms model.Measurements, id string) []string {
	var out []string
	for _, r := range ms[id].Evidence {
		out = append(out, string(r.Kind)+":"+r.Ref)
	}
	return out
}

// ciAllIDsUnknown checks that every listed id is unknown with the reason.
func ciAllIDsUnknown(t *testing.T, ms model.Measurements, why string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		m, ok := ms[id]
		switch {
		case !ok:
			t.Errorf("%s: missing", id)
		case m.Known:
			t.Errorf("%s: known (%v), want unknown", id, m.Value)
		case !strings.Contains(m.Note, why):
			t.Errorf("%s: note %q, want %q", id, m.Note, why)
		}
	}
}
