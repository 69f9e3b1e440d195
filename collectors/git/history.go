package git

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
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
	g.skipSeed = 1
	defer func() { g.skipSeed = 0 }()
	chain := []int32{tip}
	for {
		n := g.n(chain[len(chain)-1])
		n.fp = true
		if n.exact && n.key < g.since || !n.exact && n.ctime < sub(g.since, slop) || len(g.parents(n)) == 0 {
			break
		}
		p := g.parents(n)[0]
		if err := g.load(p); err != nil {
			return nil, -1, err
		}
		if g.n(p).fp {
			return nil, -1, fmt.Errorf("%w %s: its history is a cycle", ErrCorruptObject, g.n(p).hash)
		}
		chain = append(chain, p)
	}
	return chain, lastInWindow(g, chain), nil
}

// extendChain returns the first-parent chain extended as far as the walk
// loaded it, and marks its commits.
func extendChain(g *graph, chain []int32) []int32 {
	for {
		n := g.n(chain[len(chain)-1])
		n.fp = true
		if len(g.parents(n)) == 0 {
			return chain
		}
		p := g.n(g.parents(n)[0])
		if p.state == stNew || p.fp { // p.fp: a cycle, only in a corrupt repository
			return chain
		}
		chain = append(chain, g.parents(n)[0])
	}
}

// lastInWindow returns the position of the oldest chain commit in the
// window, -1 when none is.
func lastInWindow(g *graph, chain []int32) int {
	last := -1
	for k, i := range chain {
		if g.inWindow(g.n(i).ctime) {
			last = k
		}
	}
	return last
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
		g.n(m).intro = int32(pos)
		parents := g.parents(g.n(m))
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
				n := g.n(x)
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
					n = g.n(x)
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
				stack = append(stack, g.parents(n)...)
			}
		}
	}
	return out, nil
}

// mergeRecord builds the model record of a trunk merge.
func mergeRecord(g *graph, m int32, b *brought) model.Merge {
	n := g.n(m)
	d := g.detail(n.detail)
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
		ni, nj := g.n(nodes[i]), g.n(nodes[j])
		if ni.ctime != nj.ctime {
			return ni.ctime > nj.ctime
		}
		return bytes.Compare(ni.hash[:], nj.hash[:]) < 0
	})
	hs := make([]plumbing.Hash, min(len(nodes), maxBrought))
	for k, x := range nodes[:len(hs)] {
		hs[k] = g.n(x).hash
	}
	rec.Brought = hashStrings(hs)
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

// commitRecords builds the model records of trunk commits with their
// landing times. The hash strings of all of them are cut from one string.
func commitRecords(g *graph, idx []int32, landed map[int32]int64) []model.Commit {
	hs := make([]plumbing.Hash, 0, 2*len(idx))
	for _, i := range idx {
		n := g.n(i)
		hs = append(hs, n.hash)
		for _, p := range g.parents(n) {
			hs = append(hs, g.n(p).hash)
		}
	}
	strs := hashStrings(hs)
	out := make([]model.Commit, len(idx))
	for k, i := range idx {
		n := g.n(i)
		d := g.detail(n.detail)
		np := len(g.parents(n))
		out[k] = model.Commit{
			Hash:        strs[0],
			Author:      d.author,
			Committer:   d.committer,
			Message:     d.message,
			FirstParent: n.fp,
		}
		if t, ok := landed[i]; ok {
			out[k].Landed = time.Unix(t, 0).UTC()
		}
		if np > 0 {
			out[k].Parents = strs[1 : 1+np : 1+np]
		}
		strs = strs[1+np:]
	}
	return out
}

// hashStrings returns the hex forms of hashes, cut from one string.
func hashStrings(hs []plumbing.Hash) []string {
	if len(hs) == 0 {
		return nil
	}
	var b strings.Builder
	b.Grow(40 * len(hs))
	var buf [40]byte
	for _, h := range hs {
		hex.Encode(buf[:], h[:])
		b.Write(buf[:])
	}
	all := b.String()
	out := make([]string, len(hs))
	for i := range hs {
		out[i] = all[40*i : 40*i+40]
	}
	return out
}
