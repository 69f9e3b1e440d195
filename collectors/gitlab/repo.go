package gitlab

import (
	"context"
	"fmt"
	"sort"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/model"
)

// collectRepo reads what a local clone would give when there is none:
// branches, tags, trunk commits in the window and the classified tree.
func (r *run) collectRepo(ctx context.Context) error {
	c := r.c
	def := c.project.DefaultBranch
	branches, err := listAll(ctx, "branches", func(o ...gl.RequestOptionFunc) ([]*gl.Branch, *gl.Response, error) {
		return c.api.Branches.ListBranches(c.projectRef(), &gl.ListBranchesOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		return err
	}
	tip, tipAt := "", time.Time{}
	for _, b := range branches {
		if b != nil && b.Name == def && b.Commit != nil {
			tip, tipAt = b.Commit.ID, tval(b.Commit.CommittedDate)
		}
	}
	if tip == "" {
		return fmt.Errorf("gitlab: default branch %q not among the branches", def)
	}
	trunk, trunkAt := tip, tipAt
	if until := r.ev.Window.Until; !until.IsZero() && tipAt.After(until) {
		trunk, trunkAt = "", time.Time{}
		r.step(ctx, "trunk as of the window's end", func(ctx context.Context) (err error) {
			trunk, trunkAt, err = r.trunkAsOf(ctx, def, until)
			return err
		})
	}
	if r.ev.TrunkTip == "" && trunk != "" {
		r.ev.TrunkTip, r.ev.TrunkTipAt = trunk, trunkAt
	}
	r.step(ctx, "branches", func(ctx context.Context) error { return r.compareBranches(ctx, branches, tip) })
	r.step(ctx, "tags", r.collectTags)
	r.step(ctx, "commits", func(ctx context.Context) error { return r.collectCommits(ctx, tip) })
	if trunk != "" {
		r.step(ctx, "tree", func(ctx context.Context) error { return r.collectTree(ctx, trunk) })
	}
	return nil
}

// trunkAsOf finds trunk as of the window's end when the branch head was
// committed after it: the branch's newest commit before then
// (GET repository/commits?ref_name=BRANCH&until=UNTIL&per_page=1), whose
// tree is read. A window ending now (the head committed by then) needs no
// request. No commit before the window's end leaves the tree unknown.
func (r *run) trunkAsOf(ctx context.Context, branch string, until time.Time) (string, time.Time, error) {
	c := r.c
	opt := &gl.ListCommitsOptions{ListOptions: gl.ListOptions{PerPage: 1}, RefName: gl.Ptr(branch), Until: gl.Ptr(until)}
	list, resp, err := c.api.Commits.ListCommits(c.projectRef(), opt, gl.WithContext(ctx))
	if err != nil {
		return "", time.Time{}, wrap("reading "+branch+" as of the window's end", resp, err)
	}
	if len(list) == 0 || list[0] == nil {
		r.ev.Notes = append(r.ev.Notes, fmt.Sprintf("gitlab: %s has no commit before the window's end (%s): the tree then is unknown",
			branch, until.UTC().Format(time.RFC3339)))
		return "", time.Time{}, nil
	}
	return list[0].ID, tval(list[0].CommittedDate), nil
}

// compareBranches compares every unmerged branch with the trunk tip (one
// request per branch whose head or the tip moved since the last audit) and
// keeps those ahead: the ahead count, first and last commit times.
func (r *run) compareBranches(ctx context.Context, branches []*gl.Branch, tip string) error {
	c, def := r.c, r.c.project.DefaultBranch
	old := r.snap.Branches
	now := map[string]branchItem{}
	var out []model.Branch
	for _, b := range branches {
		if b == nil || b.Name == def || b.Default || b.Merged || b.Commit == nil {
			continue
		}
		it, ok := old[b.Name]
		if !ok || it.Tip != tip || it.Branch.Head != b.Commit.ID {
			cmp, resp, err := c.api.Repositories.Compare(c.projectRef(), &gl.CompareOptions{From: gl.Ptr(tip), To: gl.Ptr(b.Commit.ID)}, gl.WithContext(ctx))
			if err != nil {
				return wrap("comparing branch "+b.Name, resp, err)
			}
			it = branchItem{Tip: tip, Branch: model.Branch{Name: b.Name, Head: b.Commit.ID, LastCommit: tval(b.Commit.CommittedDate), Ahead: len(cmp.Commits)}}
			for _, cm := range cmp.Commits {
				if cm != nil && cm.AuthoredDate != nil && (it.Branch.FirstCommit.IsZero() || cm.AuthoredDate.Before(it.Branch.FirstCommit)) {
					it.Branch.FirstCommit = cm.AuthoredDate.UTC()
				}
			}
			if cmp.CompareTimeout {
				r.ev.Notes = append(r.ev.Notes, fmt.Sprintf("gitlab: branch %s: the comparison with the trunk timed out; ahead count and first commit are from a partial list", b.Name))
			}
		}
		now[b.Name] = it
		if it.Branch.Ahead > 0 {
			out = append(out, it.Branch)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	r.ev.Branches = append(r.ev.Branches, out...)
	r.snap.Branches = now
	r.fresh[blobBranches] = true
	r.ev.Mark(model.KindBranches)
	return nil
}

func (r *run) collectTags(ctx context.Context) error {
	c := r.c
	tags, err := listAll(ctx, "tags", func(o ...gl.RequestOptionFunc) ([]*gl.Tag, *gl.Response, error) {
		return c.api.Tags.ListTags(c.projectRef(), &gl.ListTagsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		return err
	}
	var out []model.Tag
	for _, t := range tags {
		if t == nil || t.Commit == nil {
			continue
		}
		out = append(out, model.Tag{
			Name: t.Name, Target: t.Commit.ID, Committed: tval(t.Commit.CommittedDate),
			Annotated: t.Message != "" || (t.Target != "" && t.Target != t.Commit.ID),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	r.ev.Tags = append(r.ev.Tags, out...)
	r.ev.Mark(model.KindTags)
	return nil
}

// collectCommits lists the default branch's commits in the window; with an
// unchanged tip the stored list answers without a request.
func (r *run) collectCommits(ctx context.Context, tip string) error {
	c, w := r.c, r.ev.Window
	st := r.snap.Commits
	if st == nil || st.Tip != tip || w.Since.Before(st.Since) {
		opt := &gl.ListCommitsOptions{ListOptions: gl.ListOptions{PerPage: perPage}, RefName: gl.Ptr(tip)}
		if !w.Since.IsZero() {
			opt.Since = gl.Ptr(w.Since)
		}
		if !w.Until.IsZero() {
			opt.Until = gl.Ptr(w.Until)
		}
		list, err := listAll(ctx, "commits", func(o ...gl.RequestOptionFunc) ([]*gl.Commit, *gl.Response, error) {
			return c.api.Commits.ListCommits(c.projectRef(), opt, o...)
		})
		if err != nil {
			return err
		}
		st = &commitState{Tip: tip, Since: w.Since, Until: w.Until, Commits: toCommits(list, tip)}
		r.snap.Commits = st
		r.fresh[blobCommits] = true
	}
	for _, cm := range st.Commits {
		if inWindow(w, cm.Committer.When) {
			r.ev.Commits = append(r.ev.Commits, cm)
		}
	}
	r.ev.Mark(model.KindCommits)
	return nil
}

// toCommits converts a commit listing (newest first) and marks the commits
// on the first-parent chain from tip (or, when the tip lies outside the
// listing, from the newest commit that no listed commit has as a parent).
func toCommits(list []*gl.Commit, tip string) []model.Commit {
	byHash := map[string]int{}
	isParent := map[string]bool{}
	out := make([]model.Commit, 0, len(list))
	for _, g := range list {
		if g == nil {
			continue
		}
		byHash[g.ID] = len(out)
		for _, p := range g.ParentIDs {
			isParent[p] = true
		}
		out = append(out, model.Commit{
			Hash:      g.ID,
			Parents:   append([]string(nil), g.ParentIDs...),
			Author:    model.Signature{Name: g.AuthorName, Email: g.AuthorEmail, When: tval(g.AuthoredDate)},
			Committer: model.Signature{Name: g.CommitterName, Email: g.CommitterEmail, When: tval(g.CommittedDate)},
			Message:   g.Message,
			URL:       g.WebURL,
		})
	}
	start := tip
	if _, ok := byHash[start]; !ok {
		start = ""
		for _, cm := range out {
			if !isParent[cm.Hash] {
				start = cm.Hash
				break
			}
		}
	}
	for cur := start; cur != ""; {
		i, ok := byHash[cur]
		if !ok || out[i].FirstParent {
			break
		}
		out[i].FirstParent = true
		cur = ""
		if len(out[i].Parents) > 0 {
			cur = out[i].Parents[0]
		}
	}
	return out
}

func (r *run) collectReleases(ctx context.Context) error {
	c, w := r.c, r.ev.Window
	opt := &gl.ListReleasesOptions{ListOptions: gl.ListOptions{PerPage: perPage}, OrderBy: gl.Ptr("released_at"), Sort: gl.Ptr("desc")}
	list, err := listUntil(ctx, "releases", func(o ...gl.RequestOptionFunc) ([]*gl.Release, *gl.Response, error) {
		return c.api.Releases.ListReleases(c.projectRef(), opt, o...)
	}, func(page []*gl.Release) bool {
		last := page[len(page)-1]
		return last != nil && !w.Since.IsZero() && releaseTime(last).Before(w.Since)
	})
	if err != nil {
		return err
	}
	for _, g := range list {
		if g == nil {
			continue
		}
		at := releaseTime(g)
		if !inWindow(w, at) {
			continue
		}
		r.ev.Releases = append(r.ev.Releases, model.Release{
			Tag: g.TagName, Name: g.Name, URL: g.Links.Self, CreatedAt: at,
			Assets: len(g.Assets.Links), Description: g.Description,
		})
	}
	sort.SliceStable(r.ev.Releases, func(i, j int) bool { return r.ev.Releases[i].CreatedAt.After(r.ev.Releases[j].CreatedAt) })
	r.ev.Mark(model.KindReleases)
	return nil
}

// releaseTime is when a release was published: released_at, else created_at.
func releaseTime(g *gl.Release) time.Time {
	if g.ReleasedAt != nil {
		return *g.ReleasedAt
	}
	return tval(g.CreatedAt)
}

// inWindow is Window.Contains with open ends for zero bounds.
func inWindow(w model.Window, t time.Time) bool {
	if !w.Since.IsZero() && t.Before(w.Since) {
		return false
	}
	return w.Until.IsZero() || t.Before(w.Until)
}

func tval(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func tptr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
