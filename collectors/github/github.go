// Package github collects evidence from GitHub and GitHub Enterprise Server
// through the REST API (go-github v62): default-branch commits, branches,
// tags (annotated or not) and releases, pull requests with their reviews,
// commits and files, Actions workflow runs and jobs (where there are none,
// the commit statuses and the check runs of other apps on trunk commits),
// deployments and their statuses, environments (dynamic, production tier),
// default-branch protection or rulesets, and the repository tree classified
// like a local clone.
//
// API economy is a feature: every listing uses 100 items a page, the HTTP
// layer (collectors/httpx) turns repeat GETs into conditional requests that
// a 304 answers from the disk cache, and an incremental state per repository
// keeps per-PR details, run jobs, deployment outcomes and per-commit check
// runs so that a nightly audit asks only for what changed. A first audit or
// a large catch-up reads pull-request details, deployment statuses and run
// jobs in batches through the GraphQL API (graphql.go), falling back to REST
// where it is unavailable. Nothing here judges evidence.
//
// Import rules: collectors, collectors/classify, collectors/httpx,
// collectors/junit, model and model/vocab, go-github and githubv4; never
// another host's collector, measure, rules, report or store, nor os/exec.
package github

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com/"

// Defaults of the caps on per-item requests.
const (
	DefaultMaxDetails  = 500 // pull requests whose details are fetched per audit
	DefaultMaxJobRuns  = 1000
	DefaultMaxBranches = 100
	maxStatusCommits   = 100
	// overlap re-reads a little before each watermark, for clock skew
	// between the host and this machine.
	overlap = 10 * time.Minute
	// stateSchema changes when the records kept in the state change shape
	// or meaning (2: run jobs hold every attempt, not only the latest).
	stateSchema = 2
)

// Options configures a Collector.
type Options struct {
	// Repo is "OWNER/REPO".
	Repo string
	// Token authenticates; "" reads public data only (with a warning).
	Token string
	// APIURL is the REST base, used as given (default DefaultAPIURL); GitHub
	// Enterprise Server's is https://HOST/api/v3/.
	APIURL string
	// CacheDir keeps the HTTP cache and the incremental state; "" keeps both
	// in memory.
	CacheDir string
	// MaxWait bounds a wait for a rate limit; longer limits stop the
	// collection as partial.
	MaxWait time.Duration
	Logger  *slog.Logger
	// HTTP is the shared HTTP layer to use; nil builds one from CacheDir,
	// MaxWait, Base and Logger.
	HTTP *httpx.Client
	// Base is the transport below the HTTP layer when HTTP is nil (tests).
	Base http.RoundTripper
	// Kinds are the evidence kinds to collect (nil: every kind of
	// Descriptor). The audit leaves commits, branches, tags and the tree
	// out when a local clone of the same repository provides them (see
	// collectors.Choose); their requests are then not made.
	Kinds []model.Kind
	// Now is the clock (default time.Now).
	Now func() time.Time
	// MaxDetails caps the pull requests whose reviews, commits and files are
	// fetched in one audit (0: DefaultMaxDetails); the rest keep
	// DetailsKnown false and are fetched by later audits.
	MaxDetails int
	// MaxJobRuns caps the runs whose jobs are fetched in one audit (0:
	// DefaultMaxJobRuns).
	MaxJobRuns int
	// MaxBranches caps the branches compared with the default branch (0:
	// DefaultMaxBranches).
	MaxBranches int
	// Timeout bounds one attempt of a request when HTTP is nil (see
	// httpx.Options.Timeout; 0: httpx.DefaultTimeout).
	Timeout time.Duration
	// InsecureHTTP allows an http:// API URL to a host other than loopback
	// (the token then crosses the network in clear).
	InsecureHTTP bool
	// NoGraphQL keeps every request on the REST API (see graphql.go).
	NoGraphQL bool
	// App authenticates as a GitHub App's installation instead of Token
	// (see App); one App serves every target of a run.
	App *App
	// Budget is the request budget shared with the other targets of this
	// host and token when HTTP is nil (nil: none); see Reserve.
	Budget *httpx.Budget
}

// Collector collects one repository.
type Collector struct {
	opt         Options
	owner, name string
	base        *url.URL
	http        *httpx.Client
	client      *gh.Client
	log         *slog.Logger
}

var _ collectors.Collector = (*Collector)(nil)

// New checks the options and builds a Collector; it makes no request.
func New(opt Options) (*Collector, error) {
	owner, name, ok := strings.Cut(strings.TrimSpace(opt.Repo), "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("github: repository %q is not OWNER/REPO", opt.Repo)
	}
	return build(opt, owner, name)
}

// build makes the client of a Collector for owner/name (name is "" for a
// discovery, which lists an owner's repositories).
func build(opt Options, owner, name string) (*Collector, error) {
	base, err := parseAPIURL(opt.APIURL)
	if err != nil {
		return nil, err
	}
	if err := httpx.CheckCleartext(base, opt.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("github: %w", err)
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
	if opt.MaxJobRuns <= 0 {
		opt.MaxJobRuns = DefaultMaxJobRuns
	}
	if opt.MaxBranches <= 0 {
		opt.MaxBranches = DefaultMaxBranches
	}
	hc := opt.HTTP
	if hc == nil {
		hc, err = httpx.New(httpx.Options{CacheDir: opt.CacheDir, MaxWait: opt.MaxWait, Timeout: opt.Timeout,
			Dialect: dialect, Base: opt.Base, Logger: opt.Logger, Now: opt.Now, Budget: opt.Budget})
		if err != nil {
			return nil, fmt.Errorf("github: %w", err)
		}
	}
	// The token is added by the credential layer, for the API's origin only
	// (go-github's WithAuthToken would add it to any request, a redirect to
	// another host included).
	client := gh.NewClient(hc.Authorized(credentials(opt, base, owner, name)))
	client.BaseURL = base
	client.UserAgent = "cdaudit"
	return &Collector{opt: opt, owner: owner, name: name, base: base, http: hc, client: client, log: opt.Logger}, nil
}

// parseAPIURL checks the REST base: github.com's API host, a host named
// api.* (GHE.com), or a path ending in /api/v3/ (Enterprise Server).
func parseAPIURL(s string) (*url.URL, error) {
	if s == "" {
		s = DefaultAPIURL
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("github: API URL %q is not an http(s) URL", httpx.RedactURL(s))
	}
	if u.User != nil {
		return nil, errors.New("github: the API URL must not carry credentials; use the token option")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if !strings.HasPrefix(u.Hostname(), "api.") && !strings.HasSuffix(u.Path, "/api/v3/") {
		return nil, fmt.Errorf("github: API URL %s does not end in /api/v3/: for GitHub Enterprise Server use https://%s/api/v3/", u.Redacted(), u.Host)
	}
	return u, nil
}

// Kind names the source.
func (c *Collector) Kind() string { return "github" }

// Stats returns the HTTP layer's counters.
func (c *Collector) Stats() *httpx.Stats { return c.http.Stats }

// step is one part of the collection and the kinds it proves.
type step struct {
	name  string
	kinds []model.Kind
	run   func(a *audit, ctx context.Context) error
}

// Collect adds the repository's evidence for ev.Window (the 90 days before
// Now when unset) to ev. It returns an error when the repository cannot be
// read at all (unknown: *NotFoundError; token rejected: *UnauthorizedError;
// a rate limit on the first request); a rejected token later on also ends
// the collection. Otherwise kinds that could not be had stay unmarked, with
// a warning, and the result is Partial; a rate limit beyond MaxWait stops
// the remaining steps.
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (collectors.Result, error) {
	res := collectors.Result{}
	a := &audit{c: c, ev: ev, res: &res, start: c.opt.Now().UTC(), before: c.http.Stats.Snapshot()}
	if ev.Window.Since.IsZero() || ev.Window.Until.IsZero() {
		ev.Window = model.Window{Since: a.start.AddDate(0, 0, -90), Until: a.start}
	}
	if ev.Target == "" {
		ev.Target = c.owner + "/" + c.name
	}
	if !c.authenticated() {
		a.warn("no GitHub token: only public data can be read, and the unauthenticated limit is 60 requests an hour")
	}
	st, err := httpx.LoadState(c.opt.CacheDir, c.base.Host+c.base.Path, c.owner+"/"+c.name)
	if err != nil {
		a.warn("incremental state unreadable, collecting in full: " + err.Error())
		st, _ = httpx.LoadState("", c.base.Host, c.owner+"/"+c.name)
	}
	a.state = st
	a.hash = httpx.HashConfig(stateSchema, c.opt.MaxDetails, c.opt.MaxJobRuns)

	if err := a.repository(ctx); err != nil {
		return c.finish(a, err)
	}
	for _, s := range c.steps() {
		if a.stopped {
			res.Partial = true
			continue
		}
		c.log.Debug("github step", "step", s.name)
		err := s.run(a, ctx)
		switch {
		case err == nil:
			ev.Mark(s.kinds...)
		case ctx.Err() != nil:
			return c.finish(a, ctx.Err())
		case isUnauthorized(err):
			return c.finish(a, &UnauthorizedError{})
		case isRateLimit(err):
			a.stopped = true
			res.Partial = true
			a.warn(fmt.Sprintf("%s: %s; stopped collecting from GitHub, the remaining evidence is unknown", s.name, rateLimitText(err)))
		case httpx.IsTimeout(err):
			a.stopped = true
			res.Partial = true
			a.warn(fmt.Sprintf("%s: %v; stopped collecting from GitHub, the remaining evidence is unknown", s.name, err))
		default:
			res.Partial = true
			a.warn(fmt.Sprintf("%s: %v", s.name, err))
		}
	}
	return c.finish(a, nil)
}

// finish saves the incremental state and the result.
func (c *Collector) finish(a *audit, err error) (collectors.Result, error) {
	if a.partialKinds {
		a.res.Partial = true
	}
	if serr := a.state.Save(); serr != nil {
		a.warn("incremental state not saved: " + serr.Error())
	}
	s := c.http.Stats.Since(a.before)
	a.res.Requests = &s
	return *a.res, err
}

func (c *Collector) steps() []step {
	var s []step
	for _, st := range []step{
		{"commits", []model.Kind{model.KindCommits}, (*audit).commits},
		{"branches", []model.Kind{model.KindBranches}, (*audit).branches},
		{"tags", []model.Kind{model.KindTags}, (*audit).tags},
	} {
		if c.wants(st.kinds[0]) {
			s = append(s, st)
		}
	}
	s = append(s,
		step{"releases", []model.Kind{model.KindReleases}, (*audit).releases},
		step{"pull requests", []model.Kind{model.KindChanges}, (*audit).pulls},
		step{"workflow runs", nil, (*audit).runs}, // marks runs and jobs itself
		step{"deployments", []model.Kind{model.KindDeployments}, (*audit).deployments},
		step{"environments", []model.Kind{model.KindEnvironments}, (*audit).environments},
		step{"branch protection", nil, (*audit).protection}, // marks itself when known
	)
	if c.wants(model.KindTree) {
		s = append(s, step{"tree", nil, (*audit).tree}) // marks itself
	}
	return s
}

// audit is the state of one Collect call.
type audit struct {
	c      *Collector
	ev     *model.Evidence
	res    *collectors.Result
	state  *httpx.State
	hash   string
	start  time.Time
	before model.RequestStats

	htmlURL      string
	tip          string // default branch head
	trunk        string // trunk as of the window's end (the head when committed by then)
	trunkAt      time.Time
	tipProtected bool
	commitTimes  map[string]time.Time
	tagNames     map[string]bool
	branchNames  map[string]bool
	// envTransient and envProduction name the environments that a
	// deployment in the window marked transient or production.
	envTransient  map[string]bool
	envProduction map[string]bool
	gql           *gqlState         // GraphQL client, made on first use
	runNodes      map[string]string // run id → GraphQL node id
	stopped       bool
	partialKinds  bool
}

func (a *audit) warn(s string) {
	a.res.Warnings = append(a.res.Warnings, s)
	a.c.log.Warn("github", "repo", a.ev.Target, "warning", s)
}

func (a *audit) note(s string) { a.ev.Notes = append(a.ev.Notes, "github: "+s) }

// repository reads the repository and its default branch head.
func (a *audit) repository(ctx context.Context) error {
	c := a.c
	repo, _, err := c.client.Repositories.Get(ctx, c.owner, c.name)
	if err != nil {
		switch {
		case status(err) == http.StatusNotFound:
			return &NotFoundError{Repo: c.owner + "/" + c.name}
		case isUnauthorized(err):
			return &UnauthorizedError{}
		case isRateLimit(err):
			return fmt.Errorf("github: reading repository %s/%s: %w", c.owner, c.name, err)
		}
		return fmt.Errorf("github: reading repository %s/%s: %w", c.owner, c.name, err)
	}
	a.htmlURL = repo.GetHTMLURL()
	if a.ev.DefaultBranch == "" {
		a.ev.DefaultBranch = repo.GetDefaultBranch()
	}
	var br struct {
		Commit struct {
			SHA    string `json:"sha"`
			Commit struct {
				Committer struct {
					Date time.Time `json:"date"`
				} `json:"committer"`
			} `json:"commit"`
		} `json:"commit"`
		Protected bool `json:"protected"`
	}
	branch := repo.GetDefaultBranch()
	if _, err := a.getJSON(ctx, "repos/"+c.owner+"/"+c.name+"/branches/"+url.PathEscape(branch), &br); err != nil {
		if stops(err) || isUnauthorized(err) {
			return fmt.Errorf("github: reading branch %s: %w", branch, err)
		}
		a.warn(fmt.Sprintf("default branch %s unreadable: %v", branch, err))
		return nil
	}
	a.tip, a.tipProtected = br.Commit.SHA, br.Protected
	a.trunk, a.trunkAt = a.tip, br.Commit.Commit.Committer.Date
	if c.wants(model.KindTree) || c.wants(model.KindCommits) {
		if err := a.trunkAsOf(ctx, branch); err != nil {
			return err
		}
	}
	if a.ev.TrunkTip == "" && c.wants(model.KindCommits) && a.trunk != "" {
		a.ev.TrunkTip, a.ev.TrunkTipAt = a.trunk, a.trunkAt.UTC()
	}
	return nil
}

// getJSON GETs an API path (relative to the base) into v.
func (a *audit) getJSON(ctx context.Context, path string, v any) (*gh.Response, error) {
	req, err := a.c.client.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	return a.c.client.Do(ctx, req, v)
}

// pageOpts is the first page of 100.
func pageOpts() gh.ListOptions { return gh.ListOptions{PerPage: 100} }
