package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Credentials are the headers that authenticate to one API origin, e.g.
// Authorization: Bearer … for GitHub or PRIVATE-TOKEN: … for GitLab.
type Credentials struct {
	// Origin is the API base; only its scheme, host and port count.
	Origin *url.URL
	// Header holds the credential headers (values are secrets).
	Header http.Header
	// Source, when set, gives the credential headers of each request
	// instead of Header (a token that is refreshed, such as a GitHub App's
	// installation token); its error fails the request. It is asked for
	// requests to Origin only.
	Source func(ctx context.Context) (http.Header, error)
}

// credentialHeaders are stripped from every request that leaves the origin,
// whoever set them.
var credentialHeaders = [...]string{"Authorization", "Private-Token", "Job-Token", "Cookie"}

// Authorized returns an *http.Client over this Client's stack (cache, rate
// limits, retries and counters shared) that adds cr's headers to requests
// for cr.Origin only. A request for any other scheme, host or port — a
// redirect to another host included — leaves without cr's headers, without
// Authorization, PRIVATE-TOKEN, JOB-TOKEN and Cookie, and without any header
// whose value carries a credential; the first such request logs one warning
// naming the hosts.
func (c *Client) Authorized(cr Credentials) *http.Client {
	return &http.Client{Transport: NewAuthTransport(c.HTTP.Transport, cr, c.opt.Logger)}
}

// NewAuthTransport wraps base with the credential layer of Authorized; log
// (nil discards) receives its warning.
func NewAuthTransport(base http.RoundTripper, cr Credentials, log *slog.Logger) http.RoundTripper {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &authTransport{base: base, header: cr.Header.Clone(), source: cr.Source, log: log}
	if cr.Origin != nil {
		t.scheme, t.hostport = originOf(cr.Origin)
	}
	for _, vs := range t.header {
		for _, v := range vs {
			if s := strings.TrimSpace(v); s != "" {
				t.secrets = append(t.secrets, s)
				// "Bearer TOKEN": the bare token must not leave either.
				if _, tok, ok := strings.Cut(s, " "); ok && len(tok) >= 8 {
					t.secrets = append(t.secrets, tok)
				}
			}
		}
	}
	return t
}

type authTransport struct {
	base             http.RoundTripper
	header           http.Header
	source           func(context.Context) (http.Header, error)
	secrets          []string
	scheme, hostport string
	log              *slog.Logger
	warned           sync.Once
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if t.hostport != "" && sameOrigin(req.URL, t.scheme, t.hostport) {
		if t.source != nil {
			h, err := t.source(req.Context())
			if err != nil {
				return nil, err
			}
			for k, vs := range h {
				out.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
			}
			return t.base.RoundTrip(out)
		}
		for k, vs := range t.header {
			out.Header[k] = append([]string(nil), vs...)
		}
		return t.base.RoundTrip(out)
	}
	if t.strip(out.Header) || len(t.header) > 0 || t.source != nil {
		t.warned.Do(func() {
			t.log.Warn("credentials withheld from a request to another host (a redirect?)",
				"origin", t.hostport, "host", req.URL.Host)
		})
	}
	return t.base.RoundTrip(out)
}

// strip removes the credential headers from h and reports whether any was
// there.
func (t *authTransport) strip(h http.Header) bool {
	found := false
	del := func(k string) {
		if _, ok := h[k]; ok {
			found = true
			delete(h, k)
		}
	}
	for _, k := range credentialHeaders {
		del(k)
	}
	for k := range t.header {
		del(http.CanonicalHeaderKey(k))
	}
	for k, vs := range h {
		for _, v := range vs {
			if t.carriesSecret(v) {
				del(k)
				break
			}
		}
	}
	return found
}

func (t *authTransport) carriesSecret(v string) bool {
	for _, s := range t.secrets {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// originOf returns u's scheme and host:port, the port made explicit.
func originOf(u *url.URL) (scheme, hostport string) {
	scheme = strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme, net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func sameOrigin(u *url.URL, scheme, hostport string) bool {
	s, hp := originOf(u)
	return s == scheme && hp == hostport
}

// IsLoopback reports a host (name or address, without port) that never
// leaves the machine: localhost, 127.0.0.0/8, ::1.
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// CleartextError refuses an http:// API URL to a host other than loopback:
// the token would cross the network unencrypted.
type CleartextError struct{ Host string }

func (e *CleartextError) Error() string {
	return fmt.Sprintf("refusing cleartext http:// to %s: the token would travel unencrypted; use https://", e.Host)
}

// CheckCleartext returns *CleartextError for an http:// URL to a
// non-loopback host unless allow is set.
func CheckCleartext(u *url.URL, allow bool) error {
	if allow || u == nil || !strings.EqualFold(u.Scheme, "http") || IsLoopback(u.Hostname()) {
		return nil
	}
	return &CleartextError{Host: u.Host}
}

// userinfo matches the credentials of a URL inside free text.
var userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\s"']+@`)

// RedactURL returns s with any user information of a URL replaced by
// "xxxxx" (user:secret@ → user:xxxxx@, token@ → xxxxx@); it works on free
// text (error messages, log lines) as well as on a single URL.
func RedactURL(s string) string {
	return userinfo.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.Index(m, "://") + 3
		user, _, hasPass := strings.Cut(m[i:len(m)-1], ":")
		if hasPass && user != "" {
			return m[:i] + user + ":xxxxx@"
		}
		return m[:i] + "xxxxx@"
	})
}
