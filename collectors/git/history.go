package git

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/model"
)

// maxBrought caps the hashes listed per merge (BroughtCount stays exact).
const maxBrought = 1000

// firstParentChain follows the trunk's first parents from the tip until a
// commit that is surely (commit-graph) or probably (slop) older than the
// window. It returns the chain, tip first, and the position of the oldest
// chain commit in the window (-1 when none is).
func firstParentChain(g *graph, tip int32, slop int64) ([]int32, int, error) {
	if err := g.load(tip); err != nil {
		return nil, -1, err
	}
	chain := []int32{tip}
	for {
		n := &g.nodes[chain[len(chain)-1]]
		n.fp = true
		if n.exact && n.key < g.since || !n.exact && n.ctime < sub(g.since, slop) || len(n.parents) == 0 {
			break
		}
		p := n.parents[0]
		if err := g.load(p); err != nil {
			return nil, -1, err
		}
		chain = append(chain, p)
	}
	last := -1
	for k, i := range chain {
		if g.inWindow(g.nodes[i].ctime) {
			last = k
		}
	}
	return chain, last, nil
}

// extendFirstParent marks the first-parent chain beyond the part walked by
// firstParentChain, as far as the walk loaded it.
func extendFirstParent(g *graph, chain []int32) {
	i := chain[len(chain)-1]
	for {
		n := &g.nodes[i]
		n.fp = true
		if len(n.parents) == 0 || g.nodes[n.parents[0]].state == stNew || g.nodes[n.parents[0]].fp {
			return
		}
		i = n.parents[0]
	}
}

// windowCommits returns the commits reachable from trunk with their
// committer time in the window, newest first.
func windowCommits(g *graph) ([]int32, error) {
	var out []int32
	for i := range g.nodes {
		n := &g.nodes[i]
		if n.state != stNew && n.flags&fTrunk != 0 && g.inWindow(n.ctime) {
			out = append(out, int32(i))
		}
	}
	for _, i := range out {
		if err := g.full(i); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return g.nodes[out[a]].ctime > g.nodes[out[b]].ctime })
	return out, nil
}

// brought is what one trunk merge integrated.
type brought struct {
	nodes    []int32
	count    int
	first    int64
	emails   map[int32]bool
	boundary bool // the set reached the shallow boundary: incomplete
}

// assignIntroductions computes, for the trunk commits chain[0..last] from
// the oldest on, which commits each one brought in: a depth-first search
// from each merge's second parent over the commits reachable from trunk but
// not from before the window (flags), skipping those an older trunk commit
// already brought in. One pass over the new history replaces a merge-base
// computation per merge; with the walk's flags it gives exactly
// rev-list M^2 ^M^1 for every merge M.
func assignIntroductions(ctx context.Context, g *graph, chain []int32, last int) (map[int32]*brought, error) {
	out := map[int32]*brought{}
	var stack []int32
	for pos := last; pos >= 0; pos-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m := chain[pos]
		g.nodes[m].intro = int32(pos)
		parents := g.nodes[m].parents
		for k := 1; k < len(parents); k++ {
			var b *brought
			if k == 1 {
				b = &brought{emails: map[int32]bool{}}
				out[m] = b
			}
			stack = append(stack[:0], parents[k])
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				n := &g.nodes[x]
				if n.flags&fPre != 0 || n.intro >= 0 {
					continue
				}
				if n.state == stNew || n.flags&fTrunk == 0 {
					// Not loaded by the walk: only a cut history gets here.
					if b != nil {
						b.boundary = true
					}
					continue
				}
				n.intro = int32(pos)
				if b != nil {
					if err := g.full(x); err != nil {
						return nil, err
					}
					n = &g.nodes[x]
					b.nodes = append(b.nodes, x)
					b.count++
					if b.count == 1 || n.atime < b.first {
						b.first = n.atime
					}
					b.emails[n.email] = true
					if n.boundary {
						b.boundary = true
					}
				}
				stack = append(stack, n.parents...)
			}
		}
	}
	return out, nil
}

// mergeRecord builds the model record of a trunk merge.
func mergeRecord(g *graph, m int32, b *brought) model.Merge {
	n := &g.nodes[m]
	d := &g.details[n.detail]
	rec := model.Merge{
		Hash:      n.hash.String(),
		Committed: d.committer.When,
		Branch:    mergeBranch(d.message),
	}
	if b == nil {
		return rec
	}
	rec.BroughtCount = b.count
	nodes := b.nodes
	sort.SliceStable(nodes, func(i, j int) bool {
		ni, nj := &g.nodes[nodes[i]], &g.nodes[nodes[j]]
		if ni.ctime != nj.ctime {
			return ni.ctime > nj.ctime
		}
		return ni.hash.String() < nj.hash.String()
	})
	for _, x := range nodes[:min(len(nodes), maxBrought)] {
		rec.Brought = append(rec.Brought, g.nodes[x].hash.String())
	}
	if b.count > 0 && !b.boundary {
		rec.FirstAuthored = time.Unix(b.first, 0).UTC()
	}
	seen := map[string]bool{}
	for id := range b.emails {
		e := strings.ToLower(g.emails[id])
		if !seen[e] {
			seen[e] = true
			rec.Authors = append(rec.Authors, e)
		}
	}
	sort.Strings(rec.Authors)
	return rec
}

// commitRecord builds the model record of a trunk commit.
func commitRecord(g *graph, i int32) model.Commit {
	n := &g.nodes[i]
	d := &g.details[n.detail]
	c := model.Commit{
		Hash:        n.hash.String(),
		Author:      d.author,
		Committer:   d.committer,
		Message:     d.message,
		FirstParent: n.fp,
	}
	for _, p := range n.parents {
		c.Parents = append(c.Parents, g.nodes[p].hash.String())
	}
	return c
}

func hashStrings(hs []plumbing.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}
