package jenkins

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/model"
)

// TestRequestBudget: a job with 5,000 builds costs ≤ 10 listing requests on
// the first audit and ≤ 2 on a repeat, and details are read only for builds
// in the window.
func TestRequestBudget(t *testing.T) {
	jobs := many(5000)
	for i := range jobs[0].Builds { // test counts come with the listing
		jobs[0].Builds[i].Tests = &jf.TestResult{Suites: []jf.Suite{{Name: "s", Cases: []jf.Case{{Name: "a", Status: "PASSED"}}}}}
	}
	srv := jf.New(jobs, jf.Options{User: user, Token: token})
	defer srv.Close()
	dir := t.TempDir()
	mk := func() *Collector {
		return newCollector(t, srv, "big", func(o *Options) { o.CacheDir = dir; o.MaxDetails = 10_000 })
	}
	w := model.Window{Since: until.Add(-10 * 24 * time.Hour), Until: until} // 240 builds
	full := model.Window{Since: until.Add(-6000 * time.Hour), Until: until}
	for _, tc := range []struct {
		name          string
		w             model.Window
		maxLists      int
		details, runs int
	}{
		{"first audit, whole history", full, 10, 5000, 5000},
		{"repeat audit, nothing new", full, 2, 0, 5000},
		{"first audit of a short window", w, 10, 0, 240}, // a fresh collector with the same cache
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			ev := &model.Evidence{Window: tc.w}
			if _, err := mk().Collect(t.Context(), ev); err != nil {
				t.Fatal(err)
			}
			lists, details := countLists(srv.Requests())
			if lists > tc.maxLists || details != tc.details || len(ev.Runs) != tc.runs {
				t.Errorf("lists %d (max %d), details %d (want %d), runs %d (want %d)", lists, tc.maxLists, details, tc.details, len(ev.Runs), tc.runs)
			}
			if !ev.Has(model.KindRuns, model.KindJobs, model.KindTestReports) || len(ev.TestReports) != tc.runs {
				t.Errorf("kinds %v, reports %d", ev.Have, len(ev.TestReports))
			}
		})
	}
}

// TestIncremental: a repeat audit reads only the new builds and the details
// of the builds that finished since.
func TestIncremental(t *testing.T) {
	roots := folderPipeline()
	srv := jf.New(roots, jf.Options{User: user, Token: token})
	defer srv.Close()
	dir := t.TempDir()
	mk := func() *Collector {
		return newCollector(t, srv, "team/app", func(o *Options) { o.CacheDir = dir })
	}
	ev, err, _ := collect(t, mk())
	if err != nil || len(ev.Runs) != 5 {
		t.Fatalf("first: %v, %d runs", err, len(ev.Runs))
	}
	app := roots[0].Jobs[0]
	app.Builds[5] = pipelineBuild(6, day(30, 10), "SUCCESS", scm) // the running build finished
	app.Builds = append(app.Builds, pipelineBuild(7, day(30, 12), "FAILURE", scm))
	srv.ResetRequests()
	ev, err, warns := collect(t, mk())
	if err != nil || len(warns) != 0 {
		t.Fatalf("repeat: %v %q", err, warns)
	}
	lists, details := countLists(srv.Requests())
	if lists != 1 || details != 4 { // one listing; stages + tests of #6 and #7
		t.Errorf("repeat: %d listings, %d detail requests: %q", lists, details, srv.Requests())
	}
	if len(ev.Runs) != 6 || ev.Runs[4].Conclusion != "success" || ev.Runs[5].Conclusion != "failure" || !ev.Has(model.KindJobs) {
		t.Errorf("repeat runs %d %+v", len(ev.Runs), ev.Runs[len(ev.Runs)-1])
	}
	srv.ResetRequests()
	if _, err, _ := collect(t, mk()); err != nil {
		t.Fatal(err)
	}
	if lists, details := countLists(srv.Requests()); lists != 1 || details != 0 {
		t.Errorf("unchanged: %d listings, %d detail requests", lists, details)
	}
}

// TestPrivateCAAndProxyPath: HTTPS with a private CA below a proxy path.
func TestPrivateCAAndProxyPath(t *testing.T) {
	srv := jf.New(folderPipeline(), jf.Options{User: user, Token: token, Prefix: "/ci/jenkins", TLS: true})
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate()}), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newCollector(t, srv, "team/app", func(o *Options) { o.CAFile, o.BaseURL = ca, srv.URL+"/" })
	ev, err, _ := collect(t, c)
	if err != nil || len(ev.Runs) != 5 {
		t.Fatalf("%v, %d runs", err, len(ev.Runs))
	}
	if _, err, _ := collect(t, newCollector(t, srv, "team/app", nil)); err == nil {
		t.Error("without the CA the certificate must be refused")
	}
}
