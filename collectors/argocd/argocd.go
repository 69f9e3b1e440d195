// Package argocd collects deployments from an Argo CD application's sync
// history through the Argo CD API (GET /api/v1/applications/{name}, read
// only): each entry of status.history is a successful deployment of its
// revision at deployedAt, and the current operation (status.operationState)
// is a failed one when its phase is Failed or Error. The token (a read-only
// account's API token) travels as Authorization: Bearer to the configured
// origin only, through the shared HTTP layer (collectors/httpx) with its
// timeouts, retries and cleartext refusal.
//
// Import rules: collectors, collectors/classify, collectors/httpx,
// collectors/junit, model and model/vocab; never another host's collector,
// measure, rules, report or store, nor os/exec.
package argocd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// Errors callers branch on.
var (
	ErrNotFound     = errors.New("argocd: application not found")
	ErrUnauthorized = errors.New("argocd: unauthorized (check ARGOCD_TOKEN)")
)

// Options configures a Collector.
type Options struct {
	// BaseURL is the Argo CD server ("https://argocd.example.com"), proxy
	// path included.
	BaseURL string
	// Application is the application's name; AppNamespace its namespace
	// when applications live outside Argo CD's own ("" : the default).
	Application, AppNamespace string
	// Environment names the deployments' environment (default
	// "production").
	Environment string
	// Token is the API token (never logged).
	Token string
	// CacheDir keeps the HTTP cache between audits; "" keeps it in memory.
	CacheDir string
	// MaxWait bounds a wait for a Retry-After; Timeout one request attempt
	// (0: httpx.DefaultTimeout).
	MaxWait, Timeout time.Duration
	// InsecureHTTP allows an http:// URL to a host other than loopback.
	InsecureHTTP bool
	// Logger receives warnings; nil discards.
	Logger *slog.Logger
	// Base is the transport below httpx (tests, private CAs).
	Base http.RoundTripper
}

// Collector reads one Argo CD application.
type Collector struct {
	opt  Options
	root string
	hx   *httpx.Client
	http *http.Client
}

// New checks the options and builds the HTTP client; it sends no request.
func New(opt Options) (*Collector, error) {
	u, err := url.Parse(strings.TrimSpace(opt.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("argocd: bad URL %q: want http(s)://host[/path]", opt.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("argocd: bad URL %q: no query, fragment or credentials allowed", opt.BaseURL)
	}
	if err := httpx.CheckCleartext(u, opt.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("argocd: %w", err)
	}
	if strings.TrimSpace(opt.Application) == "" || strings.ContainsAny(opt.Application, "/?#") {
		return nil, fmt.Errorf("argocd: bad application name %q", opt.Application)
	}
	if opt.Environment == "" {
		opt.Environment = "production"
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Collector{opt: opt}
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), ""
	c.root = u.String()
	c.hx, err = httpx.New(httpx.Options{CacheDir: opt.CacheDir, MaxWait: opt.MaxWait, Timeout: opt.Timeout,
		Base: opt.Base, Logger: opt.Logger})
	if err != nil {
		return nil, fmt.Errorf("argocd: http layer: %w", err)
	}
	cr := httpx.Credentials{Origin: u, Header: http.Header{}}
	if opt.Token != "" {
		cr.Header.Set("Authorization", "Bearer "+opt.Token)
	}
	c.http = c.hx.Authorized(cr)
	return c, nil
}

// Kind names the source.
func (c *Collector) Kind() string { return "argocd" }

// application is the part of the Argo CD Application the collector reads.
type application struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Status struct {
		History []struct {
			ID              int64      `json:"id"`
			Revision        string     `json:"revision"`
			Revisions       []string   `json:"revisions"`
			DeployedAt      time.Time  `json:"deployedAt"`
			DeployStartedAt *time.Time `json:"deployStartedAt"`
			InitiatedBy     struct {
				Username  string `json:"username"`
				Automated bool   `json:"automated"`
			} `json:"initiatedBy"`
		} `json:"history"`
		OperationState *struct {
			Phase      string     `json:"phase"`
			StartedAt  time.Time  `json:"startedAt"`
			FinishedAt *time.Time `json:"finishedAt"`
			SyncResult *struct {
				Revision string `json:"revision"`
			} `json:"syncResult"`
			Operation struct {
				Sync *struct {
					Revision string `json:"revision"`
				} `json:"sync"`
			} `json:"operation"`
		} `json:"operationState"`
	} `json:"status"`
}

// Collect adds the application's deployments to ev and marks deployments.
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (collectors.Result, error) {
	before := c.hx.Stats.Snapshot()
	var app application
	err := c.get(ctx, &app)
	st := c.hx.Stats.Since(before)
	res := collectors.Result{Requests: &st}
	if err != nil {
		return res, err
	}
	ev.Deployments = append(ev.Deployments, c.deployments(app)...)
	ev.Mark(model.KindDeployments)
	if len(app.Status.History) == 0 {
		res.Warnings = append(res.Warnings, "argocd: application "+c.opt.Application+" keeps no sync history")
	}
	return res, nil
}

func (c *Collector) get(ctx context.Context, v any) error {
	u := c.root + "/api/v1/applications/" + url.PathEscape(c.opt.Application)
	if c.opt.AppNamespace != "" {
		u += "?appNamespace=" + url.QueryEscape(c.opt.AppNamespace)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("argocd: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("argocd: application %s: %w", c.opt.Application, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%w: HTTP %d", ErrUnauthorized, resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w: %s", ErrNotFound, c.opt.Application)
	case resp.StatusCode/100 != 2:
		return fmt.Errorf("argocd: application %s: HTTP %d %s", c.opt.Application, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 32<<20)).Decode(v); err != nil {
		return fmt.Errorf("argocd: application %s: unreadable JSON (is %s an Argo CD server?): %w", c.opt.Application, c.root, err)
	}
	return nil
}

// deployments converts the history and a failed current operation.
func (c *Collector) deployments(app application) []model.Deployment {
	base := c.root + "/applications/" + url.PathEscape(c.opt.Application)
	var out []model.Deployment
	for _, h := range app.Status.History {
		rev := h.Revision
		if rev == "" && len(h.Revisions) > 0 {
			rev = h.Revisions[0]
		}
		if h.DeployedAt.IsZero() {
			continue
		}
		d := model.Deployment{ID: c.opt.Application + "#" + strconv.FormatInt(h.ID, 10), URL: base,
			Environment: c.opt.Environment, SHA: rev, Creator: h.InitiatedBy.Username, Status: "success",
			CreatedAt: h.DeployedAt.UTC(), Source: model.DeploySourceArgoCD}
		if h.DeployStartedAt != nil && !h.DeployStartedAt.IsZero() {
			fin := d.CreatedAt
			d.CreatedAt, d.FinishedAt = h.DeployStartedAt.UTC(), &fin
		}
		out = append(out, d)
	}
	if op := app.Status.OperationState; op != nil && (op.Phase == "Failed" || op.Phase == "Error") && !op.StartedAt.IsZero() {
		rev := ""
		if op.SyncResult != nil {
			rev = op.SyncResult.Revision
		}
		if rev == "" && op.Operation.Sync != nil {
			rev = op.Operation.Sync.Revision
		}
		d := model.Deployment{ID: c.opt.Application + "#op-" + op.StartedAt.UTC().Format(time.RFC3339), URL: base,
			Environment: c.opt.Environment, SHA: rev, Status: "failure", CreatedAt: op.StartedAt.UTC(),
			Source: model.DeploySourceArgoCD}
		if op.FinishedAt != nil {
			f := op.FinishedAt.UTC()
			d.FinishedAt = &f
		}
		out = append(out, d)
	}
	return out
}
