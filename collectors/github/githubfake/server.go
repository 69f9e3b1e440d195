package githubfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Prefix is the API path prefix the server answers under, as on GitHub
// Enterprise Server; Server.URL includes it.
const Prefix = "/api/v3/"

// Repo is the repository the server serves.
type Repo struct {
	Owner, Name   string
	DefaultBranch string
	Private       bool
	CreatedAt     time.Time
	// Commits is the default branch's history, newest first.
	Commits      []Commit
	Branches     []Branch
	Tags         []Tag
	Releases     []Release // newest first
	Pulls        []Pull
	Runs         []Run
	Deployments  []Deployment // newest first
	Environments []Environment
	// Protection is the default branch's classic protection; nil answers
	// 404 "Branch not protected".
	Protection *Protection
	Rules      []Rule
	// Files is the tree at the default branch's head: path → content.
	Files map[string]string
	// FilesAt are the trees of older commits: commit SHA → path → content
	// (their blobs are served too).
	FilesAt       map[string]map[string]string
	TreeTruncated bool
	// Statuses are commit statuses by commit SHA, newest first.
	Statuses map[string][]Status
	// CheckRuns are check runs by commit SHA (any order; served newest
	// first).
	CheckRuns map[string][]CheckRun
	// NoActions makes every actions endpoint answer 404.
	NoActions bool
}

// FullName is OWNER/NAME.
func (r *Repo) FullName() string { return r.Owner + "/" + r.Name }

// Fault is a scripted answer for requests whose path (after the prefix)
// contains Path.
type Fault struct {
	Path   string // substring of the path; "" matches every request
	Status int
	Header map[string]string
	Body   string
	// Times is how many requests the fault answers; 0 answers all.
	Times int
}

// Hit is one request the server saw.
type Hit struct {
	Method, Path, Query string
	Status              int
	// Cost is the GraphQL points a query to GraphQLPath cost (0 for REST).
	Cost int
}

// Server is the fake GitHub.
type Server struct {
	*httptest.Server
	// URL is the API base to give clients (…/api/v3/).
	URL string

	mu        sync.Mutex
	repo      *Repo
	token     string
	now       func() time.Time
	limit     int
	remaining int
	// gqlRemaining is the GraphQL bucket (GraphQLLimit points an hour).
	gqlRemaining int
	latency      time.Duration
	faults       []*Fault
	hits         []Hit
	mux          *http.ServeMux
	owners       []Owner
	app          *appState
}

// Options configures a Server.
type Options struct {
	// Token is the only token accepted; "" accepts any token (and none).
	Token string
	// Now is the server's clock (rate-limit resets); default time.Now.
	Now func() time.Time
	// Limit is the primary quota per hour (default 5000).
	Limit int
	// Latency delays every answer (benchmarks at a real host's pace);
	// requests in flight wait in parallel.
	Latency time.Duration
	// App, when set, serves a GitHub App's installation and token routes
	// and accepts the tokens it mints (see GitHubApp).
	App *GitHubApp
}

// New starts a server for repo. Close it when done.
func New(repo *Repo, opt Options) *Server {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Limit == 0 {
		opt.Limit = 5000
	}
	s := &Server{repo: repo, token: opt.Token, now: opt.Now, limit: opt.Limit, remaining: opt.Limit,
		gqlRemaining: GraphQLLimit, latency: opt.Latency}
	if opt.App != nil {
		s.app = &appState{GitHubApp: *opt.App, issued: map[string]time.Time{}}
	}
	s.routes()
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.Server.URL + Prefix
	return s
}

// Update changes the repository under the server's lock.
func (s *Server) Update(f func(r *Repo)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.repo)
}

// AddFault scripts answers; faults are tried in the order added.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// SetRemaining sets the primary quota left.
func (s *Server) SetRemaining(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remaining = n
}

// Hits returns the requests seen so far.
func (s *Server) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

// ResetHits forgets the requests seen.
func (s *Server) ResetHits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits = nil
}

// Counted is how many requests so far counted against the quota (all but
// 304s).
func (s *Server) Counted() int {
	n := 0
	for _, h := range s.Hits() {
		if h.Status != http.StatusNotModified {
			n++
		}
	}
	return n
}

func (s *Server) rateHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(s.remaining, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.limit-max(s.remaining, 0)))
	h.Set("X-RateLimit-Resource", "core")
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(Prefix, "/"))
	status, cost := s.answer(w, r, path)
	s.hits = append(s.hits, Hit{Method: r.Method, Path: path, Query: r.URL.RawQuery, Status: status, Cost: cost})
}

// GraphQLCost is the GraphQL points spent so far.
func (s *Server) GraphQLCost() int {
	n := 0
	for _, h := range s.Hits() {
		n += h.Cost
	}
	return n
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, path string) (status, cost int) {
	status = s.answerREST(w, r, path, &cost)
	return status, cost
}

func (s *Server) answerREST(w http.ResponseWriter, r *http.Request, path string, cost *int) int {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	for _, f := range s.faults {
		if f.Times < 0 || !strings.Contains(path, f.Path) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				f.Times = -1
			}
		}
		s.remaining--
		s.rateHeaders(h)
		for k, v := range f.Header {
			h.Set(k, v)
		}
		w.WriteHeader(f.Status)
		fmt.Fprint(w, f.Body)
		return f.Status
	}
	if !strings.HasPrefix(r.URL.Path, Prefix) && r.URL.Path != GraphQLPath {
		return s.fail(w, http.StatusNotFound, "Not Found")
	}
	if s.app != nil {
		if st, ok := s.answerApp(w, r, path); ok {
			return st
		}
	}
	auth := r.Header.Get("Authorization")
	if auth != "" && s.token != "" {
		tok := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(auth, "Bearer "), "token "))
		if tok != s.token && !s.appToken(tok) {
			return s.fail(w, http.StatusUnauthorized, "Bad credentials")
		}
	}
	if auth == "" && s.repo.Private {
		return s.fail(w, http.StatusNotFound, "Not Found")
	}
	if r.URL.Path == GraphQLPath {
		status, c := s.graphql(w, r)
		*cost = c
		return status
	}
	if s.remaining <= 0 {
		return s.fail(w, http.StatusForbidden, "API rate limit exceeded for user ID 1.")
	}
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		h[k] = v
	}
	status := rec.Code
	if status == http.StatusOK {
		sum := sha256.Sum256(append([]byte(r.Header.Get("Accept")+"\x00"), body...))
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
		h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
		if r.Header.Get("If-None-Match") == etag {
			s.rateHeaders(h)
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return http.StatusNotModified
		}
	}
	s.remaining--
	s.rateHeaders(h)
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

func (s *Server) fail(w http.ResponseWriter, status int, msg string) int {
	if status != http.StatusUnauthorized {
		s.remaining--
	}
	s.rateHeaders(w.Header())
	w.WriteHeader(status)
	doc := "https://docs.github.com/rest"
	if status == http.StatusForbidden && strings.Contains(msg, "rate limit") {
		w.Header().Set("X-RateLimit-Remaining", "0")
		doc = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
	}
	b, _ := json.Marshal(map[string]string{"message": msg, "documentation_url": doc})
	_, _ = w.Write(b)
	return status
}

// writeJSON answers v with status 200.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func notFound(w http.ResponseWriter, msg string) {
	w.WriteHeader(http.StatusNotFound)
	b, _ := json.Marshal(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
	_, _ = w.Write(b)
}

// paginate returns the slice bounds of the requested page of n items and
// sets the Link header as GitHub does (next, last, first, prev). limit caps
// the items reachable (GitHub's 1,000-result cap); 0 means none.
func paginate(w http.ResponseWriter, r *http.Request, n, limit int) (int, int) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page <= 0 {
		page = 1
	}
	reach := n
	if limit > 0 {
		reach = min(n, limit)
	}
	last := max((reach+per-1)/per, 1)
	link := func(p int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	start := min((page-1)*per, reach)
	return start, min(start+per, reach)
}

// page writes the requested page of items as a JSON array.
func page[T any](w http.ResponseWriter, r *http.Request, items []T) {
	a, b := paginate(w, r, len(items), 0)
	out := items[a:b]
	if out == nil {
		out = []T{}
	}
	writeJSON(w, out)
}

// parseRange parses GitHub's search-syntax date qualifier (a..b, >=a, <=b,
// >a, <b, a) into [from, to] (zero for open ends).
func parseRange(q string) (from, to time.Time, err error) {
	parse := func(s string, end bool) (time.Time, error) {
		if s == "*" || s == "" {
			return time.Time{}, nil
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return time.Time{}, err
		}
		if end {
			t = t.Add(24*time.Hour - time.Nanosecond)
		}
		return t, nil
	}
	switch {
	case strings.Contains(q, ".."):
		a, b, _ := strings.Cut(q, "..")
		if from, err = parse(a, false); err != nil {
			return
		}
		to, err = parse(b, true)
	case strings.HasPrefix(q, ">="):
		from, err = parse(q[2:], false)
	case strings.HasPrefix(q, "<="):
		to, err = parse(q[2:], true)
	case strings.HasPrefix(q, ">"):
		from, err = parse(q[1:], false)
		from = from.Add(time.Second)
	case strings.HasPrefix(q, "<"):
		to, err = parse(q[1:], false)
		to = to.Add(-time.Second)
	default:
		if from, err = parse(q, false); err == nil {
			to, err = parse(q, true)
		}
	}
	return
}

func inRange(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || !t.After(to))
}

// apiURL builds an API URL of the repo for payload "url" fields.
func (s *Server) apiURL(rest string) string {
	return s.URL + "repos/" + s.repo.FullName() + rest
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// sortedPaths returns the keys of the file map, sorted.
func sortedPaths(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
