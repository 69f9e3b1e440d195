package odb

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// DB reads objects straight from mapped pack files and loose object
// files, and falls back to go-git's storer for anything else (alternates).
// It is read-only and safe for concurrent use; each goroutine reads through
// its own Reader.
type DB struct {
	dir      string // the objects directory
	packs    []*pack
	fbMu     sync.Mutex // go-git's storage is not safe for concurrent use
	fallback storer.EncodedObjectStorer
}

type pack struct {
	name string
	idx  *packIndex
	data []byte
	free []func() error
}

// maxDeltaDepth bounds delta chains (git's default is 50; corrupt packs
// could loop through REF deltas).
const maxDeltaDepth = 10000

func Open(dir string, fallback storer.EncodedObjectStorer) (*DB, error) {
	db := &DB{dir: dir, fallback: fallback}
	idxs, err := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
	if err != nil {
		return nil, err
	}
	// Newest packs first: they hold the objects looked up most.
	mtime := map[string]int64{}
	for _, p := range idxs {
		if fi, err := os.Stat(p); err == nil {
			mtime[p] = fi.ModTime().UnixNano()
		}
	}
	sort.SliceStable(idxs, func(i, j int) bool { return mtime[idxs[i]] > mtime[idxs[j]] })
	for _, ip := range idxs {
		pp := ip[:len(ip)-len(".idx")] + ".pack"
		if _, err := os.Stat(pp); err != nil {
			continue // an index without its pack (being written or removed)
		}
		p, err := openPack(ip, pp)
		if err != nil {
			db.Close()
			return nil, err
		}
		db.packs = append(db.packs, p)
	}
	return db, nil
}

func openPack(idxPath, packPath string) (*pack, error) {
	p := &pack{name: filepath.Base(packPath)}
	idata, ifree, err := mapFile(idxPath)
	if err != nil {
		return nil, fmt.Errorf("read pack index: %w", err)
	}
	p.free = append(p.free, ifree)
	if p.idx, err = parsePackIndex(idata); err != nil {
		p.close()
		return nil, fmt.Errorf("%s: %w: %w", filepath.Base(idxPath), ErrCorrupt, err)
	}
	pdata, pfree, err := mapFile(packPath)
	if err != nil {
		p.close()
		return nil, fmt.Errorf("read pack: %w", err)
	}
	p.free = append(p.free, pfree)
	p.data = pdata
	if len(pdata) < 32 || string(pdata[:4]) != "PACK" {
		p.close()
		return nil, fmt.Errorf("%s: %w: not a pack file", p.name, ErrCorrupt)
	}
	if v := binary.BigEndian.Uint32(pdata[4:8]); v != 2 && v != 3 {
		p.close()
		return nil, fmt.Errorf("%s: %w: pack version %d", p.name, ErrCorrupt, v)
	}
	if n := binary.BigEndian.Uint32(pdata[8:12]); int(n) != p.idx.n {
		p.close()
		return nil, fmt.Errorf("%s: %w: pack holds %d objects, its index %d", p.name, ErrCorrupt, n, p.idx.n)
	}
	return p, nil
}

func (p *pack) close() {
	for _, f := range p.free {
		_ = f()
	}
	p.free = nil
}

// CommitsGuess guesses how many commits the packs hold (about one object in
// ten, in most repositories), to size maps.
func (db *DB) CommitsGuess() int {
	n := 0
	for _, p := range db.packs {
		n += p.idx.n
	}
	return min(max(n/10, 1024), 1<<20)
}

// Close releases the mapped files.
func (db *DB) Close() {
	for _, p := range db.packs {
		p.close()
	}
	db.packs = nil
}

// Reader reads objects for one goroutine: it owns a zlib decompressor,
// scratch buffers and a cache of delta bases.
type Reader struct {
	db    *DB
	fr    io.ReadCloser
	br    bytes.Reader
	buf   []byte
	tail  [4]byte // the zlib checksum (a field: a local would escape)
	cache deltaCache
}

func (db *DB) NewReader(cacheBytes int) *Reader {
	return &Reader{db: db, cache: deltaCache{max: cacheBytes}}
}

// Scratch reports whether data is r's reusable buffer (valid until the
// next read); anything else read returns is immutable and may be kept.
func (r *Reader) Scratch(data []byte) bool {
	return len(data) > 0 && len(r.buf) > 0 && &data[0] == &r.buf[0]
}

// TypeOf returns an object's type, from the pack entry headers alone when
// the object is packed.
func (r *Reader) TypeOf(h plumbing.Hash) (plumbing.ObjectType, error) {
	for _, p := range r.db.packs {
		off := p.idx.find(h)
		for depth := 0; off >= 12 && off < int64(len(p.data))-20 && depth < maxDeltaDepth; depth++ {
			c := p.data[off]
			typ := plumbing.ObjectType((c >> 4) & 7)
			if typ != plumbing.OFSDeltaObject {
				if typ == plumbing.REFDeltaObject {
					break // rare: read it
				}
				return typ, nil
			}
			pos := off + 1
			for c&0x80 != 0 && pos < int64(len(p.data)) { // skip the size
				c = p.data[pos]
				pos++
			}
			if pos >= int64(len(p.data)) {
				break
			}
			c = p.data[pos]
			pos++
			rel := int64(c & 0x7f)
			for c&0x80 != 0 && pos < int64(len(p.data)) && rel < 1<<55 {
				c = p.data[pos]
				pos++
				rel = ((rel + 1) << 7) | int64(c&0x7f)
			}
			if rel <= 0 || rel >= off {
				break
			}
			off -= rel
		}
	}
	typ, _, err := r.Read(h)
	return typ, err
}

// Read returns the type and contents of an object. The contents are valid
// until the next call on r when Scratch says so; callers copy what they keep.
func (r *Reader) Read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	typ, data, err := r.find(h, true, 0)
	if err != nil {
		var ce *CorruptObjectError
		if errors.As(err, &ce) {
			return 0, nil, err
		}
		return 0, nil, fmt.Errorf("%w %s: %w", ErrCorrupt, h, err)
	}
	return typ, data, nil
}

func (r *Reader) find(h plumbing.Hash, top bool, depth int) (plumbing.ObjectType, []byte, error) {
	for i, p := range r.db.packs {
		if off := p.idx.find(h); off >= 0 {
			return r.packed(i, off, top, depth)
		}
	}
	typ, data, err := r.loose(h)
	if !errors.Is(err, ErrNotFound) || r.db.fallback == nil {
		return typ, data, err
	}
	return r.db.fromFallback(h)
}

// fromFallback reads an object through go-git (alternates, odd layouts).
func (db *DB) fromFallback(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	db.fbMu.Lock()
	defer db.fbMu.Unlock()
	o, err := db.fallback.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return 0, nil, ErrNotFound
		}
		return 0, nil, err
	}
	rc, err := o.Reader()
	if err != nil {
		return 0, nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	return o.Type(), data, err
}

func (r *Reader) loose(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	hex := h.String()
	raw, err := os.ReadFile(filepath.Join(r.db.dir, hex[:2], hex[2:]))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil, ErrNotFound
		}
		return 0, nil, err
	}
	bad := func(reason string) error { return &CorruptObjectError{Hash: h, Reason: reason} }
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return 0, nil, bad(err.Error()) // zlib's errors say "zlib: …"
	}
	data, err := io.ReadAll(zr) // checks the adler32 at the end
	if err != nil {
		return 0, nil, bad(err.Error())
	}
	nul := bytes.IndexByte(data, 0)
	sp := bytes.IndexByte(data, ' ')
	if nul < 0 || sp < 0 || sp > nul {
		return 0, nil, bad("bad header")
	}
	typ, err := plumbing.ParseObjectType(string(data[:sp]))
	if err != nil {
		return 0, nil, bad(err.Error())
	}
	size, err := strconv.Atoi(string(data[sp+1 : nul]))
	if err != nil || size != len(data)-nul-1 {
		return 0, nil, bad("size does not match its header")
	}
	return typ, data[nul+1:], nil
}

// packed reads the object at off in pack pi. When top is set the result may
// live in r.buf; otherwise it is owned by the delta cache or freshly made.
func (r *Reader) packed(pi int, off int64, top bool, depth int) (plumbing.ObjectType, []byte, error) {
	if e, ok := r.cache.get(pi, off); ok {
		return e.typ, e.data, nil
	}
	if depth > maxDeltaDepth {
		return 0, nil, errors.New("delta chain too deep")
	}
	p := r.db.packs[pi]
	data := p.data
	end := int64(len(data)) - 20 // the trailing checksum
	if off < 12 || off >= end {
		return 0, nil, p.corrupt(off, "offset out of range")
	}
	pos := off
	c := data[pos]
	pos++
	typ := plumbing.ObjectType((c >> 4) & 7)
	size := uint64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if pos >= end || shift > 60 {
			return 0, nil, p.corrupt(off, "bad object header")
		}
		c = data[pos]
		pos++
		size |= uint64(c&0x7f) << shift
	}
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		var dst []byte
		if top {
			dst = r.buf
		}
		out, err := r.inflate(data[pos:end], size, dst)
		if err != nil {
			return 0, nil, p.corrupt(off, err.Error())
		}
		if top {
			r.buf = out
		} else {
			r.cache.put(pi, off, typ, out) // the root of a delta chain
		}
		return typ, out, nil
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
	default:
		return 0, nil, p.corrupt(off, fmt.Sprintf("bad object type %d", typ))
	}

	var btyp plumbing.ObjectType
	var base []byte
	var err error
	if typ == plumbing.OFSDeltaObject {
		if pos >= end {
			return 0, nil, p.corrupt(off, "bad delta")
		}
		c = data[pos]
		pos++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if pos >= end || rel > 1<<55 {
				return 0, nil, p.corrupt(off, "bad delta offset")
			}
			c = data[pos]
			pos++
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		if rel <= 0 || rel >= off {
			return 0, nil, p.corrupt(off, "bad delta base offset")
		}
		btyp, base, err = r.packed(pi, off-rel, false, depth+1)
	} else {
		if pos+20 > end {
			return 0, nil, p.corrupt(off, "bad delta")
		}
		var bh plumbing.Hash
		copy(bh[:], data[pos:pos+20])
		pos += 20
		btyp, base, err = r.find(bh, false, depth+1)
	}
	if err != nil {
		return 0, nil, err
	}
	delta, err := r.inflate(data[pos:end], size, nil)
	if err != nil {
		return 0, nil, p.corrupt(off, err.Error())
	}
	out, err := patchDelta(base, delta)
	if err != nil {
		return 0, nil, p.corrupt(off, err.Error())
	}
	r.cache.put(pi, off, btyp, out)
	return btyp, out, nil
}

// inflate decompresses a zlib stream of known size from src into dst.
func (r *Reader) inflate(src []byte, size uint64, dst []byte) ([]byte, error) {
	// A deflate stream expands at most ~1032:1; anything claiming more is corrupt.
	if size > uint64(len(src))*1100+1024 {
		return nil, fmt.Errorf("object size %d exceeds what the pack can hold", size)
	}
	if len(src) < 2 || src[0]&0x0f != 8 || (uint16(src[0])<<8|uint16(src[1]))%31 != 0 || src[1]&0x20 != 0 {
		return nil, errors.New("zlib: invalid header")
	}
	r.br.Reset(src[2:])
	if r.fr == nil {
		r.fr = flate.NewReader(&r.br)
	} else if err := r.fr.(flate.Resetter).Reset(&r.br, nil); err != nil {
		return nil, err
	}
	n := int(size)
	if cap(dst) < n {
		dst = make([]byte, n, n+n/4)
	}
	dst = dst[:n]
	if _, err := io.ReadFull(r.fr, dst); err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	// The stream must end here, followed by the adler32 of what it held
	// (flate reads src byte by byte, so r.br stops right after the stream).
	tail := r.tail[:]
	if k, err := r.fr.Read(tail[:1]); k != 0 || err != io.EOF {
		if k != 0 {
			return nil, fmt.Errorf("inflate: more data than the header's size %d", size)
		}
		if err == nil {
			err = io.ErrNoProgress
		}
		return nil, fmt.Errorf("inflate: %w", err)
	}
	if _, err := io.ReadFull(&r.br, tail); err != nil {
		return nil, errors.New("zlib: checksum missing")
	}
	if binary.BigEndian.Uint32(tail) != adler32.Checksum(dst) {
		return nil, errors.New("zlib: checksum mismatch (adler32)")
	}
	return dst, nil
}

// corrupt returns the error for the damaged entry at off, naming the
// object when the index tells which it is.
func (p *pack) corrupt(off int64, reason string) error {
	return &CorruptObjectError{Hash: p.idx.hashOf(off), Pack: p.name, Offset: off, Reason: reason}
}

// deltaCache keeps recently resolved delta results, which are the bases of
// the next deltas in a chain. It is bounded in bytes and evicts in FIFO order.
type deltaCache struct {
	max   int
	size  int
	m     map[cacheKey]cacheEntry
	order []cacheKey
	head  int
}

type cacheKey struct {
	pack int
	off  int64
}

type cacheEntry struct {
	typ  plumbing.ObjectType
	data []byte
}

func (c *deltaCache) get(pi int, off int64) (cacheEntry, bool) {
	e, ok := c.m[cacheKey{pi, off}]
	return e, ok
}

func (c *deltaCache) put(pi int, off int64, typ plumbing.ObjectType, data []byte) {
	if len(data) > c.max/4 {
		return
	}
	if c.m == nil {
		c.m = map[cacheKey]cacheEntry{}
	}
	k := cacheKey{pi, off}
	if _, ok := c.m[k]; ok {
		return
	}
	for c.size+len(data) > c.max && c.head < len(c.order) {
		old := c.order[c.head]
		c.head++
		c.size -= len(c.m[old].data)
		delete(c.m, old)
	}
	if c.head > 4096 && c.head > len(c.order)/2 {
		c.order = append(c.order[:0], c.order[c.head:]...)
		c.head = 0
	}
	c.m[k] = cacheEntry{typ, data}
	c.order = append(c.order, k)
	c.size += len(data)
}
