package gitlab

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/model"
)

// overlap is subtracted from a watermark before it is sent as
// updated_after, so that writes landing in the same instant as the last
// audit are not missed (items seen again unchanged cost nothing more).
const overlap = time.Minute

// collectChanges lists the merge requests updated in the window (or, on a
// repeat audit, since the watermark) and reads the details — approvals,
// commits, diffs, issues closed — of the merged and open ones that changed
// since the last audit.
func (r *run) collectChanges(ctx context.Context) error {
	c, w := r.c, r.ev.Window
	st := r.snap.MRs
	after := w.Since
	if st == nil {
		st = &mrState{mark: mark{Covered: w.Since}, Items: map[string]model.Change{}}
	} else {
		after = st.Watermark.Add(-overlap)
	}
	opt := &gl.ListProjectMergeRequestsOptions{
		ListOptions: gl.ListOptions{PerPage: perPage},
		State:       gl.Ptr("all"), OrderBy: gl.Ptr("updated_at"), Sort: gl.Ptr("desc"),
	}
	if !after.IsZero() {
		opt.UpdatedAfter = gl.Ptr(after)
	}
	list, err := listAll(ctx, "merge requests", func(o ...gl.RequestOptionFunc) ([]*gl.BasicMergeRequest, *gl.Response, error) {
		return c.api.MergeRequests.ListProjectMergeRequests(c.projectRef(), opt, o...)
	})
	if err != nil {
		return err
	}
	var pending []string // iids whose details are read below
	listed := map[string]bool{}
	for _, m := range list {
		if m == nil {
			continue
		}
		ch := toChange(m)
		listed[ch.ID] = true
		if old, ok := st.Items[ch.ID]; ok && old.UpdatedAt.Equal(ch.UpdatedAt) && (old.DetailsKnown || ch.State == "closed") {
			ch = old
		} else if ch.State != "closed" {
			pending = append(pending, ch.ID)
		}
		st.Items[ch.ID] = ch
		if ch.UpdatedAt.After(st.Watermark) {
			st.Watermark = ch.UpdatedAt
		}
	}
	if st.Watermark.IsZero() {
		st.Watermark = after // nothing updated since: still a valid watermark
	}
	// Details that failed last time are asked again, listed or not.
	for id, ch := range st.Items {
		if ch.DetailsKnown || ch.State == "closed" || listed[id] {
			continue
		}
		pending = append(pending, id)
	}
	detailFailures, approvalsMissing, err := r.mrDetails(ctx, st.Items, pending)
	if err != nil {
		return err
	}
	if detailFailures > 0 {
		r.res.Partial = true
		r.warn(fmt.Sprintf("details of %d merge request(s) could not be read: they are listed without details", detailFailures))
	}
	if approvalsMissing {
		r.warn("merge request approvals are not available (403/404: a tier without the approvals API?): approvals unknown")
	}
	var out []model.Change
	for id, ch := range st.Items {
		if !w.Since.IsZero() && ch.UpdatedAt.Before(w.Since) {
			delete(st.Items, id)
			continue
		}
		if w.Until.IsZero() || ch.CreatedAt.Before(w.Until) {
			out = append(out, ch)
			r.mrByIID[ch.ID] = ch
		}
	}
	sort.Slice(out, func(i, j int) bool { return iidLess(out[i].ID, out[j].ID) })
	r.ev.Changes = append(r.ev.Changes, out...)
	st.Covered = w.Since // older items were pruned
	r.snap.MRs = st
	r.fresh[epMRs] = true
	r.ev.Mark(model.KindChanges)
	return nil
}

func iidLess(a, b string) bool {
	x, ex := strconv.ParseInt(a, 10, 64)
	y, ey := strconv.ParseInt(b, 10, 64)
	if ex == nil && ey == nil {
		return x < y
	}
	return a < b
}

// toChange maps a listed merge request; details stay unknown.
func toChange(m *gl.BasicMergeRequest) model.Change {
	ch := model.Change{
		ID: strconv.FormatInt(m.IID, 10), URL: m.WebURL, Title: m.Title,
		Draft: m.Draft, CreatedAt: tval(m.CreatedAt), UpdatedAt: tval(m.UpdatedAt),
		MergedAt: tptr(m.MergedAt), ClosedAt: tptr(m.ClosedAt),
		SourceBranch: m.SourceBranch, TargetBranch: m.TargetBranch, HeadSHA: m.SHA,
		MergeSHA: m.MergeCommitSHA,
	}
	if ch.MergeSHA == "" {
		ch.MergeSHA = m.SquashCommitSHA
	}
	if m.Author != nil {
		ch.Author = m.Author.Username
	}
	switch m.State {
	case "merged":
		ch.State = "merged"
	case "closed":
		ch.State = "closed"
	default: // opened, locked
		ch.State = "open"
	}
	if len(m.Labels) > 0 {
		ch.Labels = append([]string(nil), m.Labels...)
		sort.Strings(ch.Labels)
	}
	return ch
}

// changeDetails reads approvals, commits, diffs and closed issues of one
// merge request. A 403/404 on approvals (a tier without that API) leaves
// approvals unknown and reports it; any other failure leaves the details
// unknown.
func (r *run) changeDetails(ctx context.Context, iid int64, ch *model.Change) (approvalsUnknown bool, err error) {
	c := r.c
	pid := c.projectRef()
	what := fmt.Sprintf("merge request !%d", iid)

	commits, err := listAll(ctx, what+" commits", func(o ...gl.RequestOptionFunc) ([]*gl.Commit, *gl.Response, error) {
		return c.api.MergeRequests.GetMergeRequestCommits(pid, iid, &gl.GetMergeRequestCommitsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		return false, err
	}
	var first *time.Time
	for _, cm := range commits {
		if cm == nil || cm.AuthoredDate == nil {
			continue
		}
		if first == nil || cm.AuthoredDate.Before(*first) {
			first = tptr(cm.AuthoredDate)
		}
	}

	diffs, err := listAll(ctx, what+" diffs", func(o ...gl.RequestOptionFunc) ([]*gl.MergeRequestDiff, *gl.Response, error) {
		return c.api.MergeRequests.ListMergeRequestDiffs(pid, iid, &gl.ListMergeRequestDiffsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		return false, err
	}
	files, adds, dels, exact := diffStats(diffs)

	issues, err := listJSON[closedIssue](ctx, c, what+" closes_issues",
		fmt.Sprintf("%s/merge_requests/%d/closes_issues", c.projectPath(), iid), &gl.ListOptions{PerPage: perPage})
	if err != nil {
		return false, err
	}

	appr := struct {
		ApprovedBy []json.RawMessage `json:"approved_by"`
	}{}
	var aerr error
	if !r.noApprovals { // once refused, not asked again in this audit
		_, aerr = c.getJSON(ctx, what+" approvals", fmt.Sprintf("%s/merge_requests/%d/approvals", c.projectPath(), iid), nil, &appr)
	}
	switch {
	case r.noApprovals || unavailable(aerr):
		r.noApprovals = true
		approvalsUnknown = true
		ch.ApprovalsUnknown = true
	case aerr == nil:
		ch.Approvals, ch.Reviews = len(appr.ApprovedBy), len(appr.ApprovedBy)
	default:
		return false, aerr
	}

	ch.FirstCommit = first
	ch.Files, ch.ChangedFiles = files, len(files)
	if exact {
		ch.Additions, ch.Deletions = adds, dels
	}
	ch.LinkedIssues = issueRefs(issues, c.project.ID)
	ch.DetailsKnown = true
	return approvalsUnknown, nil
}

// diffStats returns the changed paths (sorted) and the added and deleted
// line counts; exact is false when a diff was too large to be sent.
func diffStats(diffs []*gl.MergeRequestDiff) (files []string, adds, dels int, exact bool) {
	exact = true
	seen := map[string]bool{}
	for _, d := range diffs {
		if d == nil {
			continue
		}
		p := d.NewPath
		if p == "" {
			p = d.OldPath
		}
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
		if d.TooLarge || (d.Collapsed && d.Diff == "") {
			exact = false
			continue
		}
		for _, line := range strings.Split(d.Diff, "\n") {
			switch {
			case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
			case strings.HasPrefix(line, "+"):
				adds++
			case strings.HasPrefix(line, "-"):
				dels++
			}
		}
	}
	sort.Strings(files)
	return files, adds, dels, exact
}

// closedIssue is one entry of closes_issues: a GitLab issue, or an external
// tracker's issue whose id is a string (e.g. Jira "ABC-1").
type closedIssue struct {
	ID         json.RawMessage `json:"id"`
	IID        int64           `json:"iid"`
	ProjectID  int64           `json:"project_id"`
	References *struct {
		Full string `json:"full"`
	} `json:"references"`
}

// issueRefs renders issues as "#iid" (same project), "group/project#iid"
// (another project) or the external key.
func issueRefs(issues []closedIssue, projectID int64) []string {
	var out []string
	for _, is := range issues {
		var ref string
		switch {
		case is.IID != 0 && (is.ProjectID == projectID || is.ProjectID == 0):
			ref = "#" + strconv.FormatInt(is.IID, 10)
		case is.IID != 0 && is.References != nil && is.References.Full != "":
			ref = is.References.Full
		case is.IID != 0:
			ref = fmt.Sprintf("project-%d#%d", is.ProjectID, is.IID)
		default:
			var s string
			if json.Unmarshal(is.ID, &s) == nil {
				ref = s
			}
		}
		if ref != "" {
			out = append(out, ref)
		}
	}
	sort.Strings(out)
	return out
}
