package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// clock is a fake clock advanced by the fake sleeper.
type clock struct {
	mu     sync.Mutex
	now    time.Time
	slept  []time.Duration
	onWait func()
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	f := c.onWait
	c.mu.Unlock()
	if f != nil {
		f()
	}
}

func (c *clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

func newClient(t *testing.T, opt Options, ck *clock) *Client {
	t.Helper()
	if ck != nil {
		opt.Now, opt.Sleep = ck.Now, ck.Sleep
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(t *testing.T, c *Client, url, auth string) (*http.Response, string, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b), nil
}

// etagServer answers with an ETag per path and 304 on a matching
// If-None-Match; it records the conditional headers it saw.
type etagServer struct {
	mu      sync.Mutex
	seen    []string // If-None-Match of each request
	status  int
	version string
}

func (s *etagServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, r.Header.Get("If-None-Match"))
	etag := fmt.Sprintf("W/\"%s-%s\"", r.URL.Path, s.version)
	w.Header().Set("X-RateLimit-Remaining", "4999")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/json")
	if s.status != 0 {
		w.WriteHeader(s.status)
	}
	fmt.Fprintf(w, `{"path":%q,"version":%q}`, r.URL.Path, s.version)
}

func (s *etagServer) conditional() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

func TestConditionalCache(t *testing.T) {
	srv := &etagServer{version: "1"}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()
	const token = "Bearer ghp_SECRETSECRETSECRET"

	c := newClient(t, Options{CacheDir: dir}, nil)
	_, body1, err := get(t, c, ts.URL+"/repos/o/r", token)
	if err != nil {
		t.Fatal(err)
	}
	resp, body2, err := get(t, c, ts.URL+"/repos/o/r", token)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || body1 != body2 || resp.Header.Get("X-From-Cache") != "1" {
		t.Fatalf("cached answer: %d %q %q", resp.StatusCode, body1, body2)
	}
	if resp.Header.Get("X-RateLimit-Remaining") != "4999" {
		t.Errorf("304's rate headers not merged: %v", resp.Header)
	}
	want := model.RequestStats{Total: 2, Counted: 1, NotModified: 1}
	if d := cmp.Diff(want, c.Stats.Snapshot()); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}

	// A new client on the same directory (the next nightly run) revalidates.
	c2 := newClient(t, Options{CacheDir: dir}, nil)
	if _, _, err := get(t, c2, ts.URL+"/repos/o/r", token); err != nil {
		t.Fatal(err)
	}
	if s := c2.Stats.Snapshot(); s.NotModified != 1 || s.Counted != 0 {
		t.Errorf("persisted cache not used: %+v", s)
	}

	// Another identity does not share the entry.
	if _, _, err := get(t, c2, ts.URL+"/repos/o/r", "Bearer other"); err != nil {
		t.Fatal(err)
	}
	seen := srv.conditional()
	if seen[len(seen)-1] != "" {
		t.Errorf("other identity sent If-None-Match %q", seen[len(seen)-1])
	}

	// A changed resource is fetched again and replaces the entry.
	srv.mu.Lock()
	srv.version = "2"
	srv.mu.Unlock()
	_, body3, err := get(t, c2, ts.URL+"/repos/o/r", token)
	if err != nil || !strings.Contains(body3, `"2"`) {
		t.Fatalf("changed resource: %q %v", body3, err)
	}

	// No file of the cache holds the token.
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if strings.Contains(string(b), "SECRET") {
			t.Errorf("%s holds the token", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestErrorsNotCached(t *testing.T) {
	srv := &etagServer{version: "1", status: http.StatusNotFound}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := newClient(t, Options{}, nil)
	for range 2 {
		resp, _, err := get(t, c, ts.URL+"/x", "")
		if err != nil || resp.StatusCode != 404 {
			t.Fatalf("got %v %v", resp, err)
		}
	}
	if seen := srv.conditional(); seen[1] != "" {
		t.Errorf("a 404 was cached: second request sent %q", seen[1])
	}
	if s := c.Stats.Snapshot(); s.Errors != 2 || s.Counted != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestFreshCacheHit(t *testing.T) {
	srv := &etagServer{version: "1"}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ck := newClock()
	c := newClient(t, Options{Fresh: time.Minute}, ck)
	for range 3 {
		if _, _, err := get(t, c, ts.URL+"/x", ""); err != nil {
			t.Fatal(err)
		}
	}
	want := model.RequestStats{Total: 1, Counted: 1, CacheHits: 2}
	if d := cmp.Diff(want, c.Stats.Snapshot()); d != "" {
		t.Errorf("stats (-want +got):\n%s", d)
	}
}

// scripted answers requests from a list of handlers, one per request.
type scripted struct {
	mu    sync.Mutex
	steps []func(w http.ResponseWriter)
	n     int
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.n
	s.n++
	s.mu.Unlock()
	if i >= len(s.steps) {
		io.WriteString(w, `{"ok":true}`)
		return
	}
	s.steps[i](w)
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func status(code int, hdr ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, `{"message":"x"}`)
	}
}

func TestRetriesAndLimits(t *testing.T) {
	ck0 := newClock()
	reset := func(d time.Duration) string { return fmt.Sprint(ck0.Now().Add(d).Unix()) }
	tests := []struct {
		name       string
		opt        Options
		steps      []func(w http.ResponseWriter)
		wantStatus int
		wantLimit  bool // *RateLimitError expected
		wantSlept  int  // number of waits
		wantWait   time.Duration
		wantStats  model.RequestStats
	}{
		{
			name:       "5xx burst then success",
			opt:        Options{MaxRetries: 3},
			steps:      []func(http.ResponseWriter){status(502), status(503)},
			wantStatus: 200, wantSlept: 2,
			wantStats: model.RequestStats{Total: 3, Counted: 3, Errors: 2, Retries: 2},
		},
		{
			name:       "5xx beyond MaxRetries",
			opt:        Options{MaxRetries: 1},
			steps:      []func(http.ResponseWriter){status(500), status(500), status(500)},
			wantStatus: 500, wantSlept: 1,
			wantStats: model.RequestStats{Total: 2, Counted: 2, Errors: 2, Retries: 1},
		},
		{
			name: "github primary limit within MaxWait",
			opt:  Options{MaxWait: time.Minute},
			steps: []func(http.ResponseWriter){status(403, "X-RateLimit-Remaining", "0",
				"X-RateLimit-Reset", reset(30*time.Second))},
			wantStatus: 200, wantSlept: 1, wantWait: 30 * time.Second,
			wantStats: model.RequestStats{Total: 2, Counted: 2, RateLimited: 1},
		},
		{
			name: "github primary limit beyond MaxWait",
			opt:  Options{MaxWait: time.Minute},
			steps: []func(http.ResponseWriter){status(403, "X-RateLimit-Remaining", "0",
				"X-RateLimit-Reset", reset(time.Hour))},
			wantLimit: true,
			wantStats: model.RequestStats{Total: 1, Counted: 1, RateLimited: 1},
		},
		{
			name:       "secondary limit 403 Retry-After",
			opt:        Options{MaxWait: time.Minute},
			steps:      []func(http.ResponseWriter){status(403, "Retry-After", "20")},
			wantStatus: 200, wantSlept: 1, wantWait: 20 * time.Second,
			wantStats: model.RequestStats{Total: 2, Counted: 2, RateLimited: 1},
		},
		{
			name:      "429 Retry-After beyond MaxWait",
			opt:       Options{MaxWait: 10 * time.Second},
			steps:     []func(http.ResponseWriter){status(429, "Retry-After", "120")},
			wantLimit: true,
			wantStats: model.RequestStats{Total: 1, Counted: 1, RateLimited: 1},
		},
		{
			name: "secondary limit message without headers",
			opt:  Options{MaxWait: 2 * time.Minute},
			steps: []func(http.ResponseWriter){func(w http.ResponseWriter) {
				w.WriteHeader(403)
				io.WriteString(w, `{"message":"You have exceeded a secondary rate limit."}`)
			}},
			wantStatus: 200, wantSlept: 1, wantWait: time.Minute,
			wantStats: model.RequestStats{Total: 2, Counted: 2, RateLimited: 1},
		},
		{
			name:       "plain 403 is no limit",
			opt:        Options{MaxWait: time.Minute},
			steps:      []func(http.ResponseWriter){status(403)},
			wantStatus: 403,
			wantStats:  model.RequestStats{Total: 1, Counted: 1, Errors: 1},
		},
		{
			name: "gitlab 429 with RateLimit-Reset",
			opt:  Options{MaxWait: time.Minute, Dialect: DialectGitLab},
			steps: []func(http.ResponseWriter){status(429, "RateLimit-Remaining", "0",
				"RateLimit-Reset", reset(45*time.Second))},
			wantStatus: 200, wantSlept: 1, wantWait: 45 * time.Second,
			wantStats: model.RequestStats{Total: 2, Counted: 2, RateLimited: 1},
		},
		{
			name: "spent quota on a 200 waits before returning",
			opt:  Options{MaxWait: time.Minute},
			steps: []func(http.ResponseWriter){status(200, "X-RateLimit-Remaining", "0",
				"X-RateLimit-Limit", "5000", "X-RateLimit-Reset", reset(40*time.Second))},
			wantStatus: 200, wantSlept: 1, wantWait: 40 * time.Second,
			wantStats: model.RequestStats{Total: 1, Counted: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := &scripted{steps: tc.steps}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			ck := newClock()
			c := newClient(t, tc.opt, ck)
			resp, _, err := get(t, c, ts.URL+"/x", "Bearer t")
			var rl *RateLimitError
			if tc.wantLimit {
				if !errors.As(err, &rl) {
					t.Fatalf("want *RateLimitError, got %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			slept := ck.Slept()
			if len(slept) != tc.wantSlept {
				t.Errorf("slept %v, want %d waits", slept, tc.wantSlept)
			}
			if tc.wantWait != 0 && len(slept) > 0 && slept[0] != tc.wantWait {
				t.Errorf("waited %v, want %v", slept[0], tc.wantWait)
			}
			if d := cmp.Diff(tc.wantStats, c.Stats.Snapshot()); d != "" {
				t.Errorf("stats (-want +got):\n%s", d)
			}
		})
	}
}

func TestSpentQuotaFailsNextRequestFast(t *testing.T) {
	ck := newClock()
	srv := &scripted{steps: []func(http.ResponseWriter){status(200, "X-RateLimit-Remaining", "0",
		"X-RateLimit-Reset", fmt.Sprint(ck.Now().Add(time.Hour).Unix()))}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := newClient(t, Options{MaxWait: time.Minute}, ck)
	if _, _, err := get(t, c, ts.URL+"/a", ""); err != nil {
		t.Fatal(err)
	}
	_, _, err := get(t, c, ts.URL+"/b", "")
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Wait != time.Hour {
		t.Fatalf("want *RateLimitError of an hour, got %v", err)
	}
	if srv.count() != 1 {
		t.Errorf("server saw %d requests, want 1", srv.count())
	}
}

// flaky fails the first n round trips with err.
type flaky struct {
	n    int
	err  error
	base http.RoundTripper
}

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n > 0 {
		f.n--
		return nil, f.err
	}
	return f.base.RoundTrip(r)
}

func TestTransportErrors(t *testing.T) {
	ts := httptest.NewServer(&scripted{})
	defer ts.Close()
	tests := []struct {
		name    string
		method  string
		err     error
		fails   int
		wantErr bool
	}{
		{"EOF retried", http.MethodGet, io.ErrUnexpectedEOF, 2, false},
		{"reset retried", http.MethodGet, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, 1, false},
		{"POST not retried", http.MethodPost, io.EOF, 1, true},
		{"other error not retried", http.MethodGet, errors.New("tls: bad certificate"), 1, true},
		{"too many", http.MethodGet, io.EOF, 5, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ck := newClock()
			c := newClient(t, Options{Base: &flaky{n: tc.fails, err: tc.err, base: http.DefaultTransport}}, ck)
			req, _ := http.NewRequest(tc.method, ts.URL, nil)
			resp, err := c.HTTP.Do(req)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, wantErr %v", err, tc.wantErr)
			}
			if err == nil {
				resp.Body.Close()
			}
		})
	}
}

func TestContextCancelledDuringWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ck := newClock()
	ck.onWait = cancel
	srv := &scripted{steps: []func(http.ResponseWriter){status(429, "Retry-After", "5")}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := newClient(t, Options{MaxWait: time.Minute}, ck)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
	_, err := c.HTTP.Do(req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if srv.count() != 1 {
		t.Errorf("server saw %d requests after cancel, want 1", srv.count())
	}
}

func TestRealSleepHonoursContext(t *testing.T) {
	c := newClient(t, Options{MaxWait: time.Hour}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Wait(ctx, time.Now().Add(time.Hour)); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	var rl *RateLimitError
	if err := c.Wait(context.Background(), time.Now().Add(2*time.Hour)); !errors.As(err, &rl) {
		t.Fatalf("got %v", err)
	}
}
