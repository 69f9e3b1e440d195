package github

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

func kinds(ev *model.Evidence) []string {
	var out []string
	for k := range ev.Have {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

func allKindsBut(skip ...model.Kind) []string {
	all := []model.Kind{model.KindCommits, model.KindBranches, model.KindTags, model.KindReleases, model.KindChanges,
		model.KindRuns, model.KindJobs, model.KindDeployments, model.KindEnvironments, model.KindProtection, model.KindTree}
	var out []string
next:
	for _, k := range all {
		for _, s := range skip {
			if k == s {
				continue next
			}
		}
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}

// sleeper records waits instead of sleeping.
type sleeper struct{ waits []time.Duration }

func (s *sleeper) Sleep(d time.Duration) { s.waits = append(s.waits, d) }

func TestFaults(t *testing.T) {
	far := fmt.Sprint(githubfake.ScenarioNow.Add(2 * time.Hour).Unix())
	tests := []struct {
		name        string
		faults      []githubfake.Fault
		repo        func(r *githubfake.Repo)
		opt         func(o *Options)
		wantErr     error
		wantErrText string
		wantPartial bool
		wantKinds   []string
		wantWarn    string // substring of a warning
		wantWait    time.Duration
		check       func(t *testing.T, ev *model.Evidence)
	}{
		{
			name:        "unknown repository",
			opt:         func(o *Options) { o.Repo = "acme/nope" },
			wantErr:     ErrNotFound,
			wantErrText: "repository acme/nope not found (or the token cannot see it)",
		},
		{
			name:        "token rejected",
			opt:         func(o *Options) { o.Token = "ghp_wrongwrongwrong" },
			wantErr:     ErrUnauthorized,
			wantErrText: "GitHub rejected the token (401)",
		},
		{
			name:      "no token, public repository",
			opt:       func(o *Options) { o.Token = "" },
			wantKinds: allKindsBut(),
			wantWarn:  "no GitHub token",
		},
		{
			name:        "no token, private repository",
			repo:        func(r *githubfake.Repo) { r.Private = true },
			opt:         func(o *Options) { o.Token = "" },
			wantErr:     ErrNotFound,
			wantErrText: "repository acme/shop not found (or the token cannot see it)",
		},
		{
			name: "classic protection forbidden, rulesets stand in",
			faults: []githubfake.Fault{{Path: "/branches/main/protection", Status: 403,
				Body: `{"message":"Must have admin rights to Repository.","documentation_url":"https://docs.github.com/rest"}`}},
			wantKinds: allKindsBut(),
			wantWarn:  "branch protection of main unreadable (403",
			check: func(t *testing.T, ev *model.Evidence) {
				want := &model.Protection{Branch: "main", Protected: true, RequirePR: true, RequiredApprovals: 1, AllowForcePush: true, Source: "rulesets"}
				if d := cmp.Diff(want, ev.Protection); d != "" {
					t.Errorf("protection (-want +got):\n%s", d)
				}
			},
		},
		{
			// A Link header that points back to the page just read must end
			// the listing with a reason, not loop for ever.
			name: "pull request listing whose next page never moves",
			faults: []githubfake.Fault{{Path: "/pulls", Status: 200, Body: `[]`,
				Header: map[string]string{"Content-Type": "application/json", "Link": `<http://127.0.0.1/api/v3/repos/acme/shop/pulls?page=1>; rel="next"`}}},
			wantPartial: true,
			wantKinds:   allKindsBut(model.KindChanges),
			wantWarn:    "does not follow page 1",
		},
		{
			name: "protection and rulesets forbidden",
			faults: []githubfake.Fault{
				{Path: "/branches/main/protection", Status: 403, Body: `{"message":"Must have admin rights to Repository."}`},
				{Path: "/rules/branches/", Status: 403, Body: `{"message":"Resource not accessible by integration"}`},
			},
			wantPartial: true,
			wantKinds:   allKindsBut(model.KindProtection),
			wantWarn:    "protection unknown",
			check: func(t *testing.T, ev *model.Evidence) {
				if ev.Protection != nil {
					t.Errorf("protection filled: %+v", ev.Protection)
				}
			},
		},
		{
			name:      "branch not protected, no rulesets",
			repo:      func(r *githubfake.Repo) { r.Protection, r.Rules = nil, nil; r.Branches[1].Protected = false },
			wantKinds: allKindsBut(),
			check: func(t *testing.T, ev *model.Evidence) {
				want := &model.Protection{Branch: "main", AllowForcePush: true}
				if d := cmp.Diff(want, ev.Protection); d != "" {
					t.Errorf("protection (-want +got):\n%s", d)
				}
			},
		},
		{
			name: "primary rate limit beyond max wait stops the source",
			faults: []githubfake.Fault{{Path: "/deployments", Status: 403,
				Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": far},
				Body:   `{"message":"API rate limit exceeded for user ID 1."}`}},
			wantPartial: true,
			wantKinds:   allKindsBut(model.KindDeployments, model.KindEnvironments, model.KindProtection, model.KindTree),
			wantWarn:    "deployments: rate limit exceeded until",
			check: func(t *testing.T, ev *model.Evidence) {
				if len(ev.Deployments) != 0 || ev.Tree != nil {
					t.Errorf("evidence after the stop: %d deployments, tree %v", len(ev.Deployments), ev.Tree)
				}
			},
		},
		{
			name: "quota spent by a successful answer stops the next request",
			faults: []githubfake.Fault{{Path: "/releases", Status: 200, Times: 1,
				Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": far}, Body: `[]`}},
			wantPartial: true,
			wantKinds:   []string{"branches", "commits", "releases", "tags"},
			wantWarn:    "pull requests: ",
		},
		{
			name: "secondary limit within max wait is waited out",
			faults: []githubfake.Fault{{Path: "/pulls", Status: 429, Times: 1,
				Header: map[string]string{"Retry-After": "30"}, Body: `{"message":"You have exceeded a secondary rate limit."}`}},
			wantKinds: allKindsBut(),
			wantWait:  30 * time.Second,
		},
		{
			name:      "5xx burst is retried",
			faults:    []githubfake.Fault{{Path: "/actions/runs", Status: 502, Times: 2, Body: `{"message":"Server Error"}`}},
			wantKinds: allKindsBut(),
		},
		{
			name:        "persistent 5xx leaves runs unknown",
			faults:      []githubfake.Fault{{Path: "/actions/runs", Status: 503, Body: `{"message":"Service Unavailable"}`}},
			wantPartial: true,
			wantKinds:   allKindsBut(model.KindRuns, model.KindJobs),
			wantWarn:    "workflow runs:",
			check: func(t *testing.T, ev *model.Evidence) {
				if len(ev.Runs) != 0 {
					t.Errorf("%d runs after failure", len(ev.Runs))
				}
			},
		},
		{
			name:        "no Actions: commit statuses stand in",
			repo:        func(r *githubfake.Repo) { r.NoActions = true },
			wantPartial: true,
			wantKinds:   allKindsBut(model.KindJobs),
			wantWarn:    "GitHub Actions is not available",
			check: func(t *testing.T, ev *model.Evidence) {
				sha := githubfake.SHA
				want := []model.Run{
					{ID: "status:" + sha("c6") + ":ci/jenkins", URL: "https://ci.example.com/job/shop/2", Name: "ci/jenkins",
						Event: "commit_status", Trigger: model.TriggerOther, Branch: "main", SHA: sha("c6"), Status: "completed",
						Conclusion: "success", CreatedAt: at(2*day - time.Minute), StartedAt: atp(2*day - time.Minute),
						FinishedAt: atp(2*day - 6*time.Minute), Duration: secs(5 * time.Minute)},
					{ID: "status:" + sha("c5") + ":ci/jenkins", URL: "https://ci.example.com/job/shop/4", Name: "ci/jenkins",
						Event: "commit_status", Trigger: model.TriggerOther, Branch: "main", SHA: sha("c5"), Status: "completed",
						Conclusion: "failure", CreatedAt: at(3*day - time.Minute), StartedAt: atp(3*day - time.Minute),
						FinishedAt: atp(3*day - 4*time.Minute), Duration: secs(3 * time.Minute)},
				}
				if d := cmp.Diff(want, ev.Runs); d != "" {
					t.Errorf("runs (-want +got):\n%s", d)
				}
			},
		},
		{
			name:        "no Actions and no statuses: runs unknown",
			repo:        func(r *githubfake.Repo) { r.NoActions, r.Statuses = true, nil },
			wantPartial: true,
			wantKinds:   allKindsBut(model.KindRuns, model.KindJobs),
		},
		{
			name:      "Actions enabled, no runs, no statuses: runs known empty",
			repo:      func(r *githubfake.Repo) { r.Runs, r.Statuses = nil, nil },
			wantKinds: allKindsBut(),
			wantWarn:  "no GitHub Actions runs in the window",
		},
		{
			name:      "local clone given: no commits, branches, tags or tree",
			opt:       func(o *Options) { o.Kinds = withLocalClone(Descriptor) },
			wantKinds: allKindsBut(model.KindCommits, model.KindBranches, model.KindTags, model.KindTree),
			check: func(t *testing.T, ev *model.Evidence) {
				if len(ev.Commits)+len(ev.Branches)+len(ev.Tags) != 0 || ev.Tree != nil || ev.TrunkTip != "" {
					t.Error("git evidence collected although a local clone was given")
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startScenario(t)
			if tc.repo != nil {
				srv.Update(tc.repo)
			}
			for _, f := range tc.faults {
				srv.AddFault(f)
			}
			e := newEnv(t)
			sl := &sleeper{}
			ev, res, err := e.collect(t, srv, func(o *Options) {
				hc, herr := httpx.New(httpx.Options{CacheDir: e.cacheDir, MaxWait: time.Minute, Sleep: sl.Sleep,
					Now: func() time.Time { return e.now }, Logger: o.Logger})
				if herr != nil {
					t.Fatal(herr)
				}
				o.HTTP = hc
				if tc.opt != nil {
					tc.opt(o)
				}
			})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || err.Error() != tc.wantErrText {
					t.Fatalf("err %v, want %q", err, tc.wantErrText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Partial != tc.wantPartial {
				t.Errorf("partial %v, want %v (warnings %q)", res.Partial, tc.wantPartial, res.Warnings)
			}
			if d := cmp.Diff(tc.wantKinds, kinds(ev)); d != "" {
				t.Errorf("kinds (-want +got):\n%s\nwarnings %q", d, res.Warnings)
			}
			if tc.wantWarn != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tc.wantWarn) {
				t.Errorf("no warning with %q in %q", tc.wantWarn, res.Warnings)
			}
			if tc.check != nil {
				tc.check(t, ev)
			}
			if tc.wantWait != 0 && (len(sl.waits) != 1 || sl.waits[0] != tc.wantWait) {
				t.Errorf("waits %v, want [%v]", sl.waits, tc.wantWait)
			}
			assertNoToken(t, e, ev, res.Warnings, err)
		})
	}
}

// assertNoToken fails when the token appears in the evidence, warnings, the
// error, the captured log or any file under the cache directory.
func assertNoToken(t *testing.T, e *env, ev *model.Evidence, warnings []string, err error) {
	t.Helper()
	evJSON, _ := json.Marshal(ev)
	texts := map[string]string{"evidence": string(evJSON), "warnings": strings.Join(warnings, "\n"), "log": e.logs.String()}
	if err != nil {
		texts["error"] = err.Error()
	}
	_ = filepath.WalkDir(e.cacheDir, func(p string, d os.DirEntry, werr error) error {
		if werr == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			texts[p] = string(b)
		}
		return nil
	})
	for where, s := range texts {
		if strings.Contains(s, testToken) || strings.Contains(s, testToken[4:20]) {
			t.Errorf("the token appears in %s", where)
		}
	}
}

func TestTokenNeverShown(t *testing.T) {
	srv := startScenario(t)
	srv.AddFault(githubfake.Fault{Path: "/environments", Status: 500, Body: `{"message":"boom"}`})
	e := newEnv(t)
	ev, res, err := e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Partial || e.logs.Len() == 0 {
		t.Fatalf("want a partial audit with debug logs; partial %v, log %d bytes", res.Partial, e.logs.Len())
	}
	assertNoToken(t, e, ev, res.Warnings, err)
	// A wrong token is not echoed either.
	e2 := newEnv(t)
	ev2, res2, err2 := e2.collect(t, srv, func(o *Options) { o.Token = testToken + "x" })
	if !errors.Is(err2, ErrUnauthorized) {
		t.Fatalf("err %v", err2)
	}
	assertNoToken(t, e2, ev2, res2.Warnings, err2)
}

func TestAPIURL(t *testing.T) {
	tests := []struct {
		url, want string // want: "" ok, else error substring
	}{
		{"", ""},
		{"https://api.github.com", ""},
		{"https://ghe.example.com/api/v3/", ""},
		{"https://ghe.example.com/api/v3", ""},
		{"https://api.acme.ghe.com/", ""},
		{"https://ghe.example.com/", "does not end in /api/v3/: for GitHub Enterprise Server use https://ghe.example.com/api/v3/"},
		{"ghe.example.com", "is not an http(s) URL"},
		{"https://user:secret@ghe.example.com/api/v3/", "must not carry credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			_, err := New(Options{Repo: "a/b", APIURL: tc.url})
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("credentials in the error: %v", err)
			}
		})
	}
	if _, err := New(Options{Repo: "nope"}); err == nil {
		t.Error("a repository without owner accepted")
	}
}
