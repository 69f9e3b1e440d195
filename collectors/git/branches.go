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

// openBranches returns the branches whose head the trunk does not reach,
// with what they hold beyond trunk. A remote branch pointing at the same
// commit as the local branch of the same name (or as another remote's) is
// listed once. The second result counts branches whose history reaches
// the shallow boundary (their FirstCommit is left zero, Ahead is a lower
// bound).
func openBranches(g *graph, heads []branchHead) ([]model.Branch, int, error) {
	local := map[string]plumbing.Hash{}
	for _, b := range heads {
		if b.remote == "" {
			local[b.name] = g.n(b.head).hash
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
	stamp := uint32(0)
	for _, b := range heads {
		n := g.n(b.head)
		if n.flags&fTrunk != 0 {
			continue
		}
		if b.remote != "" {
			if h, ok := local[b.name]; ok && h == n.hash {
				continue
			}
		}
		if seen[key{b.name, b.head}] {
			continue
		}
		seen[key{b.name, b.head}] = true
		stamp++
		ahead, first, boundary := 0, int64(0), false
		stack = append(stack[:0], b.head)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			xn := g.n(x)
			if xn.stamp == stamp || xn.flags&fTrunk != 0 {
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
			LastCommit: time.Unix(g.n(b.head).ctime, 0).UTC(),
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
