package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

// history --by LABEL aggregates every target's latest audit by the
// label's value, with the mean lowest level at the audits before.
func TestHistoryByLabel(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := model.IntPtr
	target := func(name, team string, ci, vc *int) model.TargetResult {
		tr := model.TargetResult{Name: name, Practices: []model.PracticeResult{{ID: "ci", Level: ci}, {ID: "vc", Level: vc}},
			Sources: []model.SourceStatus{{Kind: "git", Status: model.StatusOK}}}
		if team != "" {
			tr.Labels = map[string]string{"team": team}
		}
		return tr
	}
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for i, targets := range [][]model.TargetResult{
		{target("a", "web", l(1), l(2)), target("b", "web", l(1), l(1))},
		{target("a", "web", l(3), l(2)), target("b", "web", l(1), nil), target("c", "", l(4), l(5))},
	} {
		rep := &model.Report{Schema: model.ReportSchema, GeneratedAt: at.AddDate(0, 0, i), Targets: targets}
		if _, err := st.Save(ctx, rep); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	code, out, stderr := runWithStore(t, db, "history", "--by", "team", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct{ Groups []groupSummary }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	f := func(v float64) *float64 { return &v }
	want := []groupSummary{
		{Label: "team", Value: "(none)", Targets: 1, Lowest: f(4), Practices: map[string]groupPractice{
			"ci": {Min: l(4), Mean: f(4)}, "vc": {Min: l(5), Mean: f(5)}}},
		// web now: a lowest 2, b lowest 1 (vc unknown); before: 1 and 1.
		{Label: "team", Value: "web", Targets: 2, Lowest: f(1.5), Before: f(1), Practices: map[string]groupPractice{
			"ci": {Min: l(1), Mean: f(2)}, "vc": {Min: l(2), Mean: f(2), Unknown: 1}}},
	}
	if d := cmp.Diff(want, got.Groups, cmp.AllowUnexported(groupSummary{}), cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".practiceIDs"
	}, cmp.Ignore())); d != "" {
		t.Errorf("groups (-want +got)\n%s", d)
	}
	code, out, _ = runWithStore(t, db, "history", "--by", "team")
	if code != 0 || !strings.Contains(out, "web     2        1.5            1.0") {
		t.Errorf("exit %d, text:\n%s", code, out)
	}
	if code, _, stderr := runWithStore(t, db, "history", "a", "--by", "team"); code != 2 || !strings.Contains(stderr, "without TARGET") {
		t.Errorf("--by with a TARGET: exit %d, %s", code, stderr)
	}
}
