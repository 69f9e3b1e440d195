package github

import (
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
)

// BenchmarkFirstAudit measures a first audit of the issue-12 fixture (189
// pull requests, 492 workflow runs, 216 deployments over 90 days) against
// the fake GitHub answering every request after 100 ms, through GraphQL
// and through REST only. Run it with
//
//	go test -run '^$' -bench FirstAudit -benchtime 1x ./collectors/github/
func BenchmarkFirstAudit(b *testing.B) {
	for _, mode := range []struct {
		name string
		mod  func(*Options)
	}{{"graphql", nil}, {"rest", restOnly}} {
		b.Run(mode.name, func(b *testing.B) {
			for range b.N {
				start := time.Now()
				_, res, hits := firstAudit(b, githubfake.Fixture, githubfake.Options{Latency: 100 * time.Millisecond}, mode.mod)
				secs := time.Since(start).Seconds()
				queries, points := graphQLHits(hits)
				if mode.mod == nil && (res.Requests.Counted > 60 || points > 60 || secs > 20) {
					b.Errorf("first audit: %d counted requests, %d points, %.1f s; budget 60, 60, 20 s", res.Requests.Counted, points, secs)
				}
				b.ReportMetric(float64(res.Requests.Counted), "counted")
				b.ReportMetric(float64(queries), "graphql-queries")
				b.ReportMetric(float64(points), "graphql-points")
				b.ReportMetric(secs, "seconds")
			}
		})
	}
}
