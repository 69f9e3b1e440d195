package github

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// pullsBlob is what the state keeps of pull requests: the changes by number,
// details included, under the config hash they were collected with.
type pullsBlob struct {
	Hash    string                  `json:"hash"`
	Changes map[string]model.Change `json:"changes"`
}

// pulls lists pull requests by last update, newest first, down to the
// window start (or, incrementally, the watermark) and fetches reviews,
// commits and files only for those whose updated_at changed since the last
// audit.
func (a *audit) pulls(ctx context.Context) error {
	c := a.c
	w := a.ev.Window
	var kept pullsBlob
	valid := a.state.Get("pulls", &kept) && kept.Hash == a.hash && kept.Changes != nil
	if !valid {
		kept = pullsBlob{Hash: a.hash, Changes: map[string]model.Change{}}
	}
	stopAt := w.Since
	wm, incremental := a.state.Watermark("pulls", w, a.hash)
	incremental = incremental && valid
	if incremental && wm.At.Add(-overlap).After(stopAt) {
		stopAt = wm.At.Add(-overlap)
	}
	if !incremental {
		// A full listing: records not listed again are out of the window.
		for id, ch := range kept.Changes {
			if ch.UpdatedAt.Before(w.Since) {
				delete(kept.Changes, id)
			}
		}
	}
	opt := &gh.PullRequestListOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: pageOpts()}
	var need []string
	seen := map[string]bool{}
	nodes := map[string]string{} // number → GraphQL node id
listing:
	for {
		page, resp, err := c.client.PullRequests.List(ctx, c.owner, c.name, opt)
		if err != nil {
			return err
		}
		for _, pr := range page {
			if pr.GetUpdatedAt().Before(stopAt) {
				break listing
			}
			ch := convertPull(pr)
			if seen[ch.ID] {
				continue // moved between pages while listing
			}
			seen[ch.ID] = true
			nodes[ch.ID] = pr.GetNodeID()
			if prev, ok := kept.Changes[ch.ID]; ok && prev.DetailsKnown && prev.UpdatedAt.Equal(ch.UpdatedAt) {
				copyDetails(&ch, prev)
			} else {
				need = append(need, ch.ID)
			}
			kept.Changes[ch.ID] = ch
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
	if len(need) > c.opt.MaxDetails {
		a.note(strconv.Itoa(len(need)-c.opt.MaxDetails) + " pull requests listed without details (cap per audit); later audits fetch them")
		need = need[:c.opt.MaxDetails]
	}
	done, err := a.gqlPullDetails(ctx, need, nodes, kept.Changes)
	if err != nil {
		_ = a.state.Put("pulls", kept)
		return err
	}
	for _, id := range need {
		if done[id] {
			continue
		}
		ch := kept.Changes[id]
		if err := a.pullDetails(ctx, &ch); err != nil {
			if stops(err) || isUnauthorized(err) || ctx.Err() != nil {
				_ = a.state.Put("pulls", kept) // keep the details fetched so far
				return err
			}
			a.warn("pull request #" + id + " details: " + err.Error())
			continue
		}
		kept.Changes[id] = ch
	}
	for id, ch := range kept.Changes {
		if ch.UpdatedAt.Before(w.Since) {
			delete(kept.Changes, id)
		}
	}
	if err := a.state.Put("pulls", kept); err != nil {
		return err
	}
	a.state.SetWatermark("pulls", a.start, w, a.hash)

	var out []model.Change
	for _, ch := range kept.Changes {
		if ch.CreatedAt.Before(w.Until) {
			out = append(out, ch)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ni, _ := strconv.Atoi(out[i].ID)
		nj, _ := strconv.Atoi(out[j].ID)
		return ni > nj
	})
	a.ev.Changes = append(a.ev.Changes, out...)
	return nil
}

func convertPull(pr *gh.PullRequest) model.Change {
	ch := model.Change{
		ID:           strconv.Itoa(pr.GetNumber()),
		URL:          pr.GetHTMLURL(),
		Title:        pr.GetTitle(),
		Author:       pr.GetUser().GetLogin(),
		State:        pr.GetState(),
		Draft:        pr.GetDraft(),
		CreatedAt:    pr.GetCreatedAt().UTC(),
		UpdatedAt:    pr.GetUpdatedAt().UTC(),
		SourceBranch: pr.GetHead().GetRef(),
		TargetBranch: pr.GetBase().GetRef(),
		HeadSHA:      pr.GetHead().GetSHA(),
		LinkedIssues: linkedIssues(pr.GetTitle(), pr.GetBody()),
	}
	if pr.MergedAt != nil {
		t := pr.GetMergedAt().UTC()
		ch.MergedAt = &t
		ch.State = "merged"
		ch.MergeSHA = pr.GetMergeCommitSHA()
	}
	if pr.ClosedAt != nil {
		t := pr.GetClosedAt().UTC()
		ch.ClosedAt = &t
	}
	for _, l := range pr.Labels {
		ch.Labels = append(ch.Labels, l.GetName())
	}
	return ch
}

// copyDetails copies what pullDetails fills.
func copyDetails(dst *model.Change, src model.Change) {
	dst.Reviews, dst.Approvals = src.Reviews, src.Approvals
	dst.FirstCommit = src.FirstCommit
	dst.Files, dst.ChangedFiles = src.Files, src.ChangedFiles
	dst.Additions, dst.Deletions = src.Additions, src.Deletions
	dst.DetailsKnown = true
}

// pullDetails reads a pull request's reviews, commits and files.
func (a *audit) pullDetails(ctx context.Context, ch *model.Change) error {
	c := a.c
	n, _ := strconv.Atoi(ch.ID)
	var reviews []*gh.PullRequestReview
	opt := pageOpts()
	for {
		page, resp, err := c.client.PullRequests.ListReviews(ctx, c.owner, c.name, n, &opt)
		if err != nil {
			return err
		}
		reviews = append(reviews, page...)
		next, err := nextPage(opt.Page, resp)
		if err != nil {
			return err
		}
		if next == 0 {
			break
		}
		opt.Page = next
	}
	var first *time.Time
	opt = pageOpts()
	for {
		page, resp, err := c.client.PullRequests.ListCommits(ctx, c.owner, c.name, n, &opt)
		if err != nil {
			return err
		}
		for _, rc := range page {
			t := rc.GetCommit().GetAuthor().GetDate().UTC()
			if first == nil || t.Before(*first) {
				first = &t
			}
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
	var files []string
	adds, dels := 0, 0
	opt = pageOpts()
	for {
		page, resp, err := c.client.PullRequests.ListFiles(ctx, c.owner, c.name, n, &opt)
		if err != nil {
			return err
		}
		for _, f := range page {
			files = append(files, f.GetFilename())
			adds += f.GetAdditions()
			dels += f.GetDeletions()
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
	ch.Reviews, ch.Approvals = countReviews(reviews)
	ch.FirstCommit = first
	sort.Strings(files)
	ch.Files, ch.ChangedFiles, ch.Additions, ch.Deletions = files, len(files), adds, dels
	ch.DetailsKnown = true
	return nil
}

// countReviews counts submitted reviews, and approvals as the reviewers
// whose last deciding review (approve, request changes, dismissed) approves.
func countReviews(rs []*gh.PullRequestReview) (reviews, approvals int) {
	last := map[string]string{}
	var order []string
	for _, r := range rs {
		st := strings.ToUpper(r.GetState())
		if st == "PENDING" || st == "" {
			continue
		}
		reviews++
		u := r.GetUser().GetLogin()
		switch st {
		case "APPROVED", "CHANGES_REQUESTED", "DISMISSED":
			if _, ok := last[u]; !ok {
				order = append(order, u)
			}
			last[u] = st
		}
	}
	for _, u := range order {
		if last[u] == "APPROVED" {
			approvals++
		}
	}
	return reviews, approvals
}

var (
	// closingRE finds GitHub's closing keywords and what they close: #12,
	// owner/repo#12 or an issue URL.
	closingRE  = regexp.MustCompile(`(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(#\d+|[\w.-]+/[\w.-]+#\d+|https?://[^\s/]+/[\w.-]+/[\w.-]+/issues/\d+)`)
	issueURLRE = regexp.MustCompile(`^https?://[^\s/]+/([\w.-]+/[\w.-]+)/issues/(\d+)$`)
	titleRefRE = regexp.MustCompile(`(?:^|[^\w/&])(#\d+)\b`)
)

// linkedIssues returns the issues a pull request closes (closing keywords in
// title or body) and the #refs of its title, in order of appearance.
func linkedIssues(title, body string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if m := issueURLRE.FindStringSubmatch(s); m != nil {
			s = m[1] + "#" + m[2]
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, m := range closingRE.FindAllStringSubmatch(title+"\n"+body, -1) {
		add(m[1])
	}
	for _, m := range titleRefRE.FindAllStringSubmatch(title, -1) {
		add(m[1])
	}
	return out
}
