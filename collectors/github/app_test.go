package github

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

var appKeyOnce = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func appKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := appKeyOnce()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A collection authenticated as a GitHub App: the installation is found
// through the repository, one token is minted (the fake verifies the JWT
// with the public key) and reads everything; a token close to its expiry
// is renewed.
func TestAppCollects(t *testing.T) {
	key := appKey(t)
	var mu sync.Mutex
	now := githubfake.ScenarioNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: "ghp_nobodys", Now: clock,
		App: &githubfake.GitHubApp{ID: "4242", Key: &key.PublicKey, InstallationID: 77, TokenLife: 6 * time.Minute}})
	defer srv.Close()
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	app, err := NewApp(AppOptions{ID: "4242", Key: key, APIURL: srv.URL, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Repo: "acme/shop", App: app, APIURL: srv.URL, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	since, until := githubfake.ScenarioWindow()
	ev := &model.Evidence{Window: model.Window{Since: since, Until: until}}
	res, err := c.Collect(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "token") {
			t.Errorf("warning about the token: %s", w)
		}
	}
	if len(ev.Changes) == 0 || len(ev.Runs) == 0 {
		t.Errorf("%d changes, %d runs: the App's token read nothing", len(ev.Changes), len(ev.Runs))
	}
	var appHits []string
	for _, h := range srv.Hits() {
		if strings.HasSuffix(h.Path, "/installation") || strings.HasSuffix(h.Path, "/access_tokens") {
			appHits = append(appHits, h.Method+" "+h.Path)
		}
		if h.Status == http.StatusUnauthorized {
			t.Errorf("%s %s: 401", h.Method, h.Path)
		}
	}
	want := []string{"GET /repos/acme/shop/installation", "POST /app/installations/77/access_tokens"}
	if d := cmp.Diff(want, appHits); d != "" {
		t.Errorf("App requests (-want +got)\n%s", d)
	}
	// 2 minutes on, the 6-minute token is within 5 minutes of its expiry.
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	h, err := app.Source("acme", "shop")(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if srv.TokensMinted() != 2 || h.Get("Authorization") != "Bearer ghs_fakeinstallation0002" {
		t.Errorf("after 2 minutes: %d tokens minted, header %q; want a renewed token", srv.TokensMinted(), h.Get("Authorization"))
	}
	if id := h.Get("X-Cdaudit-Cache-Identity"); id != "github-app:4242:installation:77" {
		t.Errorf("cache identity %q", id)
	}
}

func TestAppJWT(t *testing.T) {
	key := appKey(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	app, err := NewApp(AppOptions{ID: "4242", Key: key, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := app.JWT()
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	var head, claims map[string]any
	for i, v := range []*map[string]any{&head, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(b, v) != nil {
			t.Fatalf("part %d does not decode", i)
		}
	}
	got := map[string]any{"alg": head["alg"], "iss": claims["iss"], "iat": claims["iat"], "exp": claims["exp"]}
	want := map[string]any{"alg": "RS256", "iss": "4242", "iat": float64(now.Unix() - 60), "exp": float64(now.Unix() - 60 + 540)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("JWT (-want +got)\n%s", d)
	}
}

// A key the host does not know: the collection fails with *AppError
// naming the step and the status, and never shows the JWT.
func TestAppRefused(t *testing.T) {
	key := appKey(t)
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: "ghp_nobodys",
		App: &githubfake.GitHubApp{ID: "4242", Key: &other.PublicKey, InstallationID: 77}})
	defer srv.Close()
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	app, err := NewApp(AppOptions{ID: "4242", Key: key, APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Repo: "acme/shop", App: app, APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Collect(context.Background(), &model.Evidence{})
	var ae *AppError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || !strings.Contains(err.Error(), "finding the installation") {
		t.Fatalf("err = %v, want *AppError with 401 finding the installation", err)
	}
	jwt, _ := app.JWT()
	if strings.Contains(err.Error(), jwt[:20]) {
		t.Error("the error shows the JWT")
	}
}

func TestParseAppKey(t *testing.T) {
	key := appKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		pem  []byte
		ok   bool
	}{
		{"PKCS #1 (GitHub's download)", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), true},
		{"PKCS #8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), true},
		{"not PEM", []byte("ghp_sometoken"), false},
		{"PEM of something else", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseAppKey(tc.pem)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if tc.ok && !k.Equal(key) {
				t.Error("a different key")
			}
		})
	}
}
