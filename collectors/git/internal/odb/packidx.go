package odb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// packIndex is a mapped pack index (.idx, version 1 or 2).
type packIndex struct {
	data    []byte
	version int
	n       int
	fanout  []byte // 256 big-endian uint32
	hashes  int    // offset of the hash table (v2) or of the entries (v1)
	off32   int    // v2: offset of the 32-bit offsets
	off64   int    // v2: offset of the 64-bit offsets
}

var errBadIndex = errors.New("malformed pack index")

func parsePackIndex(data []byte) (*packIndex, error) {
	ix := &packIndex{data: data}
	if len(data) >= 8 && bytes.Equal(data[:4], []byte{0xff, 't', 'O', 'c'}) {
		if v := binary.BigEndian.Uint32(data[4:8]); v != 2 {
			return nil, fmt.Errorf("%w: version %d", errBadIndex, v)
		}
		ix.version = 2
		if len(data) < 8+1024 {
			return nil, errBadIndex
		}
		ix.fanout = data[8 : 8+1024]
		ix.n = int(binary.BigEndian.Uint32(ix.fanout[1020:]))
		ix.hashes = 8 + 1024
		ix.off32 = ix.hashes + ix.n*24 // hashes, then CRCs
		ix.off64 = ix.off32 + ix.n*4
		if ix.n < 0 || len(data) < ix.off64+40 {
			return nil, errBadIndex
		}
	} else {
		ix.version = 1
		if len(data) < 1024 {
			return nil, errBadIndex
		}
		ix.fanout = data[:1024]
		ix.n = int(binary.BigEndian.Uint32(ix.fanout[1020:]))
		ix.hashes = 1024
		if ix.n < 0 || len(data) < ix.hashes+ix.n*24+40 {
			return nil, errBadIndex
		}
	}
	// The fan-out table must not decrease.
	prev := uint32(0)
	for i := 0; i < 256; i++ {
		v := binary.BigEndian.Uint32(ix.fanout[i*4:])
		if v < prev || int(v) > ix.n {
			return nil, fmt.Errorf("%w: fan-out table", errBadIndex)
		}
		prev = v
	}
	return ix, nil
}

func (ix *packIndex) hashAt(i int) []byte {
	if ix.version == 2 {
		p := ix.hashes + i*20
		return ix.data[p : p+20]
	}
	p := ix.hashes + i*24 + 4
	return ix.data[p : p+20]
}

// find returns the pack offset of h, or -1. Hashes are uniformly
// distributed, so it first guesses the position from the hash's next bytes
// and searches a small range around the guess (a plain binary search costs
// a cache miss per step on a large index).
func (ix *packIndex) find(h plumbing.Hash) int64 {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(ix.fanout[(int(h[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(ix.fanout[int(h[0])*4:]))
	if hi-lo > 64 {
		v := int(h[1])<<16 | int(h[2])<<8 | int(h[3])
		guess := lo + int(int64(hi-lo)*int64(v)>>24)
		const span = 24
		a, b := max(lo, guess-span), min(hi, guess+span)
		if bytes.Compare(ix.hashAt(a), h[:]) <= 0 && (b == hi || bytes.Compare(ix.hashAt(b), h[:]) > 0) {
			lo, hi = a, b
		}
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(ix.hashAt(mid), h[:]); {
		case c < 0:
			lo = mid + 1
		case c > 0:
			hi = mid
		default:
			return ix.offsetAt(mid)
		}
	}
	return -1
}

func (ix *packIndex) offsetAt(i int) int64 {
	if ix.version == 1 {
		return int64(binary.BigEndian.Uint32(ix.data[ix.hashes+i*24:]))
	}
	o := binary.BigEndian.Uint32(ix.data[ix.off32+i*4:])
	if o&0x80000000 == 0 {
		return int64(o)
	}
	p := ix.off64 + int(o&0x7fffffff)*8
	if p+8 > len(ix.data) {
		return -1
	}
	return int64(binary.BigEndian.Uint64(ix.data[p:]))
}

// hashOf returns the hash of the entry at pack offset off (zero when none
// is there). It scans the index: for error messages only.
func (ix *packIndex) hashOf(off int64) plumbing.Hash {
	var h plumbing.Hash
	for i := 0; i < ix.n; i++ {
		if ix.offsetAt(i) == off {
			copy(h[:], ix.hashAt(i))
			break
		}
	}
	return h
}
