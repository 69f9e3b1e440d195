package git

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

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
	noTree      bool // trunk as of the window's end is unknown (cut history)
}

// filePair is a first-parent trunk commit with its tree and its first
// parent's (zero for a root commit).
type filePair struct {
	commit, tree, parentTree plumbing.Hash
}

// filePairs lists the first-parent commits in the window (the newest
// MaxCommitFiles when it is set) with their first parents' trees.
func (c *Collector) filePairs(g *graph, chain []int32, last int) []filePair {
	var out []filePair
	limit := c.opt.MaxCommitFiles
	if limit == 0 {
		limit = last + 1
	}
	for p := 0; p <= last && len(out) < limit; p++ {
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
	t := &treeReader{rd: r.db.NewReader(treeCacheBytes)}
	out.tags, out.skippedTags, out.tagsErr = peelTags(t.rd, rs)
	if root.IsZero() {
		out.noTree = true
	} else {
		out.paths, out.facts, out.treeErr = c.tree(ctx, t, root, r.format.partial)
	}
	select {
	case ps := <-pairs:
		out.files, out.filesErr = parallelChangedPaths(ctx, r, t, ps)
	case <-ctx.Done():
		out.filesErr = ctx.Err()
	}
	return out
}

// tree lists and classifies the tree at the trunk tip. Directories and
// files whose objects are missing are listed in the facts' Unreadable; a
// damaged object fails.
func (c *Collector) tree(ctx context.Context, t *treeReader, root plumbing.Hash, partial string) ([]string, model.TreeFacts, error) {
	var dirs []string
	paths, err := t.list(ctx, root, "", nil, &dirs)
	if err != nil {
		return nil, model.TreeFacts{}, fmt.Errorf("tree of %s: %w", root, err)
	}
	sort.Strings(paths)
	br := &blobReader{t: t, root: root, partial: partial}
	facts, err := classify.Classify(ctx, paths, br)
	if err != nil {
		return nil, model.TreeFacts{}, fmt.Errorf("classify the tree: %w", err)
	}
	if br.fatal != nil {
		return nil, model.TreeFacts{}, br.fatal
	}
	if len(dirs) > 0 {
		why := "its files are unknown: the directory's tree object is missing"
		if partial != "" {
			why = "its files are unknown: the directory's tree object was not fetched by the partial clone (" + partial + ")"
		}
		facts.UnreadableCount += len(dirs)
		for _, d := range dirs {
			facts.Unreadable = append(facts.Unreadable, model.UnreadableFile{Path: d, Reason: why})
		}
		sort.Slice(facts.Unreadable, func(i, j int) bool { return facts.Unreadable[i].Path < facts.Unreadable[j].Path })
		facts.Unreadable = first(facts.Unreadable, model.MaxCategoryPaths)
	}
	return paths, facts, nil
}

// unreadableWarning names the first few files of the tree that could not be
// read, with their count; "" when there are none.
func unreadableWarning(f *model.TreeFacts, partial string) string {
	if f.UnreadableCount == 0 {
		return ""
	}
	const shown = 5
	names := make([]string, 0, shown)
	for _, u := range first(f.Unreadable, shown) {
		names = append(names, u.Path)
	}
	list := strings.Join(names, ", ")
	if more := f.UnreadableCount - len(names); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	why := "their objects are missing"
	if partial != "" {
		why = "the partial clone did not fetch their objects"
	}
	files := "files"
	if f.UnreadableCount == 1 {
		files = "file"
	}
	return fmt.Sprintf("%d %s of the tree could not be read (%s): %s; what they declare is unknown",
		f.UnreadableCount, files, why, list)
}

// minPairsPerWorker is how many tree diffs make another worker worth its
// own reader and cache.
const minPairsPerWorker = 2000

// parallelChangedPaths diffs the pairs on up to GOMAXPROCS goroutines, each
// with its own reader and a contiguous run of the pairs (consecutive
// commits share most subtrees, which each reader's cache keeps). Pairs
// whose trees are missing are left out (useSide counts them again).
func parallelChangedPaths(ctx context.Context, r *repo, t *treeReader, ps []filePair) (map[plumbing.Hash][]string, error) {
	n := min(runtime.GOMAXPROCS(0), len(ps)/minPairsPerWorker)
	if n <= 1 {
		var missed int
		return changedPaths(ctx, t, ps, nil, &missed)
	}
	type part struct {
		files map[plumbing.Hash][]string
		err   error
	}
	parts := make([]part, n)
	var wg sync.WaitGroup
	for k := range n {
		chunk := ps[k*len(ps)/n : (k+1)*len(ps)/n]
		tk := t
		if k > 0 {
			tk = &treeReader{rd: r.db.NewReader(treeCacheBytes)}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var missed int
			parts[k].files, parts[k].err = changedPaths(ctx, tk, chunk, nil, &missed)
		}()
	}
	wg.Wait()
	out := make(map[plumbing.Hash][]string, len(ps))
	for _, p := range parts {
		if p.err != nil {
			return nil, p.err
		}
		for h, f := range p.files {
			out[h] = f
		}
	}
	return out, nil
}

// changedPaths diffs each pair not yet in have. A pair whose trees are
// missing (a partial clone) is left out and counted in *missed.
func changedPaths(ctx context.Context, t *treeReader, pairs []filePair, have map[plumbing.Hash][]string,
	missed *int) (map[plumbing.Hash][]string, error) {
	if have == nil {
		have = make(map[plumbing.Hash][]string, len(pairs))
	}
	for _, p := range pairs {
		if _, ok := have[p.commit]; ok {
			continue
		}
		files, err := t.diff(ctx, p.parentTree, p.tree, "", nil)
		if err != nil && missing(err) && ctx.Err() == nil {
			*missed++
			continue
		}
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
func (c *Collector) useSide(ctx context.Context, g *graph, s *sideResult, tree *treeResult, chain []int32, last int,
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
	missed := 0
	files, err := changedPaths(ctx, &treeReader{rd: g.rd}, c.filePairs(g, chain, last), s.files, &missed)
	s.files = files // a later window of the same session finds them
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
	case missed > 0:
		ev.Notes = append(ev.Notes, fmt.Sprintf("changed paths of %d of the %d first-parent trunk commits in the "+
			"window are unknown: their trees are missing", missed, fpInWindow))
		res.Partial = true
	case withFiles == fpInWindow:
		ev.Mark(model.KindCommitFiles)
	default:
		ev.Notes = append(ev.Notes, fmt.Sprintf("changed paths were collected for the newest %d of the %d "+
			"first-parent trunk commits in the window only", withFiles, fpInWindow))
		res.Partial = true
	}

	// The tree, at trunk as of the window's end.
	if tree == nil {
		return nil
	}
	if tree.err != nil {
		return tree.err
	}
	if w := unreadableWarning(&tree.facts, g.r.format.partial); w != "" {
		res.Warnings = append(res.Warnings, w)
		res.Partial = true
	}
	ev.Tree = &model.Tree{Commit: ev.TrunkTip, Paths: tree.paths, FileCount: len(tree.paths), Facts: tree.facts}
	ev.Mark(model.KindTree)
	return nil
}

// broughtFiles gives the newest non-merge commits that merges brought into
// trunk in the window (MaxBroughtFiles; MaxCommitFiles/4 when that is set)
// their changed paths (against their first
// parent), so that measurements can tell whether tests come in the same
// commit as the code also where every trunk commit is a merge. A commit
// left without paths keeps Files nil.
func (c *Collector) broughtFiles(ctx context.Context, g *graph, ev *model.Evidence) error {
	var idx []int
	for k := range ev.Commits {
		cm := &ev.Commits[k]
		if !cm.FirstParent && !cm.IsMerge() {
			idx = append(idx, k)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return ev.Commits[idx[a]].Committer.When.After(ev.Commits[idx[b]].Committer.When)
	})
	n := c.opt.MaxBroughtFiles
	if c.opt.MaxCommitFiles != 0 {
		n = max(c.opt.MaxCommitFiles, 0) / 4
	}
	if len(idx) > n {
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
	missed := 0 // their Files stay nil: unknown
	files, err := changedPaths(ctx, &treeReader{rd: g.rd}, pairs, nil, &missed)
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
