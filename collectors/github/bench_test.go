package github

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// BenchmarkAPIEconomy measures the requests of a full audit of the scenario
// repository, of a busier one (the scenario ×10: 40 pull requests, 90
// runs, 70 deployments) and of one whose CI is an app outside Actions
// (githubfake.ExternalCI: no workflow runs, check runs on the trunk
// commits) against the fake GitHub, of an unchanged repeat audit at the
// same moment, and of the next nightly audit a day later with nothing
// changed; all three share one cache directory. Run it with
//
//	go test -run '^$' -bench APIEconomy -benchtime 1x ./collectors/github/
func BenchmarkAPIEconomy(b *testing.B) {
	for _, factor := range []int{1, 10} {
		b.Run(fmt.Sprintf("scenario×%d", factor), func(b *testing.B) {
			benchEconomy(b, func(url string) *githubfake.Repo { return githubfake.Scaled(url, factor) })
		})
	}
	b.Run("external-ci", func(b *testing.B) { benchEconomy(b, githubfake.ExternalCI) })
}

func benchEconomy(b *testing.B, repo func(apiURL string) *githubfake.Repo) {
	for range b.N {
		srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: testToken, Now: func() time.Time { return githubfake.ScenarioNow }})
		srv.Update(func(r *githubfake.Repo) { *r = *repo(srv.URL) })
		dir := b.TempDir()
		now := githubfake.ScenarioNow
		audit := func() model.RequestStats {
			hc, err := httpx.New(httpx.Options{CacheDir: dir, MaxWait: time.Minute, Sleep: func(time.Duration) {}, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			c, err := New(Options{Repo: "acme/shop", Token: testToken, APIURL: srv.URL, CacheDir: dir, HTTP: hc, Now: func() time.Time { return now }})
			if err != nil {
				b.Fatal(err)
			}
			ev := &model.Evidence{Window: model.Window{Since: now.AddDate(0, 0, -30), Until: now}}
			res, err := c.Collect(context.Background(), ev)
			if err != nil || res.Partial {
				b.Fatalf("err %v partial %v %q", err, res.Partial, res.Warnings)
			}
			return *res.Requests
		}
		full := audit()
		repeat := audit()
		now = now.Add(24 * time.Hour)
		nightly := audit()
		srv.Close()
		if repeat.Counted > 5 || nightly.Counted > 5 {
			b.Errorf("repeat audits counted %d and %d requests, budget 5", repeat.Counted, nightly.Counted)
		}
		b.ReportMetric(float64(full.Total), "full-total")
		b.ReportMetric(float64(full.Counted), "full-counted")
		b.ReportMetric(float64(repeat.Total), "repeat-total")
		b.ReportMetric(float64(repeat.Counted), "repeat-counted")
		b.ReportMetric(float64(nightly.Total), "nightly-total")
		b.ReportMetric(float64(nightly.Counted), "nightly-counted")
		var buf bytes.Buffer
		for _, s := range []struct {
			name string
			st   model.RequestStats
		}{{"full", full}, {"repeat", repeat}, {"next night", nightly}} {
			buf.WriteString(s.name + ": ")
			buf.WriteString(formatStats(s.st))
			buf.WriteString("\n")
		}
		b.Log("\n" + buf.String())
	}
}

func formatStats(s model.RequestStats) string {
	return fmt.Sprintf("total %d, counted %d, 304 %d, cache hits %d, retries %d, errors %d",
		s.Total, s.Counted, s.NotModified, s.CacheHits, s.Retries, s.Errors)
}
