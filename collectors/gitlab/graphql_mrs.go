package gitlab

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/model"
)

// mrDetails reads the details of the merge requests pending (iids of
// items): through GraphQL in batches of gqlMRs when there are enough of
// them and GraphQL is on, through REST (4 requests each) otherwise and for
// the items GraphQL could not complete. It returns how many failed, whether
// approvals were refused, and a fatal error.
func (r *run) mrDetails(ctx context.Context, items map[string]model.Change, pending []string) (failures int, approvalsMissing bool, err error) {
	sort.Slice(pending, func(i, j int) bool { return iidLess(pending[i], pending[j]) })
	rest := pending
	if len(pending) >= gqlMinBatch && r.graphQLOn() {
		rest = nil
		for _, b := range batches(len(pending), gqlMRs) {
			left, gerr := r.mrBatch(ctx, items, pending[b[0]:b[1]])
			if errors.Is(gerr, errGraphQLOff) {
				rest = append(rest, pending[b[0]:]...)
				break
			}
			if gerr != nil {
				return failures, approvalsMissing, gerr // fatal
			}
			rest = append(rest, left...)
		}
	}
	for _, id := range rest {
		ch := items[id]
		iid, _ := strconv.ParseInt(id, 10, 64)
		apprUnknown, err := r.changeDetails(ctx, iid, &ch)
		switch {
		case err != nil && fatal(err):
			return failures, approvalsMissing, err
		case err != nil:
			failures++
			r.c.log.Warn("gitlab: merge request details", "iid", iid, "err", err)
		case apprUnknown:
			approvalsMissing = true
		}
		items[id] = ch
	}
	return failures, approvalsMissing, nil
}

// mrQuery reads the details of up to gqlMRs merge requests by iid.
const mrQuery = `query($path: ID!, $iids: [String!], $n: Int) {
  project(fullPath: $path) {
    mergeRequests(iids: $iids, first: $n) {
      nodes {
        iid
        title
        description
        approvedBy(first: 100) { pageInfo { hasNextPage } nodes { username } }
        commits(first: 100) { pageInfo { hasNextPage } nodes { authoredDate message } }
        diffStats { path additions deletions }
      }
    }
  }
}`

type gqlPage struct {
	HasNextPage bool `json:"hasNextPage"`
}

type gqlMR struct {
	IID         string `json:"iid"`
	Title       string `json:"title"`
	Description string `json:"description"`
	ApprovedBy  *struct {
		PageInfo gqlPage `json:"pageInfo"`
		Nodes    []struct {
			Username string `json:"username"`
		} `json:"nodes"`
	} `json:"approvedBy"`
	Commits *struct {
		PageInfo gqlPage `json:"pageInfo"`
		Nodes    []struct {
			AuthoredDate *time.Time `json:"authoredDate"`
			Message      string     `json:"message"`
		} `json:"nodes"`
	} `json:"commits"`
	DiffStats []struct {
		Path      string `json:"path"`
		Additions int    `json:"additions"`
		Deletions int    `json:"deletions"`
	} `json:"diffStats"`
}

// mrBatch reads one batch through GraphQL and fills items; it returns the
// iids left for REST (not returned, a connection over one page, approvals
// null). The issues an MR closes have no GraphQL field: they are read
// through REST (closes_issues) for the MRs whose text references an issue.
func (r *run) mrBatch(ctx context.Context, items map[string]model.Change, iids []string) (left []string, err error) {
	var data struct {
		Project *struct {
			MergeRequests struct {
				Nodes []gqlMR `json:"nodes"`
			} `json:"mergeRequests"`
		} `json:"project"`
	}
	vars := map[string]any{"path": r.c.project.PathWithNamespace, "iids": iids, "n": len(iids)}
	if err := r.query(ctx, mrQuery, vars, &data); err != nil {
		return iids, err
	}
	if data.Project == nil {
		return iids, r.graphQLOff("the GraphQL API does not show this project")
	}
	got := map[string]gqlMR{}
	for _, m := range data.Project.MergeRequests.Nodes {
		got[m.IID] = m
	}
	for _, id := range iids {
		m, ok := got[id]
		if !ok || m.ApprovedBy == nil || m.Commits == nil || m.ApprovedBy.PageInfo.HasNextPage || m.Commits.PageInfo.HasNextPage {
			left = append(left, id)
			continue
		}
		ch := items[id]
		if err := r.applyMR(ctx, &ch, m); err != nil {
			if fatal(err) {
				return nil, err
			}
			r.c.log.Warn("gitlab: merge request details", "iid", id, "err", err)
			left = append(left, id)
			continue
		}
		items[id] = ch
	}
	return left, nil
}

// applyMR fills ch from a GraphQL merge request as changeDetails does from
// REST.
func (r *run) applyMR(ctx context.Context, ch *model.Change, m gqlMR) error {
	var first *time.Time
	texts := []string{m.Title, m.Description}
	for _, cm := range m.Commits.Nodes {
		texts = append(texts, cm.Message)
		if cm.AuthoredDate == nil {
			continue
		}
		if first == nil || cm.AuthoredDate.Before(*first) {
			first = tptr(cm.AuthoredDate)
		}
	}
	seen := map[string]bool{}
	var files []string
	adds, dels := 0, 0
	for _, d := range m.DiffStats {
		if !seen[d.Path] {
			seen[d.Path] = true
			files = append(files, d.Path)
		}
		adds += d.Additions
		dels += d.Deletions
	}
	sort.Strings(files)
	var linked []string
	if mentionsIssue(texts...) {
		iid, _ := strconv.ParseInt(ch.ID, 10, 64)
		issues, err := listJSON[closedIssue](ctx, r.c, fmt.Sprintf("merge request !%d closes_issues", iid),
			fmt.Sprintf("%s/merge_requests/%d/closes_issues", r.c.projectPath(), iid), &gl.ListOptions{PerPage: perPage})
		if err != nil {
			return err
		}
		linked = issueRefs(issues, r.c.project.ID)
	}
	ch.FirstCommit = first
	ch.Files, ch.ChangedFiles = files, len(files)
	ch.Additions, ch.Deletions = adds, dels
	ch.Approvals, ch.Reviews = len(m.ApprovedBy.Nodes), len(m.ApprovedBy.Nodes)
	ch.LinkedIssues = linked
	ch.DetailsKnown = true
	return nil
}

// issueRef matches what GitLab's closing patterns can reference: #12,
// group/project#12, an issue or work item URL, an external key (ABC-12).
var issueRef = regexp.MustCompile(`#\d|/issues/\d|/work_items/\d|\b[A-Z][A-Z0-9_]+-\d`)

// mentionsIssue reports whether any text references an issue (GitLab
// derives closes_issues from the description and the commit messages).
func mentionsIssue(texts ...string) bool {
	for _, t := range texts {
		if issueRef.MatchString(t) {
			return true
		}
	}
	return false
}
