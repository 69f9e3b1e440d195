package git

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
	"github.com/cdaudit/cdaudit/model"
)

// maxPrefetchers bounds the goroutines that inflate commits for the walk.
const maxPrefetchers = 3

// maxWalkRounds bounds the re-walks extendChain can ask for.
const maxWalkRounds = 4

// gitEpoch (2005-04-01) is before the first git commit ever made: a window
// starting earlier asks for the whole history (histories imported with
// older dates are still handled exactly, only not faster).
const gitEpoch = 1112313600

func (c *Collector) collect(ctx context.Context, ev *model.Evidence, res *collectors.Result) error {
	s, err := c.open(ctx, ev.Window)
	if err != nil {
		return err
	}
	defer s.close()
	return c.fill(ctx, s, ev, res)
}

// session is a repository walked for a span of time: every window inside
// the span can be filled from it (fill) without walking again.
type session struct {
	r               *repo
	g               *graph
	tr              trunk
	tip             int32
	chain           []int32
	last            int // position of the oldest first-parent commit in the span
	intro           map[int32]*brought
	heads           []branchHead
	skippedBranches []string
	skewed          bool
	sideCh          <-chan sideResult
	side            *sideResult
	root            plumbing.Hash // the tree the side goroutine read
	trees           map[plumbing.Hash]*treeResult
	walked          int
	stop            func()
}

// treeResult is the tree at one commit, listed and classified.
type treeResult struct {
	paths []string
	facts model.TreeFacts
	err   error
}

func (s *session) close() { s.stop() }

// waitSide returns the second goroutine's results, waiting for them the
// first time.
func (s *session) waitSide() *sideResult {
	if s.side == nil {
		side := <-s.sideCh
		s.side = &side
		if !s.root.IsZero() && !side.noTree {
			s.trees[s.root] = &treeResult{side.paths, side.facts, side.treeErr}
		}
	}
	return s.side
}

// open walks the repository for the span of time given: the first-parent
// commits of the span, what each brought in, the branch heads, and on a
// second goroutine the tags, the tree at trunk as of the span's end and the
// changed paths of the span's first-parent commits.
func (c *Collector) open(ctx context.Context, span model.Window) (_ *session, err error) {
	r, err := openRepo(c.path, !c.opt.IgnoreCommitGraph)
	if err != nil {
		return nil, err
	}
	var stops []func()
	s := &session{r: r, trees: map[plumbing.Hash]*treeResult{}}
	s.stop = func() {
		for k := len(stops) - 1; k >= 0; k-- {
			stops[k]()
		}
		r.close()
	}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	packed, err := r.packedRefs()
	if err != nil {
		return nil, err
	}
	tr, err := defaultBranch(func(n plumbing.ReferenceName) (*plumbing.Reference, bool) {
		return r.lookupRef(packed, n)
	}, trunkSpec{explicit: c.opt.Branch, hints: c.opt.TrunkHints, ci: c.opt.CI})
	if err != nil {
		return nil, err
	}
	if tr.tip, err = peelCommit(r.db.NewReader(1<<20), tr.tip, tr.name); err != nil {
		return nil, err
	}
	s.tr = tr
	// All references load on another goroutine while the trunk is walked.
	refsDone := make(chan refsResult, 1)
	go func() {
		rs, err := r.refs(packed)
		refsDone <- refsResult{rs, err}
	}()
	refsTaken := false
	stops = append(stops, func() {
		if !refsTaken {
			<-refsDone
		}
	})
	g := newGraph(r, span)
	s.g = g
	// One core walks, the others inflate (one at least).
	g.pf = odb.NewPrefetcher(r.db, r.cg == nil, min(runtime.GOMAXPROCS(0)-1, maxPrefetchers), commitCacheBytes)
	stops = append(stops, g.pf.Stop)
	tip := g.id(tr.tip)
	if err := g.load(tip); err != nil {
		return nil, fmt.Errorf("trunk %s: %w", tr.name, err)
	}
	s.tip = tip
	// Trunk as of the span's end: the tree is read there.
	at, found, atCut, err := asOfCommit(g, tip)
	if err != nil {
		return nil, fmt.Errorf("trunk %s: %w", tr.name, err)
	}
	if !found && !atCut {
		return nil, beforeUntilError(g, tip, tr.name)
	}
	var root plumbing.Hash
	if found {
		root = g.n(at).tree
	}

	// A span reaching back before git existed covers the whole history:
	// walk it all at once (exact whatever the clock skew); otherwise find
	// the first-parent commits of the span first.
	slop := int64(c.opt.Slop / time.Second)
	whole := span.Since.Unix() <= gitEpoch
	chain, last := []int32{tip}, -1
	if !whole {
		if chain, last, err = firstParentChain(g, tip, slop); err != nil {
			return nil, err
		}
	}
	refs := <-refsDone
	refsTaken = true
	if refs.err != nil {
		return nil, refs.err
	}
	rs := refs.rs

	// The second goroutine: tags, the tree, changed paths.
	sideCtx, cancel := context.WithCancel(ctx)
	sideDone := make(chan sideResult, 1)
	pairs := make(chan []filePair, 1)
	if !whole {
		pairs <- c.filePairs(g, chain, last)
	}
	go func() { sideDone <- c.side(sideCtx, r, rs, root, pairs) }()
	s.sideCh, s.root = sideDone, root
	stops = append(stops, func() {
		cancel()
		s.waitSide()
	})

	heads, skippedBranches, err := branchHeads(g, rs, tr)
	if err != nil {
		return nil, err
	}
	w, chain, last, skewed, err := c.walk(ctx, g, tip, at, chain, last, heads, slop, whole)
	if err != nil {
		return nil, err
	}
	g.pf.EndChase()
	if whole {
		pairs <- c.filePairs(g, chain, last)
	}
	intro, err := assignIntroductions(ctx, g, chain, last)
	if err != nil {
		return nil, err
	}
	s.chain, s.last, s.intro, s.heads, s.skippedBranches, s.skewed = chain, last, intro, heads, skippedBranches, skewed
	s.walked = w.processed
	return s, nil
}

// fill fills ev for its window, which lies in the session's span.
func (c *Collector) fill(ctx context.Context, s *session, ev *model.Evidence, res *collectors.Result) error {
	start := time.Now()
	g, r, tr := s.g, s.r, s.tr
	g.since, g.until = ev.Window.Since.Unix(), ev.Window.Until.Unix()
	if r.format.partial != "" {
		ev.Notes = append(ev.Notes, "partial clone ("+r.format.partial+"): what depends on objects it did "+
			"not fetch is unknown")
	}
	ev.DefaultBranch = tr.name
	cut, err := c.shallow(g, ev, res)
	if err != nil {
		return err
	}
	// Trunk as of the window's end: the tree is read there.
	at, found, atCut, err := asOfCommit(g, s.tip)
	if err != nil {
		return fmt.Errorf("trunk %s: %w", tr.name, err)
	}
	switch {
	case found:
		ev.TrunkTip = g.n(at).hash.String()
		ev.TrunkTipAt = time.Unix(g.n(at).ctime, 0).UTC()
	case atCut:
		msg := "shallow clone: trunk as of the window's end is older than the history present: the tree, " +
			"the CI configuration and the open branches of the window are unknown"
		ev.Notes = append(ev.Notes, msg)
		res.Warnings = append(res.Warnings, msg)
		res.Partial = true
	default:
		return beforeUntilError(g, s.tip, tr.name)
	}

	if err := c.history(ctx, g, s.chain, s.last, s.intro, ev, res, cut, s.skewed); err != nil {
		return err
	}
	for _, b := range s.skippedBranches {
		res.Warnings = append(res.Warnings, fmt.Sprintf("branch %s does not point at a commit: skipped", b))
	}
	if found {
		branches, cutBranches, err := openBranches(g, s.heads, chainPos(s.chain, at))
		if err != nil {
			return err
		}
		ev.Branches = branches
		if cutBranches > 0 {
			ev.Notes = append(ev.Notes, fmt.Sprintf("%d open branches reach the shallow boundary: their first "+
				"commit is unknown and their ahead count a lower bound", cutBranches))
		}
		ev.Mark(model.KindBranches)
	}
	tMain := time.Since(start)
	side := s.waitSide()
	var tree *treeResult
	if found {
		root := g.n(at).tree
		if tree = s.trees[root]; tree == nil {
			t := &treeReader{rd: r.db.NewReader(treeCacheBytes)}
			tree = &treeResult{}
			tree.paths, tree.facts, tree.err = c.tree(ctx, t, root, r.format.partial)
			s.trees[root] = tree
		}
	}
	if err := c.useSide(ctx, g, side, tree, s.chain, s.last, ev, res, cut); err != nil {
		return err
	}
	c.opt.Logger.Debug("git collector",
		"repo", c.path, "trunk", tr.name, "walked", s.walked, "decoded", g.decoded, "prefetched", g.prefetched,
		"from_commit_graph", g.fromGraph, "commits", len(ev.Commits), "merges", len(ev.Merges),
		"branches", len(ev.Branches), "tags", len(ev.Tags), "main_at", tMain, "total", time.Since(start))
	return nil
}

type refsResult struct {
	rs  *refSet
	err error
}

// shallow notes a shallow clone; it reports whether the window reaches
// into the history the clone lacks.
func (c *Collector) shallow(g *graph, ev *model.Evidence, res *collectors.Result) (bool, error) {
	if len(g.r.shallow) == 0 {
		return false, nil
	}
	hs, found, err := historyStart(g)
	if err != nil {
		return false, err
	}
	ev.Shallow, ev.HistoryStart = true, hs
	cut := !found || !ev.Window.Since.After(hs)
	msg := fmt.Sprintf("shallow clone: history before %s is missing", hs.UTC().Format(time.RFC3339))
	if cut {
		msg += "; the window starts earlier, so its trunk commits and merges are unknown"
		res.Partial = true
	}
	msg += "; to fetch the whole history, " + shallowFix(c.opt.CI)
	ev.Notes = append(ev.Notes, msg)
	if !c.opt.ShallowOK || cut {
		res.Warnings = append(res.Warnings, msg)
	}
	return cut, nil
}

// walk paints the graph from the trunk tip, the trunk commit before the
// window and the branch heads. When the walk loaded first-parent commits in
// the window beyond the chain firstParentChain found (clock skew larger
// than the slop), it walks again with the longer chain; skewed reports
// that this did not settle.
func (c *Collector) walk(ctx context.Context, g *graph, tip, at int32, chain []int32, last int,
	heads []branchHead, slop int64, whole bool) (w *walker, _ []int32, _ int, skewed bool, _ error) {
	for round := 1; ; round++ {
		w = newWalker(g, slop, c.opt.Progress)
		w.paint(tip, fTrunk)
		if pre := beforeWindow(chain, last, at); pre >= 0 && !whole {
			w.paint(pre, fTrunk|fPre)
		}
		for _, h := range heads {
			w.paint(h.head, fBranch)
		}
		if err := w.run(ctx); err != nil {
			return nil, nil, 0, false, err
		}
		longer := extendChain(g, chain)
		if whole {
			// Everything was walked: every trunk commit brought in by the
			// chain is assigned, the window is applied afterwards.
			return w, longer, len(longer) - 1, false, nil
		}
		newLast := lastInWindow(g, longer)
		if newLast <= last || round == maxWalkRounds {
			return w, longer, last, newLast > last, nil
		}
		chain, last = longer, newLast
		for i := int32(0); i < g.count; i++ {
			n := g.n(i)
			n.flags, n.done = 0, 0
		}
	}
}

// history fills the trunk commits and merges of the window: those that
// landed on trunk during it (asof.go).
func (c *Collector) history(ctx context.Context, g *graph, chain []int32, last int, intro map[int32]*brought,
	ev *model.Evidence, res *collectors.Result, cut, skewed bool) error {
	idx, landed, err := landedCommits(g, chain, last)
	if err != nil {
		return err
	}
	ev.Commits = commitRecords(g, idx, landed)
	cutMerges := 0
	for p := last; p >= 0; p-- {
		m := chain[p]
		n := g.n(m)
		if len(g.parents(n)) < 2 || !g.inWindow(n.ctime) {
			continue
		}
		if err := g.full(m); err != nil {
			return err
		}
		b := intro[m]
		if b != nil && b.boundary {
			cutMerges++
		}
		ev.Merges = append(ev.Merges, mergeRecord(g, m, b))
	}
	sort.SliceStable(ev.Merges, func(i, j int) bool { return ev.Merges[i].Committed.After(ev.Merges[j].Committed) })
	if cutMerges > 0 {
		ev.Notes = append(ev.Notes, fmt.Sprintf("%d trunk merges brought in history cut by the shallow clone: "+
			"their branch lifetimes are left out", cutMerges))
	}
	switch {
	case cut:
	case skewed:
		ev.Notes = append(ev.Notes, "trunk merges lie beyond the walk because of clock skew: trunk merges "+
			"are unknown (raise the slop or write a commit-graph)")
		ev.Mark(model.KindCommits)
		res.Partial = true
	default:
		ev.Mark(model.KindCommits, model.KindMerges)
	}
	return nil
}

func first[T any](s []T, n int) []T { return s[:min(n, len(s))] }

// beforeWindow returns the trunk commit just before the window's oldest
// first-parent commit (-1 when the window reaches the root): the walk
// paints what it reaches with fPre, so that what is left is exactly the
// history integrated during the window and after it. With no first-parent
// commit in the window it is trunk as of the window's end (at; the tip
// when that is unknown).
func beforeWindow(chain []int32, last int, at int32) int32 {
	if last < 0 {
		if at >= 0 {
			return at
		}
		return chain[0]
	}
	if last+1 < len(chain) {
		return chain[last+1]
	}
	return -1
}

// historyStart is the committer time of the newest shallow boundary commit:
// from then on the history present is complete (for a linear history it is
// the oldest commit present; with merges, older commits may be present on
// some paths while others are cut later). found is false when no boundary
// commit is present at all.
func historyStart(g *graph) (_ time.Time, found bool, _ error) {
	var hs int64
	for h := range g.r.shallow {
		if _, err := g.rd.TypeOf(h); err != nil {
			continue // listed but not fetched
		}
		i := g.id(h)
		if err := g.load(i); err != nil {
			return time.Time{}, false, err
		}
		if t := g.n(i).ctime; !found || t > hs {
			hs, found = t, true
		}
	}
	return time.Unix(hs, 0).UTC(), found, nil
}
