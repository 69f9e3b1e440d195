package git

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// BenchmarkCollect runs the collector on $CDAUDIT_BENCH_REPO (for instance
// the repository scripts/bench-git.sh -k leaves) or on a generated one of
// 5,000 commits:
//
//	go test -run - -bench Collect -cpuprofile cpu.out ./collectors/git/
func BenchmarkCollect(b *testing.B) {
	dir := os.Getenv("CDAUDIT_BENCH_REPO")
	if dir == "" {
		dir = synthRepoB(b, 5000)
	}
	last := time.Unix(atoi(b, run(b, dir, "log", "-1", "--format=%ct", "HEAD")), 0)
	for _, bc := range []struct {
		name string
		w    model.Window
	}{
		{"whole", whole()},
		{"90days", model.Window{Since: last.AddDate(0, 0, -90), Until: last.Add(time.Second)}},
	} {
		for _, graph := range []bool{false, true} {
			name := bc.name + "/no-commit-graph"
			if graph {
				name = bc.name + "/commit-graph"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					ev := &model.Evidence{Window: bc.w}
					if _, err := New(dir, Options{IgnoreCommitGraph: !graph}).Collect(context.Background(), ev); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
