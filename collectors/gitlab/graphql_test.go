package gitlab

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

// firstFixtureAudit runs a first audit of the fixture over the 90 days
// before FixtureNow, with its own empty state, and returns the evidence,
// the result and the requests the server answered.
func firstFixtureAudit(t testing.TB, fo gitlabfake.Options, fault *gitlabfake.Fault, mod func(*Options)) (*model.Evidence, collectors.Result, []string) {
	t.Helper()
	fo.Token = testToken
	srv := gitlabfake.New(&gitlabfake.Data{}, fo)
	defer srv.Close()
	srv.Update(func(d *gitlabfake.Data) { *d = *gitlabfake.Fixture(srv.BaseURL()) })
	if fault != nil {
		srv.AddFault(fault)
	}
	now := gitlabfake.FixtureNow
	opt := Options{Project: gitlabfake.FixturePath, Token: testToken, BaseURL: srv.BaseURL(),
		Base: http.DefaultTransport.(*http.Transport).Clone(), MaxWait: time.Minute,
		Sleep: func(time.Duration) {}, Now: func() time.Time { return now }}
	if mod != nil {
		mod(&opt)
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: model.Window{Since: now.AddDate(0, 0, -90), Until: now}}
	res, err := c.Collect(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	// Each server has its own port: web URLs are compared without it.
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out := &model.Evidence{}
	if err := json.Unmarshal(bytes.ReplaceAll(b, []byte(srv.BaseURL()), []byte("https://gl.example")), out); err != nil {
		t.Fatal(err)
	}
	return out, res, srv.Requests(false)
}

func restOnly(o *Options) { o.NoGraphQL = true }

func countGraphQL(reqs []string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, "POST "+gitlabfake.GraphQLPath) {
			n++
		}
	}
	return n
}

// TestGraphQLParity: a first audit of the fixture gives the same evidence
// through GraphQL as through REST only, and through REST again when
// /api/graphql answers 404, 403, 500 or a GraphQL error (with one warning).
func TestGraphQLParity(t *testing.T) {
	want, wantRes, restReqs := firstFixtureAudit(t, gitlabfake.Options{}, nil, restOnly)
	if len(wantRes.Warnings) != 0 || wantRes.Partial {
		t.Fatalf("REST audit: partial %v, warnings %q", wantRes.Partial, wantRes.Warnings)
	}
	if got := len(want.Changes); got != gitlabfake.FixtureMRs {
		t.Fatalf("REST audit: %d changes, want %d", got, gitlabfake.FixtureMRs)
	}
	tests := []struct {
		name  string
		fault *gitlabfake.Fault
		warn  string
	}{
		{"graphql", nil, ""},
		{"404", &gitlabfake.Fault{Path: regexp.MustCompile(`^/api/graphql$`), Status: 404, Times: -1}, "HTTP 404"},
		{"403", &gitlabfake.Fault{Path: regexp.MustCompile(`^/api/graphql$`), Status: 403, Times: -1}, "HTTP 403"},
		{"500", &gitlabfake.Fault{Path: regexp.MustCompile(`^/api/graphql$`), Status: 500, Times: -1}, "HTTP 500"},
		{"errors", &gitlabfake.Fault{Path: regexp.MustCompile(`^/api/graphql$`), Status: 200, Times: -1,
			Body: `{"errors":[{"message":"Query has complexity of 300, which exceeds max complexity of 250"}]}`}, "complexity of 300"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, res, reqs := firstFixtureAudit(t, gitlabfake.Options{}, tc.fault, nil)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("evidence differs from the REST path (-rest +graphql):\n%s", diff)
			}
			switch {
			case tc.warn == "" && len(res.Warnings) != 0:
				t.Errorf("warnings %q, want none", res.Warnings)
			case tc.warn != "" && (len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], tc.warn)):
				t.Errorf("warnings %q, want one naming %q", res.Warnings, tc.warn)
			}
			if tc.fault == nil && len(reqs) > 60 {
				t.Errorf("GraphQL audit sent %d requests (REST %d), want at most 60", len(reqs), len(restReqs))
			}
			if tc.fault != nil && countGraphQL(reqs) != 1 {
				t.Errorf("%d GraphQL requests after a failure, want 1 (then REST)", countGraphQL(reqs))
			}
		})
	}
}
