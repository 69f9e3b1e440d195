package github

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// deploymentJSON is a deployment as the REST API gives it; go-github's
// struct lacks production_environment and transient_environment.
type deploymentJSON struct {
	ID                    int64     `json:"id"`
	NodeID                string    `json:"node_id"`
	SHA                   string    `json:"sha"`
	Ref                   string    `json:"ref"`
	Task                  string    `json:"task"`
	Environment           string    `json:"environment"`
	Creator               *gh.User  `json:"creator"`
	CreatedAt             time.Time `json:"created_at"`
	ProductionEnvironment *bool     `json:"production_environment"`
	TransientEnvironment  *bool     `json:"transient_environment"`
}

// deploymentsBlob is what the state keeps of deployments, and by
// deployment id those GitHub marked transient_environment. A blob without
// Transient (written before it was kept) is re-synced.
type deploymentsBlob struct {
	Hash      string                      `json:"hash"`
	Deps      map[string]model.Deployment `json:"deployments"`
	Transient map[string]bool             `json:"transient"`
	// Nodes are GraphQL node ids by deployment id, for the outcomes read
	// by later audits (absent in older blobs: those take REST).
	Nodes map[string]string `json:"nodes,omitempty"`
}

// terminal deployment outcomes: their statuses are not read again.
var terminal = map[string]bool{"success": true, "failure": true, "error": true}

var runURLRE = regexp.MustCompile(`/actions/runs/(\d+)`)

// dynamicEnvName matches environment names that look per-change: "pr-" at
// the start or after a separator ("pr-12", "app/pr-12", "preview-pr-2"),
// and "preview" or "review" anywhere.
var dynamicEnvName = regexp.MustCompile(`(?i)(^|[^a-z0-9])pr-|review`)

// deployments lists deployments (newest first) back to the window start (or
// the watermark) and reads the statuses of those whose outcome is not final
// yet.
func (a *audit) deployments(ctx context.Context) error {
	c := a.c
	w := a.ev.Window
	var kept deploymentsBlob
	valid := a.state.Get("deployments", &kept) && kept.Hash == a.hash && kept.Deps != nil && kept.Transient != nil
	if !valid {
		kept = deploymentsBlob{Hash: a.hash, Deps: map[string]model.Deployment{}, Transient: map[string]bool{}}
	}
	stopAt := w.Since
	if wm, ok := a.state.Watermark("deployments", w, a.hash); ok && valid && wm.At.Add(-overlap).After(stopAt) {
		stopAt = wm.At.Add(-overlap)
	}
	base := fmt.Sprintf("repos/%s/%s/deployments?per_page=100", c.owner, c.name)
	if kept.Nodes == nil {
		kept.Nodes = map[string]string{}
	}
	nodes := kept.Nodes // deployment id → GraphQL node id
listing:
	for p := 1; ; {
		var page []deploymentJSON
		resp, err := a.getJSON(ctx, base+"&page="+strconv.Itoa(p), &page)
		if err != nil {
			return err
		}
		for _, d := range page {
			if d.CreatedAt.Before(stopAt) {
				break listing
			}
			id := strconv.FormatInt(d.ID, 10)
			if d.NodeID != "" {
				nodes[id] = d.NodeID
			}
			if _, ok := kept.Deps[id]; ok {
				continue
			}
			kept.Deps[id] = model.Deployment{ID: id, Environment: d.Environment, SHA: d.SHA, Ref: d.Ref,
				Creator: d.Creator.GetLogin(), CreatedAt: d.CreatedAt.UTC(), Production: productionFlag(d.ProductionEnvironment),
				Task: d.Task, Status: "unknown"}
			if d.TransientEnvironment != nil && *d.TransientEnvironment {
				kept.Transient[id] = true
			}
		}
		next, err := nextPage(p, resp)
		if err != nil {
			return err
		}
		if next == 0 {
			break
		}
		p = next
	}
	var ids []string
	for id, d := range kept.Deps {
		if !w.Contains(d.CreatedAt) {
			delete(kept.Deps, id)
			delete(kept.Transient, id)
			delete(kept.Nodes, id)
		} else if !terminal[d.Status] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	done, err := a.gqlDeploymentOutcomes(ctx, ids, nodes, kept.Deps)
	if err != nil {
		_ = a.state.Put("deployments", kept)
		return err
	}
	for _, id := range ids {
		if done[id] {
			continue
		}
		d := kept.Deps[id]
		if err := a.deploymentOutcome(ctx, &d); err != nil {
			_ = a.state.Put("deployments", kept)
			return err
		}
		kept.Deps[id] = d
	}
	if err := a.state.Put("deployments", kept); err != nil {
		return err
	}
	a.state.SetWatermark("deployments", a.start, w, a.hash)
	out := make([]model.Deployment, 0, len(kept.Deps))
	a.envTransient, a.envProduction = map[string]bool{}, map[string]bool{}
	for id, d := range kept.Deps {
		out = append(out, d)
		if kept.Transient[id] {
			a.envTransient[d.Environment] = true
		}
		if d.Production != nil && *d.Production {
			a.envProduction[d.Environment] = true
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	a.ev.Deployments = append(a.ev.Deployments, out...)
	return nil
}

// deploymentOutcome reads a deployment's statuses (newest first). The
// outcome is the newest status that is not "inactive": GitHub marks earlier
// successful deployments of an environment inactive when a newer one
// succeeds, which says nothing about how they went. Only when every status
// is inactive is the outcome "inactive". FinishedAt is the creation time of
// the deciding status when it is final.
func (a *audit) deploymentOutcome(ctx context.Context, d *model.Deployment) error {
	c := a.c
	id, _ := strconv.ParseInt(d.ID, 10, 64)
	opt := pageOpts()
	sts, _, err := c.client.Repositories.ListDeploymentStatuses(ctx, c.owner, c.name, id, &opt)
	if err != nil {
		if status(err) == http.StatusNotFound {
			return nil // deleted since listing
		}
		return err
	}
	list := make([]deploymentStatus, len(sts))
	for i, s := range sts {
		list[i] = deploymentStatus{State: s.GetState(), CreatedAt: s.GetCreatedAt().Time, LogURL: s.GetLogURL(), TargetURL: s.GetTargetURL()}
	}
	decideOutcome(d, list)
	return nil
}

// deploymentStatus is what an outcome is read from, from REST or GraphQL.
type deploymentStatus struct {
	State             string
	CreatedAt         time.Time
	LogURL, TargetURL string
}

// decideOutcome sets d's outcome from its statuses, newest first (see
// deploymentOutcome).
func decideOutcome(d *model.Deployment, sts []deploymentStatus) {
	var decide *deploymentStatus
	for i := range sts {
		if sts[i].State != "inactive" {
			decide = &sts[i]
			break
		}
	}
	if decide == nil && len(sts) > 0 {
		decide = &sts[0]
	}
	if decide == nil {
		d.Status = "unknown"
		return
	}
	switch st := decide.State; st {
	case "pending":
		d.Status = "queued"
	default:
		d.Status = st
	}
	if terminal[d.Status] {
		t := decide.CreatedAt.UTC()
		d.FinishedAt = &t
	}
	for _, u := range []string{decide.LogURL, decide.TargetURL} {
		if u == "" {
			continue
		}
		if d.URL == "" {
			d.URL = u
		}
		if m := runURLRE.FindStringSubmatch(u); m != nil && d.RunID == "" {
			d.RunID = m[1]
		}
	}
}

// environments lists the deployment environments and their protection rule
// types. An environment is Dynamic when a deployment to it in the window
// had transient_environment, or its name looks per-change (dynamicEnvName);
// its Tier is "production" when a deployment to it in the window had
// production_environment, else unset.
func (a *audit) environments(ctx context.Context) error {
	c := a.c
	opt := &gh.EnvironmentListOptions{ListOptions: pageOpts()}
	var out []model.Environment
	for {
		page, resp, err := c.client.Repositories.ListEnvironments(ctx, c.owner, c.name, opt)
		if err != nil {
			return err
		}
		for _, e := range page.Environments {
			env := model.Environment{Name: e.GetName(), URL: e.GetHTMLURL(), CreatedAt: e.GetCreatedAt().UTC(),
				Dynamic: a.envTransient[e.GetName()] || dynamicEnvName.MatchString(e.GetName())}
			if a.envProduction[e.GetName()] {
				env.Tier = "production"
			}
			seen := map[string]bool{}
			for _, r := range e.ProtectionRules {
				if t := r.GetType(); t != "" && !seen[t] {
					seen[t] = true
					env.ProtectionRules = append(env.ProtectionRules, t)
				}
			}
			sort.Strings(env.ProtectionRules)
			out = append(out, env)
		}
		next, err := nextPage(opt.Page, resp)
		if err != nil {
			return err
		}
		if next == 0 {
			break
		}
		opt.Page = next
	}
	a.ev.Environments = append(a.ev.Environments, out...)
	return nil
}

// productionFlag keeps GitHub's production_environment only when it is true:
// GitHub defaults it to false for every environment not named "production",
// so a false says nothing and the configured production pattern decides.
func productionFlag(p *bool) *bool {
	if p != nil && *p {
		return p
	}
	return nil
}
