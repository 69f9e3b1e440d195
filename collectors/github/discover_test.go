package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
)

func discoverServer(t *testing.T) *githubfake.Server {
	t.Helper()
	srv := githubfake.New(&githubfake.Repo{Owner: "acme", Name: "shop", DefaultBranch: "main",
		Files: map[string]string{".github/CODEOWNERS": "# owners\n*   @acme/payments @jane\n/docs/ @acme/writers\n"}},
		githubfake.Options{Token: testToken})
	t.Cleanup(srv.Close)
	var repos []githubfake.ListedRepo
	for i := range 150 { // two pages
		repos = append(repos, githubfake.ListedRepo{Name: fmt.Sprintf("svc-%03d", i), DefaultBranch: "main", Language: "Go"})
	}
	repos = append(repos,
		githubfake.ListedRepo{Name: "shop", DefaultBranch: "main", Language: "TypeScript", Topics: []string{"payments", "web"}},
		githubfake.ListedRepo{Name: "old", DefaultBranch: "master", Archived: true},
		githubfake.ListedRepo{Name: "fork-of-x", DefaultBranch: "main", Fork: true, Topics: []string{"payments"}},
		githubfake.ListedRepo{Name: "blocked", DefaultBranch: "main", Disabled: true},
	)
	srv.SetOwners(
		githubfake.Owner{Login: "acme", Type: "Organization", Repos: repos},
		githubfake.Owner{Login: "jane", Type: "User", Repos: []githubfake.ListedRepo{{Name: "dotfiles", DefaultBranch: "main"}}},
		githubfake.Owner{Login: "secret", Type: "Organization", Forbidden: true},
	)
	return srv
}

func TestDiscover(t *testing.T) {
	srv := discoverServer(t)
	opt := Options{APIURL: srv.URL, Token: testToken}
	names := func(ds []collectors.Discovered) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.FullPath)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		d    DiscoverOptions
		want []string
	}{
		{"topic", DiscoverOptions{Owner: "acme", Filter: collectors.Filter{Topics: []string{"PAYMENTS"}}}, []string{"acme/shop"}},
		{"topic with forks", DiscoverOptions{Owner: "acme", Filter: collectors.Filter{Topics: []string{"payments"}, Forks: true}},
			[]string{"acme/fork-of-x", "acme/shop"}},
		{"archived", DiscoverOptions{Owner: "acme", Filter: collectors.Filter{Include: []string{"o*"}, Archived: true}}, []string{"acme/old"}},
		{"include and exclude globs", DiscoverOptions{Owner: "acme", Filter: collectors.Filter{Include: []string{"acme/svc-14?", "shop"},
			Exclude: []string{"svc-14[5-9]"}}}, []string{"acme/shop", "acme/svc-140", "acme/svc-141", "acme/svc-142", "acme/svc-143", "acme/svc-144"}},
		{"user", DiscoverOptions{Owner: "jane"}, []string{"jane/dotfiles"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Discover(context.Background(), opt, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, names(got)); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
	t.Run("all pages, no archived, forks or disabled", func(t *testing.T) {
		got, err := Discover(context.Background(), opt, DiscoverOptions{Owner: "acme"})
		if err != nil || len(got) != 151 {
			t.Fatalf("%d repositories, %v", len(got), err)
		}
	})
}

func TestDiscoverLabelsAndCache(t *testing.T) {
	srv := discoverServer(t)
	opt := Options{APIURL: srv.URL, Token: testToken, CacheDir: t.TempDir()}
	d := DiscoverOptions{Owner: "acme", Filter: collectors.Filter{Include: []string{"shop"}}, Codeowners: true}
	got, err := Discover(context.Background(), opt, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []collectors.Discovered{{FullPath: "acme/shop", DefaultBranch: "main", Language: "TypeScript", Topics: []string{"payments", "web"}, Team: "payments"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// A nightly re-listing of an unchanged organisation costs no quota.
	srv.ResetHits()
	if _, err := Discover(context.Background(), opt, d); err != nil {
		t.Fatal(err)
	}
	for _, h := range srv.Hits() {
		if h.Status != http.StatusNotModified {
			t.Errorf("%s %s?%s answered %d, want 304", h.Method, h.Path, h.Query, h.Status)
		}
	}
}

func TestDiscoverErrors(t *testing.T) {
	srv := discoverServer(t)
	for _, tc := range []struct {
		name, owner, token string
		check              func(error) bool
	}{
		{"unknown organisation", "nobody", testToken, func(err error) bool { return errors.Is(err, ErrNotFound) }},
		{"no read:org", "secret", testToken, func(err error) bool { var f *ForbiddenError; return errors.As(err, &f) }},
		{"rejected token", "acme", "wrong", func(err error) bool { return errors.Is(err, ErrUnauthorized) }},
		{"not a name", "acme/shop", testToken, func(err error) bool { return err != nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Discover(context.Background(), Options{APIURL: srv.URL, Token: tc.token}, DiscoverOptions{Owner: tc.owner})
			if !tc.check(err) {
				t.Fatalf("err = %v", err)
			}
			t.Log(err)
		})
	}
	if _, err := Discover(context.Background(), Options{APIURL: srv.URL}, DiscoverOptions{Owner: "acme", Filter: collectors.Filter{Include: []string{"["}}}); err == nil {
		t.Error("a malformed glob was accepted")
	}
}

func TestCodeownersTeam(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"/docs/ @acme/writers\n":               "",
		"* @acme/core\n* @acme/platform # x\n": "platform",
		"* @octo\n":                            "octo",
		"*.go dev@example.com\n* ops@example.com\n": "ops@example.com",
	} {
		if got := CodeownersTeam(in); got != want {
			t.Errorf("CodeownersTeam(%q) = %q, want %q", in, got, want)
		}
	}
}
