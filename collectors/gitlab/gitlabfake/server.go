package gitlabfake

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault makes requests whose API path (after /api/v4, query excluded)
// matches Path answer Status for the next Times requests (Times < 0:
// always). RetryAfter, when set, is sent as Retry-After; RateLimitReset
// (unix seconds) as RateLimit-Reset with RateLimit-Remaining 0.
type Fault struct {
	Path           *regexp.Regexp
	Status         int
	Times          int
	RetryAfter     string
	RateLimitReset int64
	Body           string
}

// Server is a running fake GitLab.
type Server struct {
	URL    string // the instance root (without /api/v4); add Prefix if set
	Prefix string // a path prefix the instance lives under, e.g. "/gitlab"
	srv    *httptest.Server

	// Token, when set, is the only PRIVATE-TOKEN accepted (else 401).
	Token string
	// Now is the time reported in RateLimit-Reset (default: a fixed time).
	Now func() time.Time

	latency time.Duration

	mu       sync.Mutex
	data     *Data
	groups   []Group
	faults   []*Fault
	requests []string
	headers  []http.Header
}

// Options configures a Server.
type Options struct {
	Token  string
	Prefix string // serve under this path prefix (self-managed behind a path)
	TLS    bool   // serve HTTPS with httptest's certificate
	// Latency delays every answer (benchmarks at a real host's pace).
	Latency time.Duration
}

// New starts a fake serving data. Close it when done.
func New(data *Data, opt Options) *Server {
	s := &Server{data: data, Token: opt.Token, Prefix: strings.TrimRight(opt.Prefix, "/"), latency: opt.Latency}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected in CA tests
	if opt.TLS {
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// HTTPServer is the underlying httptest server (its Certificate, Client).
func (s *Server) HTTPServer() *httptest.Server { return s.srv }

// BaseURL is the instance URL a collector is given (root plus prefix).
func (s *Server) BaseURL() string { return s.URL + s.Prefix }

// AddFault installs a fault.
func (s *Server) AddFault(f *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// Update changes the served data under the server's lock.
func (s *Server) Update(f func(d *Data)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.data)
}

// Requests returns the requests answered so far, as "GET /path?query"
// (path after /api/v4), and forgets them when reset is true.
func (s *Server) Requests(reset bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string(nil), s.requests...)
	if reset {
		s.requests, s.headers = nil, nil
	}
	return out
}

// Headers returns the request headers seen so far.
func (s *Server) Headers() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.headers...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	raw := r.URL.EscapedPath()
	prefix := s.Prefix + "/api/v4"
	gql := raw == s.Prefix+GraphQLPath
	if !gql && !strings.HasPrefix(raw, prefix+"/") {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "404 Not Found"})
		return
	}
	apiPath := strings.TrimPrefix(raw, prefix)
	if gql {
		apiPath = GraphQLPath
	}
	s.requests = append(s.requests, r.Method+" "+apiPath+queryString(r.URL.RawQuery))
	s.headers = append(s.headers, r.Header.Clone())
	s.rateHeaders(w)
	if s.Token != "" && r.Header.Get("Private-Token") != s.Token && r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "401 Unauthorized"})
		return
	}
	for _, f := range s.faults {
		if f.Times == 0 || !f.Path.MatchString(apiPath) {
			continue
		}
		if f.Times > 0 {
			f.Times--
		}
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.RateLimitReset != 0 {
			w.Header().Set("RateLimit-Remaining", "0")
			w.Header().Set("RateLimit-Reset", strconv.FormatInt(f.RateLimitReset, 10))
		}
		body := f.Body
		if body == "" {
			body = fmt.Sprintf(`{"message":"%d %s"}`, f.Status, http.StatusText(f.Status))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.Status)
		fmt.Fprint(w, body)
		return
	}
	if gql {
		s.graphql(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "405 Method Not Allowed"})
		return
	}
	s.route(w, r, apiPath)
}

func queryString(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

func (s *Server) rateHeaders(w http.ResponseWriter) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if s.Now != nil {
		now = s.Now()
	}
	h := w.Header()
	h.Set("RateLimit-Limit", "2000")
	h.Set("RateLimit-Observed", strconv.Itoa(len(s.requests)))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(2000-len(s.requests), 1)))
	h.Set("RateLimit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	h.Set("RateLimit-ResetTime", now.Add(time.Minute).Format(http.TimeFormat))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter, what string) {
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 " + what + " Not Found"})
}

func forbidden(w http.ResponseWriter) {
	writeJSON(w, http.StatusForbidden, map[string]string{"message": "403 Forbidden"})
}

// paginate serves items with offset pagination (page, per_page ≤ 100,
// default 20) and GitLab's headers.
func paginate[T any](w http.ResponseWriter, r *http.Request, items []T) {
	q := r.URL.Query()
	per := atoiDefault(q.Get("per_page"), 20)
	if per < 1 {
		per = 20
	}
	if per > 100 {
		per = 100
	}
	page := atoiDefault(q.Get("page"), 1)
	if page < 1 {
		page = 1
	}
	total := len(items)
	pages := (total + per - 1) / per
	if pages == 0 {
		pages = 1
	}
	lo := min((page-1)*per, total)
	hi := min(lo+per, total)
	h := w.Header()
	h.Set("X-Page", strconv.Itoa(page))
	h.Set("X-Per-Page", strconv.Itoa(per))
	h.Set("X-Total", strconv.Itoa(total))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	h.Set("X-Prev-Page", "")
	h.Set("X-Next-Page", "")
	var links []string
	link := func(p int, rel string) string {
		u := *r.URL
		uq := u.Query()
		uq.Set("page", strconv.Itoa(p))
		uq.Set("per_page", strconv.Itoa(per))
		u.RawQuery = uq.Encode()
		return fmt.Sprintf(`<%s://%s%s>; rel="%s"`, scheme(r), r.Host, u.RequestURI(), rel)
	}
	if page > 1 {
		h.Set("X-Prev-Page", strconv.Itoa(page-1))
		links = append(links, link(page-1, "prev"))
	}
	if page < pages {
		h.Set("X-Next-Page", strconv.Itoa(page+1))
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(1, "first"), link(pages, "last"))
	h.Set("Link", strings.Join(links, ", "))
	out := items[lo:hi]
	if out == nil {
		out = []T{}
	}
	writeJSON(w, http.StatusOK, out)
}

// keyset serves items with keyset pagination as the tree does: a
// page_token (the last entry's id) and a Link rel="next" only.
func keyset[T any](w http.ResponseWriter, r *http.Request, items []T, key func(T) string) {
	q := r.URL.Query()
	per := atoiDefault(q.Get("per_page"), 20)
	if per < 1 || per > 100 {
		per = min(max(per, 20), 100)
	}
	start := 0
	if tok := q.Get("page_token"); tok != "" {
		start = len(items)
		for i, it := range items {
			if key(it) == tok {
				start = i + 1
				break
			}
		}
	}
	end := min(start+per, len(items))
	out := items[start:end]
	if end < len(items) {
		u := *r.URL
		uq := u.Query()
		uq.Set("page_token", key(items[end-1]))
		uq.Set("pagination", "keyset")
		uq.Set("per_page", strconv.Itoa(per))
		u.RawQuery = uq.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s://%s%s>; rel="next"`, scheme(r), r.Host, u.RequestURI()))
	}
	if out == nil {
		out = []T{}
	}
	writeJSON(w, http.StatusOK, out)
}

func atoiDefault(s string, d int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return d
	}
	return n
}

// timeParam parses an ISO 8601 query parameter; ok is false when absent.
func timeParam(q url.Values, name string) (time.Time, bool, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	return t, err == nil, err
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}
