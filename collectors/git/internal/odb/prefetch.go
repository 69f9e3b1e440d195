package odb

import (
	"bytes"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors/git/internal/pqueue"
)

// Prefetcher inflates commits on worker goroutines, each with its own
// reader, ahead of the goroutine that walks: inflating is most of the cost
// of a walk without a commit-graph. In chase mode the workers follow the
// parents of what they decoded, newest first like the walk; otherwise they
// decode the lists they are given. The walk takes what is ready and decodes
// the rest itself; everyone claims a commit before decoding it, so little
// work is done twice.
type Prefetcher struct {
	db         *DB
	chase      bool
	mu         sync.Mutex
	work       *sync.Cond // the workers wait for work or room
	ready      map[plumbing.Hash]prefetched
	claimed    map[plumbing.Hash]bool // true: a worker decodes it
	seeds      []prefetchItem
	stopped    bool
	done       sync.WaitGroup
	free       []*Slab                    // slabs whose commits were all taken and released
	queue      pqueue.Queue[prefetchItem] // highest prio first
	cacheBytes int                        // each worker's reader's delta cache
}

// Slab holds the inflated commits the worker keeps; it is reused once all
// of them were taken and released (fresh memory is costly to touch).
type Slab struct {
	buf     []byte
	pending int // commits kept and not yet released (under mu)
	full    bool
}

type prefetched struct {
	data []byte
	s    *Slab
}

// slabSize is the size of the slabs.
const slabSize = 256 << 10

type prefetchItem struct {
	h    plumbing.Hash
	prio int64
}

// prefetchLimit bounds the commits decoded and not yet taken in chase mode
// (in list mode the lists bound them).
const prefetchLimit = 8192

// NewPrefetcher starts workers goroutines, each reading through its own
// Reader with a delta cache of cacheBytes. The caller calls Stop.
func NewPrefetcher(db *DB, chase bool, workers, cacheBytes int) *Prefetcher {
	p := &Prefetcher{
		db:         db,
		cacheBytes: cacheBytes,
		chase:      chase,
		ready:      make(map[plumbing.Hash]prefetched, prefetchLimit),
		claimed:    make(map[plumbing.Hash]bool, db.CommitsGuess()),
		queue:      pqueue.New(func(a, b prefetchItem) bool { return a.prio > b.prio }),
	}
	p.work = sync.NewCond(&p.mu)
	for range max(workers, 1) {
		p.done.Add(1)
		go p.run()
	}
	return p
}

// Take returns the commit's object if it is ready, and otherwise claims it
// for the caller, who decodes it: waiting for a worker that is decoding it
// costs more (a sleep and a wake-up) than decoding it again. The caller
// calls Release(s) when done with the data.
func (p *Prefetcher) Take(h plumbing.Hash) ([]byte, *Slab, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.ready[h]; ok {
		delete(p.ready, h)
		if len(p.ready) == prefetchLimit-1 {
			p.work.Signal()
		}
		return r.data, r.s, true
	}
	p.claimed[h] = false
	return nil, nil, false
}

// Release tells that the data Take returned from s is no longer used.
func (p *Prefetcher) Release(s *Slab) {
	p.mu.Lock()
	s.pending--
	if s.full && s.pending == 0 {
		p.recycle(s)
	}
	p.mu.Unlock()
}

func (p *Prefetcher) recycle(s *Slab) {
	s.buf, s.full = s.buf[:0], false
	p.free = append(p.free, s)
}

// Seed asks for commits, the higher prio first.
func (p *Prefetcher) Seed(prio int64, hs ...plumbing.Hash) {
	p.mu.Lock()
	for _, h := range hs {
		p.seeds = append(p.seeds, prefetchItem{h, prio})
	}
	p.mu.Unlock()
	p.work.Signal()
}

// Chasing reports whether the workers follow parents. Only the goroutine
// that calls EndChase may call it (without a lock: it is the only writer).
func (p *Prefetcher) Chasing() bool { return p.chase }

// EndChase turns chase mode off: from now on the worker decodes only the
// lists it is given.
func (p *Prefetcher) EndChase() {
	p.mu.Lock()
	p.chase = false
	p.queue.Reset()
	p.mu.Unlock()
}

// Stop ends the workers and waits for them.
func (p *Prefetcher) Stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.work.Broadcast()
	p.done.Wait()
}

func (p *Prefetcher) run() {
	defer p.done.Done()
	rd := p.db.NewReader(p.cacheBytes)
	var cur *Slab
	var parents []plumbing.Hash
	var h plumbing.Hash
	have := false
	for {
		var data []byte
		var ctime int64
		if have {
			parents = parents[:0]
			if typ, d, err := rd.Read(h); err == nil && typ == plumbing.CommitObject {
				data = d
				parents, ctime = commitLinks(d, parents)
			}
		}
		p.mu.Lock()
		if have {
			switch {
			case data == nil:
				p.claimed[h] = false // the walk decodes it and reports the error
			case p.claimed[h]: // still ours: the walk did not take it over
				own, sl := p.keep(&cur, data)
				p.ready[h] = prefetched{own, sl}
				if p.chase {
					for _, ph := range parents {
						if _, ok := p.claimed[ph]; !ok {
							p.queue.Push(prefetchItem{ph, ctime})
						}
					}
				}
			}
			have = false
		}
		for !p.stopped && (p.chase && len(p.ready) >= prefetchLimit || p.queue.Len() == 0 && len(p.seeds) == 0) {
			p.work.Wait()
		}
		if p.stopped {
			p.mu.Unlock()
			return
		}
		for _, s := range p.seeds {
			p.queue.Push(s)
		}
		p.seeds = p.seeds[:0]
		for p.queue.Len() > 0 {
			it := p.queue.Pop()
			if _, ok := p.claimed[it.h]; !ok {
				p.claimed[it.h] = true
				h, have = it.h, true
				break
			}
		}
		p.mu.Unlock()
	}
}

// keep copies data into the worker's current slab (under mu).
func (p *Prefetcher) keep(cur **Slab, data []byte) ([]byte, *Slab) {
	if c := *cur; c == nil || len(c.buf)+len(data) > cap(c.buf) {
		if c != nil {
			c.full = true
			if c.pending == 0 {
				p.recycle(c)
			}
		}
		if n := len(p.free); n > 0 && len(data) <= slabSize {
			*cur, p.free = p.free[n-1], p.free[:n-1]
		} else {
			*cur = &Slab{buf: make([]byte, 0, max(slabSize, len(data)))}
		}
	}
	s := *cur
	n := len(s.buf)
	s.buf = append(s.buf, data...)
	s.pending++
	return s.buf[n:len(s.buf):len(s.buf)], s
}

// commitLinks reads only the parents and the committer time of a commit.
func commitLinks(data []byte, parents []plumbing.Hash) ([]plumbing.Hash, int64) {
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		if nl <= 0 {
			break
		}
		line := data[:nl]
		data = data[nl+1:]
		switch {
		case bytes.HasPrefix(line, []byte("parent ")):
			var h plumbing.Hash
			if ParseHex(line[7:], &h) {
				parents = append(parents, h)
			}
		case bytes.HasPrefix(line, []byte("committer ")):
			return parents, ParseSig(line[10:]).When
		}
	}
	return parents, 0
}
