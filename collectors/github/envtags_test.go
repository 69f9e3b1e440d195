package github

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

func TestDynamicEnvName(t *testing.T) {
	for name, want := range map[string]bool{
		"pr-12": true, "app/pr-12": true, "preview-pr-2": true, "Preview": true, "review/feature-x": true,
		"review-app": true, "PR-7": true,
		"production": false, "pre-prod": false, "staging": false, "spr-1": false, "apr-release": false, "live": false,
	} {
		if got := dynamicEnvName.MatchString(name); got != want {
			t.Errorf("dynamic(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestEnvironmentFlags: transient_environment and production_environment of
// the deployments in the window make an environment dynamic or production,
// whatever its name, and still do when the deployments come from the
// incremental state.
func TestEnvironmentFlags(t *testing.T) {
	srv := startScenario(t)
	srv.Update(func(r *githubfake.Repo) {
		// The preview environment gets a name that says nothing; its
		// deployment stays transient. Staging deployments are flagged
		// production (a "live" stage GitHub was told is production).
		for i := range r.Environments {
			if r.Environments[i].Name == "preview-pr-2" {
				r.Environments[i].Name = "feature-b-app"
			}
		}
		for i := range r.Deployments {
			switch r.Deployments[i].Environment {
			case "preview-pr-2":
				r.Deployments[i].Environment = "feature-b-app"
			case "staging":
				r.Deployments[i].ProductionEnvironment = true
			}
		}
		r.Environments = append(r.Environments, githubfake.Environment{ID: 4, Name: "pr-99"})
	})
	e := newEnv(t)
	type view struct {
		Name, Tier string
		Dynamic    bool
	}
	want := []view{{"production", "production", false}, {"staging", "production", false},
		{"feature-b-app", "", true}, {"pr-99", "", true}}
	for _, pass := range []string{"first audit", "repeat audit"} {
		ev, res, err := e.collect(t, srv, nil)
		if err != nil || res.Partial {
			t.Fatalf("%s: err %v, partial %v (%q)", pass, err, res.Partial, res.Warnings)
		}
		var got []view
		for _, env := range ev.Environments {
			got = append(got, view{env.Name, env.Tier, env.Dynamic})
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: environments (-want +got):\n%s", pass, d)
		}
		for _, d := range ev.Deployments { // Production itself keeps only a true flag
			if (d.Environment == "feature-b-app") != (d.Production == nil) {
				t.Errorf("%s: deployment %s to %s: production %v", pass, d.ID, d.Environment, d.Production)
			}
		}
	}
}

// TestDeploymentStateWithoutTransient: a deployments record written before
// transient flags were kept is re-synced, not read as "no transient
// deployments".
func TestDeploymentStateWithoutTransient(t *testing.T) {
	srv := startScenario(t)
	srv.Update(func(r *githubfake.Repo) {
		r.Environments[2].Name, r.Deployments[1].Environment = "feature-b-app", "feature-b-app"
	})
	e := newEnv(t)
	if _, _, err := e.collect(t, srv, restOnly); err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Repo: "acme/shop", APIURL: srv.URL, CacheDir: e.cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	st := loadState(t, c, e)
	var blob deploymentsBlob
	if !st.Get("deployments", &blob) || !blob.Transient["206"] {
		t.Fatalf("state keeps no transient flag for deployment 206: %+v", blob.Transient)
	}
	blob.Transient = nil // as an older version wrote it
	if err := st.Put("deployments", blob); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(); err != nil {
		t.Fatal(err)
	}
	srv.ResetHits()
	ev, _, err := e.collect(t, srv, restOnly)
	if err != nil {
		t.Fatal(err)
	}
	statuses := 0
	for _, h := range srv.Hits() {
		if strings.HasSuffix(h.Path, "/statuses") && strings.Contains(h.Path, "/deployments/") {
			statuses++
		}
	}
	if statuses != 6 {
		t.Errorf("%d deployment status listings after an old state, want 6 (a re-sync)", statuses)
	}
	for _, env := range ev.Environments {
		if env.Name == "feature-b-app" && !env.Dynamic {
			t.Error("feature-b-app not dynamic after the re-sync")
		}
	}
}

func TestTagsAnnotated(t *testing.T) {
	tests := []struct {
		name     string
		faults   []githubfake.Fault
		want     map[string]bool
		wantNote string
	}{
		{name: "from the tag references", want: map[string]bool{"v1.1.0": true, "v1.0.0": true, "v0.9.0": false}},
		{
			name:     "references unreadable: tags kept, annotated unknown (noted)",
			faults:   []githubfake.Fault{{Path: "/git/matching-refs/", Status: 409, Body: `{"message":"Git Repository is empty."}`}},
			want:     map[string]bool{"v1.1.0": false, "v1.0.0": false, "v0.9.0": false},
			wantNote: "whether they are annotated is unknown",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startScenario(t)
			for _, f := range tc.faults {
				srv.AddFault(f)
			}
			ev, res, err := newEnv(t).collect(t, srv, nil)
			if err != nil || res.Partial {
				t.Fatalf("err %v, partial %v (%q)", err, res.Partial, res.Warnings)
			}
			got := map[string]bool{}
			for _, tg := range ev.Tags {
				got[tg.Name] = tg.Annotated
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("annotated (-want +got):\n%s", d)
			}
			if !ev.Has(model.KindTags) {
				t.Error("tags not marked collected")
			}
			if tc.wantNote != "" && !strings.Contains(strings.Join(ev.Notes, "\n"), tc.wantNote) {
				t.Errorf("no note with %q in %q", tc.wantNote, ev.Notes)
			}
		})
	}
}

// loadState reads the incremental state the collector c keeps under e's
// cache directory.
func loadState(t *testing.T, c *Collector, e *env) *httpx.State {
	t.Helper()
	st, err := httpx.LoadState(e.cacheDir, c.base.Host+c.base.Path, c.owner+"/"+c.name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
