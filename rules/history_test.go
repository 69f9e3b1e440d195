package rules

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestHistoryCountsDistinctDays: the tool's own runs are not the team's
// practice. Five audits a minute apart add nothing over one; audits on
// distinct days count, and only toward what a history can show.
func TestHistoryCountsDistinctDays(t *testing.T) {
	now := window.Until.Add(10 * time.Hour)
	history := func(step time.Duration, n int) []model.HistoryPoint {
		var hs []model.HistoryPoint
		for i := 1; i <= n; i++ {
			hs = append(hs, model.HistoryPoint{At: now.Add(-time.Duration(i) * step)})
		}
		return hs
	}
	dims := []string{"metrics.definition", "metrics.data", "improvement.reporting", "improvement.timeliness",
		"improvement.audience", "pipeline.visibility"}
	tests := []struct {
		name    string
		history []model.HistoryPoint
		want    map[string]string
	}{
		{
			name:    "one audit",
			history: nil,
			want: map[string]string{"metrics.definition": "unknown ≥1", "metrics.data": "unknown ≥1", "improvement.reporting": "unknown ≥1",
				"improvement.timeliness": "unknown ≥1", "improvement.audience": "unknown ≥1", "pipeline.visibility": "unknown ≥2"},
		},
		{
			name:    "five audits a minute apart are one audit",
			history: history(time.Minute, 4),
			want: map[string]string{"metrics.definition": "unknown ≥1", "metrics.data": "unknown ≥1", "improvement.reporting": "unknown ≥1",
				"improvement.timeliness": "unknown ≥1", "improvement.audience": "unknown ≥1", "pipeline.visibility": "unknown ≥2"},
		},
		{
			name:    "daily audits for two weeks",
			history: history(24*time.Hour, 13),
			want: map[string]string{"metrics.definition": "L2 measured", "metrics.data": "L4 measured", "improvement.reporting": "L3 measured",
				"improvement.timeliness": "L4 measured", "improvement.audience": "unknown ≥1", "pipeline.visibility": "L4 measured"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindHistory, model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: map[model.Category]int{model.CatCIConfig: 1}}}
			ev.CollectedAt, ev.History = now, tt.history
			res, _, _ := judgeAll(t, ev, model.Measurements{})
			g := map[string]string{}
			for _, id := range dims {
				g[id] = got(res[id])
			}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
				for _, id := range dims {
					t.Logf("%s: %v", id, res[id].Reasons)
				}
			}
		})
	}
}
