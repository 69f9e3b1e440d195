package git

import (
	"bytes"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// prefetcher inflates commits on a second goroutine, with its own reader,
// ahead of the goroutine that walks: inflating is most of the cost of a
// walk without a commit-graph. In chase mode it follows the parents of what
// it decoded, newest first like the walk; otherwise it decodes the lists it
// is given. The walk takes what is ready and decodes the rest itself; both
// claim a commit before decoding it, so little work is done twice.
type prefetcher struct {
	rd      *objReader
	chase   bool
	mu      sync.Mutex
	work    *sync.Cond // the worker waits for work or room
	got     *sync.Cond // the walk waits for a commit in flight
	ready   map[plumbing.Hash]prefetched
	claimed map[plumbing.Hash]bool // true: the worker decodes it
	seeds   []prefetchItem
	stopped bool
	done    chan struct{}
	free    []*slab // slabs whose commits were all taken and released
	// Worker-only state (queue under mu).
	queue []prefetchItem // max-heap on prio
	cur   *slab
}

// slab holds the inflated commits the worker keeps; it is reused once all
// of them were taken and released (fresh memory is costly to touch).
type slab struct {
	buf     []byte
	pending int // commits kept and not yet released (under mu)
	full    bool
}

type prefetched struct {
	data []byte
	s    *slab
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

func newPrefetcher(db *objectDB, chase bool) *prefetcher {
	p := &prefetcher{
		rd:      db.newReader(commitCacheBytes),
		chase:   chase,
		ready:   make(map[plumbing.Hash]prefetched, prefetchLimit),
		claimed: make(map[plumbing.Hash]bool, db.commitsGuess()),
		done:    make(chan struct{}),
	}
	p.work = sync.NewCond(&p.mu)
	p.got = sync.NewCond(&p.mu)
	go p.run()
	return p
}

// take returns the commit's object if it is ready, waits for it if the
// worker is decoding it, and otherwise claims it for the caller. The caller
// calls release(s) when done with the data.
func (p *prefetcher) take(h plumbing.Hash) ([]byte, *slab, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if r, ok := p.ready[h]; ok {
			delete(p.ready, h)
			if len(p.ready) == prefetchLimit-1 {
				p.work.Signal()
			}
			return r.data, r.s, true
		}
		if p.claimed[h] && !p.stopped {
			p.got.Wait()
			continue
		}
		p.claimed[h] = false
		return nil, nil, false
	}
}

// release tells that the data take returned from s is no longer used.
func (p *prefetcher) release(s *slab) {
	p.mu.Lock()
	s.pending--
	if s.full && s.pending == 0 {
		p.recycle(s)
	}
	p.mu.Unlock()
}

func (p *prefetcher) recycle(s *slab) {
	s.buf, s.full = s.buf[:0], false
	p.free = append(p.free, s)
}

// seed asks for commits, the higher prio first.
func (p *prefetcher) seed(prio int64, hs ...plumbing.Hash) {
	p.mu.Lock()
	for _, h := range hs {
		p.seeds = append(p.seeds, prefetchItem{h, prio})
	}
	p.mu.Unlock()
	p.work.Signal()
}

// endChase turns chase mode off: from now on the worker decodes only the
// lists it is given.
func (p *prefetcher) endChase() {
	p.mu.Lock()
	p.chase = false
	p.queue = p.queue[:0]
	p.mu.Unlock()
}

// stop ends the worker and waits for it.
func (p *prefetcher) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.work.Broadcast()
	p.got.Broadcast()
	<-p.done
}

func (p *prefetcher) run() {
	defer close(p.done)
	var parents []plumbing.Hash
	for {
		p.mu.Lock()
		for !p.stopped && (p.chase && len(p.ready) >= prefetchLimit || len(p.queue) == 0 && len(p.seeds) == 0) {
			p.work.Wait()
		}
		if p.stopped {
			p.mu.Unlock()
			return
		}
		for _, s := range p.seeds {
			p.push(s)
		}
		p.seeds = p.seeds[:0]
		var h plumbing.Hash
		found, chase := false, p.chase
		for len(p.queue) > 0 {
			it := p.pop()
			if _, ok := p.claimed[it.h]; !ok {
				p.claimed[it.h] = true
				h, found = it.h, true
				break
			}
		}
		p.mu.Unlock()
		if !found {
			continue
		}
		typ, data, err := p.rd.read(h)
		if err != nil || typ != plumbing.CommitObject {
			p.mu.Lock()
			p.claimed[h] = false // the walk decodes it and reports the error
			p.mu.Unlock()
			p.got.Broadcast()
			continue
		}
		p.mu.Lock()
		own, sl := p.keep(data)
		p.mu.Unlock()
		var ctime int64
		if chase {
			parents, ctime = commitLinks(own, parents[:0])
		}
		p.mu.Lock()
		p.ready[h] = prefetched{own, sl}
		for _, ph := range parents {
			if _, ok := p.claimed[ph]; !ok && p.chase {
				p.push(prefetchItem{ph, ctime})
			}
		}
		p.mu.Unlock()
		p.got.Broadcast()
		parents = parents[:0]
	}
}

// keep copies data into the current slab (under mu).
func (p *prefetcher) keep(data []byte) ([]byte, *slab) {
	if p.cur == nil || len(p.cur.buf)+len(data) > cap(p.cur.buf) {
		if p.cur != nil {
			p.cur.full = true
			if p.cur.pending == 0 {
				p.recycle(p.cur)
			}
		}
		p.cur = nil
		if n := len(p.free); n > 0 && len(data) <= slabSize {
			p.cur, p.free = p.free[n-1], p.free[:n-1]
		} else {
			p.cur = &slab{buf: make([]byte, 0, max(slabSize, len(data)))}
		}
	}
	s := p.cur
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
			if parseHex(line[7:], &h) {
				parents = append(parents, h)
			}
		case bytes.HasPrefix(line, []byte("committer ")):
			return parents, parseSig(line[10:]).when
		}
	}
	return parents, 0
}

func (p *prefetcher) push(it prefetchItem) {
	p.queue = append(p.queue, it)
	q := p.queue
	j := len(q) - 1
	for j > 0 {
		i := (j - 1) / 2
		if q[i].prio >= q[j].prio {
			break
		}
		q[i], q[j] = q[j], q[i]
		j = i
	}
}

func (p *prefetcher) pop() prefetchItem {
	q := p.queue
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	j := 0
	for {
		l := 2*j + 1
		if l >= len(q) {
			break
		}
		m := l
		if r := l + 1; r < len(q) && q[r].prio > q[l].prio {
			m = r
		}
		if q[j].prio >= q[m].prio {
			break
		}
		q[j], q[m] = q[m], q[j]
		j = m
	}
	p.queue = q
	return top
}
