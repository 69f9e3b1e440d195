package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A credential Source gives each request to the origin its headers (a
// refreshed token), never a request to another host; its cache identity
// keeps cached answers valid across tokens and never leaves the machine;
// its error fails the request.
func TestCredentialSource(t *testing.T) {
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, "other:"+r.Header.Get("Authorization")+r.Header.Get(CacheIdentityHeader))
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization")+"|"+r.Header.Get(CacheIdentityHeader))
		if r.URL.Path == "/away" {
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write([]byte("{}"))
	}))
	defer api.Close()
	origin, _ := url.Parse(api.URL)
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var fail error
	hc := c.Authorized(Credentials{Origin: origin, Source: func(context.Context) (http.Header, error) {
		n++
		return http.Header{"Authorization": {"Bearer tok" + strconv.Itoa(n)}, CacheIdentityHeader: {"app:1"}}, fail
	}})
	for _, p := range []string{"/a", "/a", "/away"} {
		resp, err := hc.Get(api.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{"Bearer tok1|", "Bearer tok2|", "Bearer tok3|", "other:"}
	if d := cmp.Diff(want, seen); d != "" {
		t.Errorf("headers seen (-want +got)\n%s", d)
	}
	if got := c.Stats.Snapshot().NotModified; got != 1 {
		t.Errorf("%d 304s, want 1: the second token must revalidate the first one's answer", got)
	}
	fail = errors.New("no installation")
	if _, err := hc.Get(api.URL + "/a"); !errors.Is(err, fail) {
		t.Errorf("err = %v, want the source's error", err)
	}
}
