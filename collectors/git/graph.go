package git

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
	"github.com/cdaudit/cdaudit/model"
)

type nodeState uint8

const (
	stNew   nodeState = iota // only the hash is known
	stGraph                  // parents, commit time and tree from the commit-graph
	stFull                   // decoded from the commit object
)

// Walk flags: which sources reach a commit.
const (
	fTrunk  uint8 = 1 << iota // reachable from the trunk tip
	fPre                      // reachable from the trunk commit before the window (B)
	fBranch                   // reachable from some branch head
)

// node is one commit of the walk. Parents are indexes into graph.nodes.
type node struct {
	hash  plumbing.Hash
	tree  plumbing.Hash
	par   uint32 // parents: graph.arena chunk<<16 | offset
	npar  uint16
	ctime int64 // committer time (unix)
	atime int64 // author time (unix), valid when state == stFull
	// key orders the walk: the corrected commit date from the commit-graph
	// when exact, else the committer time.
	key      int64
	cgPos    uint32 // position in the commit-graph + 1, 0 when unknown
	email    int32  // interned author e-mail, valid when state == stFull
	detail   int32  // index into graph.details, -1 when not kept
	intro    int32  // first-parent position of the trunk commit that brought it in, -1
	stamp    uint32 // visit stamp of the last DFS
	state    nodeState
	exact    bool // key is a corrected commit date (generation data v2)
	boundary bool // a shallow commit: its parents are not in the clone
	fp       bool // on trunk's first-parent chain
	flags    uint8
	done     uint8 // flags already propagated to the parents
}

// detail is what a trunk commit in the window needs beyond the walk.
type detail struct {
	author, committer model.Signature
	message           string
}

// graph is the part of the commit graph the audit has touched.
type graph struct {
	r  *repo
	rd *odb.Reader
	pf *odb.Prefetcher // nil: decode everything here
	// skipSeed is how many leading parents of a commit decoded here are
	// not handed to the prefetcher: 1 while following first parents, which
	// this goroutine decodes next anyway.
	skipSeed int
	cg       *odb.CommitGraph
	// nodes and details live in fixed-size chunks: growing never copies
	// them and pointers to them stay valid.
	nodes     [][]node
	count     int32
	index     map[plumbing.Hash]int32
	arena     [][]int32 // parent lists, in chunks of 1<<16
	scratch   []int32
	cgScratch []uint32
	emails    []string
	emailID   map[string]int32
	strs      map[string]string
	zones     map[int]*time.Location
	details   [][]detail
	ndetail   int32
	// The window in unix seconds; details are kept for commits in it.
	since, until int64
	// keepDetail makes decode keep the detail of a commit outside the
	// window (see withDetail).
	keepDetail bool
	stamp      uint32 // the last DFS visit stamp handed out
	raw        odb.RawCommit
	decoded    int // commits decoded from their objects
	prefetched int // of which the prefetcher inflated
	fromGraph  int // commits read from the commit-graph
}

// Delta-base cache sizes: the walk reads commits, rarely stored as deltas;
// the tree reader reads trees, mostly deltas.
const (
	commitCacheBytes = 2 << 20
	treeCacheBytes   = 8 << 20
)

func newGraph(r *repo, w model.Window) *graph {
	return &graph{
		r:       r,
		rd:      r.db.NewReader(commitCacheBytes),
		cg:      r.cg,
		index:   make(map[plumbing.Hash]int32, r.db.CommitsGuess()),
		emailID: map[string]int32{},
		strs:    map[string]string{},
		zones:   map[int]*time.Location{},
		since:   w.Since.Unix(),
		until:   w.Until.Unix(),
	}
}

func (g *graph) inWindow(t int64) bool { return t >= g.since && t < g.until }

const chunkBits = 12

// n returns node i.
func (g *graph) n(i int32) *node { return &g.nodes[i>>chunkBits][i&(1<<chunkBits-1)] }

// detail returns detail i.
func (g *graph) detail(i int32) *detail { return &g.details[i>>chunkBits][i&(1<<chunkBits-1)] }

// id returns the node of a hash, creating an unloaded one.
func (g *graph) id(h plumbing.Hash) int32 {
	if i, ok := g.index[h]; ok {
		return i
	}
	i := g.count
	if int(i>>chunkBits) == len(g.nodes) {
		g.nodes = append(g.nodes, make([]node, 0, 1<<chunkBits))
	}
	c := &g.nodes[i>>chunkBits]
	*c = append(*c, node{hash: h, email: -1, detail: -1, intro: -1})
	g.count++
	g.index[h] = i
	return i
}

// parents returns the parents of a node (do not append to the slice).
func (g *graph) parents(n *node) []int32 {
	if n.npar == 0 {
		return nil
	}
	c, off := n.par>>16, n.par&0xffff
	return g.arena[c][off : off+uint32(n.npar) : off+uint32(n.npar)]
}

// setParents stores the parents of node n. The arena holds no pointers, so
// the garbage collector does not scan it, nor the nodes.
func (g *graph) setParents(n *node, ps []int32) error {
	k := len(ps)
	if k == 0 {
		return nil
	}
	if k >= 1<<16 {
		return fmt.Errorf("%w %s: %d parents", ErrCorruptObject, n.hash, k)
	}
	last := len(g.arena) - 1
	if last < 0 || len(g.arena[last])+k > 1<<16 {
		g.arena = append(g.arena, make([]int32, 0, 1<<16))
		last++
	}
	off := len(g.arena[last])
	g.arena[last] = append(g.arena[last], ps...)
	n.par, n.npar = uint32(last)<<16|uint32(off), uint16(k)
	return nil
}

func (g *graph) addDetail(d detail) int32 {
	i := g.ndetail
	if int(i>>chunkBits) == len(g.details) {
		g.details = append(g.details, make([]detail, 0, 1<<chunkBits))
	}
	c := &g.details[i>>chunkBits]
	*c = append(*c, d)
	g.ndetail++
	return i
}

// errNotCommit marks a reference to an object that is not a commit.
var errNotCommit = errors.New("not a commit")

// load makes the node's parents, commit time and tree known, from the
// commit-graph when possible.
func (g *graph) load(i int32) error {
	if g.n(i).state != stNew {
		return nil
	}
	if g.cg != nil && g.loadFromGraph(i) {
		return nil
	}
	return g.decode(i)
}

func (g *graph) loadFromGraph(i int32) bool {
	n := g.n(i)
	var pos uint32
	if n.cgPos > 0 {
		pos = n.cgPos - 1
	} else {
		p, ok := g.cg.Lookup(n.hash)
		if !ok {
			return false
		}
		pos = p
	}
	tree, cps, ctime, corrected, ok := g.cg.Row(pos, g.cgScratch[:0])
	g.cgScratch = cps
	if !ok {
		return false
	}
	ps := g.scratch[:0]
	for _, cp := range cps {
		ph, ok := g.cg.HashAt(cp)
		if !ok {
			return false
		}
		pi := g.id(ph)
		if pn := g.n(pi); pn.cgPos == 0 {
			pn.cgPos = cp + 1
		}
		ps = append(ps, pi)
	}
	g.scratch = ps
	if g.setParents(n, ps) != nil {
		return false
	}
	n.ctime, n.key, n.tree = ctime, ctime, tree
	if corrected != 0 {
		n.key, n.exact = corrected, true
	}
	n.state = stGraph
	g.fromGraph++
	return true
}

// decode reads the commit object: everything load gives, plus the author
// and, for commits in the window, what detail keeps.
func (g *graph) decode(i int32) error {
	h := g.n(i).hash
	var typ plumbing.ObjectType
	var data []byte
	prefetched := false
	if g.pf != nil {
		var sl *odb.Slab
		data, sl, prefetched = g.pf.Take(h)
		typ = plumbing.CommitObject
		if prefetched {
			defer g.pf.Release(sl) // nothing below keeps data
		}
	}
	if prefetched {
		g.prefetched++
	} else {
		var err error
		if typ, data, err = g.rd.Read(h); err != nil {
			return err
		}
	}
	if typ != plumbing.CommitObject {
		return fmt.Errorf("%s is a %s: %w", h, typ, errNotCommit)
	}
	c := &g.raw
	if err := odb.ParseCommit(data, c); err != nil {
		return fmt.Errorf("%w %s: %w", ErrCorruptObject, h, err)
	}
	g.decoded++
	if g.n(i).state == stNew {
		n := g.n(i)
		n.ctime = c.Committer.When
		n.key = n.ctime
		n.tree = c.Tree
		if g.r.shallow[h] {
			n.boundary = true
		} else if len(c.Parents) > 0 {
			ps := g.scratch[:0]
			for _, ph := range c.Parents {
				ps = append(ps, g.id(ph))
			}
			g.scratch = ps
			if err := g.setParents(g.n(i), ps); err != nil {
				return err
			}
		}
	}
	if g.pf != nil && g.pf.Chasing() && !prefetched && len(c.Parents) > g.skipSeed {
		g.pf.Seed(c.Committer.When, c.Parents[g.skipSeed:]...)
	}
	n := g.n(i)
	n.atime = c.Author.When
	n.email = g.internEmail(c.Author.Email)
	n.state = stFull
	if n.detail < 0 && (g.inWindow(n.ctime) || g.keepDetail) {
		n.detail = g.addDetail(detail{
			author:    g.sig(c.Author),
			committer: g.sig(c.Committer),
			message:   string(c.Message),
		})
	}
	return nil
}

// full makes sure the author of a node is known (and its detail, for a
// commit in the window).
func (g *graph) full(i int32) error {
	if g.n(i).state == stFull {
		return nil
	}
	return g.decode(i)
}

func (g *graph) internEmail(b []byte) int32 {
	if id, ok := g.emailID[string(b)]; ok {
		return id
	}
	s := string(b)
	id := int32(len(g.emails))
	g.emails = append(g.emails, s)
	g.emailID[s] = id
	return id
}

func (g *graph) str(b []byte) string {
	if s, ok := g.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	g.strs[s] = s
	return s
}

// parseHex reads a 40-digit hex object name (packed-refs, loose refs, the
// CI's trunk hints) as the object database does.
func parseHex(b []byte, h *plumbing.Hash) bool { return odb.ParseHex(b, h) }

func (g *graph) sig(s odb.RawSig) model.Signature {
	loc, ok := g.zones[s.TZ]
	if !ok {
		loc = time.FixedZone("", s.TZ)
		g.zones[s.TZ] = loc
	}
	return model.Signature{Name: g.str(s.Name), Email: g.str(s.Email), When: time.Unix(s.When, 0).In(loc)}
}
