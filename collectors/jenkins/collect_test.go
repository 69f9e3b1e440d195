package jenkins

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/model"
)

func collect(t *testing.T, c *Collector) (*model.Evidence, error, []string) {
	t.Helper()
	ev := &model.Evidence{Window: window}
	res, err := c.Collect(context.Background(), ev)
	return ev, err, res.Warnings
}

func ptr[T any](v T) *T { return &v }

func TestPipelineInFolder(t *testing.T) {
	srv := jf.New(folderPipeline(), jf.Options{User: user, Token: token, Prefix: "/jenkins"})
	defer srv.Close()
	c := newCollector(t, srv, "team/app", nil)
	ev, err, warns := collect(t, c)
	if err != nil || len(warns) != 0 {
		t.Fatalf("err %v warnings %q", err, warns)
	}
	if d := cmp.Diff([]model.Kind{model.KindDeployments, model.KindJobs, model.KindRuns, model.KindTestReports},
		sortedKinds(ev)); d != "" {
		t.Errorf("kinds -want +got:\n%s", d)
	}
	var ids, triggers, concl []string
	var attempts []int
	for _, r := range ev.Runs {
		ids = append(ids, r.ID)
		triggers = append(triggers, string(r.Trigger))
		concl = append(concl, r.Status+"/"+r.Conclusion)
		attempts = append(attempts, r.Attempt)
	}
	if d := cmp.Diff([]string{"team/app#2", "team/app#3", "team/app#4", "team/app#5", "team/app#6"}, ids); d != "" {
		t.Errorf("runs -want +got:\n%s", d)
	}
	if d := cmp.Diff([]string{"push", "schedule", "manual", "upstream", "push"}, triggers); d != "" {
		t.Errorf("triggers -want +got:\n%s", d)
	}
	if d := cmp.Diff([]string{"completed/success", "completed/failure", "completed/success", "completed/success", "in_progress/"}, concl); d != "" {
		t.Errorf("conclusions -want +got:\n%s", d)
	}
	if d := cmp.Diff([]int{1, 1, 2, 1, 1}, attempts); d != "" {
		t.Errorf("attempts -want +got:\n%s", d)
	}
	start := day(2, 10)
	want := model.Run{ID: "team/app#2", URL: srv.URL + "/job/team/job/app/2/", Name: "app", Event: "SCMTriggerCause",
		Trigger: model.TriggerPush, Branch: "main", SHA: sha(2), Status: "completed", Conclusion: "success", Attempt: 1,
		CreatedAt: start.Add(-30 * time.Second), StartedAt: &start, FinishedAt: ptr(start.Add(10 * time.Minute)),
		Duration: ptr(600.0), Queued: ptr(30.0), JobsKnown: true}
	got := ev.Runs[0]
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(model.Run{}, "Jobs")); d != "" {
		t.Errorf("run -want +got:\n%s", d)
	}
	var stages []string
	for _, j := range got.Jobs {
		stages = append(stages, j.Name+":"+j.Conclusion+":"+j.Environment)
	}
	if d := cmp.Diff([]string{"Build:success:", "Test:success:", "Deploy to staging:success:staging", "Deploy (production):success:production"}, stages); d != "" {
		t.Errorf("stages -want +got:\n%s", d)
	}
	if n := len(ev.Deployments); n != 6 { // builds 2, 4, 5 × staging, production
		t.Errorf("deployments = %d, want 6", n)
	}
	d0 := ev.Deployments[1]
	if d0.Environment != "production" || d0.SHA != sha(2) || d0.Status != "success" || d0.RunID != "team/app#2" {
		t.Errorf("deployment %+v", d0)
	}
	if len(ev.TestReports) != 4 {
		t.Fatalf("test reports = %d, want 4 (finished builds)", len(ev.TestReports))
	}
	tr := ev.TestReports[1] // build 3, failed
	wantTR := model.TestReport{RunID: "team/app#3", SHA: sha(3), Total: 4, Passed: 2, Failed: 1, Skipped: 1, Duration: 4.5,
		Suites: []model.TestSuite{{Name: "com.acme.OrderTest", Total: 3, Failed: 1, Skipped: 1, Duration: 1.5},
			{Name: "com.acme.PaymentIT", Total: 1, Duration: 3}},
		Detail: &model.TestDetail{Source: "jenkins", Retried: 1, Flaky: 1, FlakyTests: []string{"com.acme.PaymentIT.pays"},
			Layers: map[string]int{"unknown": 3, "integration": 1}}}
	if d := cmp.Diff(wantTR, tr); d != "" {
		t.Errorf("test report -want +got:\n%s", d)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r, "/api/json?") && !strings.Contains(r, "tree=") {
			t.Errorf("request without tree: %s", r)
		}
	}
}

func sortedKinds(ev *model.Evidence) []model.Kind {
	var ks []model.Kind
	for k := range ev.Have {
		ks = append(ks, k)
	}
	slicesSort(ks)
	return ks
}

func TestMultibranch(t *testing.T) {
	srv := jf.New(multibranch(), jf.Options{User: user, Token: token})
	defer srv.Close()
	c := newCollector(t, srv, "svc", nil)
	ev, err, warns := collect(t, c)
	if err != nil || len(warns) != 0 {
		t.Fatalf("err %v warnings %q", err, warns)
	}
	var got []string
	for _, r := range ev.Runs {
		got = append(got, r.ID+"|"+r.Branch+"|"+r.PullNumber+"|"+string(r.Trigger)+"|"+r.Conclusion)
	}
	want := []string{"svc/main#7|main||push|success", "svc/main#8|main||push|failure", "svc/PR-12#1||12|pull_request|success", "svc/v1.2.0#1|v1.2.0||tag|success"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("runs -want +got:\n%s", d)
	}
	if d := cmp.Diff([]model.Change{{ID: "12", URL: srv.URL + "/job/svc/job/PR-12/", Title: "Faster checkout", State: "open"}}, ev.Changes); d != "" {
		t.Errorf("changes -want +got:\n%s", d)
	}
	if ev.Has(model.KindChanges) {
		t.Error("changes marked: Jenkins does not know merged changes")
	}
	host := &model.Evidence{Window: window, Changes: []model.Change{{ID: "12", Title: "from the host", State: "merged"}}}
	host.Mark(model.KindChanges)
	if _, err := newCollector(t, srv, "svc", nil).Collect(t.Context(), host); err != nil || len(host.Changes) != 1 {
		t.Errorf("a host's changes gained Jenkins ones: %v %+v", err, host.Changes)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r, "feature") {
			t.Errorf("a feature branch job was read: %s", r)
		}
	}
}

func TestEscapedBranchTrunk(t *testing.T) {
	srv := jf.New(multibranch(), jf.Options{})
	defer srv.Close()
	c := newCollector(t, srv, "job/svc", func(o *Options) { o.Trunk, o.User, o.Token = "feature/x", "", "" })
	ev, err, _ := collect(t, c)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range ev.Runs {
		ids = append(ids, r.ID)
		if r.ID == "svc/feature%2Fx#1" && (r.Branch != "feature/x" || r.URL != srv.URL+"/job/svc/job/feature%252Fx/1/") {
			t.Errorf("run %s: branch %q url %q", r.ID, r.Branch, r.URL)
		}
	}
	if d := cmp.Diff([]string{"svc/PR-12#1", "svc/feature%2Fx#1", "svc/v1.2.0#1"}, ids); d != "" {
		t.Errorf("runs -want +got:\n%s", d)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name    string
		opt     jf.Options
		fault   map[string]jf.Fault
		mod     func(*Options)
		wantErr error
		errText string
		warn    string
		unmark  []model.Kind
	}{
		{name: "wrong token", opt: jf.Options{User: user, Token: "other"}, wantErr: ErrUnauthorized},
		{name: "no such job", mod: func(o *Options) { o.Job = "team/nope" }, wantErr: ErrNotFound},
		{name: "forbidden", fault: map[string]jf.Fault{"/job/team/job/app/api/json": {Status: 403}}, wantErr: ErrForbidden},
		{name: "not a Jenkins", fault: map[string]jf.Fault{"/job/team/job/app/api/json": {Status: 200, Body: "<html>login</html>"}}, errText: "unreadable JSON"},
		{name: "listing 502 once is retried", fault: map[string]jf.Fault{"/job/team/job/app/api/json": {Status: 502, Times: 1}}},
		{name: "no Pipeline REST API", opt: jf.Options{NoWorkflowAPI: true}, warn: "wfapi",
			unmark: []model.Kind{model.KindJobs, model.KindDeployments}},
		{name: "stages of one build fail", fault: map[string]jf.Fault{"/3/wfapi/describe": {Status: 500}}, warn: "details of 1 build",
			unmark: []model.Kind{model.KindJobs, model.KindDeployments}},
		{name: "test result gone", fault: map[string]jf.Fault{"/3/testReport/api/json": {Status: 404}}},
		{name: "detail budget", mod: func(o *Options) { o.MaxDetails = 2 }, unmark: []model.Kind{model.KindJobs, model.KindDeployments}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opt
			if o.User == "" {
				o.User, o.Token = user, token
			}
			srv := jf.New(folderPipeline(), o)
			defer srv.Close()
			for p, f := range tt.fault {
				srv.Fail(p, f)
			}
			c := newCollector(t, srv, "team/app", tt.mod)
			ev, err, warns := collect(t, c)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			case tt.errText != "":
				if err == nil || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want %q", err, tt.errText)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if tt.warn != "" && !strings.Contains(strings.Join(warns, "\n"), tt.warn) {
				t.Errorf("warnings %q lack %q", warns, tt.warn)
			}
			if !ev.Has(model.KindRuns, model.KindTestReports) || len(ev.Runs) != 5 {
				t.Errorf("runs %d, kinds %v", len(ev.Runs), ev.Have)
			}
			for _, k := range tt.unmark {
				if ev.Has(k) {
					t.Errorf("%s marked", k)
				}
			}
			for _, w := range warns {
				if strings.Contains(w, token) {
					t.Errorf("a warning holds the token: %s", w)
				}
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"no URL":       {Job: "a"},
		"ftp":          {BaseURL: "ftp://x", Job: "a"},
		"credentials":  {BaseURL: "https://u:p@x", Job: "a"},
		"cleartext":    {BaseURL: "http://ci.example.com", Job: "a"},
		"no job":       {BaseURL: "https://x"},
		"dots":         {BaseURL: "https://x", Job: "a/../b"},
		"bad rule":     {BaseURL: "https://x", Job: "a", Deploy: []DeployRule{{Match: "("}}},
		"missing cert": {BaseURL: "https://x", Job: "a", CAFile: "/nonexistent.pem"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := New(o); err == nil {
				t.Error("want an error")
			}
		})
	}
}
