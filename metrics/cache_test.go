package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/cdaudit/cdaudit/store"
)

// fakeStore is a hand-written change token and HTML renderer: the page
// says which version of the store it was rendered from.
type fakeStore struct {
	version  atomic.Int64
	down     atomic.Bool
	checks   atomic.Int64
	renders  atomic.Int64
	rendered func() // called inside each render, e.g. to block it
}

func (f *fakeStore) Version(context.Context) (string, error) {
	f.checks.Add(1)
	if f.down.Load() {
		return "", errors.New("store: database is locked")
	}
	return string(rune('a' + f.version.Load())), nil
}

// LatestAll makes fakeStore a Source that fails while the store is down.
func (f *fakeStore) LatestAll(context.Context) ([]store.Snapshot, error) {
	if f.down.Load() {
		return nil, errors.New("store: database is locked")
	}
	return sampleSnapshots(), nil
}

func (f *fakeStore) HTML(_ context.Context, w io.Writer) error {
	f.renders.Add(1)
	if f.rendered != nil {
		f.rendered()
	}
	_, err := io.WriteString(w, "<html>report of version "+string(rune('a'+f.version.Load()))+strings.Repeat(" padding", 1000)+"</html>")
	return err
}

// counting wraps a handler and counts the requests that entered it.
func counting(h http.Handler, entered *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Add(1)
		h.ServeHTTP(w, r)
	})
}

// fetch sends GET path with the given headers and returns the status,
// the headers and the body as sent (not decompressed).
func fetch(t *testing.T, url string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity") // else the client asks for gzip and unzips
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return resp.StatusCode, resp.Header, b
}

func cachedServer(t *testing.T, fs *fakeStore, every time.Duration, src Source) *httptest.Server {
	t.Helper()
	if src == nil {
		src = &fakeSource{snaps: sampleSnapshots()}
	}
	return newTestServer(t, src, HandlerOptions{HTML: fs.HTML, Version: fs.Version, CheckEvery: every})
}

// TestPageRenderedOncePerChange: the page is rendered once, served from
// memory until the store changes, then rendered once again.
func TestPageRenderedOncePerChange(t *testing.T) {
	fs := &fakeStore{}
	srv := cachedServer(t, fs, time.Nanosecond, nil)
	var first []byte
	for i := range 20 {
		code, _, body := fetch(t, srv.URL+"/")
		if code != http.StatusOK || !bytes.Contains(body, []byte("version a")) {
			t.Fatalf("request %d: %d %.40s", i, code, body)
		}
		if i == 0 {
			first = body
		} else if !bytes.Equal(body, first) {
			t.Fatalf("request %d: other bytes than the first", i)
		}
	}
	if n := fs.renders.Load(); n != 1 {
		t.Errorf("20 requests, store unchanged: %d renders, want 1", n)
	}
	fs.version.Store(1) // a new audit saved
	for range 10 {
		if code, _, body := fetch(t, srv.URL+"/"); code != http.StatusOK || !bytes.Contains(body, []byte("version b")) {
			t.Fatalf("after the change: %d %.40s", code, body)
		}
	}
	if n := fs.renders.Load(); n != 2 {
		t.Errorf("after one change: %d renders, want 2", n)
	}
}

// TestTokenCheckedAtMostEvery: a flood of requests reads the change token
// once per interval, and a change shows only after it.
func TestTokenCheckedAtMostEvery(t *testing.T) {
	fs := &fakeStore{}
	srv := cachedServer(t, fs, time.Hour, nil)
	for range 30 {
		fetch(t, srv.URL+"/")
		fetch(t, srv.URL+"/metrics")
	}
	if n := fs.checks.Load(); n != 1 {
		t.Errorf("60 requests within the interval read the token %d times, want 1", n)
	}
	fs.version.Store(1)
	if _, _, body := fetch(t, srv.URL+"/"); !bytes.Contains(body, []byte("version a")) {
		t.Errorf("a change within the interval re-rendered: %.40s", body)
	}
}

func TestETagAndGzip(t *testing.T) {
	fs := &fakeStore{}
	srv := cachedServer(t, fs, time.Nanosecond, nil)
	_, hdr, plain := fetch(t, srv.URL+"/")
	etag := hdr.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || hdr.Get("Content-Encoding") != "" || hdr.Get("Cache-Control") != "no-cache" {
		t.Fatalf("headers: %v", hdr)
	}
	_, zhdr, zipped := fetch(t, srv.URL+"/", "Accept-Encoding", "br;q=1, gzip;q=0.8")
	zetag := zhdr.Get("ETag")
	if zhdr.Get("Content-Encoding") != "gzip" || zetag == etag || !strings.Contains(zhdr.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip headers: %v", zhdr)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unzipped, plain) || len(zipped) >= len(plain) {
		t.Errorf("gzip body: %d bytes unzipping to %d, plain %d", len(zipped), len(unzipped), len(plain))
	}

	tests := []struct {
		name string
		hdr  []string
		code int
	}{
		{"no validator", nil, http.StatusOK},
		{"same etag", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"weak form", []string{"If-None-Match", "W/" + etag}, http.StatusNotModified},
		{"in a list", []string{"If-None-Match", `"x", ` + etag}, http.StatusNotModified},
		{"gzip etag, plain request", []string{"If-None-Match", zetag}, http.StatusNotModified},
		{"gzip etag, gzip request", []string{"If-None-Match", zetag, "Accept-Encoding", "gzip"}, http.StatusNotModified},
		{"star", []string{"If-None-Match", "*"}, http.StatusNotModified},
		{"other etag", []string{"If-None-Match", `"0000"`}, http.StatusOK},
		{"gzip refused", []string{"Accept-Encoding", "gzip;q=0, identity"}, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := fetch(t, srv.URL+"/", tc.hdr...)
			if code != tc.code {
				t.Errorf("status %d, want %d", code, tc.code)
			}
			if code == http.StatusNotModified && len(body) != 0 {
				t.Errorf("304 with a body of %d bytes", len(body))
			}
			if code == http.StatusOK && !bytes.Equal(body, plain) {
				t.Errorf("body differs from the plain page")
			}
		})
	}
	fs.version.Store(1)
	if code, _, _ := fetch(t, srv.URL+"/", "If-None-Match", etag); code != http.StatusOK {
		t.Errorf("the old ETag after a change: %d, want 200", code)
	}
	if n := fs.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2", n)
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{
		"":                     false,
		"identity":             false,
		"gzip":                 true,
		"GZIP":                 true,
		"deflate, gzip;q=1.0":  true,
		"gzip;q=0":             false,
		"gzip; q=0.001":        true,
		"x-gzip":               true,
		"*":                    true,
		"*;q=0":                false,
		"br, deflate":          false,
		"gzip;q=nonsense, br":  false,
		"gzipper, notgzip":     false,
		" gzip ; level=9 , br": true,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := acceptsGzip([]string{in}); got != want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", in, got, want)
			}
		})
	}
}

// TestConcurrentMissesRenderOnce: requests arriving while the page is
// being rendered wait for that render instead of starting their own.
func TestConcurrentMissesRenderOnce(t *testing.T) {
	const n = 24
	var entered atomic.Int64
	fs := &fakeStore{}
	fs.rendered = func() { waitFor(func() bool { return entered.Load() >= n }) }
	reg := prometheus.NewRegistry()
	h, err := NewHandler(HandlerOptions{Gatherer: reg, HTML: fs.HTML, Version: fs.Version, CheckEvery: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(counting(h, &entered))
	defer srv.Close()
	codes := burst(t, n, srv.URL+"/")
	if diff := cmp.Diff(map[int]int{http.StatusOK: n}, codes); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
	if r := fs.renders.Load(); r != 1 {
		t.Errorf("%d concurrent misses rendered %d times, want 1", n, r)
	}
}

// TestConcurrentScrapes: 16 scrapes in flight at once all get 200, with
// the families cached per store change and without.
func TestConcurrentScrapes(t *testing.T) {
	for _, cached := range []bool{true, false} {
		t.Run(map[bool]string{true: "cached", false: "uncached"}[cached], func(t *testing.T) {
			const n = 16
			var entered, gathers atomic.Int64
			reg := prometheus.NewRegistry()
			if _, err := Register(reg, &fakeStore{}, 0, nil); err != nil {
				t.Fatal(err)
			}
			// Every gather waits until all n scrapes are in the handler,
			// so they are all in flight together.
			slow := gathererFunc(func() ([]*dto.MetricFamily, error) {
				gathers.Add(1)
				waitFor(func() bool { return entered.Load() >= n })
				return reg.Gather()
			})
			opt := HandlerOptions{Gatherer: slow}
			if cached {
				fs := &fakeStore{}
				opt.Version, opt.CheckEvery = fs.Version, time.Nanosecond
			}
			h, err := NewHandler(opt)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(counting(h, &entered))
			defer srv.Close()
			codes := burst(t, n, srv.URL+"/metrics")
			if diff := cmp.Diff(map[int]int{http.StatusOK: n}, codes); diff != "" {
				t.Errorf("status counts (-want +got):\n%s", diff)
			}
			if g := gathers.Load(); cached && g != 1 {
				t.Errorf("%d gathers for %d scrapes of an unchanged store, want 1", g, n)
			}
		})
	}
}

// TestStoreDownServesLastPage: when the change token cannot be read, the
// last page rendered is served, and /metrics gathers afresh (saying
// cdaudit_store_up 0) instead of serving stale families.
func TestStoreDownServesLastPage(t *testing.T) {
	fs := &fakeStore{}
	srv := cachedServer(t, fs, time.Nanosecond, fs)
	_, _, before := fetch(t, srv.URL+"/")
	fetch(t, srv.URL+"/metrics")
	fs.down.Store(true)
	code, _, after := fetch(t, srv.URL+"/")
	if code != http.StatusOK || !bytes.Equal(before, after) {
		t.Errorf("store down: %d, same page %v", code, bytes.Equal(before, after))
	}
	_, _, m := fetch(t, srv.URL+"/metrics")
	if !bytes.Contains(m, []byte("cdaudit_store_up 0")) {
		t.Errorf("store down: /metrics does not say so:\n%.300s", m)
	}
	if n := fs.renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
}

func TestRenderErrorNotCached(t *testing.T) {
	fail := atomic.Bool{}
	fail.Store(true)
	var renders atomic.Int64
	html := func(_ context.Context, w io.Writer) error {
		renders.Add(1)
		if fail.Load() {
			return errors.New("decoding result")
		}
		_, err := io.WriteString(w, "<html>ok</html>")
		return err
	}
	fs := &fakeStore{}
	srv := newTestServer(t, &fakeSource{}, HandlerOptions{HTML: html, Version: fs.Version, CheckEvery: time.Hour})
	if code, _, _ := fetch(t, srv.URL+"/"); code != http.StatusInternalServerError {
		t.Errorf("failing render: %d", code)
	}
	fail.Store(false)
	if code, _, body := fetch(t, srv.URL+"/"); code != http.StatusOK || string(body) != "<html>ok</html>" {
		t.Errorf("after the failure: %d %q", code, body)
	}
	if n := renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2", n)
	}
}

type gathererFunc func() ([]*dto.MetricFamily, error)

func (f gathererFunc) Gather() ([]*dto.MetricFamily, error) { return f() }

// burst sends n concurrent GETs and counts their status codes.
func burst(t *testing.T, n int, url string) map[int]int {
	t.Helper()
	var (
		mu    sync.Mutex
		codes = map[int]int{}
		wg    sync.WaitGroup
	)
	for range n {
		wg.Go(func() {
			code, _, _ := fetch(t, url)
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return codes
}

// waitFor polls cond until it holds; after 10 s it gives up (the test then
// fails on what it checks, not here).
func waitFor(cond func() bool) {
	for deadline := time.Now().Add(10 * time.Second); !cond() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
}
