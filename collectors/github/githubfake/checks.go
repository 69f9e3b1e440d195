package githubfake

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// App is a GitHub App as it appears inside a check run.
type App struct {
	ID          int64     `json:"id"`
	Slug        string    `json:"slug"`
	NodeID      string    `json:"node_id"`
	Owner       User      `json:"owner"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	ExternalURL string    `json:"external_url"`
	HTMLURL     string    `json:"html_url"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CheckOutput is a check run's output.
type CheckOutput struct {
	Title            *string `json:"title"`
	Summary          *string `json:"summary"`
	Text             *string `json:"text"`
	AnnotationsCount int     `json:"annotations_count"`
	AnnotationsURL   string  `json:"annotations_url"`
}

// CheckSuiteRef is the check suite a check run belongs to.
type CheckSuiteRef struct {
	ID int64 `json:"id"`
}

// CheckRun is a check run (GET /repos/{o}/{r}/commits/{ref}/check-runs).
type CheckRun struct {
	ID           int64            `json:"id"`
	HeadSHA      string           `json:"head_sha"`
	NodeID       string           `json:"node_id"`
	ExternalID   string           `json:"external_id"`
	URL          string           `json:"url"`
	HTMLURL      string           `json:"html_url"`
	DetailsURL   string           `json:"details_url"`
	Status       string           `json:"status"`     // queued, in_progress, completed (waiting, requested, pending for Actions)
	Conclusion   *string          `json:"conclusion"` // action_required, cancelled, failure, neutral, success, skipped, stale, timed_out
	StartedAt    *time.Time       `json:"started_at"`
	CompletedAt  *time.Time       `json:"completed_at"`
	Output       CheckOutput      `json:"output"`
	Name         string           `json:"name"`
	CheckSuite   CheckSuiteRef    `json:"check_suite"`
	App          *App             `json:"app"`
	PullRequests []PullRequestMin `json:"pull_requests"`
}

// GitObject is the object a git reference points at.
type GitObject struct {
	Type string `json:"type"` // commit, tag
	SHA  string `json:"sha"`
	URL  string `json:"url"`
}

// GitRef is a git reference (GET /repos/{o}/{r}/git/matching-refs/{ref}).
type GitRef struct {
	Ref    string    `json:"ref"`
	NodeID string    `json:"node_id"`
	URL    string    `json:"url"`
	Object GitObject `json:"object"`
}

// TagObjectSHA is the object id the fake gives the tag object of an
// annotated tag.
func TagObjectSHA(tag string) string { return SHA("tagobject:" + tag) }

// listCheckRuns serves a commit's check runs, newest first, as GitHub does:
// filter=latest (the default) keeps the most recent run of each name per
// check suite, filter=all every run; status, check_name and app_id narrow
// the list.
func (s *Server) listCheckRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all := s.repo.CheckRuns[r.PathValue("ref")]
	latest := map[string]int64{}
	if q.Get("filter") != "all" {
		for _, c := range all {
			k := strconv.FormatInt(c.CheckSuite.ID, 10) + "\x00" + c.Name
			latest[k] = max(latest[k], c.ID)
		}
	}
	var out []CheckRun
	for _, c := range all {
		if len(latest) > 0 && latest[strconv.FormatInt(c.CheckSuite.ID, 10)+"\x00"+c.Name] != c.ID {
			continue
		}
		if st := q.Get("status"); st != "" && c.Status != st {
			continue
		}
		if n := q.Get("check_name"); n != "" && c.Name != n {
			continue
		}
		if id := q.Get("app_id"); id != "" && (c.App == nil || strconv.FormatInt(c.App.ID, 10) != id) {
			continue
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	a, b := paginate(w, r, len(out), 0)
	runs := out[a:b]
	if runs == nil {
		runs = []CheckRun{}
	}
	writeJSON(w, map[string]any{"total_count": len(out), "check_runs": runs})
}

// listMatchingRefs serves the branch and tag references whose full name
// starts with refs/{ref}, unpaginated as GitHub documents the endpoint.
func (s *Server) listMatchingRefs(w http.ResponseWriter, r *http.Request) {
	prefix := "refs/" + unescape(r.PathValue("ref"))
	var refs []GitRef
	for _, b := range s.repo.Branches {
		refs = append(refs, GitRef{Ref: "refs/heads/" + b.Name, NodeID: "REF_h_" + b.Name, URL: s.apiURL("/git/refs/heads/" + b.Name),
			Object: GitObject{Type: "commit", SHA: b.SHA, URL: s.apiURL("/git/commits/" + b.SHA)}})
	}
	for _, t := range s.repo.Tags {
		obj := GitObject{Type: "commit", SHA: t.Commit.SHA, URL: s.apiURL("/git/commits/" + t.Commit.SHA)}
		if t.Annotated {
			obj = GitObject{Type: "tag", SHA: TagObjectSHA(t.Name), URL: s.apiURL("/git/tags/" + TagObjectSHA(t.Name))}
		}
		refs = append(refs, GitRef{Ref: "refs/tags/" + t.Name, NodeID: "REF_t_" + t.Name, URL: s.apiURL("/git/refs/tags/" + t.Name), Object: obj})
	}
	out := []GitRef{}
	for _, g := range refs {
		if strings.HasPrefix(g.Ref, prefix) {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	writeJSON(w, out)
}
