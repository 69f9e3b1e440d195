package git

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/model"
)

// branchHead is a local or remote branch other than the trunk.
type branchHead struct {
	ref    plumbing.ReferenceName
	name   string // short name, "x" for refs/heads/x and refs/remotes/origin/x
	remote string
	head   int32
}

// branchHeads lists the branches to check: refs/heads/* and
// refs/remotes/*/*, without symbolic references (HEAD) and without the
// trunk under any remote. Heads that are not commits are skipped and
// reported.
func branchHeads(g *graph, rs *refSet, t trunk) ([]branchHead, []string, error) {
	var out []branchHead
	var skipped []string
	for _, name := range rs.names {
		ref := rs.byName[name]
		if !isBranchRef(name) || ref.Type() != plumbing.HashReference {
			continue
		}
		short, remote := shortBranch(name)
		if short == t.name || short == "HEAD" {
			continue
		}
		i := g.id(ref.Hash())
		if err := g.load(i); err != nil {
			if errors.Is(err, errNotCommit) {
				skipped = append(skipped, string(name))
				continue
			}
			return nil, nil, fmt.Errorf("branch %s: %w", short, err)
		}
		out = append(out, branchHead{ref: name, name: short, remote: remote, head: i})
	}
	return out, skipped, nil
}

// openBranches returns the branches open at the window's end, each at its
// head as of then (headAt): those whose head trunk as of then (the chain
// commit at position asOf, see onTrunkAt) does not reach, with what they
// held beyond it. A branch made after the window is left out; one merged
// after the window was open at its end. A remote branch pointing at the
// same commit as the local branch of the same name (or as another
// remote's) is listed once.
// The second result counts branches whose history reaches the shallow
// boundary (their FirstCommit is left zero, Ahead is a lower bound).
func openBranches(g *graph, heads []branchHead, asOf int) ([]model.Branch, int, error) {
	// Each branch's head as of the window's end.
	at := make([]int32, len(heads))
	local := map[string]int32{}
	for k, b := range heads {
		h, err := headAt(g, b.head, asOf)
		if err != nil {
			return nil, 0, fmt.Errorf("branch %s: %w", b.name, err)
		}
		at[k] = h
		if b.remote == "" && h >= 0 {
			local[b.name] = h
		}
	}
	type key struct {
		name string
		head int32
	}
	seen := map[key]bool{}
	var out []model.Branch
	cut := 0
	var stack []int32
	for k, b := range heads {
		head := at[k]
		if head < 0 {
			continue // made after the window, or merged by its end
		}
		n := g.n(head)
		if b.remote != "" {
			if h, ok := local[b.name]; ok && h == head {
				continue
			}
		}
		if seen[key{b.name, head}] {
			continue
		}
		seen[key{b.name, head}] = true
		g.stamp++
		stamp := g.stamp
		ahead, first, boundary := 0, int64(0), false
		stack = append(stack[:0], head)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			xn := g.n(x)
			if xn.stamp == stamp || onTrunkAt(xn, asOf) {
				continue
			}
			xn.stamp = stamp
			if xn.state == stNew {
				boundary = true
				continue
			}
			if err := g.full(x); err != nil {
				return nil, 0, err
			}
			xn = g.n(x)
			if ahead == 0 || xn.atime < first {
				first = xn.atime
			}
			ahead++
			if xn.boundary {
				boundary = true
			}
			stack = append(stack, g.parents(xn)...)
		}
		name := b.name
		if b.remote != "" {
			name = b.remote + "/" + b.name
		}
		rec := model.Branch{
			Name:       name,
			Head:       n.hash.String(),
			LastCommit: time.Unix(n.ctime, 0).UTC(),
			Ahead:      ahead,
			Remote:     b.remote != "",
		}
		if boundary {
			cut++
		} else if ahead > 0 {
			rec.FirstCommit = time.Unix(first, 0).UTC()
		}
		out = append(out, rec)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Remote != out[j].Remote {
			return !out[i].Remote
		}
		return out[i].Name < out[j].Name
	})
	return out, cut, nil
}

// headAt returns a branch's head as of the window's end: the newest commit
// on its first-parent chain committed before the window's end, -1 when the
// chain reaches trunk as of then first (the branch was made after the
// window, or merged by its end) or has no such commit.
func headAt(g *graph, head int32, asOf int) (int32, error) {
	for i, steps := head, int32(0); steps <= g.count; steps++ {
		if err := g.load(i); err != nil {
			return -1, err
		}
		n := g.n(i)
		if onTrunkAt(n, asOf) {
			return -1, nil
		}
		if n.ctime < g.until {
			return i, nil
		}
		ps := g.parents(n)
		if len(ps) == 0 {
			return -1, nil
		}
		i = ps[0]
	}
	return -1, fmt.Errorf("%w %s: its history is a cycle", ErrCorruptObject, g.n(head).hash)
}
