package git

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/model"
)

// sideResult is what the second goroutine computes with its own object
// reader while the first walks the history: the peeled tags, the changed
// paths of the newest trunk commits and the tree at the tip.
type sideResult struct {
	tags        []peeledTag
	skippedTags []string
	tagsErr     error
	files       map[plumbing.Hash][]string
	filesErr    error
	paths       []string
	facts       model.TreeFacts
	treeErr     error
}

// filePair is a first-parent trunk commit with its tree and its first
// parent's (zero for a root commit).
type filePair struct {
	commit, tree, parentTree plumbing.Hash
}

// filePairs lists the newest MaxCommitFiles first-parent commits in the
// window with their first parents' trees.
func (c *Collector) filePairs(g *graph, chain []int32, last int) []filePair {
	var out []filePair
	for p := 0; p <= last && len(out) < max(c.opt.MaxCommitFiles, 0); p++ {
		n := g.n(chain[p])
		if !g.inWindow(n.ctime) {
			continue
		}
		fp := filePair{commit: n.hash, tree: n.tree}
		if len(g.parents(n)) > 0 && p+1 < len(chain) {
			fp.parentTree = g.n(chain[p+1]).tree
		}
		out = append(out, fp)
	}
	return out
}

// side runs on its own goroutine with its own reader: the tags, the tree
// and its classification, then the changed paths of the pairs it receives
// (when the first-parent chain is known).
func (c *Collector) side(ctx context.Context, r *repo, rs *refSet, root plumbing.Hash, pairs <-chan []filePair) sideResult {
	var out sideResult
	t := &treeReader{rd: r.db.newReader(treeCacheBytes)}
	out.tags, out.skippedTags, out.tagsErr = peelTags(t.rd, rs)
	out.paths, out.facts, out.treeErr = c.tree(ctx, t, root)
	select {
	case ps := <-pairs:
		out.files, out.filesErr = changedPaths(ctx, t, ps, nil)
	case <-ctx.Done():
		out.filesErr = ctx.Err()
	}
	return out
}

// tree lists and classifies the tree at the trunk tip.
func (c *Collector) tree(ctx context.Context, t *treeReader, root plumbing.Hash) ([]string, model.TreeFacts, error) {
	paths, err := t.list(ctx, root, "", nil)
	if err != nil {
		return nil, model.TreeFacts{}, fmt.Errorf("tree of %s: %w", root, err)
	}
	sort.Strings(paths)
	facts, err := classify.Classify(ctx, paths, &blobReader{t: t, root: root})
	if err != nil {
		return nil, model.TreeFacts{}, fmt.Errorf("classify the tree: %w", err)
	}
	return paths, facts, nil
}

// changedPaths diffs each pair not yet in have.
func changedPaths(ctx context.Context, t *treeReader, pairs []filePair, have map[plumbing.Hash][]string) (map[plumbing.Hash][]string, error) {
	if have == nil {
		have = make(map[plumbing.Hash][]string, len(pairs))
	}
	for _, p := range pairs {
		if _, ok := have[p.commit]; ok {
			continue
		}
		files, err := t.diff(ctx, p.parentTree, p.tree, "", nil)
		if err != nil {
			return have, fmt.Errorf("changed paths of %s: %w", p.commit, err)
		}
		sort.Strings(files)
		if files == nil {
			files = []string{}
		}
		have[p.commit] = files
	}
	return have, nil
}

// useSide puts the second goroutine's results into the evidence.
func (c *Collector) useSide(ctx context.Context, g *graph, s *sideResult, chain []int32, last int,
	ev *model.Evidence, res *collectors.Result, cut bool) error {
	// Tags.
	if s.tagsErr != nil {
		return s.tagsErr
	}
	tags, err := tagRecords(g, s.tags)
	if err != nil {
		return err
	}
	ev.Tags = tags
	if len(s.skippedTags) > 0 {
		ev.Notes = append(ev.Notes, fmt.Sprintf("%d tags point at trees or blobs, not commits: left out (%s)",
			len(s.skippedTags), strings.Join(first(s.skippedTags, 5), ", ")))
	}
	ev.Mark(model.KindTags)

	// Changed paths: the side goroutine diffed the chain known before the
	// walk; a re-walk may have found more first-parent commits.
	if s.filesErr != nil {
		return s.filesErr
	}
	files, err := changedPaths(ctx, &treeReader{rd: g.rd}, c.filePairs(g, chain, last), s.files)
	if err != nil {
		return err
	}
	fpInWindow, withFiles := 0, 0
	for k := range ev.Commits {
		cm := &ev.Commits[k]
		if !cm.FirstParent {
			continue
		}
		fpInWindow++
		if f, ok := files[plumbing.NewHash(cm.Hash)]; ok {
			cm.Files = f
			withFiles++
		}
	}
	if err := c.broughtFiles(ctx, g, ev); err != nil {
		return err
	}
	switch {
	case cut:
	case withFiles == fpInWindow:
		ev.Mark(model.KindCommitFiles)
	default:
		ev.Notes = append(ev.Notes, fmt.Sprintf("changed paths were collected for the newest %d of the %d "+
			"first-parent trunk commits in the window only", withFiles, fpInWindow))
		res.Partial = true
	}

	// The tree.
	if s.treeErr != nil {
		return s.treeErr
	}
	ev.Tree = &model.Tree{Commit: ev.TrunkTip, Paths: s.paths, FileCount: len(s.paths), Facts: s.facts}
	ev.Mark(model.KindTree)
	return nil
}

// broughtFiles gives the newest MaxCommitFiles/4 non-merge commits that merges
// brought into trunk in the window their changed paths (against their first
// parent), so that measurements can tell whether tests come in the same
// commit as the code also where every trunk commit is a merge. A commit
// left without paths keeps Files nil.
func (c *Collector) broughtFiles(ctx context.Context, g *graph, ev *model.Evidence) error {
	var idx []int
	for k := range ev.Commits {
		cm := &ev.Commits[k]
		if !cm.FirstParent && !cm.IsMerge() && g.inWindow(cm.Committer.When.Unix()) {
			idx = append(idx, k)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return ev.Commits[idx[a]].Committer.When.After(ev.Commits[idx[b]].Committer.When)
	})
	if n := max(c.opt.MaxCommitFiles, 0) / 4; len(idx) > n {
		idx = idx[:n]
	}
	pairs := make([]filePair, 0, len(idx))
	for _, k := range idx {
		h := plumbing.NewHash(ev.Commits[k].Hash)
		i, ok := g.index[h]
		if !ok {
			continue
		}
		n := g.n(i)
		ps := g.parents(n)
		if n.tree.IsZero() || len(ps) == 0 {
			continue
		}
		if err := g.load(ps[0]); err != nil {
			return err
		}
		pt := g.n(ps[0]).tree
		if pt.IsZero() {
			continue
		}
		pairs = append(pairs, filePair{commit: h, tree: n.tree, parentTree: pt})
	}
	files, err := changedPaths(ctx, &treeReader{rd: g.rd}, pairs, nil)
	if err != nil {
		return err
	}
	for _, k := range idx {
		if f, ok := files[plumbing.NewHash(ev.Commits[k].Hash)]; ok {
			ev.Commits[k].Files = f
		}
	}
	return nil
}
