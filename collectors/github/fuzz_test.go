package github

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	gh "github.com/google/go-github/v62/github"
)

// FuzzPagination feeds the Link header and body of a listing answer to the
// API client the collector uses: the collector's next page always moves
// forward within maxPages, and nothing panics.
func FuzzPagination(f *testing.F) {
	f.Add(`<https://api.github.com/repositories/1/pulls?page=2>; rel="next", <https://api.github.com/repositories/1/pulls?page=9>; rel="last"`, `[]`)
	f.Add(`<https://x/?page=-1>; rel="next"`, `[{"number":1}]`)
	f.Add(`<https://x/?page=99999999999999999999>; rel="next"`, `[{"number":"x"}]`)
	f.Add(`<https://x/?after=Y3Vyc29y>; rel="next"`, `[null]`)
	f.Add(`garbage; rel=next,,,<`, `{`)
	f.Add(`<https://x/?page=2>; rel="next"; rel="last"`, `[{"number":1,"user":null,"head":{"ref":null}}]`)
	f.Fuzz(func(t *testing.T, link, body string) {
		c := gh.NewClient(&http.Client{Transport: answer(link, body)})
		prs, resp, err := c.PullRequests.List(context.Background(), "o", "r", &gh.PullRequestListOptions{State: "all"})
		if err != nil || resp == nil {
			return
		}
		for _, cur := range []int{0, 1, 2, 7} {
			next, err := nextPage(cur, resp)
			if err == nil && next != 0 && (next <= max(cur, 1) || next > maxPages) {
				t.Fatalf("Link %q after page %d gave next page %d", link, cur, next)
			}
		}
		for _, pr := range prs {
			_ = pr.GetNumber() + len(pr.GetHead().GetRef()) + len(pr.GetUser().GetLogin())
		}
	})
}

func answer(link, body string) http.RoundTripper {
	return rt(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}}
		if link != "" {
			h.Set("Link", link)
		}
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})
}

type rt func(*http.Request) (*http.Response, error)

func (f rt) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
