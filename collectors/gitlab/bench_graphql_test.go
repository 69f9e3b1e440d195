package gitlab

import (
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
)

// BenchmarkFirstAudit measures a first audit of the issue-12 fixture (189
// merge requests, 492 pipelines, 216 deployments over 90 days) against the
// fake GitLab answering every request after 100 ms, through GraphQL and
// through REST only. Run it with
//
//	go test -run '^$' -bench FirstAudit -benchtime 1x ./collectors/gitlab/
func BenchmarkFirstAudit(b *testing.B) {
	for _, mode := range []struct {
		name string
		mod  func(*Options)
	}{{"graphql", nil}, {"rest", restOnly}} {
		b.Run(mode.name, func(b *testing.B) {
			for range b.N {
				start := time.Now()
				_, res, reqs := firstFixtureAudit(b, gitlabfake.Options{Latency: 100 * time.Millisecond}, nil, mode.mod)
				secs := time.Since(start).Seconds()
				if mode.mod == nil && (res.Requests.Counted > 60 || secs > 20) {
					b.Errorf("first audit: %d counted requests, %.1f s; budget 60, 20 s", res.Requests.Counted, secs)
				}
				b.ReportMetric(float64(res.Requests.Counted), "counted")
				b.ReportMetric(float64(countGraphQL(reqs)), "graphql-queries")
				b.ReportMetric(secs, "seconds")
			}
		})
	}
}
