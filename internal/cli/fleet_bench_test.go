package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// fleetServer is a fake GitHub organisation of n small repositories
// (acme/r0000 …, each the scenario repository on a fake of its own) behind
// one origin that answers every request after latency. Paths and GraphQL
// bodies naming acme/rNNNN reach that repository's fake as acme/shop.
type fleetServer struct {
	*httptest.Server
	URL     string
	fakes   []*githubfake.Server
	latency time.Duration
	reqs    atomic.Int64
}

func newFleetServer(tb testing.TB, n int, latency time.Duration) *fleetServer {
	tb.Helper()
	f := &fleetServer{latency: latency}
	f.Server = httptest.NewServer(f)
	tb.Cleanup(f.Close)
	f.URL = f.Server.URL + githubfake.Prefix
	listed := make([]githubfake.ListedRepo, n)
	for i := range n {
		s := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: fakeToken})
		tb.Cleanup(s.Close)
		s.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(f.URL) })
		f.fakes = append(f.fakes, s)
		listed[i] = githubfake.ListedRepo{Name: fleetName(i), DefaultBranch: "main", Language: "Go"}
	}
	f.fakes[0].SetOwners(githubfake.Owner{Login: "acme", Type: "Organization", Repos: listed})
	return f
}

func fleetName(i int) string { return fmt.Sprintf("r%04d", i) }

func (f *fleetServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.reqs.Add(1)
	time.Sleep(f.latency)
	idx := 0
	if rest, ok := strings.CutPrefix(r.URL.Path, githubfake.Prefix+"repos/acme/r"); ok {
		num, tail, _ := strings.Cut(rest, "/")
		idx, _ = strconv.Atoi(num)
		r.URL.Path = githubfake.Prefix + "repos/acme/shop"
		if tail != "" {
			r.URL.Path += "/" + tail
		}
		r.URL.RawPath = ""
	} else if r.Body != nil && r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		if i := bytes.Index(b, []byte(`"r`)); i >= 0 && i+6 <= len(b) {
			idx, _ = strconv.Atoi(string(b[i+2 : i+6]))
			b = bytes.ReplaceAll(b, b[i:i+6], []byte(`"shop`))
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	}
	if idx < 0 || idx >= len(f.fakes) {
		http.NotFound(w, r)
		return
	}
	f.fakes[idx].Config.Handler.ServeHTTP(w, r)
}

// fleetRun audits the organisation once into cache and returns the report.
func fleetRun(tb testing.TB, f *fleetServer, cfg, cache string) *model.Report {
	tb.Helper()
	var out, errb bytes.Buffer
	args := append([]string{"audit", "--config", cfg, "--github-api-url", f.URL, "--format", "json", "--quiet",
		"--no-store", "--host-concurrency", "32"}, hostWindow()...)
	env := Env{Args: args, Stdout: &out, Stderr: &errb, Version: "test", Getenv: func(k string) string {
		switch k {
		case "GITHUB_TOKEN":
			return fakeToken
		case "CDAUDIT_CACHE_DIR":
			return cache
		}
		return ""
	}}
	if code := Main(context.Background(), env); code != 0 {
		tb.Fatalf("exit %d: %s", code, errb.String())
	}
	var r model.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		tb.Fatal(err)
	}
	return &r
}

// fleetCounted returns the most counted requests of one target and whether
// every target was audited.
func fleetCounted(r *model.Report) (most, total int, allAudited bool) {
	allAudited = true
	for _, t := range r.Targets {
		n := 0
		for _, s := range t.Sources {
			if s.Requests != nil {
				n += s.Requests.Counted
			}
		}
		most, total = max(most, n), total+n
		if t.Error != "" || t.IsDeferred() {
			allAudited = false
		}
	}
	return most, total, allAudited
}

// peakRSS is the process's peak resident set (VmHWM), in MiB; 0 when
// unknown.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkFleetNightly audits an organisation of 1,000 small repositories
// (CDAUDIT_FLEET overrides the number) through the CLI: a first audit
// fills the cache and the incremental state without latency, then the
// nightly repeat is timed against the fake answering every request after
// 100 ms. Targets run 32 at a time with at most 32 requests in flight.
// Run it with
//
//	go test -run '^$' -bench FleetNightly -benchtime 1x -timeout 30m ./internal/cli/
func BenchmarkFleetNightly(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("CDAUDIT_FLEET")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		f := newFleetServer(b, n, 0)
		dir := b.TempDir()
		cfg := filepath.Join(dir, "audit.yaml")
		if err := os.WriteFile(cfg, []byte("concurrency: 32\ntargets:\n  - github: {org: acme}\n"), 0o600); err != nil {
			b.Fatal(err)
		}
		cache := filepath.Join(dir, "cache")
		start := time.Now()
		first := fleetRun(b, f, cfg, cache)
		firstSecs := time.Since(start).Seconds()
		_, firstTotal, ok := fleetCounted(first)
		if !ok || len(first.Targets) != n {
			b.Fatalf("first audit: %d targets, all audited %v", len(first.Targets), ok)
		}
		f.latency = 100 * time.Millisecond
		f.reqs.Store(0)
		start = time.Now()
		repeat := fleetRun(b, f, cfg, cache)
		secs := time.Since(start).Seconds()
		most, total, ok := fleetCounted(repeat)
		rss := peakRSS()
		if !ok || len(repeat.Targets) != n || most > 5 || secs > 600 || rss > 1024 {
			b.Errorf("nightly repeat of %d repositories: all audited %v, at most %d counted requests per repository, %.0f s, %.0f MiB; budget 5, 600 s, 1024 MiB",
				n, ok, most, secs, rss)
		}
		b.ReportMetric(float64(n), "repositories")
		b.ReportMetric(firstSecs, "first-seconds")
		b.ReportMetric(float64(firstTotal)/float64(n), "first-counted/repo")
		b.ReportMetric(secs, "repeat-seconds")
		b.ReportMetric(float64(f.reqs.Load())/float64(n), "repeat-requests/repo")
		b.ReportMetric(float64(total)/float64(n), "repeat-counted/repo")
		b.ReportMetric(float64(most), "repeat-counted-max")
		b.ReportMetric(rss, "peak-RSS-MiB")
	}
}

// BenchmarkFleetFirstAudit is a first audit of an organisation of 100 small
// repositories against the fake answering after 100 ms: it must fit one
// token's hourly budget (5,000 counted requests). Run it with
//
//	go test -run '^$' -bench FleetFirstAudit -benchtime 1x ./internal/cli/
func BenchmarkFleetFirstAudit(b *testing.B) {
	const n = 100
	for range b.N {
		f := newFleetServer(b, n, 100*time.Millisecond)
		dir := b.TempDir()
		cfg := filepath.Join(dir, "audit.yaml")
		if err := os.WriteFile(cfg, []byte("concurrency: 32\ntargets:\n  - github: {org: acme}\n"), 0o600); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		r := fleetRun(b, f, cfg, filepath.Join(dir, "cache"))
		secs := time.Since(start).Seconds()
		most, total, ok := fleetCounted(r)
		if !ok || len(r.Targets) != n || total > 5000 {
			b.Errorf("first audit of %d repositories: all audited %v, %d counted requests; budget 5,000", n, ok, total)
		}
		b.ReportMetric(secs, "seconds")
		b.ReportMetric(float64(total), "counted")
		b.ReportMetric(float64(most), "counted-max")
		b.ReportMetric(float64(f.reqs.Load()), "requests")
	}
}
