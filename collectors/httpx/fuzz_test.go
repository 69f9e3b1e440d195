package httpx

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzResponseHeaders feeds the rate-limit, Retry-After, Link and cache
// headers of an answer through the whole transport: it never panics, never
// waits longer than MaxWait, and always returns.
func FuzzResponseHeaders(f *testing.F) {
	f.Add(403, "0", "1767225600", "", `<https://api.github.com/x?page=2>; rel="next"`, "", "API rate limit exceeded")
	f.Add(429, "", "", "120", "", "", "")
	f.Add(429, "", "", "Wed, 21 Oct 2015 07:28:00 GMT", "", "", "")
	f.Add(200, "4999", "99999999999999999999", "-5", `<>; rel=`, `W/"abc"`, "[]")
	f.Add(503, "x", "y", "9223372036854775807", "", "", "")
	f.Add(304, "", "", "", "", `"e"`, "")
	f.Add(403, "0", "-1", "1e9", `<https://x/?page=-1>; rel="last", <https://x/?page=99999999999999999999>; rel="next"`, "", "secondary rate limit")
	f.Fuzz(func(t *testing.T, code int, remaining, reset, retry, link, etag, body string) {
		if code < 100 || code > 999 {
			code = 200
		}
		var slept time.Duration
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			h := http.Header{}
			for k, v := range map[string]string{"X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": reset,
				"RateLimit-Remaining": remaining, "RateLimit-Reset": reset, "Retry-After": retry, "Link": link, "ETag": etag} {
				if v != "" {
					h.Set(k, v)
				}
			}
			return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})
		for _, dialect := range []Dialect{DialectGitHub, DialectGitLab} {
			slept = 0
			c, err := New(Options{Base: base, MaxWait: time.Minute, Dialect: dialect, MaxRetries: 2,
				Sleep: func(d time.Duration) { slept += d }, BackoffBase: time.Millisecond, BackoffMax: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.example.test/repos/o/r", nil)
			req.Header.Set("Authorization", "token fuzz")
			resp, err := c.HTTP.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			cancel()
			// Each wait fits MaxWait; a request waits at most once per attempt.
			if slept < 0 || slept > 3*time.Minute {
				t.Fatalf("%s: slept %v with MaxWait 1m and 2 retries", dialect, slept)
			}
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
