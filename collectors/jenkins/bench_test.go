package jenkins

import (
	"testing"
	"time"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/model"
)

// BenchmarkList5000: the first audit of a freestyle job with 5,000 builds
// (results, durations, causes, revisions, test counts), no details.
func BenchmarkList5000(b *testing.B) {
	jobs := many(5000)
	srv := jf.New(jobs, jf.Options{User: user, Token: token})
	defer srv.Close()
	w := model.Window{Since: until.Add(-6000 * time.Hour), Until: until}
	b.ReportAllocs()
	var lists int
	for b.Loop() {
		srv.ResetRequests()
		c := newCollector(b, srv, "big", func(o *Options) { o.CacheDir = "" })
		ev := &model.Evidence{Window: w}
		if _, err := c.Collect(b.Context(), ev); err != nil || len(ev.Runs) != 5000 {
			b.Fatalf("%v %d", err, len(ev.Runs))
		}
		lists, _ = countLists(srv.Requests())
	}
	b.ReportMetric(float64(lists), "requests")
}
