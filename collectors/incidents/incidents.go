// Package incidents collects production incidents from issue trackers for
// the change failure rate and the recovery time: GitHub issues with a
// configured label, GitLab issues of type incident, and Jira issues of a
// configured type (JQL search with the audit window). Each source is a
// Collector of its own over the shared HTTP layer (collectors/httpx: the
// token goes to the configured origin only, timeouts, retries, cleartext
// refusal). An incident's references (commit hashes, version tags) are read
// from its title and description so that measure can link it to the
// deployment it names; the others are linked by time.
//
// Import rules: collectors, collectors/classify, collectors/httpx,
// collectors/junit, model and model/vocab; never another collector, measure,
// rules, report or store, nor os/exec.
package incidents

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// Sources.
const (
	SourceGitHub = "github"
	SourceGitLab = "gitlab"
	SourceJira   = "jira"
)

// ErrUnauthorized is returned (wrapped) when the tracker refuses the token.
var ErrUnauthorized = errors.New("incidents: unauthorized")

// maxPages bounds the pages one audit reads from one source.
const maxPages = 50

// Options configures a Collector.
type Options struct {
	// Source is SourceGitHub, SourceGitLab or SourceJira.
	Source string
	// BaseURL is the API base: https://api.github.com (or an Enterprise
	// /api/v3), the GitLab instance, the Jira site.
	BaseURL string
	// Repo is the GitHub OWNER/REPO or the GitLab project path or id.
	Repo string
	// Label is the GitHub label of incident issues (default "incident").
	Label string
	// IssueType and Project select Jira issues (IssueType default
	// "Incident"; Project optional).
	IssueType, Project string
	// Token authenticates (GitHub: Bearer; GitLab: PRIVATE-TOKEN; Jira:
	// Bearer, or Basic with User). Never logged.
	Token, User string
	// CacheDir, MaxWait, Timeout, InsecureHTTP, Logger, Base: as for the
	// other API collectors.
	CacheDir         string
	MaxWait, Timeout time.Duration
	InsecureHTTP     bool
	Logger           *slog.Logger
	Base             http.RoundTripper
}

// Collector reads the incidents of one source.
type Collector struct {
	opt  Options
	root string
	hx   *httpx.Client
	http *http.Client
}

// New checks the options and builds the HTTP client; it sends no request.
func New(opt Options) (*Collector, error) {
	name := opt.Source
	u, err := url.Parse(strings.TrimSpace(opt.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return nil, fmt.Errorf("incidents (%s): bad URL %q: want http(s)://host[/path]", name, opt.BaseURL)
	}
	if err := httpx.CheckCleartext(u, opt.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("incidents (%s): %w", name, err)
	}
	cr := httpx.Credentials{Origin: u, Header: http.Header{}}
	dialect := httpx.DialectGitHub
	switch opt.Source {
	case SourceGitHub:
		if o, r, ok := strings.Cut(opt.Repo, "/"); !ok || o == "" || r == "" || strings.Contains(r, "/") {
			return nil, fmt.Errorf("incidents (github): repository %q: want OWNER/REPO", opt.Repo)
		}
		if opt.Label == "" {
			opt.Label = "incident"
		}
		if opt.Token != "" {
			cr.Header.Set("Authorization", "Bearer "+opt.Token)
		}
	case SourceGitLab:
		if strings.TrimSpace(opt.Repo) == "" {
			return nil, errors.New("incidents (gitlab): no project")
		}
		dialect = httpx.DialectGitLab
		if opt.Token != "" {
			cr.Header.Set("Private-Token", opt.Token)
		}
	case SourceJira:
		if opt.IssueType == "" {
			opt.IssueType = "Incident"
		}
		switch {
		case opt.User != "":
			cr.Header.Set("Authorization", "Basic "+basic(opt.User, opt.Token))
		case opt.Token != "":
			cr.Header.Set("Authorization", "Bearer "+opt.Token)
		}
	default:
		return nil, fmt.Errorf("incidents: unknown source %q (want github, gitlab or jira)", opt.Source)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Collector{opt: opt}
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), ""
	c.root = u.String()
	c.hx, err = httpx.New(httpx.Options{CacheDir: opt.CacheDir, MaxWait: opt.MaxWait, Timeout: opt.Timeout,
		Dialect: dialect, Base: opt.Base, Logger: opt.Logger})
	if err != nil {
		return nil, fmt.Errorf("incidents (%s): http layer: %w", name, err)
	}
	c.http = c.hx.Authorized(cr)
	return c, nil
}

// Kind names the source: github-incidents, gitlab-incidents, jira-incidents.
func (c *Collector) Kind() string { return c.opt.Source + "-incidents" }

// Collect adds the incidents opened or updated since the window's start.
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (collectors.Result, error) {
	before := c.hx.Stats.Snapshot()
	var incs []model.Incident
	var truncated bool
	var err error
	switch c.opt.Source {
	case SourceGitHub:
		incs, truncated, err = c.github(ctx, ev.Window)
	case SourceGitLab:
		incs, truncated, err = c.gitlab(ctx, ev.Window)
	default:
		incs, truncated, err = c.jira(ctx, ev.Window)
	}
	st := c.hx.Stats.Since(before)
	res := collectors.Result{Requests: &st}
	if err != nil {
		return res, err
	}
	ev.Incidents = append(ev.Incidents, incs...)
	if truncated {
		res.Partial = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: more than %d pages of incidents; the rest left out", c.Kind(), maxPages))
		return res, nil
	}
	ev.Mark(model.KindIncidents)
	return res, nil
}

// getJSON GETs u into v and returns the response headers.
func (c *Collector) getJSON(ctx context.Context, u string, v any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Kind(), err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Kind(), err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("%s: %w: HTTP %d", c.Kind(), ErrUnauthorized, resp.StatusCode)
	case resp.StatusCode/100 != 2:
		return nil, fmt.Errorf("%s: %s: HTTP %d %s", c.Kind(), httpx.RedactURL(u), resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 32<<20)).Decode(v); err != nil {
		return nil, fmt.Errorf("%s: unreadable JSON: %w", c.Kind(), err)
	}
	return resp.Header, nil
}

var (
	hexRE = regexp.MustCompile(`\b[0-9a-fA-F]{7,40}\b`)
	tagRE = regexp.MustCompile(`\bv\d+(?:\.\d+)+(?:[-+][0-9A-Za-z.-]+)?\b`)
)

// refsOf returns the commit hashes and version tags a text names.
func refsOf(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, re := range []*regexp.Regexp{hexRE, tagRE} {
			for _, m := range re.FindAllString(t, 20) {
				if re == hexRE && !strings.ContainsAny(strings.ToLower(m), "abcdef") {
					continue // a number, not a hash
				}
				if !seen[m] {
					seen[m] = true
					out = append(out, m)
				}
			}
		}
	}
	return out
}
