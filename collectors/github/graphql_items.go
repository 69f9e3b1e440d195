package github

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// gqlPull is what pullDetails reads, through GraphQL.
type gqlPull struct {
	Reviews struct {
		TotalCount int
		Nodes      []struct {
			State  string
			Author struct{ Login string }
		}
	} `graphql:"reviews(first: 100)"`
	Commits struct {
		TotalCount int
		Nodes      []struct {
			Commit struct{ AuthoredDate time.Time }
		}
	} `graphql:"commits(first: 100)"`
	Files struct {
		TotalCount int
		Nodes      []struct {
			Path      string
			Additions int
			Deletions int
		}
	} `graphql:"files(first: 100)"`
}

// gqlPullDetails fills the details of the pull requests in need (ids into
// changes) whose node ids are known, gqlPulls a query, and returns those it
// filled; a pull request with more than 100 reviews, commits or files is
// left to REST. An error is one that ends the step.
func (a *audit) gqlPullDetails(ctx context.Context, need []string, nodes map[string]string, changes map[string]model.Change) (map[string]bool, error) {
	done := map[string]bool{}
	todo := withNode(need, nodes)
	g := a.graphQL()
	if g == nil || len(todo) < gqlMinBatch {
		return done, nil
	}
	for _, b := range batches(len(todo), gqlPulls) {
		part := todo[b[0]:b[1]]
		node := nodeIDs(part, nodes)
		var q struct {
			Nodes []struct {
				PullRequest gqlPull `graphql:"... on PullRequest"`
			} `graphql:"nodes(ids: $ids)"`
			RateLimit gqlRate
		}
		if err := a.query(ctx, g, &q, map[string]any{"ids": ids(node)}); err != nil {
			if errors.Is(err, errGraphQLOff) {
				return done, nil
			}
			return done, err
		}
		g.rate = q.RateLimit
		for i, n := range q.Nodes {
			p := n.PullRequest
			if i >= len(part) || p.Reviews.TotalCount > len(p.Reviews.Nodes) ||
				p.Commits.TotalCount > len(p.Commits.Nodes) || p.Files.TotalCount > len(p.Files.Nodes) {
				continue
			}
			ch := changes[part[i]]
			reviews := 0
			last := map[string]string{}
			var order []string
			for _, r := range p.Reviews.Nodes {
				st := strings.ToUpper(r.State)
				if st == "PENDING" || st == "" {
					continue
				}
				reviews++
				switch st {
				case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
					if _, ok := last[r.Author.Login]; !ok {
						order = append(order, r.Author.Login)
					}
					last[r.Author.Login] = st
				}
			}
			approvals := 0
			for _, u := range order {
				if last[u] == "APPROVED" {
					approvals++
				}
			}
			var first *time.Time
			for _, c := range p.Commits.Nodes {
				t := c.Commit.AuthoredDate.UTC()
				if first == nil || t.Before(*first) {
					first = &t
				}
			}
			var files []string
			adds, dels := 0, 0
			for _, f := range p.Files.Nodes {
				files = append(files, f.Path)
				adds += f.Additions
				dels += f.Deletions
			}
			sort.Strings(files)
			ch.Reviews, ch.Approvals, ch.FirstCommit = reviews, approvals, first
			ch.Files, ch.ChangedFiles, ch.Additions, ch.Deletions = files, len(files), adds, dels
			ch.DetailsKnown = true
			changes[part[i]] = ch
			done[part[i]] = true
		}
	}
	return done, nil
}

// gqlDeploymentOutcomes reads the statuses of the deployments ids (into
// deps) whose node ids are known, gqlDeployments a query, and returns those
// it decided; more than 100 statuses are left to REST.
func (a *audit) gqlDeploymentOutcomes(ctx context.Context, want []string, nodes map[string]string, deps map[string]model.Deployment) (map[string]bool, error) {
	done := map[string]bool{}
	todo := withNode(want, nodes)
	g := a.graphQL()
	if g == nil || len(todo) < gqlMinDeployments {
		return done, nil
	}
	for _, b := range batches(len(todo), gqlDeployments) {
		part := todo[b[0]:b[1]]
		node := nodeIDs(part, nodes)
		var q struct {
			Nodes []struct {
				Deployment struct {
					Statuses struct {
						TotalCount int
						Nodes      []struct {
							State     string
							CreatedAt time.Time
							LogURL    string `graphql:"logUrl"`
						}
					} `graphql:"statuses(first: 100)"`
				} `graphql:"... on Deployment"`
			} `graphql:"nodes(ids: $ids)"`
			RateLimit gqlRate
		}
		if err := a.query(ctx, g, &q, map[string]any{"ids": ids(node)}); err != nil {
			if errors.Is(err, errGraphQLOff) {
				return done, nil
			}
			return done, err
		}
		g.rate = q.RateLimit
		for i, n := range q.Nodes {
			sts := n.Deployment.Statuses
			if i >= len(part) || sts.TotalCount > len(sts.Nodes) {
				continue
			}
			list := make([]deploymentStatus, len(sts.Nodes))
			for j, s := range sts.Nodes {
				list[j] = deploymentStatus{State: strings.ToLower(s.State), CreatedAt: s.CreatedAt, LogURL: s.LogURL}
			}
			// Newest first, as REST lists them, whatever the schema's order.
			sort.SliceStable(list, func(x, y int) bool { return list[x].CreatedAt.After(list[y].CreatedAt) })
			d := deps[part[i]]
			decideOutcome(&d, list)
			deps[part[i]] = d
			done[part[i]] = true
		}
	}
	return done, nil
}

// gqlJob is a check run of a workflow run's check suite: an Actions job
// (same id), every attempt included.
type gqlJob struct {
	DatabaseID  int64
	Name        string
	Status      string
	Conclusion  string
	StartedAt   *time.Time
	CompletedAt *time.Time
	DetailsURL  string `graphql:"detailsUrl"`
	Steps       struct {
		TotalCount int
		Nodes      []struct{ Name string }
	} `graphql:"steps(first: 100)"`
}

// gqlRunJobs reads the jobs of the runs in need whose node ids are known,
// gqlRuns a query, and returns the jobs by run id. A run with more than
// gqlJobsPerRun executions, more than 100 steps in a job, or whose
// executions do not tell their attempts (a re-run of some jobs only) is
// left to REST: GraphQL's check runs carry no attempt number, so a run of
// attempt N is taken only when each job name ran once or N times.
func (a *audit) gqlRunJobs(ctx context.Context, need []model.Run, nodes map[string]string) (map[string][]model.Job, error) {
	done := map[string][]model.Job{}
	var todo []model.Run
	for _, m := range need {
		if nodes[m.ID] != "" {
			todo = append(todo, m)
		}
	}
	g := a.graphQL()
	if g == nil || len(todo) < gqlMinBatch {
		return done, nil
	}
	for _, b := range batches(len(todo), gqlRuns) {
		part := todo[b[0]:b[1]]
		node := make([]string, len(part))
		for i, m := range part {
			node[i] = nodes[m.ID]
		}
		var q struct {
			Nodes []struct {
				WorkflowRun struct {
					CheckSuite struct {
						CheckRuns struct {
							TotalCount int
							Nodes      []gqlJob
						} `graphql:"checkRuns(first: 8, filterBy: {checkType: ALL})"`
					}
				} `graphql:"... on WorkflowRun"`
			} `graphql:"nodes(ids: $ids)"`
			RateLimit gqlRate
		}
		if err := a.query(ctx, g, &q, map[string]any{"ids": ids(node)}); err != nil {
			if errors.Is(err, errGraphQLOff) {
				return done, nil
			}
			return done, err
		}
		g.rate = q.RateLimit
		for i, n := range q.Nodes {
			cr := n.WorkflowRun.CheckSuite.CheckRuns
			if i >= len(part) || cr.TotalCount > len(cr.Nodes) {
				continue
			}
			if jobs, ok := convertCheckJobs(part[i].Attempt, cr.Nodes); ok {
				done[part[i].ID] = jobs
			}
		}
	}
	return done, nil
}

// convertCheckJobs turns a run's check runs into jobs as convertJob does;
// false when the attempts cannot be told.
func convertCheckJobs(attempt int, crs []gqlJob) ([]model.Job, bool) {
	attempt = max(attempt, 1)
	count := map[string]int{}
	for _, c := range crs {
		if c.Steps.TotalCount > len(c.Steps.Nodes) {
			return nil, false
		}
		count[c.Name]++
	}
	for _, n := range count {
		if n != 1 && n != attempt {
			return nil, false
		}
		if n == 1 && attempt > 1 {
			return nil, false // ran in one attempt of several: which one is unknown
		}
	}
	// The k-th execution of a name (by start) is attempt k.
	order := make([]int, len(crs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		sx, sy := crs[order[x]].StartedAt, crs[order[y]].StartedAt
		return sx != nil && sy != nil && sx.Before(*sy)
	})
	attempts := make([]int, len(crs))
	seen := map[string]int{}
	for _, i := range order {
		seen[crs[i].Name]++
		attempts[i] = seen[crs[i].Name]
	}
	var jobs []model.Job
	for i, c := range crs {
		m := model.Job{ID: strconv.FormatInt(c.DatabaseID, 10), Name: c.Name, URL: c.DetailsURL,
			Status: strings.ToLower(c.Status), Conclusion: strings.ToLower(c.Conclusion), Attempt: attempts[i]}
		if c.StartedAt != nil {
			t := c.StartedAt.UTC()
			m.StartedAt = &t
		}
		if c.CompletedAt != nil {
			t := c.CompletedAt.UTC()
			m.FinishedAt = &t
			if m.StartedAt != nil && !t.Before(*m.StartedAt) {
				d := t.Sub(*m.StartedAt).Seconds()
				m.Duration = &d
			}
		}
		for _, s := range c.Steps.Nodes {
			m.Steps = append(m.Steps, s.Name)
		}
		jobs = append(jobs, m)
	}
	markSuperseded(jobs)
	return jobs, true
}

// withNode returns the ids whose GraphQL node id is known, in order: only
// those can be looked up by nodes(ids:).
func withNode(ids []string, nodes map[string]string) []string {
	var out []string
	for _, id := range ids {
		if nodes[id] != "" {
			out = append(out, id)
		}
	}
	return out
}

// nodeIDs maps REST ids to their GraphQL node ids.
func nodeIDs(ids []string, nodes map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = nodes[id]
	}
	return out
}
