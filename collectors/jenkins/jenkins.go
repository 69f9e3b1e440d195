// Package jenkins collects delivery evidence from a Jenkins controller
// through its JSON API: the builds of a freestyle, Pipeline or multibranch
// job (the trunk branch job's builds as runs, change-request jobs such as
// PR-12 as changes and their builds as change runs) with results,
// durations, queue time (metrics plugin), causes as triggers, the revision
// built and JUnit test counts; Pipeline stages (Pipeline REST API,
// wfapi/describe) as jobs; test results (testReport/api/json) with retried
// and flaky tests; and deployments from stages (or jobs) whose names match
// configured deploy rules.
//
// A build list is one request per 1,000 builds thanks to the tree parameter
// and allBuilds ranges; repeat audits ask only for builds newer than the
// ones kept in the incremental state (collectors/httpx State). Stage and
// test details cost one request each per build, so they are read only for
// finished builds in the window that were not read before, at most
// Options.MaxDetails per audit. Reads need no CSRF crumb. Credentials are a
// user and an API token sent as HTTP basic authentication to the configured
// origin only (httpx.Client.Authorized); Jenkins may sit behind a proxy path
// and a private CA.
//
// Import rules: collectors, collectors/classify, collectors/httpx,
// collectors/junit, model and model/vocab; never another host's collector,
// measure, rules, report or store, nor os/exec.
package jenkins

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// Errors callers branch on.
var (
	ErrNotFound     = errors.New("jenkins: job not found")
	ErrUnauthorized = errors.New("jenkins: unauthorized")
	ErrForbidden    = errors.New("jenkins: forbidden")
)

// DefaultMaxDetails bounds the builds whose stages and test results one
// audit reads.
const DefaultMaxDetails = 500

// DeployRule tells a deployment from a stage name (Pipeline jobs) or a job
// name (freestyle jobs).
type DeployRule struct {
	// Match is a regular expression on the stage or job name.
	Match string `json:"match" yaml:"match"`
	// Environment names the environment; "" takes the first submatch of
	// Match, lower-cased, or "production" when there is none.
	Environment string `json:"environment,omitempty" yaml:"environment,omitempty"`
}

// DefaultDeployRules find stages such as "Deploy to staging",
// "Deploy (production)" or "deploy-prod".
var defaultDeployRules = []DeployRule{{Match: `(?i)^\s*deploy(?:ment)?\b[\s:_\-–>(]*(?:to\s+|on\s+)?([a-z][\w.-]*)?`}}

// Options configures a Collector.
type Options struct {
	// BaseURL is the Jenkins root, proxy path included
	// ("https://ci.example.com/jenkins").
	BaseURL string
	// Job is the job's full name, folders separated by "/" ("team/app").
	Job string
	// User and Token are the Jenkins user and API token (basic auth; never
	// logged). Both empty reads anonymously.
	User, Token string
	// Trunk is the branch whose multibranch job gives the trunk runs
	// (default: main, then master).
	Trunk string
	// Deploy are the deploy rules; nil uses a default that matches stages
	// named "Deploy …". Deployments are marked collected only when rules
	// were configured or a deployment was found.
	Deploy []DeployRule
	// MaxDetails bounds stage/test-result reads per audit (0: default).
	MaxDetails int
	// CAFile is a PEM file of extra root certificates (a private CA).
	CAFile string
	// CacheDir keeps the HTTP cache and the incremental state between
	// audits; "" keeps both in memory for the Collector's lifetime.
	CacheDir string
	// MaxRetries bounds retries of 5xx answers (see httpx.Options).
	MaxRetries int
	// MaxWait bounds a wait for a Retry-After (see httpx.Options).
	MaxWait time.Duration
	// Timeout bounds one attempt of a request (0: httpx.DefaultTimeout).
	Timeout time.Duration
	// InsecureHTTP allows an http:// URL to a host other than loopback
	// (the API token would travel unencrypted).
	InsecureHTTP bool
	// Logger receives warnings; nil discards.
	Logger *slog.Logger
	// Base is the transport below httpx (tests; CAFile builds its own).
	Base http.RoundTripper
	// Sleep replaces real waits in httpx (tests).
	Sleep func(time.Duration)
	// Now replaces time.Now.
	Now func() time.Time
}

// Collector is the Jenkins evidence collector.
type Collector struct {
	opt    Options
	root   string   // base URL without trailing slash
	job    []string // job path segments
	hx     *httpx.Client
	http   *http.Client
	host   string
	log    *slog.Logger
	deploy []deployRule
	state  *httpx.State
}

type deployRule struct {
	re  *regexp.Regexp
	env string
}

// New checks the options and builds the HTTP client; it sends no request.
func New(opt Options) (*Collector, error) {
	u, err := url.Parse(strings.TrimSpace(opt.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("jenkins: bad URL %q: want http(s)://host[/path]", opt.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("jenkins: bad URL %q: no query, fragment or credentials allowed", opt.BaseURL)
	}
	if err := httpx.CheckCleartext(u, opt.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("jenkins: %w", err)
	}
	segs, err := jobSegments(opt.Job)
	if err != nil {
		return nil, err
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxDetails <= 0 {
		opt.MaxDetails = DefaultMaxDetails
	}
	rules := opt.Deploy
	if rules == nil {
		rules = defaultDeployRules
	}
	c := &Collector{opt: opt, job: segs, log: opt.Logger}
	for _, r := range rules {
		re, err := regexp.Compile(r.Match)
		if err != nil {
			return nil, fmt.Errorf("jenkins: deploy rule %q: %w", r.Match, err)
		}
		c.deploy = append(c.deploy, deployRule{re: re, env: r.Environment})
	}
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), ""
	c.root = u.String()
	c.host = u.Host + u.Path
	base := opt.Base
	if opt.CAFile != "" {
		if base, err = httpx.CATransport(opt.CAFile, opt.Base); err != nil {
			return nil, fmt.Errorf("jenkins: %w", err)
		}
	}
	c.hx, err = httpx.New(httpx.Options{CacheDir: opt.CacheDir, MaxRetries: opt.MaxRetries, MaxWait: opt.MaxWait, Timeout: opt.Timeout, Base: base,
		Logger: opt.Logger, Sleep: opt.Sleep, Now: opt.Now})
	if err != nil {
		return nil, fmt.Errorf("jenkins: http layer: %w", err)
	}
	cr := httpx.Credentials{Origin: u, Header: http.Header{}}
	if opt.User != "" || opt.Token != "" {
		cr.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(opt.User+":"+opt.Token)))
	}
	c.http = c.hx.Authorized(cr)
	return c, nil
}

// Kind names the source.
func (c *Collector) Kind() string { return "jenkins" }

// jobSegments splits a full job name; "job/a/job/b" (a URL path) is taken
// too.
func jobSegments(job string) ([]string, error) {
	s := strings.Trim(strings.TrimSpace(job), "/")
	if s == "" {
		return nil, errors.New("jenkins: no job given (want NAME or FOLDER/NAME)")
	}
	parts := strings.Split(s, "/")
	if len(parts)%2 == 0 && parts[0] == "job" {
		var out []string
		for i := 0; i < len(parts); i += 2 {
			if parts[i] != "job" {
				out = nil
				break
			}
			n, err := url.PathUnescape(parts[i+1])
			if err != nil {
				return nil, fmt.Errorf("jenkins: bad job path %q: %w", job, err)
			}
			out = append(out, n)
		}
		if out != nil {
			parts = out
		}
	}
	for _, p := range parts {
		if p == "" || p == "." || p == ".." {
			return nil, fmt.Errorf("jenkins: bad job path %q", job)
		}
	}
	return parts, nil
}

// jobURL is the URL path of a job below the root: /job/a/job/b.
func jobURL(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString("/job/")
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}
