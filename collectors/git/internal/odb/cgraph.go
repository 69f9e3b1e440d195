package odb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	cgv2 "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
)

// CommitGraph reads the commit-graph file(s) of objects/info: go-git's v2
// index opens and checks them; the walk then reads the rows straight from
// the mapped files, which costs no allocation (go-git's
// GetCommitDataByIndex allocates several objects per commit).
//
// Positions are global across a chain of graph files, the oldest layer
// first, as in git.
type CommitGraph struct {
	idx    cgv2.Index
	layers []cgLayer
	genV2  bool // every layer has generation data v2 (corrected commit dates)
}

type cgLayer struct {
	data               []byte
	base, n            uint32
	fanout, oidl, cdat int
	edge, gda2, gdo2   int // 0 when absent
}

const (
	cgParentNone     = 0x70000000
	cgParentOctopus  = 0x80000000
	cgParentLast     = 0x80000000
	cgRowSize        = 36
	cgCorrectedLarge = 0x80000000
)

var errBadGraph = errors.New("malformed commit-graph")

// OpenCommitGraph opens objects/info/commit-graph or the commit-graph
// chain; nil when there is none or it cannot be read (the walk then decodes
// commits).
func OpenCommitGraph(info string) *CommitGraph {
	cg := &CommitGraph{}
	add := func(p string) bool {
		data, free, err := mapFile(p)
		if err != nil {
			return false
		}
		idx, err := cgv2.OpenFileIndexWithParent(memFile{bytes.NewReader(data), free}, cg.idx)
		if err != nil {
			_ = free()
			return false
		}
		cg.idx = idx
		var base uint32
		if n := len(cg.layers); n > 0 {
			base = cg.layers[n-1].base + cg.layers[n-1].n
		}
		l, err := parseCGLayer(data, base)
		if err != nil {
			return false
		}
		cg.layers = append(cg.layers, l)
		return true
	}
	ok := add(filepath.Join(info, "commit-graph"))
	if !ok {
		chain, err := os.ReadFile(filepath.Join(info, "commit-graphs", "commit-graph-chain"))
		if err != nil {
			cg.Close()
			return nil
		}
		for _, h := range strings.Fields(string(chain)) {
			if ok = plumbing.IsHash(h) && add(filepath.Join(info, "commit-graphs", "graph-"+h+".graph")); !ok {
				break
			}
		}
	}
	if !ok || len(cg.layers) == 0 {
		cg.Close()
		return nil
	}
	cg.genV2 = cg.idx.HasGenerationV2()
	for _, l := range cg.layers {
		cg.genV2 = cg.genV2 && l.gda2 > 0
	}
	return cg
}

// HasGenerationV2 reports whether every layer has generation data v2, so
// that Row returns corrected commit dates.
func (cg *CommitGraph) HasGenerationV2() bool { return cg.genV2 }

// Layers returns the number of graph files (1 without a chain).
func (cg *CommitGraph) Layers() int { return len(cg.layers) }

// memFile is a mapped file for go-git's commit-graph reader: ReadAt costs
// a copy instead of a system call.
type memFile struct {
	*bytes.Reader
	free func() error
}

func (m memFile) Close() error { return m.free() }

// Close unmaps the graph files.
func (cg *CommitGraph) Close() {
	if cg.idx != nil {
		_ = cg.idx.Close() // closes every layer, unmapping it
		cg.idx = nil
	}
}

func parseCGLayer(d []byte, base uint32) (cgLayer, error) {
	l := cgLayer{data: d, base: base}
	if len(d) < 8 || string(d[:4]) != "CGPH" || d[4] != 1 || d[5] != 1 {
		return l, errBadGraph
	}
	chunks := int(d[6])
	if len(d) < 8+(chunks+1)*12 {
		return l, errBadGraph
	}
	for i := 0; i < chunks; i++ {
		e := d[8+i*12:]
		off := binary.BigEndian.Uint64(e[4:12])
		if off >= uint64(len(d)) {
			return l, errBadGraph
		}
		switch string(e[:4]) {
		case "OIDF":
			l.fanout = int(off)
		case "OIDL":
			l.oidl = int(off)
		case "CDAT":
			l.cdat = int(off)
		case "EDGE":
			l.edge = int(off)
		case "GDA2":
			l.gda2 = int(off)
		case "GDO2":
			l.gdo2 = int(off)
		}
	}
	if l.fanout == 0 || l.oidl == 0 || l.cdat == 0 || l.fanout+1024 > len(d) {
		return l, errBadGraph
	}
	l.n = binary.BigEndian.Uint32(d[l.fanout+1020:])
	if l.oidl+int(l.n)*20 > len(d) || l.cdat+int(l.n)*cgRowSize > len(d) ||
		l.gda2 > 0 && l.gda2+int(l.n)*4 > len(d) {
		return l, errBadGraph
	}
	return l, nil
}

// Lookup returns the position of a commit.
func (cg *CommitGraph) Lookup(h plumbing.Hash) (uint32, bool) {
	for k := len(cg.layers) - 1; k >= 0; k-- {
		l := &cg.layers[k]
		lo := uint32(0)
		if h[0] > 0 {
			lo = binary.BigEndian.Uint32(l.data[l.fanout+(int(h[0])-1)*4:])
		}
		hi := binary.BigEndian.Uint32(l.data[l.fanout+int(h[0])*4:])
		for lo < hi && hi <= l.n {
			mid := (lo + hi) / 2
			p := l.oidl + int(mid)*20
			switch c := bytes.Compare(l.data[p:p+20], h[:]); {
			case c < 0:
				lo = mid + 1
			case c > 0:
				hi = mid
			default:
				return l.base + mid, true
			}
		}
	}
	return 0, false
}

func (cg *CommitGraph) layer(pos uint32) (*cgLayer, uint32, bool) {
	for k := len(cg.layers) - 1; k >= 0; k-- {
		l := &cg.layers[k]
		if pos >= l.base {
			if pos-l.base >= l.n {
				return nil, 0, false
			}
			return l, pos - l.base, true
		}
	}
	return nil, 0, false
}

// HashAt returns the hash of the commit at pos.
func (cg *CommitGraph) HashAt(pos uint32) (plumbing.Hash, bool) {
	var h plumbing.Hash
	l, i, ok := cg.layer(pos)
	if !ok {
		return h, false
	}
	copy(h[:], l.data[l.oidl+int(i)*20:])
	return h, true
}

// Row reads the commit at pos: its tree, parents' positions (appended to
// ps), committer time and corrected commit date (0 without generation data).
func (cg *CommitGraph) Row(pos uint32, ps []uint32) (tree plumbing.Hash, _ []uint32, ctime int64, corrected int64, ok bool) {
	l, i, ok := cg.layer(pos)
	if !ok {
		return tree, ps, 0, 0, false
	}
	r := l.data[l.cdat+int(i)*cgRowSize:]
	copy(tree[:], r[:20])
	p1 := binary.BigEndian.Uint32(r[20:24])
	p2 := binary.BigEndian.Uint32(r[24:28])
	gt := binary.BigEndian.Uint64(r[28:36])
	ctime = int64(gt & 0x3ffffffff)
	if p1 != cgParentNone {
		ps = append(ps, p1)
	}
	switch {
	case p2 == cgParentNone:
	case p2&cgParentOctopus != 0:
		if l.edge == 0 {
			return tree, ps, 0, 0, false
		}
		for e := l.edge + int(p2&^cgParentOctopus)*4; ; e += 4 {
			if e+4 > len(l.data) || len(ps) > math.MaxUint16 {
				return tree, ps, 0, 0, false
			}
			v := binary.BigEndian.Uint32(l.data[e:])
			ps = append(ps, v&^cgParentLast)
			if v&cgParentLast != 0 {
				break
			}
		}
	default:
		ps = append(ps, p2)
	}
	if cg.genV2 {
		off := uint64(binary.BigEndian.Uint32(l.data[l.gda2+int(i)*4:]))
		if off&cgCorrectedLarge != 0 {
			o := l.gdo2 + int(off&^cgCorrectedLarge)*8
			if l.gdo2 == 0 || o+8 > len(l.data) {
				return tree, ps, 0, 0, false
			}
			off = binary.BigEndian.Uint64(l.data[o:])
		}
		corrected = ctime + int64(off)
	}
	return tree, ps, ctime, corrected, true
}
