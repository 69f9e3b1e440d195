// Package gitlab collects delivery evidence from GitLab.com or a self-managed
// GitLab through its REST API v4 (gitlab.com/gitlab-org/api/client-go):
// merge requests, pipelines and their jobs, pipeline test reports,
// environments and deployments, releases, default-branch protection and —
// when no local clone is audited — trunk commits, branches, tags and the
// classified file tree. Everything lands in the host-neutral model types, so
// that the same delivery history served by GitHub and by GitLab gives the
// same evidence.
//
// HTTP behaviour (conditional cache, retries, rate limits, request counting)
// is the shared collectors/httpx layer; client-go's own retries and limiter
// are switched off so that every attempt is counted once, there. Listings use
// 100 items per page, keyset pagination where GitLab offers it, and
// per-endpoint watermarks kept between audits so that a repeat audit of an
// unchanged project costs a handful of requests.
//
// Import rules: collectors, collectors/classify, collectors/httpx,
// collectors/junit, model and model/vocab, GitLab's client-go; never another
// host's collector, measure, rules, report or store, nor os/exec.
package gitlab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// DefaultBaseURL is GitLab.com.
const DefaultBaseURL = "https://gitlab.com"

// Errors callers branch on.
var (
	// ErrNotFound: the project does not exist or the token cannot see it.
	ErrNotFound = errors.New("gitlab: project not found")
	// ErrUnauthorized: the token was refused (missing, expired or revoked).
	ErrUnauthorized = errors.New("gitlab: unauthorized")
	// ErrForbidden: the token may not read the project.
	ErrForbidden = errors.New("gitlab: forbidden")
)

// Options configures a Collector.
type Options struct {
	// Project is "group/sub/project" or a numeric project id.
	Project string
	// Token is a personal, project or group access token (sent as
	// PRIVATE-TOKEN; never logged). Empty reads public projects only.
	Token string
	// BaseURL is the instance, e.g. https://gitlab.example.com; a trailing
	// /api/v4 and trailing slashes are accepted. Default DefaultBaseURL.
	BaseURL string
	// CAFile is a PEM file of extra root certificates (a private CA).
	CAFile string
	// CacheDir keeps the HTTP cache and the incremental state between
	// audits; "" keeps both in memory for the Collector's lifetime.
	CacheDir string
	// MaxWait bounds a wait for a rate-limit reset (see httpx.Options).
	MaxWait time.Duration
	// MaxRetries bounds retries of 5xx answers (see httpx.Options).
	MaxRetries int
	// Logger receives debug lines and warnings; nil discards.
	Logger *slog.Logger
	// Kinds are the evidence kinds to collect (nil: every kind of
	// Descriptor). The audit leaves commits, branches, tags and the tree
	// out when a local clone provides them (see collectors.Choose): the
	// repository step is then skipped, with its requests.
	Kinds []model.Kind
	// HTTP replaces the whole HTTP stack (tests only: no httpx, no stats).
	HTTP *http.Client
	// Base is the transport below httpx (tests; CAFile builds its own).
	Base http.RoundTripper
	// Sleep replaces real waits in httpx (tests).
	Sleep func(time.Duration)
	// Now replaces time.Now.
	Now func() time.Time
	// Timeout bounds one attempt of a request (see httpx.Options.Timeout;
	// 0: httpx.DefaultTimeout).
	Timeout time.Duration
	// InsecureHTTP allows an http:// base URL to a host other than loopback
	// (the token then crosses the network in clear).
	InsecureHTTP bool
	// Budget is the request budget shared with the other projects of this
	// instance and token (nil: none); see Reserve.
	Budget *httpx.Budget
	// NoGraphQL reads every per-item detail through REST (see graphql.go).
	NoGraphQL bool
}

// Collector is the GitLab evidence collector.
type Collector struct {
	opt     Options
	pid     string // project path or id as given, trimmed
	api     *gl.Client
	hc      *http.Client  // the authorized client under api (GraphQL uses it too)
	hx      *httpx.Client // nil when Options.HTTP was given
	web     string        // instance web root without /api/v4, no trailing slash
	host    string        // web root without scheme, names the incremental state
	log     *slog.Logger
	state   *httpx.State // loaded by the first Collect
	project *gl.Project
}

// New checks the options and builds the API client; it sends no request.
func New(opt Options) (*Collector, error) {
	pid := strings.Trim(strings.TrimSpace(opt.Project), "/")
	if pid == "" {
		return nil, errors.New("gitlab: no project given (want group/project or a numeric id)")
	}
	web, api, err := NormalizeBaseURL(opt.BaseURL)
	if err != nil {
		return nil, err
	}
	apiURL, err := url.Parse(api)
	if err != nil {
		return nil, fmt.Errorf("gitlab: base URL: %w", err)
	}
	if err := httpx.CheckCleartext(apiURL, opt.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("gitlab: %w", err)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	c := &Collector{opt: opt, pid: pid, web: web, log: opt.Logger}

	// The token is added by a credential layer for the instance's origin
	// only, so that a redirect to another host never carries it; client-go
	// itself sends none.
	cred := httpx.Credentials{Origin: apiURL}
	if opt.Token != "" {
		cred.Header = http.Header{"Private-Token": {opt.Token}}
	}
	var hc *http.Client
	if opt.HTTP != nil {
		tr := opt.HTTP.Transport
		if tr == nil {
			tr = http.DefaultTransport
		}
		hc = &http.Client{Transport: httpx.NewAuthTransport(tr, cred, opt.Logger), Timeout: opt.HTTP.Timeout}
	} else {
		base := opt.Base
		if opt.CAFile != "" {
			base, err = httpx.CATransport(opt.CAFile, opt.Base)
			if err != nil {
				return nil, fmt.Errorf("gitlab: %w", err)
			}
		}
		c.hx, err = httpx.New(httpx.Options{
			CacheDir:   opt.CacheDir,
			MaxWait:    opt.MaxWait,
			MaxRetries: opt.MaxRetries,
			Dialect:    dialect,
			Base:       base,
			Logger:     opt.Logger,
			Sleep:      opt.Sleep,
			Now:        opt.Now,
			Timeout:    opt.Timeout,
			Budget:     opt.Budget,
		})
		if err != nil {
			return nil, fmt.Errorf("gitlab: http layer: %w", err)
		}
		hc = c.hx.Authorized(cred)
	}
	hc = guardLinks(hc)
	c.hc = hc
	c.api, err = gl.NewAuthSourceClient(gl.Unauthenticated{},
		gl.WithBaseURL(api),
		gl.WithHTTPClient(hc),
		gl.WithoutRetries(),
		gl.WithCustomRetryMax(0),
		gl.WithCustomLimiter(noLimit{}),
		gl.WithURLWarningLogger(opt.Logger),
		gl.WithUserAgent("cdaudit"),
	)
	if err != nil {
		return nil, fmt.Errorf("gitlab: client: %w", err)
	}
	c.host = strings.TrimPrefix(strings.TrimPrefix(web, "https://"), "http://")
	return c, nil
}

// Kind names the source.
func (c *Collector) Kind() string { return "gitlab" }

// noLimit switches client-go's own throttle off: httpx handles limits.
type noLimit struct{}

func (noLimit) Wait(context.Context) error { return nil }

// NormalizeBaseURL returns the instance's web root and its API root
// (web + "/api/v4/") for a base URL given with or without /api/v4 and with
// or without trailing slashes.
func NormalizeBaseURL(raw string) (web, api string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		s = DefaultBaseURL
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", fmt.Errorf("gitlab: bad base URL %q: want http(s)://host[/path]", httpx.RedactURL(raw))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", "", fmt.Errorf("gitlab: bad base URL %q: no query, fragment or credentials allowed", u.Redacted())
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/api/v4")
	p = strings.TrimRight(p, "/")
	u.Path, u.RawPath = p, ""
	web = u.String()
	return web, web + "/api/v4/", nil
}

// projectRef is the project as client-go takes it: a numeric id as int64
// (no escaping), a path as string (escaped by client-go).
func (c *Collector) projectRef() any {
	if c.project != nil && c.project.ID != 0 {
		return c.project.ID
	}
	if n, err := strconv.ParseInt(c.pid, 10, 64); err == nil {
		return n
	}
	return c.pid
}
