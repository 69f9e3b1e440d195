package git

import (
	"context"
	"math"

	"github.com/cdaudit/cdaudit/collectors/git/internal/pqueue"
)

// The walk paints the commit graph from several sources at once, in the
// order git's rev-list uses: newest first by committer time, or by the
// corrected commit date of the commit-graph (generation data v2) when the
// repository has one. The sources are the trunk tip (fTrunk), the last trunk
// commit before the window (fPre, see firstParentChain) and every branch
// head (fBranch). A commit carries the flags of every source it is
// reachable from.
//
// Ordered by corrected commit dates, a commit is popped only after all its
// descendants, so flags are final when it is popped and the walk can stop
// exactly: once the newest queued commit is older than the window start and
// nothing queued is undecided (reachable from trunk but not from before the
// window, or from a branch but not from trunk).
//
// Committer times are not monotonic (clock skew, rebases, cherry-picks):
// without generation data the walk re-propagates flags that arrive late and,
// like git, cannot know when to stop for sure. It stops only when every
// queued commit is older than the window start minus a slop (Options.Slop,
// 7 days by default) and than the oldest undecided commit it met minus the
// slop. A commit whose committer time is more than the slop before that of
// a descendant can still be missed (when the first-parent chain itself
// jumps back, the collector walks again with the longer chain); a
// commit-graph removes that limit, and so does a window starting before
// 2005, which walks the whole history. TestClockSkew shows both.
type walker struct {
	g    *graph
	heap pqueue.Queue[int32]
	// Queued nodes that keep the walk going.
	trunkOnly, branchOnly, exact int
	lowUndecided                 int64
	since, slop                  int64
	processed                    int
	progress                     func(int)
}

func undecided(f uint8) (trunkOnly, branchOnly bool) {
	return f&fTrunk != 0 && f&fPre == 0, f&fBranch != 0 && f&fTrunk == 0
}

func newWalker(g *graph, slop int64, progress func(int)) *walker {
	w := &walker{g: g, since: g.since, slop: slop, lowUndecided: math.MaxInt64, progress: progress}
	w.heap.First = w.before
	return w
}

func (w *walker) count(i int32, d int) {
	n := w.g.n(i)
	t, b := undecided(n.flags)
	if t {
		w.trunkOnly += d
	}
	if b {
		w.branchOnly += d
	}
	if n.exact {
		w.exact += d
	}
}

// paint adds flags to a loaded node and queues it when they are new.
func (w *walker) paint(i int32, f uint8) {
	n := w.g.n(i)
	nf := n.flags | f
	if nf == n.flags {
		return
	}
	queued := n.flags != n.done
	if queued {
		w.count(i, -1)
	}
	n.flags = nf
	w.count(i, 1)
	if !queued {
		w.heap.Push(i)
	}
}

func (w *walker) stop() bool {
	if w.heap.Len() == 0 {
		return true
	}
	if w.trunkOnly > 0 || w.branchOnly > 0 {
		return false
	}
	top := w.g.n(w.heap.Peek())
	if top.exact {
		return top.key < w.since
	}
	if w.exact > 0 {
		return false
	}
	low := w.since
	if w.lowUndecided < low {
		low = w.lowUndecided
	}
	return top.ctime < sub(low, w.slop)
}

func sub(a, b int64) int64 {
	if a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}

// run pops commits until stop says the flags are complete.
func (w *walker) run(ctx context.Context) error {
	g := w.g
	for !w.stop() {
		if w.processed&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if w.progress != nil && w.processed > 0 {
				w.progress(w.processed)
			}
		}
		i := w.heap.Pop()
		n := g.n(i)
		w.count(i, -1)
		n.done = n.flags
		if t, b := undecided(n.flags); (t || b) && n.ctime < w.lowUndecided {
			w.lowUndecided = n.ctime
		}
		f := n.flags
		w.processed++
		for k, ps := 0, g.parents(n); k < len(ps); k++ {
			p := ps[k]
			if err := g.load(p); err != nil {
				return err
			}
			w.paint(p, f)
		}
	}
	if w.progress != nil {
		w.progress(w.processed)
	}
	return nil
}

// before reports whether node a is popped before node b: commits outside
// the commit-graph first (they are newer than all in it), then by key.
func (w *walker) before(a, b int32) bool {
	na, nb := w.g.n(a), w.g.n(b)
	if na.exact != nb.exact {
		return !na.exact
	}
	if na.key != nb.key {
		return na.key > nb.key
	}
	return a < b
}
