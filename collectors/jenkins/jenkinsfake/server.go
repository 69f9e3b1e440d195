package jenkinsfake

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Options configures a Server.
type Options struct {
	// User and Token are the accepted basic credentials; both empty lets
	// anonymous reads through.
	User, Token string
	// Prefix is a proxy path Jenkins is served under ("/jenkins").
	Prefix string
	// NoWorkflowAPI answers 404 to wfapi (the plugin is not installed).
	NoWorkflowAPI bool
	// TLS serves HTTPS with the httptest certificate.
	TLS bool
}

// Server is a running fake Jenkins.
type Server struct {
	URL  string // root URL, prefix included, no trailing slash
	srv  *httptest.Server
	opt  Options
	root []*Job

	mu       sync.Mutex
	faults   map[string]*Fault
	requests []string
}

// New starts a fake serving the top-level items root.
func New(root []*Job, opt Options) *Server {
	s := &Server{opt: opt, root: root, faults: map[string]*Fault{}}
	if opt.TLS {
		s.srv = httptest.NewTLSServer(s)
	} else {
		s.srv = httptest.NewServer(s)
	}
	s.URL = s.srv.URL + strings.TrimRight(opt.Prefix, "/")
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Client returns an HTTP client trusting the server's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Certificate returns the PEM-encodable DER certificate of a TLS server.
func (s *Server) Certificate() []byte {
	if c := s.srv.Certificate(); c != nil {
		return c.Raw
	}
	return nil
}

// Fail injects a fault on requests whose path (prefix excluded) ends with
// suffix, e.g. "/job/app/api/json" or "/12/wfapi/describe".
func (s *Server) Fail(suffix string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ff := f
	s.faults[suffix] = &ff
}

// Requests returns the paths answered so far, with their queries.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// ResetRequests clears the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

var buildPath = regexp.MustCompile(`^(.*?)/(\d+)/(wfapi/describe|testReport/api/json)$`)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p, ok := strings.CutPrefix(r.URL.EscapedPath(), strings.TrimRight(s.opt.Prefix, "/"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, p+"?"+r.URL.RawQuery)
	var fault *Fault
	for suf, f := range s.faults {
		if strings.HasSuffix(p, suf) {
			fault = f
			if f.Times > 0 {
				f.Times--
				if f.Times == 0 {
					delete(s.faults, suf)
				}
			}
			break
		}
	}
	s.mu.Unlock()
	if s.opt.User != "" || s.opt.Token != "" {
		u, t, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(s.opt.User)) != 1 || subtle.ConstantTimeCompare([]byte(t), []byte(s.opt.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="Jenkins"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
	}
	if r.Method != http.MethodGet {
		http.Error(w, "No valid crumb was included in the request", http.StatusForbidden)
		return
	}
	if fault != nil {
		if fault.Body != "" {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			w.WriteHeader(fault.Status)
			fmt.Fprint(w, fault.Body)
			return
		}
		http.Error(w, http.StatusText(fault.Status), fault.Status)
		return
	}
	if m := buildPath.FindStringSubmatch(p); m != nil {
		job := s.find(m[1])
		n, _ := strconv.Atoi(m[2])
		b := findBuild(job, n)
		if b == nil {
			http.NotFound(w, r)
			return
		}
		if m[3] == "wfapi/describe" {
			if s.opt.NoWorkflowAPI || job.Class != ClassPipeline {
				http.NotFound(w, r)
				return
			}
			writeJSON(w, describe(b))
			return
		}
		if b.Tests == nil {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, testReport(b.Tests))
		return
	}
	jp, ok := strings.CutSuffix(p, "/api/json")
	if !ok {
		http.NotFound(w, r)
		return
	}
	job := s.find(jp)
	if job == nil {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, s.jobJSON(job, jp, r.URL.Query().Get("tree")))
}

// find resolves an escaped path /job/a/job/b.
func (s *Server) find(p string) *Job {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) < 2 || len(segs)%2 != 0 {
		return nil
	}
	items := s.root
	var cur *Job
	for i := 0; i < len(segs); i += 2 {
		if segs[i] != "job" {
			return nil
		}
		name, err := url.PathUnescape(segs[i+1])
		if err != nil {
			return nil
		}
		cur = nil
		for _, j := range items {
			if j.Name == name {
				cur = j
			}
		}
		if cur == nil {
			return nil
		}
		items = cur.Jobs
	}
	return cur
}

func findBuild(j *Job, n int) *Build {
	if j == nil {
		return nil
	}
	for i := range j.Builds {
		if j.Builds[i].Number == n {
			return &j.Builds[i]
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("X-Jenkins", "2.479.3")
	_ = json.NewEncoder(w).Encode(v)
}

// newestFirst returns the builds by descending number.
func newestFirst(bs []Build) []Build {
	out := append([]Build(nil), bs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	return out
}
