package gitlab

import (
	"net/http"
	"strings"
)

// guardLinks returns hc with its answers' Link headers cleaned before the
// API client reads them: client-go indexes the part after ';' without
// checking it holds '=', so an entry such as "<x>; next" or ";" from a
// broken proxy or server would panic the audit. Entries that are not
// `<URL>; rel="…"` are dropped (pagination then falls back to X-Next-Page).
func guardLinks(hc *http.Client) *http.Client {
	g := *hc
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	g.Transport = linkGuard{next}
	return &g
}

type linkGuard struct{ next http.RoundTripper }

func (l linkGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(req)
	if resp != nil {
		if v := resp.Header.Values("Link"); len(v) > 0 {
			if clean := cleanLink(strings.Join(v, ",")); clean != "" {
				resp.Header.Set("Link", clean)
			} else {
				resp.Header.Del("Link")
			}
		}
	}
	return resp, err
}

// cleanLink keeps the well-formed entries of a Link header value.
func cleanLink(v string) string {
	var keep []string
	for _, e := range strings.Split(v, ",") {
		parts := strings.Split(e, ";")
		if len(parts) < 2 || !strings.HasPrefix(strings.TrimSpace(parts[0]), "<") || !strings.Contains(parts[1], "=") {
			continue
		}
		keep = append(keep, strings.TrimSpace(e))
	}
	return strings.Join(keep, ", ")
}
