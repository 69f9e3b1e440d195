package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// An http:// API URL off loopback is refused before any request; the
// message names the flag that allows it.
func TestCleartextAPIURLRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"github", []string{"--github", "acme/shop", "--github-api-url", "http://ghe.example.com/api/v3/"}},
		{"gitlab", []string{"--gitlab", "acme/shop", "--gitlab-url", "http://gitlab.example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runHost(t, fakeToken, append([]string{"audit", "--no-store"}, tc.args...)...)
			if code != ExitError || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
				!strings.Contains(stderr, "refusing cleartext http://") || !strings.Contains(stderr, "--insecure-http") {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}

// --insecure-http lets it through with one warning per URL, however many
// targets use it.
func TestInsecureHTTPWarnsOnce(t *testing.T) {
	var logs bytes.Buffer
	a := &app{log: slog.New(slog.NewTextHandler(&logs, nil))}
	h := hostFlags{insecureHTTP: true, warned: &warnOnce{}}
	for range 3 {
		if err := a.checkAPIURL("--gitlab-url", "http://gitlab.example.com", h); err != nil {
			t.Fatal(err)
		}
		if err := a.checkAPIURL("--gitlab-url", "http://127.0.0.1:8080", h); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 || !strings.Contains(logs.String(), "host=gitlab.example.com") {
		t.Errorf("%d warnings, want 1 naming the host:\n%s", n, logs.String())
	}
}

func TestTokenFile(t *testing.T) {
	srv := startGitHub(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		want    string // substring of stderr; "" for success
	}{
		{"private", fakeToken + "\n", 0o600, ""},
		{"readable by others", fakeToken, 0o644, "run chmod 600"},
		{"readable by group", fakeToken, 0o640, "run chmod 600"},
		{"empty", "", 0o600, "empty token file"},
		{"whitespace only", " \n\t\n", 0o600, "empty token file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.mode&0o077 != 0 && (os.PathSeparator == '\\') {
				t.Skip("no unix permissions")
			}
			f := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.WriteFile(f, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(f, tc.mode); err != nil { // umask-proof
				t.Fatal(err)
			}
			since, until := githubfake.ScenarioWindow()
			code, out, stderr := runHost(t, "", "audit", "--github", "acme/shop", "--github-api-url", srv.URL,
				"--github-token-file", f, "--quiet", "--format", "json",
				"--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339))
			if tc.want == "" {
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				return
			}
			if code != ExitError || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, f) {
				t.Errorf("exit %d, stderr %q, want %q naming %s", code, stderr, tc.want, f)
			}
			// a 401 would mean the token went to the server; the temporary
			// directory's random name may hold the digits 401 (flaky before)
			if strings.Contains(out+stderr, fakeToken) || strings.Contains(strings.ReplaceAll(stderr, dir, ""), "401") {
				t.Errorf("token printed or sent: %q", stderr)
			}
		})
	}
}

// A credential in a URL is never echoed.
func TestCredentialsInURLsRedacted(t *testing.T) {
	const pw = "hunter2pw"
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"github API URL", []string{"--github", "acme/shop", "--github-api-url", "https://u:" + pw + "@ghe.example.com/api/v3/"}},
		{"github API URL, bad scheme", []string{"--github", "acme/shop", "--github-api-url", "ftp://u:" + pw + "@ghe.example.com/api/v3/"}},
		{"gitlab URL", []string{"--gitlab", "acme/shop", "--gitlab-url", "https://u:" + pw + "@gitlab.example.com"}},
		{"gitlab URL, bad scheme", []string{"--gitlab", "acme/shop", "--gitlab-url", "ftp://u:" + pw + "@gitlab.example.com"}},
		{"store DSN", []string{".", "--store", "postgres://u:" + pw + "@127.0.0.1:1/x?connect_timeout=5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--log-level", "debug"}, tc.args...)...)
			if code != ExitError {
				t.Errorf("exit %d, want 2: %s", code, stderr)
			}
			if strings.Contains(out+stderr, pw) {
				t.Errorf("the password is echoed: %q", stderr)
			}
		})
	}
	if got := usageErr("store %q: bad", "postgres://u:"+pw+"@db/x").Error(); strings.Contains(got, pw) {
		t.Errorf("usage error %q echoes the password", got)
	}
}

// A GitHub host whose pull-request listing never answers ends the audit
// with the source partial and the reason, instead of hanging it.
func TestSilentHostEndsPartial(t *testing.T) {
	fake := startGitHub(t)
	u, _ := url.Parse(strings.TrimSuffix(fake.URL, githubfake.Prefix))
	rp := httputil.NewSingleHostReverseProxy(u)
	release := make(chan struct{})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/pulls") {
			rp.ServeHTTP(w, r)
			return
		}
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "[")
		w.(http.Flusher).Flush()
		select { // headers sent, the body stalls
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(front.Close)
	t.Cleanup(func() { close(release) })
	since, until := githubfake.ScenarioWindow()
	code, out, stderr := runHost(t, fakeToken, "audit", "--github", "acme/shop", "--github-api-url", front.URL+githubfake.Prefix,
		"--http-timeout", "100ms", "--format", "json", "--quiet",
		"--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	s := r.Targets[0].Sources
	if len(s) != 1 || s[0].Status != model.StatusPartial || !strings.Contains(strings.Join(s[0].Warnings, " "), "no complete answer within 100ms") {
		t.Errorf("sources %+v, want github partial with the timeout", s)
	}
}

func TestHTTPTimeoutFlag(t *testing.T) {
	code, _, stderr := runHost(t, fakeToken, "audit", "--github", "acme/shop", "--http-timeout", "0s", "--no-store")
	if code != ExitError || !strings.Contains(stderr, "--http-timeout") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
