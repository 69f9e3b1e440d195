package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const secret = "glpat-SECRET0123456789abcdef"

// recorder answers 200 and records the credential-like headers it saw.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	var got []string
	for _, k := range []string{"Authorization", "Private-Token", "Job-Token", "Cookie", "X-Extra"} {
		if v := req.Header.Get(k); v != "" {
			got = append(got, k+"="+v)
		}
	}
	r.seen = append(r.seen, req.URL.Path+" "+strings.Join(got, ","))
	r.mu.Unlock()
	io.WriteString(w, `{}`)
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// The token must not follow a redirect to another host, whoever set it and
// whatever header carries it; same-origin redirects keep it.
func TestCredentialsStayOnOrigin(t *testing.T) {
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			other := &recorder{}
			otherSrv := httptest.NewServer(other)
			defer otherSrv.Close()
			origin := &recorder{}
			mux := http.NewServeMux()
			mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, otherSrv.URL+"/landed", code)
			})
			mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/api/landed", code)
			})
			mux.Handle("/api/", origin)
			originSrv := httptest.NewServer(mux)
			defer originSrv.Close()

			var logs bytes.Buffer
			c := newClient(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, nil)
			u, _ := url.Parse(originSrv.URL + "/api/v4/")
			hc := c.Authorized(Credentials{Origin: u, Header: http.Header{"Private-Token": {secret}}})
			for _, path := range []string{"/away", "/here", "/away"} {
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, originSrv.URL+path, nil)
				// An inner library setting credentials itself must not leak either.
				req.Header.Set("Authorization", "Bearer "+secret)
				req.Header.Set("Cookie", "session=1")
				req.Header.Set("X-Extra", "token "+secret)
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			if diff := cmp.Diff([]string{"/landed ", "/landed "}, other.requests()); diff != "" {
				t.Errorf("the other host saw credentials (-want +got):\n%s", diff)
			}
			want := "/api/landed Authorization=Bearer " + secret + ",Private-Token=" + secret + ",Cookie=session=1,X-Extra=token " + secret
			if diff := cmp.Diff([]string{want}, origin.requests()); diff != "" {
				t.Errorf("same-origin redirect (-want +got):\n%s", diff)
			}
			if n := strings.Count(logs.String(), "credentials withheld"); n != 1 {
				t.Errorf("%d warnings, want 1:\n%s", n, logs.String())
			}
			if strings.Contains(logs.String(), secret) {
				t.Error("the token is in the log")
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	origin, _ := url.Parse("https://GHE.example.com/api/v3/")
	s, hp := originOf(origin)
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"https://ghe.example.com/x", true},
		{"https://ghe.example.com:443/x", true},
		{"http://ghe.example.com/x", false},
		{"https://ghe.example.com:8443/x", false},
		{"https://evil.example.com/x", false},
		{"https://ghe.example.com.evil.com/x", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			u, _ := url.Parse(tc.url)
			if got := sameOrigin(u, s, hp); got != tc.want {
				t.Errorf("sameOrigin = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCheckCleartext(t *testing.T) {
	for _, tc := range []struct {
		url     string
		allow   bool
		refused bool
	}{
		{"https://ghe.example.com/api/v3/", false, false},
		{"http://ghe.example.com/api/v3/", false, true},
		{"http://ghe.example.com/api/v3/", true, false},
		{"http://127.0.0.1:8080/", false, false},
		{"http://127.8.9.10/", false, false},
		{"http://[::1]:80/", false, false},
		{"http://localhost:3000/", false, false},
		{"http://10.0.0.1/", false, true},
	} {
		t.Run(tc.url, func(t *testing.T) {
			u, _ := url.Parse(tc.url)
			err := CheckCleartext(u, tc.allow)
			var ce *CleartextError
			if got := errors.As(err, &ce); got != tc.refused {
				t.Errorf("refused = %v (%v), want %v", got, err, tc.refused)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://user:secret@ghe.example.com/api/v3/", "https://user:xxxxx@ghe.example.com/api/v3/"},
		{`bad URL "https://ghp_abc@github.com/x": nope`, `bad URL "https://xxxxx@github.com/x": nope`},
		{"postgres://cd:pw@db:5432/cd?sslmode=disable and http://a:b@h", "postgres://cd:xxxxx@db:5432/cd?sslmode=disable and http://a:xxxxx@h"},
		{"https://example.com/a@b", "https://example.com/a@b"},
		{"no url here", "no url here"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := RedactURL(tc.in); got != tc.want {
				t.Errorf("RedactURL = %q, want %q", got, tc.want)
			}
		})
	}
}

// stall is a server that holds each request until the test ends or the
// client gives up; headersFirst sends the headers and part of the body
// before stalling.
func stall(t *testing.T, headersFirst bool) (*httptest.Server, *int) {
	t.Helper()
	release := make(chan struct{})
	var mu sync.Mutex
	n := new(int)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*n++
		mu.Unlock()
		if headersFirst {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"partial":`)
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv, n
}

// silentListener accepts connections and never answers.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// A host that never answers, or stalls in the body, ends each attempt at
// the timeout; the request is retried, then fails with *TimeoutError.
func TestTimeouts(t *testing.T) {
	headers, _ := stall(t, false)
	body, bodyHits := stall(t, true)
	for _, tc := range []struct {
		name string
		url  string
		hits *int
	}{
		{"accepts and never answers", silentListener(t) + "/x", nil},
		{"handler never answers", headers.URL + "/x", nil},
		{"headers then a stalled body", body.URL + "/x", bodyHits},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ck := newClock()
			c := newClient(t, Options{Timeout: 50 * time.Millisecond, MaxRetries: 2}, ck)
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, tc.url, nil)
			resp, err := c.HTTP.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			if ctx.Err() != nil {
				t.Fatal("the request hung until the test deadline")
			}
			var te *TimeoutError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want *TimeoutError", err)
			}
			if te.Attempts != 3 || !strings.Contains(err.Error(), "/x") {
				t.Errorf("err = %v, want 3 attempts naming the URL", err)
			}
			st := c.Stats.Snapshot()
			if st.Total != 3 || st.Retries != 2 {
				t.Errorf("stats = %+v, want 3 attempts, 2 retries", st)
			}
			if tc.hits != nil && *tc.hits != 3 {
				t.Errorf("server saw %d requests, want 3", *tc.hits)
			}
		})
	}
}

// A non-idempotent request is not retried after a timeout.
func TestTimeoutPostNotRetried(t *testing.T) {
	srv, _ := stall(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := newClient(t, Options{Timeout: 50 * time.Millisecond}, newClock())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader("{}"))
	_, err := c.HTTP.Do(req)
	if !IsTimeout(err) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if st := c.Stats.Snapshot(); st.Total != 1 {
		t.Errorf("stats = %+v, want 1 attempt", st)
	}
}

func TestPhaseTimeoutsSet(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout time.Duration
		want    [3]time.Duration
	}{
		{"defaults", 0, [3]time.Duration{DefaultTLSHandshakeTimeout, DefaultResponseHeaderTimeout, DefaultTimeout}},
		{"short", 5 * time.Second, [3]time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, Options{Timeout: tc.timeout}, nil)
			tr := c.opt.Base.(*http.Transport)
			got := [3]time.Duration{tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, c.opt.Timeout}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("timeouts (-want +got):\n%s", diff)
			}
		})
	}
}
