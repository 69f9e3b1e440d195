package git

import (
	"fmt"
	"sort"
	"time"
)

// A window is audited as it was, not as the repository stands today:
//
//   - trunk as of the window's end is the newest first-parent trunk commit
//     committed before Until (asOfCommit); the tree and CI configuration are
//     read there;
//   - the commits of the window are those that landed on trunk during it:
//     each first-parent trunk commit committed in [Since, Until) and what
//     each such merge brought in (landedCommits), whatever their own
//     committer time; commits that reached trunk after Until are not;
//   - a branch is open at Until when trunk as of Until does not reach its
//     head, and it holds the commits committed before Until (onTrunkAt).
//
// The same figures with the git CLI are in docs/measurements.md and
// scripts/oracle.py.

// asOfCommit follows trunk's first parents from the tip to the newest
// commit committed before the window's end. found is false when there is
// none: cut tells that the walk reached a shallow boundary (the history
// cannot answer); otherwise the window ends before trunk's first commit.
func asOfCommit(g *graph, tip int32) (at int32, found, cut bool, _ error) {
	g.skipSeed = 1
	defer func() { g.skipSeed = 0 }()
	seen := 0
	for i := tip; ; {
		if err := g.load(i); err != nil {
			return -1, false, false, err
		}
		n := g.n(i)
		if n.ctime < g.until {
			return i, true, false, nil
		}
		ps := g.parents(n)
		if len(ps) == 0 {
			return -1, false, n.boundary, nil
		}
		if seen++; seen > int(g.count) {
			return -1, false, false, fmt.Errorf("%w %s: its history is a cycle", ErrCorruptObject, n.hash)
		}
		i = ps[0]
	}
}

// beforeUntilError is the error for a window that ends before trunk's
// first commit.
func beforeUntilError(g *graph, tip int32, name string) error {
	first := g.n(tip).ctime
	for i := tip; ; {
		n := g.n(i)
		first = min(first, n.ctime)
		ps := g.parents(n)
		if len(ps) == 0 {
			break
		}
		i = ps[0]
	}
	return fmt.Errorf("%w: the window ends %s, before the first commit of %s (%s)", ErrWindowBeforeHistory,
		time.Unix(g.until, 0).UTC().Format(time.RFC3339), name, time.Unix(first, 0).UTC().Format(time.RFC3339))
}

// chainPos returns the position of node i in the first-parent chain, -1
// when it is not on it.
func chainPos(chain []int32, i int32) int {
	for p, x := range chain {
		if x == i {
			return p
		}
	}
	return -1
}

// onTrunkAt reports whether trunk as of the window's end (the chain commit
// at position asOf) reaches a commit the walk painted: reachable from
// before the window, or brought in by that commit or an older chain
// commit. It needs assignIntroductions to have run.
func onTrunkAt(n *node, asOf int) bool {
	if asOf < 0 {
		return false
	}
	return n.flags&fPre != 0 || n.intro >= 0 && int(n.intro) >= asOf
}

// landedCommits returns the commits that landed on trunk during the
// window, newest committer time first, with their landing time: the
// first-parent chain commits chain[0..last] committed in the window and
// what each brought in (git rev-list M^1..M). assignIntroductions must
// have run. Their details are decoded.
func landedCommits(g *graph, chain []int32, last int) ([]int32, map[int32]int64, error) {
	landing := make([]bool, last+1)
	for p := 0; p <= last; p++ {
		landing[p] = g.inWindow(g.n(chain[p]).ctime)
	}
	var out []int32
	at := map[int32]int64{}
	for i := int32(0); i < g.count; i++ {
		n := g.n(i)
		if n.state == stNew || n.intro < 0 || int(n.intro) > last || !landing[n.intro] {
			continue
		}
		out = append(out, i)
		at[i] = g.n(chain[n.intro]).ctime
	}
	// The prefetcher decodes the list from its start, this goroutine from
	// its end.
	if g.pf != nil && len(out) > 64 {
		k := 0
		for _, i := range out {
			if n := g.n(i); n.state != stFull || n.detail < 0 {
				g.pf.Seed(int64(-k), n.hash)
				k++
			}
		}
	}
	for k := len(out) - 1; k >= 0; k-- {
		if err := g.withDetail(out[k]); err != nil {
			return nil, nil, err
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return g.n(out[a]).ctime > g.n(out[b]).ctime })
	return out, at, nil
}

// withDetail decodes a node with its author, committer and message, also
// when its committer time lies outside the window (a commit a merge of the
// window brought in).
func (g *graph) withDetail(i int32) error {
	if n := g.n(i); n.state == stFull && n.detail >= 0 {
		return nil
	}
	g.keepDetail = true
	defer func() { g.keepDetail = false }()
	return g.decode(i)
}
