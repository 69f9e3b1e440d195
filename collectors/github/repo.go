package github

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// commits lists the default branch from its head back to the window start
// (no until: the first-parent walk needs the head) and keeps the commits in
// the window. FirstParent is derived by walking first parents from the head
// among the fetched commits.
func (a *audit) commits(ctx context.Context) error {
	out, err := a.fetchCommits(ctx)
	if err != nil {
		return err
	}
	a.ev.Commits = append(a.ev.Commits, out...)
	return nil
}

// fetchCommits returns the default branch's commits in the window.
func (a *audit) fetchCommits(ctx context.Context) ([]model.Commit, error) {
	c := a.c
	if a.tip == "" {
		return nil, fmt.Errorf("default branch head unknown")
	}
	w := a.ev.Window
	opt := &gh.CommitsListOptions{SHA: a.tip, Since: w.Since, ListOptions: pageOpts()}
	var all []*gh.RepositoryCommit
	for {
		page, resp, err := c.client.Repositories.ListCommits(ctx, c.owner, c.name, opt)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	bySHA := make(map[string]*gh.RepositoryCommit, len(all))
	for _, rc := range all {
		bySHA[rc.GetSHA()] = rc
	}
	first := map[string]bool{}
	for sha := a.tip; sha != "" && !first[sha]; {
		rc, ok := bySHA[sha]
		if !ok {
			break
		}
		first[sha] = true
		sha = ""
		if len(rc.Parents) > 0 {
			sha = rc.Parents[0].GetSHA()
		}
	}
	a.commitTimes = map[string]time.Time{}
	var out []model.Commit
	for _, rc := range all {
		m := convertCommit(rc)
		a.commitTimes[m.Hash] = m.Committer.When
		if !w.Contains(m.Committer.When) {
			continue
		}
		m.FirstParent = first[m.Hash]
		out = append(out, m)
	}
	return out, nil
}

func convertCommit(rc *gh.RepositoryCommit) model.Commit {
	gc := rc.GetCommit()
	m := model.Commit{
		Hash:    rc.GetSHA(),
		Message: gc.GetMessage(),
		URL:     rc.GetHTMLURL(),
		Author: model.Signature{Name: gc.GetAuthor().GetName(), Email: gc.GetAuthor().GetEmail(),
			When: gc.GetAuthor().GetDate().UTC()},
		Committer: model.Signature{Name: gc.GetCommitter().GetName(), Email: gc.GetCommitter().GetEmail(),
			When: gc.GetCommitter().GetDate().UTC()},
	}
	for _, p := range rc.Parents {
		m.Parents = append(m.Parents, p.GetSHA())
	}
	return m
}

// branches lists the branches and compares each with the default branch;
// branches with nothing beyond it (merged) are left out, as model.Branch
// holds unmerged branches only.
func (a *audit) branches(ctx context.Context) error {
	c := a.c
	opt := &gh.BranchListOptions{ListOptions: pageOpts()}
	var all []*gh.Branch
	for {
		page, resp, err := c.client.Repositories.ListBranches(ctx, c.owner, c.name, opt)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	a.branchNames = map[string]bool{}
	var others []*gh.Branch
	for _, b := range all {
		a.branchNames[b.GetName()] = true
		if b.GetName() != a.ev.DefaultBranch {
			others = append(others, b)
		}
	}
	if len(others) > c.opt.MaxBranches {
		return fmt.Errorf("%d branches exceed the cap of %d compared per audit", len(others), c.opt.MaxBranches)
	}
	var out []model.Branch
	for _, b := range others {
		cmp, _, err := c.client.Repositories.CompareCommits(ctx, c.owner, c.name, a.ev.DefaultBranch, b.GetName(), nil)
		if err != nil {
			return fmt.Errorf("comparing %s: %w", b.GetName(), err)
		}
		if cmp.GetAheadBy() == 0 {
			continue
		}
		br := model.Branch{Name: b.GetName(), Head: b.GetCommit().GetSHA(), Ahead: cmp.GetAheadBy()}
		for _, rc := range cmp.Commits {
			at := rc.GetCommit().GetAuthor().GetDate().UTC()
			if br.FirstCommit.IsZero() || at.Before(br.FirstCommit) {
				br.FirstCommit = at
			}
			if rc.GetSHA() == br.Head {
				br.LastCommit = rc.GetCommit().GetCommitter().GetDate().UTC()
			}
		}
		if len(cmp.Commits) < cmp.GetAheadBy() {
			a.note(fmt.Sprintf("branch %s: %d commits ahead, %d listed; first and last commit times are from the listed ones", br.Name, cmp.GetAheadBy(), len(cmp.Commits)))
		}
		out = append(out, br)
	}
	a.ev.Branches = append(a.ev.Branches, out...)
	return nil
}

// tags lists the tags; the target's commit time is filled when the commit
// was fetched with the default branch (cheap), else left zero. Whether a
// tag is annotated comes from one listing of the tag references (their
// object is a tag object, not a commit), not from a request per tag.
func (a *audit) tags(ctx context.Context) error {
	c := a.c
	opt := pageOpts()
	var out []model.Tag
	a.tagNames = map[string]bool{}
	for {
		page, resp, err := c.client.Repositories.ListTags(ctx, c.owner, c.name, &opt)
		if err != nil {
			return err
		}
		for _, t := range page {
			sha := t.GetCommit().GetSHA()
			out = append(out, model.Tag{Name: t.GetName(), Target: sha, Committed: a.commitTimes[sha]})
			a.tagNames[t.GetName()] = true
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if len(out) > 0 {
		annotated, err := a.annotatedTags(ctx)
		switch {
		case err == nil:
			for i := range out {
				out[i].Annotated = annotated[out[i].Name]
			}
		case stops(err) || isUnauthorized(err) || ctx.Err() != nil:
			return err
		default:
			a.note(fmt.Sprintf("tags: whether they are annotated is unknown (%v)", err))
		}
	}
	a.ev.Tags = append(a.ev.Tags, out...)
	return nil
}

// annotatedTags lists the tag references (git/matching-refs/tags) and
// returns the names of those pointing at a tag object.
func (a *audit) annotatedTags(ctx context.Context) (map[string]bool, error) {
	c := a.c
	opt := &gh.ReferenceListOptions{Ref: "tags", ListOptions: pageOpts()}
	out := map[string]bool{}
	for {
		refs, resp, err := c.client.Git.ListMatchingRefs(ctx, c.owner, c.name, opt)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			if name, ok := strings.CutPrefix(r.GetRef(), "refs/tags/"); ok && r.GetObject().GetType() == "tag" {
				out[name] = true
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// releases lists releases (newest first) back to the window start and keeps
// those published (drafts: created) in the window.
func (a *audit) releases(ctx context.Context) error {
	c := a.c
	w := a.ev.Window
	opt := pageOpts()
	var out []model.Release
	for {
		page, resp, err := c.client.Repositories.ListReleases(ctx, c.owner, c.name, &opt)
		if err != nil {
			return err
		}
		older := 0
		for _, r := range page {
			at := r.GetCreatedAt().Time
			if r.PublishedAt != nil {
				at = r.GetPublishedAt().Time
			}
			if at.Before(w.Since) {
				older++
			}
			if !w.Contains(at) {
				continue
			}
			out = append(out, model.Release{Tag: r.GetTagName(), Name: r.GetName(), URL: r.GetHTMLURL(),
				CreatedAt: at.UTC(), Assets: len(r.Assets), Prerelease: r.GetPrerelease(), Draft: r.GetDraft(),
				Description: r.GetBody()})
		}
		if resp.NextPage == 0 || (len(page) > 0 && older == len(page)) {
			break
		}
		opt.Page = resp.NextPage
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	a.ev.Releases = append(a.ev.Releases, out...)
	return nil
}
