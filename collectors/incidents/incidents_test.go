package incidents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

var (
	t0  = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	win = model.Window{Since: t0, Until: t0.AddDate(0, 0, 30)}
)

func ptr[T any](v T) *T { return &v }

// fake serves one tracker's API; it checks the credential header and
// records the queries.
type fake struct {
	header, value string
	queries       []string
	serve         func(w http.ResponseWriter, r *http.Request, base string)
}

func (f *fake) start(t *testing.T) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(f.header) != f.value {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		f.queries = append(f.queries, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		f.serve(w, r, srv.URL)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGitHub(t *testing.T) {
	f := &fake{header: "Authorization", value: "Bearer gh-token", serve: func(w http.ResponseWriter, r *http.Request, base string) {
		if r.URL.Path != "/repos/acme/shop/issues" || r.URL.Query().Get("labels") != "sev1" || r.URL.Query().Get("state") != "all" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.URL.Query().Get("page") == "" {
			w.Header().Set("Link", fmt.Sprintf(`<%s/repos/acme/shop/issues?labels=sev1&state=all&page=2>; rel="next"`, base))
			fmt.Fprintf(w, `[{"number":7,"html_url":"https://github.com/acme/shop/issues/7","title":"checkout down after v1.4.0",
 "body":"bad commit 0123abc4 broke it","created_at":"2026-05-02T10:00:00Z","closed_at":"2026-05-02T12:30:00Z"},
 {"number":8,"title":"a pull request","created_at":"2026-05-03T10:00:00Z","pull_request":{"url":"x"}}]`)
			return
		}
		fmt.Fprint(w, `[{"number":9,"html_url":"https://github.com/acme/shop/issues/9","title":"latency 1234567","body":null,
 "created_at":"2026-05-04T10:00:00Z","closed_at":null}]`)
	}}
	srv := f.start(t)
	c, err := New(Options{Source: SourceGitHub, BaseURL: srv.URL, Repo: "acme/shop", Label: "sev1", Token: "gh-token"})
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: win}
	if _, err := c.Collect(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	want := []model.Incident{
		{ID: "#7", URL: "https://github.com/acme/shop/issues/7", Source: "github", Title: "checkout down after v1.4.0",
			Opened: t0.Add(24 * time.Hour), Resolved: ptr(t0.Add(26*time.Hour + 30*time.Minute)), Refs: []string{"v1.4.0", "0123abc4"}},
		{ID: "#9", URL: "https://github.com/acme/shop/issues/9", Source: "github", Title: "latency 1234567", Opened: t0.Add(72 * time.Hour)},
	}
	if d := cmp.Diff(want, ev.Incidents); d != "" {
		t.Errorf("incidents (-want +got):\n%s", d)
	}
	if !ev.Has(model.KindIncidents) || !strings.Contains(f.queries[0], "since=2026-05-01T10%3A00%3A00Z") {
		t.Errorf("have %v, queries %v", ev.Have, f.queries)
	}
}

func TestGitLab(t *testing.T) {
	f := &fake{header: "Private-Token", value: "gl-token", serve: func(w http.ResponseWriter, r *http.Request, _ string) {
		if r.URL.EscapedPath() != "/api/v4/projects/group%2Fshop/issues" || r.URL.Query().Get("issue_type") != "incident" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.URL.Query().Get("page") == "1" {
			w.Header().Set("X-Next-Page", "2")
			fmt.Fprint(w, `[{"iid":3,"web_url":"https://gitlab.example/group/shop/-/issues/3","title":"payments 500s",
 "description":"since deploy of deadbeef1","created_at":"2026-05-05T08:00:00.000Z","closed_at":"2026-05-05T09:00:00.000Z"}]`)
			return
		}
		w.Header().Set("X-Next-Page", "")
		fmt.Fprint(w, `[]`)
	}}
	srv := f.start(t)
	c, err := New(Options{Source: SourceGitLab, BaseURL: srv.URL, Repo: "group/shop", Token: "gl-token"})
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: win}
	if _, err := c.Collect(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	want := []model.Incident{{ID: "#3", URL: "https://gitlab.example/group/shop/-/issues/3", Source: "gitlab", Title: "payments 500s",
		Opened: t0.Add(94 * time.Hour), Resolved: ptr(t0.Add(95 * time.Hour)), Refs: []string{"deadbeef1"}}}
	if d := cmp.Diff(want, ev.Incidents); d != "" {
		t.Errorf("incidents (-want +got):\n%s", d)
	}
	if len(f.queries) != 2 || !strings.Contains(f.queries[0], "created_after=2026-05-01T10%3A00%3A00Z") {
		t.Errorf("queries %v", f.queries)
	}
}

func TestJira(t *testing.T) {
	for _, auth := range []struct{ name, user, header string }{
		{"bearer", "", "Bearer jira-token"},
		{"basic", "bot@acme.example", "Basic " + basic("bot@acme.example", "jira-token")},
	} {
		t.Run(auth.name, func(t *testing.T) {
			f := &fake{header: "Authorization", value: auth.header, serve: func(w http.ResponseWriter, r *http.Request, _ string) {
				q := r.URL.Query()
				if r.URL.Path != "/jira/rest/api/2/search" {
					w.WriteHeader(http.StatusNotFound)
					return
				}
				issues := []map[string]any{}
				if q.Get("startAt") == "0" {
					issues = append(issues, map[string]any{"key": "OPS-1", "fields": map[string]any{"summary": "site down",
						"description": "rolled out v2.0.1", "created": "2026-05-06T10:00:00.000+0200", "resolutiondate": "2026-05-06T11:00:00.000+0200"}})
				} else {
					issues = append(issues, map[string]any{"key": "OPS-2", "fields": map[string]any{"summary": "slow",
						"description": nil, "created": "2026-05-07T10:00:00.000+0000", "resolutiondate": nil}})
				}
				start, _ := strconv.Atoi(q.Get("startAt"))
				json.NewEncoder(w).Encode(map[string]any{"startAt": start, "total": 2, "issues": issues})
			}}
			srv := f.start(t)
			c, err := New(Options{Source: SourceJira, BaseURL: srv.URL + "/jira", Project: "OPS", User: auth.user, Token: "jira-token"})
			if err != nil {
				t.Fatal(err)
			}
			ev := &model.Evidence{Window: win}
			if _, err := c.Collect(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			want := []model.Incident{
				{ID: "OPS-1", URL: srv.URL + "/jira/browse/OPS-1", Source: "jira", Title: "site down",
					Opened: t0.Add(118 * time.Hour), Resolved: ptr(t0.Add(119 * time.Hour)), Refs: []string{"v2.0.1"}},
				{ID: "OPS-2", URL: srv.URL + "/jira/browse/OPS-2", Source: "jira", Title: "slow", Opened: t0.Add(144 * time.Hour)},
			}
			if d := cmp.Diff(want, ev.Incidents); d != "" {
				t.Errorf("incidents (-want +got):\n%s", d)
			}
			if len(f.queries) != 2 {
				t.Fatalf("queries %v", f.queries)
			}
		})
	}
	if got, want := jiraJQL("Incident", "OPS", t0), `issuetype = "Incident" AND project = "OPS" AND created >= "2026-05-01 10:00" ORDER BY created ASC`; got != want {
		t.Errorf("jql = %s, want %s", got, want)
	}
}

func TestRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }))
	defer srv.Close()
	c, err := New(Options{Source: SourceGitLab, BaseURL: srv.URL, Repo: "1", Token: "wrong-token-123"})
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: win}
	_, err = c.Collect(context.Background(), ev)
	if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "wrong-token") || ev.Has(model.KindIncidents) {
		t.Errorf("error = %v, have %v", err, ev.Have)
	}
	for _, o := range []Options{
		{Source: "pagerduty", BaseURL: "https://x.example"},
		{Source: SourceGitHub, BaseURL: "https://api.github.com", Repo: "noslash"},
		{Source: SourceGitLab, BaseURL: "https://gitlab.example"},
		{Source: SourceJira, BaseURL: "http://jira.example.com"},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}
