package gitlab

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/model"
)

// collectEnvironments lists every environment (available and stopped): a
// small listing, read in full each audit.
func (r *run) collectEnvironments(ctx context.Context) error {
	c := r.c
	list, err := listAll(ctx, "environments", func(o ...gl.RequestOptionFunc) ([]*gl.Environment, *gl.Response, error) {
		return c.api.Environments.ListEnvironments(c.projectRef(), &gl.ListEnvironmentsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		if unavailable(err) {
			return fmt.Errorf("%w: %w", errNoCI, err)
		}
		return err
	}
	var out []model.Environment
	for _, e := range list {
		if e == nil {
			continue
		}
		r.envTier[e.Name] = e.Tier
		out = append(out, model.Environment{
			Name: e.Name, URL: e.ExternalURL, Tier: e.Tier,
			Dynamic: strings.Contains(e.Name, "/"), CreatedAt: tval(e.CreatedAt),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	r.ev.Environments = append(r.ev.Environments, out...)
	r.ev.Mark(model.KindEnvironments)
	return nil
}

// collectDeployments lists the deployments updated in the window (or since
// the watermark; GitLab wants order_by=updated_at with updated_after) and
// reports those created in the window. Production comes from the
// environment's tier where the environment is known.
func (r *run) collectDeployments(ctx context.Context) error {
	c, w := r.c, r.ev.Window
	st := r.snap.Deploys
	after := w.Since
	if st == nil {
		st = &deployState{mark: mark{Covered: w.Since}, Items: map[string]deployItem{}}
	} else {
		after = st.Watermark.Add(-overlap)
	}
	opt := &gl.ListProjectDeploymentsOptions{
		ListOptions: gl.ListOptions{PerPage: perPage},
		OrderBy:     gl.Ptr("updated_at"), Sort: gl.Ptr("asc"),
	}
	if !after.IsZero() {
		opt.UpdatedAfter = gl.Ptr(after)
	}
	list, err := listAll(ctx, "deployments", func(o ...gl.RequestOptionFunc) ([]*gl.Deployment, *gl.Response, error) {
		return c.api.Deployments.ListProjectDeployments(c.projectRef(), opt, o...)
	})
	if err != nil {
		if unavailable(err) {
			return fmt.Errorf("%w: %w", errNoCI, err)
		}
		return err
	}
	for _, d := range list {
		if d == nil {
			continue
		}
		it := toDeployment(d)
		if it.UpdatedAt.After(st.Watermark) {
			st.Watermark = it.UpdatedAt
		}
		st.Items[it.D.ID] = it
	}
	if st.Watermark.IsZero() {
		st.Watermark = after
	}
	var out []model.Deployment
	for id, it := range st.Items {
		if !w.Since.IsZero() && it.UpdatedAt.Before(w.Since) {
			delete(st.Items, id)
			continue
		}
		if it.JobID != "" {
			r.jobEnv[it.JobID] = it.Env
		}
		if !inWindow(w, it.D.CreatedAt) {
			continue
		}
		d := it.D
		if tier, ok := r.envTier[it.Env]; ok && tier != "" {
			prod := tier == "production"
			d.Production = &prod
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	r.ev.Deployments = append(r.ev.Deployments, out...)
	st.Covered = w.Since // older items were pruned
	r.snap.Deploys = st
	r.fresh[epDeploys] = true
	r.ev.Mark(model.KindDeployments)
	return nil
}

func toDeployment(d *gl.Deployment) deployItem {
	it := deployItem{UpdatedAt: tval(d.UpdatedAt)}
	md := model.Deployment{
		ID: strconv.FormatInt(d.ID, 10), SHA: d.SHA, Ref: d.Ref,
		CreatedAt: tval(d.CreatedAt), Status: deployStatus(d.Status),
	}
	if d.Environment != nil {
		md.Environment = d.Environment.Name
		it.Env = d.Environment.Name
	}
	if d.User != nil {
		md.Creator = d.User.Username
	}
	if d.Deployable.ID != 0 {
		it.JobID = strconv.FormatInt(d.Deployable.ID, 10)
		if md.Status == "success" || md.Status == "failure" || md.Status == "canceled" {
			md.FinishedAt = tptr(d.Deployable.FinishedAt)
		}
		if d.Deployable.Pipeline.ID != 0 {
			md.RunID = strconv.FormatInt(d.Deployable.Pipeline.ID, 10)
		}
	}
	it.D = md
	return it
}

// linkJobs fills what one step knows about another's evidence: the
// environment a job deployed to (from deployments) and the source branch of
// merge-request pipelines (from merge requests).
func (r *run) linkJobs() {
	for i := range r.ev.Runs {
		run := &r.ev.Runs[i]
		if run.PullNumber != "" && run.Branch == "" {
			if ch, ok := r.mrByIID[run.PullNumber]; ok {
				run.Branch = ch.SourceBranch
			}
		}
		for j := range run.Jobs {
			if env, ok := r.jobEnv[run.Jobs[j].ID]; ok && run.Jobs[j].Environment == "" {
				run.Jobs[j].Environment = env
			}
		}
	}
}
