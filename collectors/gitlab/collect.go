package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// run is one Collect call.
type run struct {
	c    *Collector
	ev   *model.Evidence
	snap *snapshot
	res  *collectors.Result
	stop error // a fatal error: later steps are skipped

	fresh map[string]bool // state parts refreshed by this audit

	// found while collecting, used by later steps
	envTier map[string]string // environment name → tier
	jobEnv  map[string]string // job id → environment (from deployments)
	mrByIID map[string]model.Change
	// noApprovals is set once the approvals API answered 403/404.
	noApprovals bool
	// gqlOff is set once GraphQL failed: the rest of the audit uses REST.
	gqlOff bool
}

// Collect adds the project's evidence to ev. An unknown project, a refused
// token or a forbidden project end the collection with ErrNotFound,
// ErrUnauthorized or ErrForbidden; an endpoint that this tier or this
// project's settings lack leaves its evidence unmarked with a warning
// (Result.Partial) and the rest continues.
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (res collectors.Result, err error) {
	var before model.RequestStats
	if c.hx != nil {
		before = c.hx.Stats.Snapshot()
	}
	defer func() {
		if c.hx != nil {
			st := c.hx.Stats.Since(before)
			res.Requests = &st
		}
	}()
	if err := c.loadProject(ctx); err != nil {
		return res, err
	}
	if c.state == nil {
		st, err := httpx.LoadState(c.opt.CacheDir, c.host, c.pid)
		if err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("gitlab: incremental state unreadable, collecting in full: %v", err))
			st, _ = httpx.LoadState("", c.host, c.pid)
		}
		c.state = st
	}
	snap := loadSnapshot(c.state, ev.Window, c.project.ID)
	if ev.Target == "" {
		ev.Target = c.project.PathWithNamespace
	}
	if ev.DefaultBranch == "" {
		ev.DefaultBranch = c.project.DefaultBranch
	}
	r := &run{c: c, ev: ev, snap: snap, res: &res, fresh: map[string]bool{},
		envTier: map[string]string{}, jobEnv: map[string]string{}, mrByIID: map[string]model.Change{}}
	if c.project.DefaultBranch == "" {
		r.warn("the project has no default branch (empty repository?): trunk evidence not collected")
		res.Partial = true
	} else if c.wants(model.KindCommits) || c.wants(model.KindBranches) || c.wants(model.KindTags) || c.wants(model.KindTree) {
		r.step(ctx, "repository", r.collectRepo)
	}
	r.step(ctx, "releases", r.collectReleases)
	r.step(ctx, "merge requests", r.collectChanges)
	r.step(ctx, "environments", r.collectEnvironments)
	r.step(ctx, "deployments", r.collectDeployments)
	r.step(ctx, "pipelines", r.collectPipelines)
	r.step(ctx, "protection", r.collectProtection)
	r.linkJobs()

	if err := storeSnapshot(c.state, snap, r.fresh, ev.Window); err != nil {
		r.warn(fmt.Sprintf("state not saved (the next audit will be a full one): %v", err))
	}
	if r.stop != nil {
		res.Partial = true
		return res, r.stop
	}
	return res, nil
}

// step runs one part of the collection; a failure becomes a warning (its
// evidence stays unmarked) unless it is fatal, which skips the rest.
func (r *run) step(ctx context.Context, name string, f func(ctx context.Context) error) {
	if r.stop != nil {
		r.res.Partial = true
		return
	}
	if err := f(ctx); err != nil {
		r.res.Partial = true
		if fatal(err) {
			r.stop = err
		}
		r.warn(fmt.Sprintf("%s not collected: %v", name, err))
	}
}

// warn records a warning (never holding the token: errors carry URLs and
// statuses only).
func (r *run) warn(msg string) {
	r.res.Warnings = append(r.res.Warnings, "gitlab: "+msg)
	r.c.log.Warn("gitlab: " + msg)
}

// loadProject reads the project; it decides between a clean failure (not
// found, refused, forbidden) and going on.
func (c *Collector) loadProject(ctx context.Context) error {
	p, resp, err := c.api.Projects.GetProject(c.projectRef(), &gl.GetProjectOptions{}, gl.WithContext(ctx))
	if err == nil {
		c.project = p
		return nil
	}
	werr := wrap("project", resp, err)
	switch codeOf(werr) {
	case http.StatusNotFound:
		return fmt.Errorf("%w: %q at %s does not exist or this token cannot see it", ErrNotFound, c.pid, c.web)
	case http.StatusUnauthorized:
		return fmt.Errorf("%w: %s refused the token (missing, expired or revoked?)", ErrUnauthorized, c.web)
	case http.StatusForbidden:
		return fmt.Errorf("%w: this token may not read %q", ErrForbidden, c.pid)
	}
	return werr
}

// errNoCI marks a listing refused because CI/CD is off for the project.
var errNoCI = errors.New("CI/CD is disabled for this project or not visible to this token")
