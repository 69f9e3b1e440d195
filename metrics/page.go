package metrics

import (
	"net/http"
	"strconv"
	"strings"
)

// servePage writes a cached page: gzipped when the client accepts it,
// 304 Not Modified when the client's If-None-Match names it. Browsers
// revalidate every time (no-cache), so a new audit shows at once.
func servePage(w http.ResponseWriter, r *http.Request, p *page) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	body, etag := p.body, p.etag
	if acceptsGzip(r.Header.Values("Accept-Encoding")) {
		body, etag = p.gz, p.gzETag()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if noneMatch(r.Header.Values("If-None-Match"), p.etag, p.gzETag()) {
		h.Del("Content-Type")
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// acceptsGzip reports whether Accept-Encoding values allow gzip: a gzip
// (or x-gzip, or *) coding whose q is not 0.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip", "*":
			default:
				continue
			}
			if q, ok := qValue(params); !ok || q > 0 {
				return true
			}
		}
	}
	return false
}

// qValue returns the q parameter of a coding's parameters, if any.
func qValue(params string) (float64, bool) {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0, true // a malformed q counts as refusal
			}
			return q, true
		}
	}
	return 0, false
}

// noneMatch reports whether If-None-Match values name one of etags
// (weak comparison, as RFC 9110 prescribes for If-None-Match) or are "*".
func noneMatch(values []string, etags ...string) bool {
	for _, v := range values {
		for _, tag := range strings.Split(v, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" {
				return true
			}
			for _, e := range etags {
				if tag == e {
					return true
				}
			}
		}
	}
	return false
}
