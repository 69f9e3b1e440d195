package git

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestSeriesEqualsOneCollectPerWindow: the windows of a backfill filled
// from one walk are what one Collect per window gives.
func TestSeriesEqualsOneCollectPerWindow(t *testing.T) {
	dir := synthRepo(t, 700, 7)
	tip := atoi(t, run(t, dir, "log", "-1", "--format=%ct", "main"))
	var ws []model.Window
	for k := int64(0); k < 8; k++ {
		until := tip + 1 - k*7*day
		ws = append(ws, window(until-30*day, until))
	}
	ws = append(ws, whole())
	for _, graph := range []bool{false, true} {
		name := "walk"
		if graph {
			name = "commit-graph"
			run(t, dir, "commit-graph", "write", "--reachable")
		}
		t.Run(name, func(t *testing.T) {
			evs := make([]*model.Evidence, len(ws))
			for k, w := range ws {
				evs[k] = &model.Evidence{Window: w}
			}
			res, errs, err := New(dir, Options{}).CollectSeries(context.Background(), evs)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range ws {
				if errs[k] != nil {
					t.Fatalf("window %d: %v", k, errs[k])
				}
				one, oneRes := collect(t, dir, w, Options{})
				if d := cmp.Diff(one, evs[k]); d != "" {
					t.Errorf("window %d (%v): series differs from one collect (-one +series):\n%s", k, w, d)
				}
				if d := cmp.Diff(oneRes, res[k]); d != "" {
					t.Errorf("window %d: result (-one +series):\n%s", k, d)
				}
			}
		})
	}
}
