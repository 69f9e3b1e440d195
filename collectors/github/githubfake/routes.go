package githubfake

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

func (s *Server) routes() {
	m := http.NewServeMux()
	p := "GET " + Prefix + "repos/{owner}/{repo}"
	handle := func(pattern string, f func(w http.ResponseWriter, r *http.Request)) {
		m.HandleFunc(p+pattern, func(w http.ResponseWriter, r *http.Request) {
			if !strings.EqualFold(r.PathValue("owner"), s.repo.Owner) || !strings.EqualFold(r.PathValue("repo"), s.repo.Name) {
				notFound(w, "Not Found")
				return
			}
			if s.repo.NoActions && strings.Contains(pattern, "/actions/") {
				notFound(w, "Not Found")
				return
			}
			f(w, r)
		})
	}
	handle("", s.getRepo)
	handle("/commits", s.listCommits)
	handle("/commits/{ref}/statuses", s.listStatuses)
	handle("/commits/{ref}/check-runs", s.listCheckRuns)
	handle("/branches", s.listBranches)
	handle("/branches/{branch}", s.getBranch)
	handle("/branches/{branch}/protection", s.getProtection)
	handle("/rules/branches/{branch}", func(w http.ResponseWriter, r *http.Request) { page(w, r, s.repo.Rules) })
	handle("/compare/{basehead}", s.compare)
	handle("/tags", func(w http.ResponseWriter, r *http.Request) { page(w, r, s.repo.Tags) })
	handle("/releases", func(w http.ResponseWriter, r *http.Request) { page(w, r, s.repo.Releases) })
	handle("/pulls", s.listPulls)
	handle("/pulls/{number}/reviews", s.pullPart("reviews"))
	handle("/pulls/{number}/commits", s.pullPart("commits"))
	handle("/pulls/{number}/files", s.pullPart("files"))
	handle("/actions/runs", s.listRuns)
	handle("/actions/runs/{id}", s.getRun)
	handle("/actions/runs/{id}/jobs", s.listJobs)
	handle("/deployments", func(w http.ResponseWriter, r *http.Request) { page(w, r, s.repo.Deployments) })
	handle("/deployments/{id}/statuses", s.listDeploymentStatuses)
	handle("/environments", s.listEnvironments)
	handle("/git/matching-refs/{ref...}", s.listMatchingRefs)
	handle("/git/trees/{sha}", s.getTree)
	handle("/git/blobs/{sha}", s.getBlob)
	handle("/contents/{path...}", s.getContents)
	s.ownerRoutes(m)
	s.mux = m
}

func (s *Server) getRepo(w http.ResponseWriter, r *http.Request) {
	rp := s.repo
	vis := "public"
	if rp.Private {
		vis = "private"
	}
	writeJSON(w, map[string]any{
		"id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": rp.Name, "full_name": rp.FullName(),
		"owner":   User{Login: rp.Owner, ID: 1, Type: "Organization"},
		"private": rp.Private, "visibility": vis, "fork": false, "archived": false,
		"html_url":       "https://github.com/" + rp.FullName(),
		"url":            s.apiURL(""),
		"default_branch": rp.DefaultBranch,
		"created_at":     rp.CreatedAt, "updated_at": rp.CreatedAt, "pushed_at": rp.CreatedAt,
	})
}

func (s *Server) listCommits(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if sha := q.Get("sha"); sha != "" && sha != s.repo.DefaultBranch && (len(s.repo.Commits) == 0 || sha != s.repo.Commits[0].SHA) {
		notFound(w, "No commit found for SHA: "+sha)
		return
	}
	var since, until time.Time
	if v := q.Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v)
	}
	if v := q.Get("until"); v != "" {
		until, _ = time.Parse(time.RFC3339, v)
	}
	var out []Commit
	for _, c := range s.repo.Commits {
		if inRange(c.Commit.Committer.Date, since, until) {
			out = append(out, c)
		}
	}
	page(w, r, out)
}

func (s *Server) listStatuses(w http.ResponseWriter, r *http.Request) {
	page(w, r, s.repo.Statuses[r.PathValue("ref")])
}

func (s *Server) branch(name string) (Branch, bool) {
	for _, b := range s.repo.Branches {
		if b.Name == name {
			return b, true
		}
	}
	return Branch{}, false
}

func (s *Server) listBranches(w http.ResponseWriter, r *http.Request) {
	type item struct {
		Name      string    `json:"name"`
		Commit    CommitRef `json:"commit"`
		Protected bool      `json:"protected"`
	}
	var out []item
	for _, b := range s.repo.Branches {
		out = append(out, item{b.Name, CommitRef{b.SHA, s.apiURL("/commits/" + b.SHA)}, b.Protected})
	}
	page(w, r, out)
}

func (s *Server) headCommit(b Branch) Commit {
	if b.Name == s.repo.DefaultBranch && len(s.repo.Commits) > 0 {
		return s.repo.Commits[0]
	}
	if n := len(b.Ahead); n > 0 {
		return b.Ahead[n-1]
	}
	return Commit{SHA: b.SHA}
}

func (s *Server) getBranch(w http.ResponseWriter, r *http.Request) {
	b, ok := s.branch(unescape(r.PathValue("branch")))
	if !ok {
		notFound(w, "Branch not found")
		return
	}
	writeJSON(w, map[string]any{
		"name": b.Name, "commit": s.headCommit(b), "protected": b.Protected,
		"protection_url": s.apiURL("/branches/" + b.Name + "/protection"),
		"_links":         map[string]string{"self": s.apiURL("/branches/" + b.Name), "html": "https://github.com/" + s.repo.FullName() + "/tree/" + b.Name},
	})
}

func (s *Server) getProtection(w http.ResponseWriter, r *http.Request) {
	if s.repo.Protection == nil {
		notFound(w, "Branch not protected")
		return
	}
	writeJSON(w, s.repo.Protection)
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	base, head, ok := strings.Cut(unescape(r.PathValue("basehead")), "...")
	b, found := s.branch(head)
	if !ok || !found || base != s.repo.DefaultBranch {
		notFound(w, "Not Found")
		return
	}
	status := "ahead"
	switch {
	case len(b.Ahead) == 0 && b.Behind == 0:
		status = "identical"
	case len(b.Ahead) == 0:
		status = "behind"
	case b.Behind > 0:
		status = "diverged"
	}
	commits := b.Ahead
	if commits == nil {
		commits = []Commit{}
	}
	var mb Commit
	if len(s.repo.Commits) > 0 {
		mb = s.repo.Commits[min(b.Behind, len(s.repo.Commits)-1)]
	}
	writeJSON(w, map[string]any{
		"url": s.apiURL("/compare/" + base + "..." + head), "status": status,
		"ahead_by": len(b.Ahead), "behind_by": b.Behind, "total_commits": len(b.Ahead),
		"base_commit": mb, "merge_base_commit": mb, "commits": commits, "files": []File{},
	})
}

func (s *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var out []Pull
	for _, p := range s.repo.Pulls {
		if state == "all" || p.State == state {
			out = append(out, p)
		}
	}
	desc := q.Get("direction") != "asc"
	key := func(p Pull) time.Time {
		if q.Get("sort") == "updated" {
			return p.UpdatedAt
		}
		return p.CreatedAt
	}
	sort.SliceStable(out, func(i, j int) bool {
		if desc {
			return key(out[i]).After(key(out[j]))
		}
		return key(out[i]).Before(key(out[j]))
	})
	page(w, r, out)
}

func (s *Server) pullPart(part string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("number"))
		for _, p := range s.repo.Pulls {
			if p.Number != n {
				continue
			}
			switch part {
			case "reviews":
				page(w, r, p.Reviews)
			case "commits":
				page(w, r, p.Commits)
			default:
				page(w, r, p.Files)
			}
			return
		}
		notFound(w, "Not Found")
	}
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var from, to time.Time
	if c := q.Get("created"); c != "" {
		var err error
		if from, to, err = parseRange(c); err != nil {
			w.WriteHeader(http.StatusUnprocessableEntity)
			writeJSON(w, map[string]string{"message": "Validation Failed"})
			return
		}
	}
	var out []Run
	for _, run := range s.repo.Runs {
		if !inRange(run.CreatedAt, from, to) {
			continue
		}
		if b := q.Get("branch"); b != "" && run.HeadBranch != b {
			continue
		}
		if e := q.Get("event"); e != "" && run.Event != e {
			continue
		}
		out = append(out, run)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	limit := 0
	if q.Get("created") != "" || q.Get("branch") != "" || q.Get("event") != "" || q.Get("status") != "" {
		limit = 1000 // GitHub's cap on filtered run listings
	}
	a, b := paginate(w, r, len(out), limit)
	runs := out[a:b]
	if runs == nil {
		runs = []Run{}
	}
	writeJSON(w, map[string]any{"total_count": len(out), "workflow_runs": runs})
}

func (s *Server) run(id string) (Run, bool) {
	n, _ := strconv.ParseInt(id, 10, 64)
	for _, run := range s.repo.Runs {
		if run.ID == n {
			return run, true
		}
	}
	return Run{}, false
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	run, ok := s.run(r.PathValue("id"))
	if !ok {
		notFound(w, "Not Found")
		return
	}
	writeJSON(w, run)
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	run, ok := s.run(r.PathValue("id"))
	if !ok {
		notFound(w, "Not Found")
		return
	}
	all := r.URL.Query().Get("filter") == "all"
	var jobs []Job
	for _, j := range run.Jobs {
		if all || j.RunAttempt == run.RunAttempt || j.RunAttempt == 0 {
			jobs = append(jobs, j)
		}
	}
	a, b := paginate(w, r, len(jobs), 0)
	out := jobs[a:b]
	if out == nil {
		out = []Job{}
	}
	writeJSON(w, map[string]any{"total_count": len(jobs), "jobs": out})
}

func (s *Server) listDeploymentStatuses(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, d := range s.repo.Deployments {
		if d.ID == n {
			page(w, r, d.Statuses)
			return
		}
	}
	notFound(w, "Not Found")
}

func (s *Server) listEnvironments(w http.ResponseWriter, r *http.Request) {
	envs := s.repo.Environments
	a, b := paginate(w, r, len(envs), 0)
	out := envs[a:b]
	if out == nil {
		out = []Environment{}
	}
	writeJSON(w, map[string]any{"total_count": len(envs), "environments": out})
}

// BlobSHA is git's object id of a blob with content c.
func BlobSHA(c string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00%s", len(c), c)
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) getTree(w http.ResponseWriter, r *http.Request) {
	sha := unescape(r.PathValue("sha"))
	head := ""
	if len(s.repo.Commits) > 0 {
		head = s.repo.Commits[0].SHA
	}
	files, older := s.repo.FilesAt[sha]
	if sha != head && sha != s.repo.DefaultBranch && !older {
		notFound(w, "Not Found")
		return
	}
	if !older {
		files = s.repo.Files
	}
	var entries []TreeEntry
	dirs := map[string]bool{}
	for _, p := range sortedPaths(files) {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
		c := files[p]
		bs := BlobSHA(c)
		entries = append(entries, TreeEntry{Path: p, Mode: "100644", Type: "blob", SHA: bs, Size: len(c), URL: s.apiURL("/git/blobs/" + bs)})
	}
	for d := range dirs {
		entries = append(entries, TreeEntry{Path: d, Mode: "040000", Type: "tree", SHA: BlobSHA("tree:" + d)})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Path < entries[j].Path })
	recursive := r.URL.Query().Get("recursive") != ""
	if !recursive {
		var top []TreeEntry
		for _, e := range entries {
			if !strings.Contains(e.Path, "/") {
				top = append(top, e)
			}
		}
		entries = top
	}
	writeJSON(w, map[string]any{"sha": BlobSHA("root-tree"), "url": s.apiURL("/git/trees/" + sha), "tree": entries, "truncated": s.repo.TreeTruncated})
}

func (s *Server) file(match func(p, c string) bool) (string, string, bool) {
	for _, p := range sortedPaths(s.repo.Files) {
		if c := s.repo.Files[p]; match(p, c) {
			return p, c, true
		}
	}
	return "", "", false
}

func (s *Server) getBlob(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	_, c, ok := s.file(func(_, c string) bool { return BlobSHA(c) == sha })
	for _, files := range s.repo.FilesAt {
		for _, fc := range files {
			if !ok && BlobSHA(fc) == sha {
				c, ok = fc, true
			}
		}
	}
	if !ok {
		notFound(w, "Not Found")
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "raw") {
		w.Header().Set("Content-Type", "application/vnd.github.raw")
		_, _ = w.Write([]byte(c))
		return
	}
	writeJSON(w, map[string]any{"sha": sha, "node_id": "B_" + sha[:8], "size": len(c), "url": s.apiURL("/git/blobs/" + sha),
		"content": base64.StdEncoding.EncodeToString([]byte(c)), "encoding": "base64"})
}

func (s *Server) getContents(w http.ResponseWriter, r *http.Request) {
	want := r.PathValue("path")
	p, c, ok := s.file(func(p, _ string) bool { return p == want })
	if !ok {
		notFound(w, "Not Found")
		return
	}
	writeJSON(w, map[string]any{"type": "file", "encoding": "base64", "size": len(c), "name": path.Base(p), "path": p,
		"content": base64.StdEncoding.EncodeToString([]byte(c)), "sha": BlobSHA(c), "url": s.apiURL("/contents/" + p)})
}
