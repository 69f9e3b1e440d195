package gitlab

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
)

func discoverFake(t *testing.T) *gitlabfake.Server {
	t.Helper()
	srv := gitlabfake.New(&gitlabfake.Data{}, gitlabfake.Options{Token: testToken})
	t.Cleanup(srv.Close)
	var ps []gitlabfake.ListedProject
	for i := range 120 { // two pages
		ps = append(ps, gitlabfake.ListedProject{Path: fmt.Sprintf("svc-%03d", i), DefaultBranch: "main"})
	}
	ps = append(ps,
		gitlabfake.ListedProject{Path: "api", Namespace: "acme/platform", DefaultBranch: "main", Topics: []string{"Core"}},
		gitlabfake.ListedProject{Path: "legacy", Namespace: "acme/platform", Archived: true},
		gitlabfake.ListedProject{Path: "fork", Fork: true, Topics: []string{"core"}},
		gitlabfake.ListedProject{Path: "theirs", Namespace: "other", Shared: true},
	)
	srv.SetGroups(gitlabfake.Group{ID: 7, FullPath: "acme", Projects: ps}, gitlabfake.Group{ID: 8, FullPath: "locked", Forbidden: true})
	return srv
}

func TestDiscover(t *testing.T) {
	srv := discoverFake(t)
	opt := Options{BaseURL: srv.BaseURL(), Token: testToken}
	for _, tc := range []struct {
		name string
		d    DiscoverOptions
		want []collectors.Discovered
	}{
		{"topic in subgroups", DiscoverOptions{Group: "acme", IncludeSubgroups: true, Filter: collectors.Filter{Topics: []string{"core"}}},
			[]collectors.Discovered{{FullPath: "acme/platform/api", DefaultBranch: "main", Topics: []string{"Core"}, Team: "acme/platform"}}},
		{"forks kept, by id", DiscoverOptions{Group: "7", Filter: collectors.Filter{Topics: []string{"core"}, Forks: true}},
			[]collectors.Discovered{{FullPath: "acme/fork", Topics: []string{"core"}, Fork: true, Team: "acme"}}},
		{"archived kept, glob", DiscoverOptions{Group: "acme", IncludeSubgroups: true, Filter: collectors.Filter{Include: []string{"acme/platform/*"}, Exclude: []string{"api"}, Archived: true}},
			[]collectors.Discovered{{FullPath: "acme/platform/legacy", Topics: []string{}, Archived: true, Team: "acme/platform"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Discover(context.Background(), opt, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
	t.Run("every page, no subgroups, no shared", func(t *testing.T) {
		got, err := Discover(context.Background(), opt, DiscoverOptions{Group: "acme"})
		if err != nil || len(got) != 120 {
			t.Fatalf("%d projects, %v", len(got), err)
		}
	})
}

func TestDiscoverErrors(t *testing.T) {
	srv := discoverFake(t)
	for _, tc := range []struct {
		name, group, token string
		want               error
	}{
		{"unknown group", "nobody", testToken, ErrNotFound},
		{"forbidden", "locked", testToken, ErrForbidden},
		{"rejected token", "acme", "wrong", ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Discover(context.Background(), Options{BaseURL: srv.BaseURL(), Token: tc.token}, DiscoverOptions{Group: tc.group})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
