package github

import (
	"bytes"
	"context"
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

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// headerLog records every request's path and credential headers.
type headerLog struct {
	mu   sync.Mutex
	seen []string
}

func (h *headerLog) add(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seen = append(h.seen, r.URL.Path+" auth="+r.Header.Get("Authorization")+" cookie="+r.Header.Get("Cookie"))
}

func (h *headerLog) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.seen...)
}

// An Enterprise API that redirects to another host must not hand it the
// token (go-github's own auth transport used to re-add it); a redirect
// within the API's origin keeps it.
func TestTokenNotForwardedOnRedirect(t *testing.T) {
	for _, tc := range []struct {
		name      string
		code      int
		sameHost  bool
		wantOther bool // the token must reach the redirect target
	}{
		{"302 to another host", http.StatusFound, false, false},
		{"307 to another host", http.StatusTemporaryRedirect, false, false},
		{"302 within the origin", http.StatusFound, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := &headerLog{}
			otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				target.add(r)
				http.NotFound(w, r)
			}))
			defer otherSrv.Close()
			origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/api/v3/moved/") {
					target.add(r)
					http.NotFound(w, r)
					return
				}
				to := otherSrv.URL + r.URL.Path
				if tc.sameHost {
					to = "/api/v3/moved/" + strings.TrimPrefix(r.URL.Path, "/api/v3/")
				}
				http.Redirect(w, r, to, tc.code)
			}))
			defer origin.Close()
			var logs bytes.Buffer
			c, err := New(Options{Repo: "acme/shop", Token: testToken, APIURL: origin.URL + "/api/v3/",
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, _ = c.Collect(ctx, &model.Evidence{})
			seen := target.all()
			if len(seen) == 0 {
				t.Fatal("the redirect target saw no request")
			}
			for _, s := range seen {
				has := strings.Contains(s, testToken)
				if has != tc.wantOther {
					t.Errorf("redirect target saw %q; token expected: %v", s, tc.wantOther)
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

// stallingProxy fronts srv and stalls the requests whose path matches: with
// no answer at all, or (body) after the headers and a part of the body.
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
			io.WriteString(w, `[{"number":`)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv.URL + githubfake.Prefix
}

// A host that stops answering ends the collection (partial, with the
// reason) instead of hanging it.
func TestStalledHost(t *testing.T) {
	for _, tc := range []struct {
		name        string
		stall       string
		body        bool
		wantErr     bool // the first request fails: no evidence at all
		wantPartial bool
	}{
		{"pulls never answer", `/pulls$`, false, false, true},
		{"pulls stall in the body", `/pulls$`, true, false, true},
		{"nothing answers", `.`, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startScenario(t)
			api := stallingProxy(t, strings.TrimSuffix(srv.URL, githubfake.Prefix), regexp.MustCompile(tc.stall), tc.body)
			now := githubfake.ScenarioNow
			hc, err := httpx.New(httpx.Options{Timeout: 100 * time.Millisecond, Sleep: func(time.Duration) {},
				Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			c, err := New(Options{Repo: "acme/shop", Token: testToken, APIURL: api, HTTP: hc, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			ev := &model.Evidence{Window: model.Window{Since: now.AddDate(0, 0, -30), Until: now}}
			res, err := c.Collect(ctx, ev)
			if ctx.Err() != nil {
				t.Fatal("the collection hung until the test deadline")
			}
			if (err != nil) != tc.wantErr || res.Partial != tc.wantPartial {
				t.Fatalf("err %v partial %v, want error %v partial %v", err, res.Partial, tc.wantErr, tc.wantPartial)
			}
			if tc.wantErr {
				if !httpx.IsTimeout(err) {
					t.Errorf("err %v is not a timeout", err)
				}
				return
			}
			if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "no complete answer") || !strings.Contains(w, "stopped collecting") {
				t.Errorf("warnings lack the timeout: %q", res.Warnings)
			}
			if ev.Have[model.KindChanges] {
				t.Error("pull requests marked collected")
			}
		})
	}
}

func TestAPIURLChecks(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		insecure  bool
		wantErr   string // substring; "" for none
	}{
		{"credentials", "https://u:hunter2secret@ghe.example.com/api/v3/", false, "must not carry credentials"},
		{"credentials, not http", "ftp://u:hunter2secret@ghe.example.com/api/v3/", false, "not an http(s) URL"},
		{"cleartext", "http://ghe.example.com/api/v3/", false, "refusing cleartext http:// to ghe.example.com"},
		{"cleartext allowed", "http://ghe.example.com/api/v3/", true, ""},
		{"loopback", "http://localhost:8080/api/v3/", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Repo: "a/b", APIURL: tc.url, InsecureHTTP: tc.insecure})
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
