package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// fakeCI is a test-only source registered in the list alone: nothing in
// internal/cli names it. It provides runs at a host's priority and commits
// below every real source.
type fakeCI struct {
	mu    sync.Mutex
	specs []collectors.Spec
	kinds [][]model.Kind
}

func (f *fakeCI) descriptor() collectors.Descriptor {
	return collectors.Descriptor{
		Name: "fakeci", Title: "Fake CI", Description: "a fake CI server's PROJECT",
		Provides: []collectors.Provision{{Kind: model.KindRuns, Priority: collectors.PriorityHost},
			{Kind: model.KindCommits, Priority: 1}},
		Flag: "fakeci", ConfigKey: "fakeci", TokenEnv: "FAKECI_TOKEN",
		New: func(s collectors.Spec) (collectors.Collector, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.specs = append(f.specs, s)
			return &fakeCICollector{f: f}, nil
		},
	}
}

type fakeCICollector struct {
	f     *fakeCI
	kinds []model.Kind
}

func (c *fakeCICollector) Kind() string { return "fakeci" }

func (c *fakeCICollector) Select(kinds []model.Kind) {
	c.kinds = kinds
	c.f.mu.Lock()
	c.f.kinds = append(c.f.kinds, kinds)
	c.f.mu.Unlock()
}

func (c *fakeCICollector) Collect(_ context.Context, ev *model.Evidence) (collectors.Result, error) {
	at := ev.Window.Until.Add(-24 * time.Hour)
	for i := range 3 {
		ev.Runs = append(ev.Runs, model.Run{ID: "fake-" + string(rune('a'+i)), Event: "push", Trigger: model.TriggerPush,
			Branch: "main", SHA: strings.Repeat("a", 40), Status: "completed", Conclusion: "success", CreatedAt: at})
	}
	ev.Mark(model.KindRuns)
	return collectors.Result{}, nil
}

func runWithSources(t *testing.T, srcs []collectors.Descriptor, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := testEnv(t, args, &out, &errb)
	get := e.Getenv
	e.Getenv = func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return get(k)
	}
	e.Sources = srcs
	code := Main(context.Background(), e)
	return code, out.String(), errb.String()
}

func sourceKinds(r model.Report) []string {
	var out []string
	for _, s := range r.Targets[0].Sources {
		out = append(out, s.Kind+":"+string(s.Status))
	}
	return out
}

// TestNewSourceFromTheListAlone: a source added to the list gets its flag,
// its config key, its token and its evidence into an audit, and the
// provider choice per kind (local Git first for commits).
func TestNewSourceFromTheListAlone(t *testing.T) {
	repo := trunkBased(t)
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--format", "json", "--quiet"}
	tok := map[string]string{"FAKECI_TOKEN": "sekrit-fake"}
	cfg := filepath.Join(t.TempDir(), "cdaudit.yaml")
	if err := os.WriteFile(cfg, []byte("targets:\n  - name: app\n    fakeci: acme/app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      []string
		wantSpec  collectors.Spec
		wantKinds []model.Kind
		wantSrcs  []string
	}{
		{"flag beside a local clone", []string{"audit", repo, "--fakeci", "acme/app", "--fakeci-url", "https://ci.example.com"},
			collectors.Spec{Ref: "acme/app", Path: repo, BaseURL: "https://ci.example.com", Token: "sekrit-fake"},
			[]model.Kind{model.KindRuns}, []string{"git:ok", "fakeci:ok"}},
		{"config key alone", []string{"audit", "--config", cfg},
			collectors.Spec{Ref: "acme/app", Token: "sekrit-fake"},
			[]model.Kind{model.KindRuns, model.KindCommits}, []string{"fakeci:ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeCI{}
			code, out, stderr := runWithSources(t, append(Sources(), fake.descriptor()), tok, append(tt.args, win...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if strings.Contains(out+stderr, "sekrit-fake") {
				t.Fatal("the token appears in the output")
			}
			if len(fake.specs) != 1 {
				t.Fatalf("the fake source was built %d times", len(fake.specs))
			}
			got := fake.specs[0]
			got.CacheDir, got.MaxWait, got.Timeout = "", 0, 0
			if diff := cmp.Diff(tt.wantSpec, got); diff != "" {
				t.Errorf("spec (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([][]model.Kind{tt.wantKinds}, fake.kinds); diff != "" {
				t.Errorf("kinds chosen for the fake (-want +got):\n%s", diff)
			}
			var r model.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantSrcs, sourceKinds(r)); diff != "" {
				t.Errorf("sources (-want +got):\n%s", diff)
			}
			if m := r.Targets[0].Measurements["ci.runs"]; !m.Known || m.Value != 3 {
				t.Errorf("ci.runs = %+v, want the fake's 3 runs", m)
			}
		})
	}
	t.Run("not in the list: no flag", func(t *testing.T) {
		code, _, stderr := runWithSources(t, nil, nil, append([]string{"audit", repo, "--fakeci", "acme/app"}, win...)...)
		if code != ExitError || !strings.Contains(stderr, "unknown flag: --fakeci") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
}

// TestLocalCloneFirst: beside a local clone the GitHub collector asks for
// no commits, branches, tags or tree (the audit chose the clone for them);
// alone it does.
func TestLocalCloneFirst(t *testing.T) {
	repo := trunkBased(t)
	srv := startGitHub(t)
	since, until := githubfake.ScenarioWindow()
	win := []string{"--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339), "--format", "json"}
	history := func() []string {
		var out []string
		for _, h := range srv.Hits() {
			for _, p := range []string{"/commits", "/branches", "/tags", "/git/trees/"} {
				if strings.Contains(h.Path, p) && !strings.Contains(h.Path, "/branches/main") {
					out = append(out, h.Path)
				}
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	if code, _, stderr := runHost(t, fakeToken, append([]string{"audit", "--github", "acme/shop", "--github-api-url", srv.URL}, win...)...); code != ExitOK {
		t.Fatalf("github alone: exit %d: %s", code, stderr)
	}
	if len(history()) == 0 {
		t.Fatal("github alone asked for no history: the check below proves nothing")
	}
	srv.ResetHits()
	if code, _, stderr := runHost(t, fakeToken, append([]string{"audit", repo, "--github", "acme/shop", "--github-api-url", srv.URL}, win...)...); code != ExitOK {
		t.Fatalf("clone and github: exit %d: %s", code, stderr)
	}
	if h := history(); len(h) != 0 {
		t.Errorf("beside a local clone the GitHub collector asked for %q", h)
	}
}

// TestSourcesDocumented: docs/sources.md has a row for every source of the
// list.
func TestSourcesDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/sources.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range Sources() {
		if !strings.Contains(strings.ToLower(string(b)), "| "+strings.ToLower(d.Title)) &&
			!strings.Contains(string(b), "`collectors/"+d.Name+"`") {
			t.Errorf("docs/sources.md has no row for the source %s", d.Name)
		}
	}
}
