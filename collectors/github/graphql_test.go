package github

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// firstAudit runs a first audit of repo over the 90 days before
// ScenarioNow, in its own cache, and returns the evidence, the result and
// the server's hits.
func firstAudit(t testing.TB, repo func(string) *githubfake.Repo, srvOpt githubfake.Options, mod func(*Options)) (*model.Evidence, collectors.Result, []githubfake.Hit) {
	t.Helper()
	srvOpt.Token, srvOpt.Now = testToken, func() time.Time { return githubfake.ScenarioNow }
	srv := githubfake.New(&githubfake.Repo{}, srvOpt)
	defer srv.Close()
	srv.Update(func(r *githubfake.Repo) { *r = *repo(srv.URL) })
	return auditOnce(t, srv, mod)
}

func auditOnce(t testing.TB, srv *githubfake.Server, mod func(*Options)) (*model.Evidence, collectors.Result, []githubfake.Hit) {
	t.Helper()
	now := githubfake.ScenarioNow
	dir := t.TempDir()
	hc, err := httpx.New(httpx.Options{CacheDir: dir, MaxWait: time.Minute, Sleep: func(time.Duration) {}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Repo: "acme/shop", Token: testToken, APIURL: srv.URL, CacheDir: dir, HTTP: hc, Now: func() time.Time { return now }}
	if mod != nil {
		mod(&opt)
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: model.Window{Since: now.AddDate(0, 0, -90), Until: now}}
	srv.ResetHits()
	res, err := c.Collect(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return ev, res, srv.Hits()
}

func graphQLHits(hits []githubfake.Hit) (n, cost int) {
	for _, h := range hits {
		if h.Path == githubfake.GraphQLPath {
			n++
			cost += h.Cost
		}
	}
	return n, cost
}

// TestGraphQLParity: the evidence of a first audit is the same through
// GraphQL as through REST, on the scenario (a re-run run included) and on
// the fixture, which GraphQL audits in at most 60 counted requests
// and 60 points.
func TestGraphQLParity(t *testing.T) {
	tests := []struct {
		name      string
		repo      func(string) *githubfake.Repo
		maxCount  int
		maxPoints int
	}{
		{"scenario", githubfake.Scenario, 30, 5},
		{"fixture", githubfake.Fixture, 60, 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			restEv, restRes, restHits := firstAudit(t, tc.repo, githubfake.Options{}, restOnly)
			gqlEv, gqlRes, gqlHits := firstAudit(t, tc.repo, githubfake.Options{}, nil)
			if d := cmp.Diff(restEv, gqlEv); d != "" {
				t.Errorf("evidence, REST (-) against GraphQL (+):\n%s", d)
			}
			if d := cmp.Diff(restRes.Warnings, gqlRes.Warnings); d != "" || gqlRes.Partial != restRes.Partial {
				t.Errorf("warnings (-REST +GraphQL):\n%s", d)
			}
			if n, _ := graphQLHits(restHits); n != 0 {
				t.Errorf("REST-only audit sent %d GraphQL queries", n)
			}
			n, points := graphQLHits(gqlHits)
			if n == 0 {
				t.Fatal("no GraphQL query")
			}
			if gqlRes.Requests.Counted > tc.maxCount || points > tc.maxPoints {
				t.Errorf("GraphQL first audit: %d counted requests (budget %d), %d points (budget %d)",
					gqlRes.Requests.Counted, tc.maxCount, points, tc.maxPoints)
			}
			t.Logf("REST %d counted; GraphQL %d counted (%d queries, %d points)",
				restRes.Requests.Counted, gqlRes.Requests.Counted, n, points)
		})
	}
}

// TestGraphQLFallback: where the endpoint is missing (404, an old
// Enterprise Server) or refused (403), the audit takes REST after one
// query, with one warning, and the evidence is unchanged.
func TestGraphQLFallback(t *testing.T) {
	want, _, _ := firstAudit(t, githubfake.Scenario, githubfake.Options{}, restOnly)
	for _, status := range []int{404, 403, 502} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: testToken, Now: func() time.Time { return githubfake.ScenarioNow }})
			defer srv.Close()
			srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
			srv.AddFault(githubfake.Fault{Path: githubfake.GraphQLPath, Status: status, Body: `{"message":"Not Found"}`})
			ev, res, hits := auditOnce(t, srv, nil)
			if d := cmp.Diff(want, ev); d != "" {
				t.Errorf("evidence after the fallback (-REST +got):\n%s", d)
			}
			if n, _ := graphQLHits(hits); n != 1 {
				t.Errorf("%d GraphQL queries, want 1", n)
			}
			var warned []string
			for _, w := range res.Warnings {
				if strings.Contains(w, "GraphQL") {
					warned = append(warned, w)
				}
			}
			if len(warned) != 1 || res.Partial {
				t.Errorf("warnings %q partial %v, want one GraphQL warning", res.Warnings, res.Partial)
			}
		})
	}
}

// TestGraphQLUnauthorized: a rejected token on GraphQL ends the audit as on
// REST.
func TestGraphQLUnauthorized(t *testing.T) {
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: testToken, Now: func() time.Time { return githubfake.ScenarioNow }})
	defer srv.Close()
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	srv.AddFault(githubfake.Fault{Path: githubfake.GraphQLPath, Status: 401, Body: `{"message":"Bad credentials"}`})
	c, err := New(Options{Repo: "acme/shop", Token: testToken, APIURL: srv.URL, Now: func() time.Time { return githubfake.ScenarioNow },
		HTTP: mustHTTP(t)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Collect(context.Background(), &model.Evidence{})
	if !isUnauthorized(err) {
		t.Fatalf("err %v, want the token rejected", err)
	}
}

func mustHTTP(t *testing.T) *httpx.Client {
	hc, err := httpx.New(httpx.Options{MaxWait: time.Minute, Sleep: func(time.Duration) {}, Now: func() time.Time { return githubfake.ScenarioNow }})
	if err != nil {
		t.Fatal(err)
	}
	return hc
}

func TestGraphQLURL(t *testing.T) {
	tests := []struct{ rest, want string }{
		{"https://api.github.com/", "https://api.github.com/graphql"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"},
		{"https://api.acme.ghe.com/", "https://api.acme.ghe.com/graphql"},
		{"http://127.0.0.1:8080/api/v3/", "http://127.0.0.1:8080/api/graphql"},
	}
	for _, tc := range tests {
		t.Run(tc.rest, func(t *testing.T) {
			u, err := parseAPIURL(tc.rest)
			if err != nil {
				t.Fatal(err)
			}
			if got := graphQLURL(u); got != tc.want {
				t.Errorf("graphQLURL(%s) = %s, want %s", tc.rest, got, tc.want)
			}
		})
	}
}
