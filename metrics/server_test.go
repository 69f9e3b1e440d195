package metrics

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// newTestServer serves a handler over src with the given hooks.
func newTestServer(t *testing.T, src Source, opt HandlerOptions) *httptest.Server {
	t.Helper()
	reg := prometheus.NewRegistry()
	if _, err := Register(reg, src, 0, nil); err != nil {
		t.Fatal(err)
	}
	opt.Gatherer = reg
	h, err := NewHandler(opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, method, url string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// TestScrape scrapes /metrics the way Prometheus does and checks the
// exposition with promlint and promtool.
func TestScrape(t *testing.T) {
	srv := newTestServer(t, &fakeSource{snaps: sampleSnapshots()}, HandlerOptions{})
	code, hdr, body := get(t, http.MethodGet, srv.URL+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d\n%s", code, body)
	}
	if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
	mfs := checkExposition(t, []byte(body))
	if v, ok := value(mfs, "cdaudit_target_info", map[string]string{"target": "evil/\"repo\"\n{x=\"1\"}\\", "owner": "a\"b\nc\\d"}); !ok || v != 1 {
		t.Errorf("hostile target did not survive the round trip:\n%s", body)
	}
	if !strings.Contains(body, `target="evil/\"repo\"\n{x=\"1\"}\\"`) {
		t.Errorf("target label not escaped as the text format says:\n%s", body)
	}
}

func TestHealthz(t *testing.T) {
	tests := []struct {
		name   string
		health func(ctx context.Context) error
		code   int
		body   string
	}{
		{"no check", nil, http.StatusOK, "ok\n"},
		{"store answers", func(context.Context) error { return nil }, http.StatusOK, "ok\n"},
		{"store down", func(context.Context) error { return errors.New("dial tcp: secret-host refused") }, http.StatusServiceUnavailable, "store unavailable\n"},
		{"store hangs", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, http.StatusServiceUnavailable, "store unavailable\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestServer(t, &fakeSource{}, HandlerOptions{Health: tc.health, HealthTimeout: 1})
			code, _, body := get(t, http.MethodGet, srv.URL+"/healthz")
			if code != tc.code || body != tc.body {
				t.Errorf("GET /healthz = %d %q, want %d %q", code, body, tc.code, tc.body)
			}
		})
	}
}

func TestIndex(t *testing.T) {
	tests := []struct {
		name     string
		html     func(ctx context.Context, w io.Writer) error
		code     int
		contains string
	}{
		{"no report", nil, http.StatusOK, `href="metrics"`},
		{"report", func(_ context.Context, w io.Writer) error {
			_, err := io.WriteString(w, "<html>the report</html>")
			return err
		}, http.StatusOK, "<html>the report</html>"},
		{"render fails", func(_ context.Context, w io.Writer) error {
			io.WriteString(w, "<html>half")
			return errors.New("store: decoding result")
		}, http.StatusInternalServerError, "could not be rendered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestServer(t, &fakeSource{}, HandlerOptions{HTML: tc.html})
			code, _, body := get(t, http.MethodGet, srv.URL+"/")
			if code != tc.code || !strings.Contains(body, tc.contains) || strings.Contains(body, "half") {
				t.Errorf("GET / = %d %q, want %d containing %q", code, body, tc.code, tc.contains)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	srv := newTestServer(t, &fakeSource{}, HandlerOptions{})
	tests := []struct {
		method, path string
		code         int
	}{
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodGet, "/metrics/x", http.StatusNotFound},
		{http.MethodPost, "/metrics", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/", http.StatusMethodNotAllowed},
		{http.MethodHead, "/healthz", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			if code, _, _ := get(t, tc.method, srv.URL+tc.path); code != tc.code {
				t.Errorf("%s %s = %d, want %d", tc.method, tc.path, code, tc.code)
			}
		})
	}
}

func TestNewHandlerNeedsGatherer(t *testing.T) {
	if _, err := NewHandler(HandlerOptions{}); err == nil {
		t.Error("no error without a gatherer")
	}
}

// TestServeListener serves on a loopback port, answers a request, and
// returns nil once the context is cancelled.
func TestServeListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hi") })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeListener(ctx, ln, h, nil) }()
	if code, _, body := get(t, http.MethodGet, "http://"+ln.Addr().String()+"/"); code != 200 || body != "hi" {
		t.Errorf("GET = %d %q", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ServeListener after cancel = %v, want nil", err)
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Error("still listening after shutdown")
	}
}

func TestServeErrors(t *testing.T) {
	h := http.NotFoundHandler()
	if err := Serve(context.Background(), "256.0.0.1:http-nope", h, nil); err == nil {
		t.Error("bad address: no error")
	}
	// A listener that fails at once makes ServeListener return its error.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if err := ServeListener(context.Background(), ln, h, nil); err == nil {
		t.Error("closed listener: no error")
	}
}
