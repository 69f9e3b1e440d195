package gitlabfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// GraphQLPath is where GitLab answers GraphQL (beside /api/v4).
const GraphQLPath = "/api/graphql"

// The GraphQL part of the fake answers the fields cdaudit asks for, shaped
// as GitLab's schema has them: Query.project(fullPath:) →
// Project.mergeRequests(iids:, first:) → MergeRequest { iid title
// description approvedBy commits diffStats } and
// Project.pipelines(updatedAfter:, first:, after:) → Pipeline { id iid
// status source ref refPath sha startedAt finishedAt duration queuedDuration
// coverage jobs testReportSummary }, with connections (nodes, pageInfo) of
// at most 100 nodes. A field it does not know is refused as GitLab refuses
// it ("Field 'x' doesn't exist on type 'T'"); with Data.NoApprovals,
// MergeRequest has no approvedBy (an instance without approvals).

// gobj is a GraphQL object: its fields by name ("__typename" included); a
// field is a scalar, a gobj, a []gobj, or a resolver of its arguments.
type gobj map[string]any

type resolver func(args map[string]any) (any, error)

type gqlErr struct {
	Message string `json:"message"`
	Path    []any  `json:"path,omitempty"`
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "404 Not Found"})
		return
	}
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []gqlErr{{Message: "Invalid JSON"}}})
		return
	}
	doc, perr := parser.ParseQuery(&ast.Source{Input: in.Query})
	if perr != nil {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Message: perr.Error()}}})
		return
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []gqlErr{{Message: "one query operation is expected"}}})
		return
	}
	ex := &gqlExec{vars: in.Variables}
	data := ex.selection(doc.Operations[0].SelectionSet, s.gqlRoot(), nil)
	if len(ex.errs) > 0 {
		writeJSON(w, http.StatusOK, map[string]any{"errors": ex.errs})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

type gqlExec struct {
	vars map[string]any
	errs []gqlErr
}

func (ex *gqlExec) selection(set ast.SelectionSet, obj gobj, path []any) map[string]any {
	out := map[string]any{}
	for _, sel := range set {
		f, ok := sel.(*ast.Field)
		if !ok {
			ex.errs = append(ex.errs, gqlErr{Message: "fragments are not supported by the fake"})
			continue
		}
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		v, ok := obj[f.Name]
		if !ok {
			ex.errs = append(ex.errs, gqlErr{Message: fmt.Sprintf("Field '%s' doesn't exist on type '%v'", f.Name, obj["__typename"])})
			continue
		}
		if res, ok := v.(resolver); ok {
			args := map[string]any{}
			for _, a := range f.Arguments {
				av, err := a.Value.Value(ex.vars)
				if err != nil {
					ex.errs = append(ex.errs, gqlErr{Message: err.Error()})
					continue
				}
				args[a.Name] = av
			}
			var err error
			if v, err = res(args); err != nil {
				ex.errs = append(ex.errs, gqlErr{Message: err.Error(), Path: append(path, key)})
				out[key] = nil
				continue
			}
		}
		out[key] = ex.value(f.SelectionSet, v, append(path, key))
	}
	return out
}

func (ex *gqlExec) value(set ast.SelectionSet, v any, path []any) any {
	switch x := v.(type) {
	case gobj:
		if x == nil {
			return nil
		}
		return ex.selection(set, x, path)
	case []gobj:
		out := make([]any, len(x))
		for i, o := range x {
			out[i] = ex.selection(set, o, append(path, i))
		}
		return out
	default:
		return v
	}
}

// connection pages nodes: first (≤ 100, default 100) after a cursor (the
// index of the last node given, as a string).
func connection(typ string, nodes []gobj, args map[string]any) (any, error) {
	first := 100
	if n, ok := args["first"]; ok && n != nil {
		f, _ := toInt(n)
		if f < 0 || f > 100 {
			return nil, fmt.Errorf("first must be between 0 and 100 (max page size)")
		}
		first = f
	}
	start := 0
	if a, ok := args["after"].(string); ok && a != "" {
		n, err := strconv.Atoi(a)
		if err != nil {
			return nil, fmt.Errorf("invalid cursor %q", a)
		}
		start = min(n+1, len(nodes))
	}
	end := min(start+first, len(nodes))
	page := nodes[start:end]
	if page == nil {
		page = []gobj{}
	}
	var endCursor any
	if end > start {
		endCursor = strconv.Itoa(end - 1)
	}
	return gobj{"__typename": typ + "Connection", "nodes": page, "count": len(nodes),
		"pageInfo": gobj{"__typename": "PageInfo", "hasNextPage": end < len(nodes), "endCursor": endCursor}}, nil
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case int:
		return n, true
	case string:
		i, err := strconv.Atoi(n)
		return i, err == nil
	}
	return 0, false
}

func gtime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Server) gqlRoot() gobj {
	d := s.data
	return gobj{"__typename": "Query", "project": resolver(func(args map[string]any) (any, error) {
		p, _ := args["fullPath"].(string)
		if p != d.Project.PathWithNamespace {
			return gobj(nil), nil // GitLab answers null for a project it does not show
		}
		return s.gqlProject(), nil
	})}
}

func (s *Server) gqlProject() gobj {
	d := s.data
	return gobj{"__typename": "Project", "id": fmt.Sprintf("gid://gitlab/Project/%d", d.Project.ID),
		"fullPath": d.Project.PathWithNamespace,
		"mergeRequests": resolver(func(args map[string]any) (any, error) {
			want := map[string]bool{}
			iids, filter := args["iids"].([]any)
			for _, x := range iids {
				want[fmt.Sprint(x)] = true
			}
			var nodes []gobj
			mrs := append([]*MergeRequest(nil), d.MergeRequests...)
			sort.SliceStable(mrs, func(i, j int) bool { return mrs[i].CreatedAt.After(mrs[j].CreatedAt) })
			for _, m := range mrs {
				if filter && !want[strconv.FormatInt(m.IID, 10)] {
					continue
				}
				nodes = append(nodes, s.gqlMR(m))
			}
			return connection("MergeRequest", nodes, args)
		}),
		"pipelines": resolver(func(args map[string]any) (any, error) {
			if d.CIDisabled {
				return gobj(nil), nil
			}
			var after time.Time
			if a, ok := args["updatedAfter"].(string); ok && a != "" {
				t, err := time.Parse(time.RFC3339, a)
				if err != nil {
					return nil, fmt.Errorf("updatedAfter: invalid time %q", a)
				}
				after = t
			}
			ps := append([]*Pipeline(nil), d.Pipelines...)
			sort.SliceStable(ps, func(i, j int) bool { return ps[i].ID > ps[j].ID })
			var nodes []gobj
			for _, p := range ps {
				if !after.IsZero() && !p.UpdatedAt.After(after) {
					continue
				}
				nodes = append(nodes, gqlPipeline(p))
			}
			return connection("Pipeline", nodes, args)
		}),
	}
}

func (s *Server) gqlMR(m *MergeRequest) gobj {
	o := gobj{"__typename": "MergeRequest", "id": fmt.Sprintf("gid://gitlab/MergeRequest/%d", m.ID),
		"iid": strconv.FormatInt(m.IID, 10), "title": m.Title, "description": m.Description,
		"commits": resolver(func(args map[string]any) (any, error) {
			var nodes []gobj
			for _, c := range m.Commits {
				nodes = append(nodes, gobj{"__typename": "Commit", "sha": c.ID, "authoredDate": gtime(&c.AuthoredDate),
					"message": c.Message, "title": c.Title})
			}
			return connection("Commit", nodes, args)
		}),
	}
	stats := []gobj{}
	for _, df := range m.Diffs {
		a, dl := 0, 0
		for _, line := range strings.Split(df.Diff, "\n") {
			switch {
			case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
			case strings.HasPrefix(line, "+"):
				a++
			case strings.HasPrefix(line, "-"):
				dl++
			}
		}
		stats = append(stats, gobj{"__typename": "DiffStats", "path": df.NewPath, "additions": a, "deletions": dl})
	}
	o["diffStats"] = stats
	if !s.data.NoApprovals {
		o["approvedBy"] = resolver(func(args map[string]any) (any, error) {
			var nodes []gobj
			for _, u := range m.ApprovedBy {
				nodes = append(nodes, gobj{"__typename": "UserCore", "username": u})
			}
			return connection("UserCore", nodes, args)
		})
	}
	return o
}

func gqlPipeline(p *Pipeline) gobj {
	refPath := "refs/heads/" + p.Ref
	switch {
	case strings.HasPrefix(p.Ref, "refs/"):
		refPath = p.Ref
	case p.Tag:
		refPath = "refs/tags/" + p.Ref
	}
	var dur, cov any
	if p.Duration != nil {
		dur = int(*p.Duration)
	}
	if p.Coverage != nil {
		if f, err := strconv.ParseFloat(*p.Coverage, 64); err == nil {
			cov = f
		}
	}
	var queued any
	if p.QueuedDuration != nil {
		queued = *p.QueuedDuration
	}
	return gobj{"__typename": "Pipeline", "id": fmt.Sprintf("gid://gitlab/Ci::Pipeline/%d", p.ID),
		"iid": strconv.FormatInt(p.IID, 10), "status": strings.ToUpper(p.Status), "source": p.Source,
		"ref": p.Ref, "refPath": refPath, "sha": p.SHA, "createdAt": gtime(&p.CreatedAt), "updatedAt": gtime(&p.UpdatedAt),
		"startedAt": gtime(p.StartedAt), "finishedAt": gtime(p.FinishedAt), "duration": dur,
		"queuedDuration": queued, "coverage": cov,
		"jobs": resolver(func(args map[string]any) (any, error) {
			jobs := append([]Job(nil), p.Jobs...)
			sort.SliceStable(jobs, func(a, b int) bool { return jobs[a].ID > jobs[b].ID })
			var nodes []gobj
			for _, j := range jobs {
				if rt, ok := args["retried"].(bool); ok && rt != j.Retried {
					continue
				}
				nodes = append(nodes, gqlJob(j))
			}
			return connection("CiJob", nodes, args)
		}),
		"testReportSummary": gqlSummary(p.TestReport),
	}
}

func gqlJob(j Job) gobj {
	var dur any
	if j.Duration != nil {
		dur = int(*j.Duration)
	}
	var cov any
	if j.Coverage != nil {
		cov = *j.Coverage
	}
	webPath := j.WebURL
	if u, err := url.Parse(j.WebURL); err == nil {
		webPath = u.Path
	}
	return gobj{"__typename": "CiJob", "id": fmt.Sprintf("gid://gitlab/Ci::Build/%d", j.ID), "name": j.Name,
		"stage": gobj{"__typename": "CiStage", "name": j.Stage}, "status": strings.ToUpper(j.Status),
		"allowFailure": j.AllowFailure, "startedAt": gtime(j.StartedAt), "finishedAt": gtime(j.FinishedAt),
		"duration": dur, "coverage": cov, "retried": j.Retried, "webPath": webPath,
		"artifacts": resolver(func(args map[string]any) (any, error) {
			var nodes []gobj
			for _, a := range j.Artifacts {
				nodes = append(nodes, gobj{"__typename": "CiJobArtifact", "fileType": strings.ToUpper(a.FileType)})
			}
			return connection("CiJobArtifact", nodes, args)
		}),
	}
}

func gqlSummary(tr *TestReport) gobj {
	if tr == nil {
		tr = &TestReport{}
	}
	var suites []gobj
	for _, s := range tr.TestSuites {
		suites = append(suites, gobj{"__typename": "TestSuiteSummary", "name": s.Name, "totalTime": s.TotalTime,
			"totalCount": s.TotalCount, "successCount": s.SuccessCount, "failedCount": s.FailedCount,
			"skippedCount": s.SkippedCount, "errorCount": s.ErrorCount, "suiteError": s.SuiteError})
	}
	return gobj{"__typename": "TestReportSummary",
		"total": gobj{"__typename": "TestReportTotal", "time": tr.TotalTime, "count": tr.TotalCount,
			"success": tr.SuccessCount, "failed": tr.FailedCount, "skipped": tr.SkippedCount, "error": tr.ErrorCount},
		"testSuites": resolver(func(args map[string]any) (any, error) {
			return connection("TestSuiteSummary", suites, args)
		}),
	}
}
