package gitlab

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// A self-managed GitLab that redirects to another host must not hand it
// PRIVATE-TOKEN (client-go sets it on the request, and net/http copies it
// to the redirect); a redirect within the instance keeps it.
func TestTokenNotForwardedOnRedirect(t *testing.T) {
	for _, tc := range []struct {
		name      string
		code      int
		sameHost  bool
		wantToken bool
	}{
		{"302 to another host", http.StatusFound, false, false},
		{"307 to another host", http.StatusTemporaryRedirect, false, false},
		{"302 within the instance", http.StatusFound, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []string
			record := func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen = append(seen, r.URL.Path+" token="+r.Header.Get("Private-Token")+" auth="+r.Header.Get("Authorization"))
				mu.Unlock()
				http.NotFound(w, r)
			}
			other := httptest.NewServer(http.HandlerFunc(record))
			defer other.Close()
			origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/moved/") {
					record(w, r)
					return
				}
				to := other.URL + r.URL.Path
				if tc.sameHost {
					to = "/moved" + r.URL.Path
				}
				http.Redirect(w, r, to, tc.code)
			}))
			defer origin.Close()
			var logs bytes.Buffer
			c, err := New(Options{Project: "acme/api", Token: testToken, BaseURL: origin.URL,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, _ = c.Collect(ctx, &model.Evidence{Window: window})
			mu.Lock()
			defer mu.Unlock()
			if len(seen) == 0 {
				t.Fatal("the redirect target saw no request")
			}
			for _, s := range seen {
				if strings.Contains(s, testToken) != tc.wantToken {
					t.Errorf("redirect target saw %q; token expected: %v", s, tc.wantToken)
				}
			}
			if strings.Contains(logs.String(), testToken) {
				t.Error("the token is in the log")
			}
			if !tc.sameHost && !strings.Contains(logs.String(), "credentials withheld") {
				t.Errorf("no warning logged:\n%s", logs.String())
			}
		})
	}
}

// stallingProxy fronts backend and stalls the requests whose path matches,
// before the headers or (body) in the middle of the body.
func stallingProxy(t *testing.T, backend string, stall *regexp.Regexp, body bool) string {
	t.Helper()
	u, _ := url.Parse(backend)
	rp := httputil.NewSingleHostReverseProxy(u)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !stall.MatchString(r.URL.Path) {
			rp.ServeHTTP(w, r)
			return
		}
		if body {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `[{"id":`)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv.URL
}

// A host that stops answering ends the collection as partial with the
// reason, instead of hanging it.
func TestStalledHost(t *testing.T) {
	for _, tc := range []struct {
		name    string
		stall   string
		body    bool
		partial bool
	}{
		{"merge requests never answer", `/merge_requests$`, false, true},
		{"merge requests stall in the body", `/merge_requests$`, true, true},
		{"nothing answers", `.`, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
			base := stallingProxy(t, h.srv.URL, regexp.MustCompile(tc.stall), tc.body)
			c, err := New(Options{Project: "acme/platform/api", Token: testToken, BaseURL: base,
				Timeout: 100 * time.Millisecond, Sleep: func(time.Duration) {}, Now: func() time.Time { return until }})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			ev := &model.Evidence{Window: window}
			res, err := c.Collect(ctx, ev)
			if ctx.Err() != nil {
				t.Fatal("the collection hung until the test deadline")
			}
			var te *httpx.TimeoutError
			if !errors.As(err, &te) || res.Partial != tc.partial {
				t.Fatalf("err %v partial %v, want a timeout, partial %v", err, res.Partial, tc.partial)
			}
			if tc.partial && !strings.Contains(strings.Join(res.Warnings, "\n"), "no complete answer") {
				t.Errorf("warnings lack the timeout: %q", res.Warnings)
			}
			if ev.Have[model.KindChanges] {
				t.Error("merge requests marked collected")
			}
		})
	}
}

// Credentials in a base URL are refused without being echoed; http:// to a
// host other than loopback is refused unless allowed.
func TestBaseURLChecks(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		insecure  bool
		wantErr   string // substring; "" for none
	}{
		{"credentials", "https://root:hunter2secret@gl.example.com", false, "credentials allowed"},
		{"credentials, not http", "ftp://root:hunter2secret@gl.example.com", false, "want http(s)"},
		{"cleartext", "http://gl.example.com", false, "refusing cleartext http:// to gl.example.com"},
		{"cleartext allowed", "http://gl.example.com", true, ""},
		{"loopback", "http://127.0.0.1:8080", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Project: "a/b", BaseURL: tc.url, InsecureHTTP: tc.insecure})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2secret") {
				t.Errorf("the password is echoed: %v", err)
			}
		})
	}
}
