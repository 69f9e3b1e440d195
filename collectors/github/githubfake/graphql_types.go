package githubfake

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The objects below carry the field names and enum values of GitHub's
// GraphQL schema (docs.github.com/graphql/reference): Query.nodes/node/
// repository/rateLimit, PullRequest (reviews, commits, files, labels,
// closingIssuesReferences), Deployment.statuses, WorkflowRun.checkSuite.
// checkRuns and CheckRun.steps. Node ids are the REST payloads' node_id.

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func tsp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func actor(u User) *object {
	typ := "User"
	if u.Type == "Bot" {
		typ = "Bot"
	}
	return &object{typ: typ, fields: map[string]any{"login": u.Login}}
}

// queryRoot is the Query type.
func (s *Server) queryRoot(ex *executor) *object {
	node := func(id string) (*object, error) {
		if o := s.node(id); o != nil {
			return o, nil
		}
		return nil, fmt.Errorf("Could not resolve to a node with the global id of '%s'", id)
	}
	return &object{typ: "Query", fields: map[string]any{
		"rateLimit": resolver(func(map[string]any) (any, error) {
			return &object{typ: "RateLimit", fields: map[string]any{"cost": ex.cost, "remaining": ex.remaining,
				"limit": GraphQLLimit, "used": GraphQLLimit - ex.remaining, "resetAt": ts(s.now().Add(time.Hour)),
				"nodeCount": 0}}, nil
		}),
		"node": resolver(func(args map[string]any) (any, error) {
			id, _ := args["id"].(string)
			return node(id)
		}),
		"nodes": resolver(func(args map[string]any) (any, error) {
			ids, _ := args["ids"].([]any)
			out := make([]*object, len(ids))
			var missing []string
			for i, v := range ids {
				id, _ := v.(string)
				if out[i] = s.node(id); out[i] == nil {
					missing = append(missing, id)
				}
			}
			if len(missing) > 0 {
				ex.errs = append(ex.errs, gqlError{Type: "NOT_FOUND", Path: []any{"nodes"},
					Message: fmt.Sprintf("Could not resolve to a node with the global id of '%s'", missing[0])})
			}
			return out, nil
		}),
		"repository": resolver(func(args map[string]any) (any, error) {
			o, _ := args["owner"].(string)
			n, _ := args["name"].(string)
			if !strings.EqualFold(o, s.repo.Owner) || !strings.EqualFold(n, s.repo.Name) {
				return nil, fmt.Errorf("Could not resolve to a Repository with the name '%s/%s'.", o, n)
			}
			return s.repository(), nil
		}),
	}}
}

func (s *Server) repository() *object {
	return &object{typ: "Repository", fields: map[string]any{
		"nameWithOwner": s.repo.FullName(),
		"pullRequest": resolver(func(args map[string]any) (any, error) {
			n, _ := toInt(args["number"])
			for i := range s.repo.Pulls {
				if s.repo.Pulls[i].Number == n {
					return pullObject(&s.repo.Pulls[i]), nil
				}
			}
			return nil, fmt.Errorf("Could not resolve to a PullRequest with the number of %d.", n)
		}),
	}}
}

// node finds a pull request, deployment or workflow run by node id.
func (s *Server) node(id string) *object {
	if id == "" {
		return nil
	}
	for i := range s.repo.Pulls {
		if s.repo.Pulls[i].NodeID == id {
			return pullObject(&s.repo.Pulls[i])
		}
	}
	for i := range s.repo.Deployments {
		if s.repo.Deployments[i].NodeID == id {
			return deploymentObject(&s.repo.Deployments[i])
		}
	}
	if !s.repo.NoActions {
		for i := range s.repo.Runs {
			if s.repo.Runs[i].NodeID == id {
				return runObject(&s.repo.Runs[i])
			}
		}
	}
	return nil
}

func pullObject(p *Pull) *object {
	state := strings.ToUpper(p.State)
	if p.MergedAt != nil {
		state = "MERGED"
	}
	reviews := make([]*object, 0, len(p.Reviews))
	for _, r := range p.Reviews {
		reviews = append(reviews, &object{typ: "PullRequestReview", fields: map[string]any{"id": r.NodeID,
			"databaseId": r.ID, "state": r.State, "author": actor(r.User), "submittedAt": tsp(r.SubmittedAt), "body": r.Body}})
	}
	commits := make([]*object, 0, len(p.Commits))
	for _, c := range p.Commits {
		commits = append(commits, &object{typ: "PullRequestCommit", fields: map[string]any{
			"commit": &object{typ: "Commit", fields: map[string]any{"oid": c.SHA, "message": c.Commit.Message,
				"authoredDate": ts(c.Commit.Author.Date), "committedDate": ts(c.Commit.Committer.Date)}}}})
	}
	files := make([]*object, 0, len(p.Files))
	for _, f := range p.Files {
		files = append(files, &object{typ: "PullRequestChangedFile", fields: map[string]any{"path": f.Filename,
			"additions": f.Additions, "deletions": f.Deletions, "changeType": strings.ToUpper(f.Status)}})
	}
	labels := make([]*object, 0, len(p.Labels))
	for _, l := range p.Labels {
		labels = append(labels, &object{typ: "Label", fields: map[string]any{"name": l.Name}})
	}
	return &object{typ: "PullRequest", fields: map[string]any{
		"id": p.NodeID, "databaseId": p.ID, "number": p.Number, "title": p.Title, "body": p.Body, "url": p.HTMLURL,
		"state": state, "isDraft": p.Draft, "createdAt": ts(p.CreatedAt), "updatedAt": ts(p.UpdatedAt),
		"closedAt": tsp(p.ClosedAt), "mergedAt": tsp(p.MergedAt), "author": actor(p.User),
		"headRefName": p.Head.Ref, "headRefOid": p.Head.SHA, "baseRefName": p.Base.Ref,
		"reviews":                 connection("PullRequestReview", reviews),
		"commits":                 connection("PullRequestCommit", commits),
		"files":                   connection("PullRequestChangedFile", files),
		"labels":                  connection("Label", labels),
		"closingIssuesReferences": connection("Issue", nil),
	}}
}

func deploymentObject(d *Deployment) *object {
	sts := make([]*object, 0, len(d.Statuses))
	for _, st := range d.Statuses {
		logURL := st.LogURL
		if logURL == "" {
			logURL = st.TargetURL // GitHub fills log_url from target_url
		}
		var lu, eu any
		if logURL != "" {
			lu = logURL
		}
		if st.EnvironmentURL != "" {
			eu = st.EnvironmentURL
		}
		sts = append(sts, &object{typ: "DeploymentStatus", fields: map[string]any{"id": st.NodeID,
			"state": strings.ToUpper(st.State), "createdAt": ts(st.CreatedAt), "updatedAt": ts(st.UpdatedAt),
			"logUrl": lu, "environmentUrl": eu, "description": st.Description, "creator": actor(st.Creator)}})
	}
	return &object{typ: "Deployment", fields: map[string]any{
		"id": d.NodeID, "databaseId": d.ID, "environment": d.Environment, "originalEnvironment": d.OriginalEnvironment,
		"task": d.Task, "commitOid": d.SHA, "createdAt": ts(d.CreatedAt), "updatedAt": ts(d.UpdatedAt),
		"creator": actor(d.Creator), "statuses": connection("DeploymentStatus", sts),
	}}
}

// runObject is a workflow run; its check suite's check runs are its jobs
// (an Actions job is a check run with the same id). checkRuns answers the
// latest attempt of each job unless filterBy: {checkType: ALL}.
func runObject(r *Run) *object {
	all := func(args map[string]any) bool {
		f, _ := args["filterBy"].(map[string]any)
		return f != nil && f["checkType"] == "ALL"
	}
	checkRuns := resolver(func(args map[string]any) (any, error) {
		latest := map[string]int{}
		for _, j := range r.Jobs {
			latest[j.Name] = max(latest[j.Name], j.RunAttempt)
		}
		var items []*object
		for i := range r.Jobs {
			j := &r.Jobs[i]
			if !all(args) && j.RunAttempt < latest[j.Name] {
				continue
			}
			items = append(items, checkRunObject(j))
		}
		return connection("CheckRun", items)(args)
	})
	return &object{typ: "WorkflowRun", fields: map[string]any{
		"id": r.NodeID, "databaseId": r.ID, "runNumber": r.RunNumber, "event": r.Event, "url": r.HTMLURL,
		"createdAt": ts(r.CreatedAt), "updatedAt": ts(r.UpdatedAt),
		"checkSuite": &object{typ: "CheckSuite", fields: map[string]any{"checkRuns": checkRuns}},
	}}
}

func checkRunObject(j *Job) *object {
	upper := func(p *string) any {
		if p == nil {
			return nil
		}
		return strings.ToUpper(*p)
	}
	steps := make([]*object, 0, len(j.Steps))
	for _, st := range j.Steps {
		steps = append(steps, &object{typ: "CheckStep", fields: map[string]any{"name": st.Name, "number": st.Number,
			"status": strings.ToUpper(st.Status), "conclusion": upper(st.Conclusion),
			"startedAt": tsp(st.StartedAt), "completedAt": tsp(st.CompletedAt)}})
	}
	return &object{typ: "CheckRun", fields: map[string]any{
		"id": "CR_" + strconv.FormatInt(j.ID, 10), "databaseId": j.ID, "name": j.Name,
		"status": strings.ToUpper(j.Status), "conclusion": upper(j.Conclusion),
		"startedAt": ts(j.StartedAt), "completedAt": tsp(j.CompletedAt),
		"detailsUrl": j.HTMLURL, "permalink": j.HTMLURL,
		"steps": connection("CheckStep", steps),
	}}
}
