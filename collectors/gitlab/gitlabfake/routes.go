package gitlabfake

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// pipelineListItem is the subset of a pipeline the listing serves.
type pipelineListItem struct {
	ID        int64     `json:"id"`
	IID       int64     `json:"iid"`
	ProjectID int64     `json:"project_id"`
	SHA       string    `json:"sha"`
	Ref       string    `json:"ref"`
	Status    string    `json:"status"`
	Source    string    `json:"source"`
	Name      *string   `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	WebURL    string    `json:"web_url"`
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, apiPath string) {
	segs := strings.Split(strings.TrimPrefix(apiPath, "/"), "/")
	if len(segs) == 3 && segs[0] == "groups" && segs[2] == "projects" {
		s.groupProjects(w, r, segs[1])
		return
	}
	if len(segs) < 2 || segs[0] != "projects" {
		notFound(w, "Resource")
		return
	}
	id, err := url.PathUnescape(segs[1])
	d := s.data
	if err != nil || (id != strconv.FormatInt(d.Project.ID, 10) && id != d.Project.PathWithNamespace) {
		notFound(w, "Project")
		return
	}
	rest := segs[2:]
	q := r.URL.Query()
	switch {
	case len(rest) == 0:
		writeJSON(w, http.StatusOK, d.Project)
	case is(rest, "repository", "commits"):
		s.commits(w, r, q)
	case is(rest, "repository", "branches"):
		paginate(w, r, d.Branches)
	case is(rest, "repository", "tags"):
		paginate(w, r, d.Tags)
	case is(rest, "repository", "compare"):
		s.compare(w, q)
	case is(rest, "repository", "tree"):
		s.tree(w, r, q)
	case len(rest) == 4 && rest[0] == "repository" && rest[1] == "files" && rest[3] == "raw":
		p, err := url.PathUnescape(rest[2])
		files := d.Files
		if f, older := d.FilesAt[q.Get("ref")]; older {
			files = f
		}
		c, ok := files[p]
		if err != nil || !ok {
			notFound(w, "File")
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Gitlab-File-Path", p)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(c))
	case is(rest, "releases"):
		rs := append([]Release(nil), d.Releases...)
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].ReleasedAt.After(rs[j].ReleasedAt) })
		paginate(w, r, rs)
	case rest[0] == "merge_requests":
		s.mergeRequests(w, r, q, rest[1:])
	case rest[0] == "pipelines":
		if d.CIDisabled {
			forbidden(w)
			return
		}
		s.pipelines(w, r, q, rest[1:])
	case is(rest, "environments"):
		if d.CIDisabled {
			forbidden(w)
			return
		}
		paginate(w, r, d.Environments)
	case is(rest, "deployments"):
		if d.CIDisabled {
			forbidden(w)
			return
		}
		s.deployments(w, r, q)
	case is(rest, "protected_branches"):
		paginate(w, r, d.ProtectedBranches)
	case is(rest, "approval_rules"):
		if d.NoApprovals {
			forbidden(w)
			return
		}
		rules := d.ApprovalRules
		if rules == nil {
			rules = []ApprovalRule{}
		}
		paginate(w, r, rules)
	default:
		notFound(w, "Resource")
	}
}

func is(rest []string, want ...string) bool {
	if len(rest) != len(want) {
		return false
	}
	for i := range want {
		if rest[i] != want[i] {
			return false
		}
	}
	return true
}

func badRequest(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": msg})
}

func (s *Server) commits(w http.ResponseWriter, r *http.Request, q url.Values) {
	since, hasSince, err1 := timeParam(q, "since")
	until, hasUntil, err2 := timeParam(q, "until")
	if err1 != nil || err2 != nil {
		badRequest(w, "since/until is invalid")
		return
	}
	var out []Commit
	for _, c := range s.data.Commits {
		if hasSince && c.CommittedDate.Before(since) {
			continue
		}
		if hasUntil && c.CommittedDate.After(until) {
			continue
		}
		out = append(out, c)
	}
	paginate(w, r, out)
}

func (s *Server) tree(w http.ResponseWriter, r *http.Request, q url.Values) {
	entries := s.data.Tree
	if t, older := s.data.TreesAt[q.Get("ref")]; older {
		entries = t
	}
	var out []TreeEntry
	for _, e := range entries {
		if q.Get("recursive") != "true" && strings.Contains(e.Path, "/") {
			continue
		}
		out = append(out, e)
	}
	if q.Get("pagination") == "keyset" {
		keyset(w, r, out, func(e TreeEntry) string { return e.ID + ":" + e.Path })
		return
	}
	paginate(w, r, out)
}

func (s *Server) mergeRequests(w http.ResponseWriter, r *http.Request, q url.Values, rest []string) {
	d := s.data
	if len(rest) == 0 {
		after, hasAfter, err := timeParam(q, "updated_after")
		if err != nil {
			badRequest(w, "updated_after is invalid")
			return
		}
		state := q.Get("state")
		var out []*MergeRequest
		for _, m := range d.MergeRequests {
			if state != "" && state != "all" && m.State != state {
				continue
			}
			if hasAfter && m.UpdatedAt.Before(after) {
				continue
			}
			out = append(out, m)
		}
		sortByTime(out, q, func(m *MergeRequest) time.Time { return m.UpdatedAt }, func(m *MergeRequest) time.Time { return m.CreatedAt })
		paginate(w, r, out)
		return
	}
	iid, _ := strconv.ParseInt(rest[0], 10, 64)
	var mr *MergeRequest
	for _, m := range d.MergeRequests {
		if m.IID == iid {
			mr = m
		}
	}
	if mr == nil {
		notFound(w, "Merge Request")
		return
	}
	switch {
	case len(rest) == 1:
		writeJSON(w, http.StatusOK, mr)
	case is(rest[1:], "commits"):
		paginate(w, r, orEmpty(mr.Commits))
	case is(rest[1:], "diffs"):
		paginate(w, r, orEmpty(mr.Diffs))
	case is(rest[1:], "closes_issues"):
		paginate(w, r, orEmpty(mr.ClosesIssues))
	case is(rest[1:], "approvals"):
		if d.NoApprovals {
			forbidden(w)
			return
		}
		type approver struct {
			User User `json:"user"`
		}
		by := []approver{}
		for i, u := range mr.ApprovedBy {
			by = append(by, approver{User: User{ID: int64(100 + i), Username: u, Name: u, State: "active"}})
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": mr.ID, "iid": mr.IID, "project_id": mr.ProjectID, "title": mr.Title,
			"state": mr.State, "created_at": mr.CreatedAt, "updated_at": mr.UpdatedAt,
			"merge_status": "can_be_merged", "approvals_required": 0, "approvals_left": 0,
			"approved_by": by,
		})
	default:
		notFound(w, "Resource")
	}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sortByTime orders by the order_by parameter (updated_at or created_at,
// default created_at) and sort (default desc).
func sortByTime[T any](items []T, q url.Values, updated, created func(T) time.Time) {
	key := created
	if q.Get("order_by") == "updated_at" {
		key = updated
	}
	asc := q.Get("sort") == "asc"
	sort.SliceStable(items, func(i, j int) bool {
		if asc {
			return key(items[i]).Before(key(items[j]))
		}
		return key(items[i]).After(key(items[j]))
	})
}

func (s *Server) pipelines(w http.ResponseWriter, r *http.Request, q url.Values, rest []string) {
	d := s.data
	if len(rest) == 0 {
		after, hasAfter, err1 := timeParam(q, "updated_after")
		cafter, hasCAfter, err2 := timeParam(q, "created_after")
		if err1 != nil || err2 != nil {
			badRequest(w, "updated_after/created_after is invalid")
			return
		}
		var ps []*Pipeline
		for _, p := range d.Pipelines {
			if hasAfter && !p.UpdatedAt.After(after) {
				continue
			}
			if hasCAfter && !p.CreatedAt.After(cafter) {
				continue
			}
			ps = append(ps, p)
		}
		sortByTime(ps, q, func(p *Pipeline) time.Time { return p.UpdatedAt }, func(p *Pipeline) time.Time { return p.CreatedAt })
		out := make([]pipelineListItem, 0, len(ps))
		for _, p := range ps {
			out = append(out, pipelineListItem{ID: p.ID, IID: p.IID, ProjectID: p.ProjectID, SHA: p.SHA, Ref: p.Ref,
				Status: p.Status, Source: p.Source, Name: p.Name, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, WebURL: p.WebURL})
		}
		paginate(w, r, out)
		return
	}
	pid, _ := strconv.ParseInt(rest[0], 10, 64)
	var p *Pipeline
	for _, x := range d.Pipelines {
		if x.ID == pid {
			p = x
		}
	}
	if p == nil {
		notFound(w, "Pipeline")
		return
	}
	switch {
	case len(rest) == 1:
		writeJSON(w, http.StatusOK, p)
	case is(rest[1:], "jobs"):
		var jobs []Job
		for _, j := range p.Jobs {
			if j.Retried && q.Get("include_retried") != "true" {
				continue
			}
			j.Pipeline.ID, j.Pipeline.ProjectID, j.Pipeline.Ref, j.Pipeline.SHA, j.Pipeline.Status = p.ID, p.ProjectID, p.Ref, p.SHA, p.Status
			if j.Artifacts == nil {
				j.Artifacts = []JobArtifact{}
			}
			jobs = append(jobs, j)
		}
		sort.SliceStable(jobs, func(a, b int) bool { return jobs[a].ID > jobs[b].ID }) // newest first, as GitLab
		paginate(w, r, jobs)
	case is(rest[1:], "test_report"):
		tr := p.TestReport
		if tr == nil {
			tr = &TestReport{TestSuites: []TestSuite{}}
		}
		writeJSON(w, http.StatusOK, tr)
	default:
		notFound(w, "Resource")
	}
}

func (s *Server) deployments(w http.ResponseWriter, r *http.Request, q url.Values) {
	after, hasAfter, err := timeParam(q, "updated_after")
	if err != nil {
		badRequest(w, "updated_after is invalid")
		return
	}
	if hasAfter && q.Get("order_by") != "updated_at" {
		badRequest(w, "`updated_at` filter requires `updated_at` sort")
		return
	}
	var out []Deployment
	for _, dp := range s.data.Deployments {
		if hasAfter && !dp.UpdatedAt.After(after) {
			continue
		}
		out = append(out, dp)
	}
	key := func(x Deployment) time.Time { return x.CreatedAt }
	if q.Get("order_by") == "updated_at" {
		key = func(x Deployment) time.Time { return x.UpdatedAt }
	}
	asc := q.Get("sort") != "desc"
	sort.SliceStable(out, func(i, j int) bool {
		if asc {
			return key(out[i]).Before(key(out[j]))
		}
		return key(out[i]).After(key(out[j]))
	})
	paginate(w, r, out)
}

// compare serves from=<default branch or its tip>&to=<branch or its head>:
// the branch's own commits.
func (s *Server) compare(w http.ResponseWriter, q url.Values) {
	to := q.Get("to")
	for _, b := range s.data.Branches {
		if b.Name != to && b.Commit.ID != to {
			continue
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"commit": b.Commit, "commits": orEmpty(b.Ahead), "diffs": []Diff{},
			"compare_timeout": false, "compare_same_ref": q.Get("from") == to, "web_url": s.data.Project.WebURL + "/-/compare",
		})
		return
	}
	notFound(w, "Ref")
}
