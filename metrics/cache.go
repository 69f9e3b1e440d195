package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"golang.org/x/sync/singleflight"
)

// Defaults of the caches of `cdaudit serve`.
const (
	// DefaultCheckEvery is how often the store's change token is read at
	// most: a flood of requests reads it once per interval, not per request.
	DefaultCheckEvery = 2 * time.Second
	// DefaultMaxReads bounds the renders and gathers reading the store at once.
	DefaultMaxReads = 2
	// renderTimeout bounds one render or gather; it is detached from the
	// request that started it, since every request waiting on it shares it.
	renderTimeout = 30 * time.Second
)

// tokens reads a store-change token at most once per interval and shares
// the answer (or the error) with every caller until the interval is over.
type tokens struct {
	read  func(ctx context.Context) (string, error)
	every time.Duration
	now   func() time.Time
	sf    singleflight.Group

	mu  sync.Mutex
	tok string
	err error
	at  time.Time // when tok/err was read; zero: never
}

func (t *tokens) get(ctx context.Context) (string, error) {
	t.mu.Lock()
	if !t.at.IsZero() && t.now().Sub(t.at) < t.every {
		tok, err := t.tok, t.err
		t.mu.Unlock()
		return tok, err
	}
	t.mu.Unlock()
	v, err, _ := t.sf.Do("", func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		tok, err := t.read(rctx)
		t.mu.Lock()
		t.tok, t.err, t.at = tok, err, t.now()
		t.mu.Unlock()
		return tok, err
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// limiter bounds concurrent store reads; a nil limiter does not.
type limiter chan struct{}

func (l limiter) acquire(ctx context.Context) error {
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for a store reader: %w", ctx.Err())
	}
}

func (l limiter) release() { <-l }

// page is a rendered report: its bytes, gzipped once, and their ETag.
type page struct {
	token string
	body  []byte
	gz    []byte
	etag  string // of body; the gzipped bytes carry etag+"-gz"
}

func newPage(token string, body []byte) (*page, error) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return &page{token: token, body: body, gz: gz.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
}

func (p *page) gzETag() string { return p.etag[:len(p.etag)-1] + `-gz"` }

// pageCache keeps the latest rendered report and renders it again only
// when the store's change token moved. Concurrent misses render once.
type pageCache struct {
	render func(ctx context.Context, w io.Writer) error
	tokens *tokens // nil: no token, render on every request
	lim    limiter
	sf     singleflight.Group
	cur    atomic.Pointer[page]
}

// get returns the page for the store as it is now. When the token cannot
// be read, the last page rendered is served rather than none.
func (c *pageCache) get(ctx context.Context) (*page, error) {
	tok := ""
	if c.tokens != nil {
		t, err := c.tokens.get(ctx)
		cur := c.cur.Load()
		switch {
		case err != nil && cur != nil:
			return cur, nil
		case err == nil && cur != nil && cur.token == t:
			return cur, nil
		}
		tok = t
	}
	v, err, _ := c.sf.Do(tok, func() (any, error) {
		if cur := c.cur.Load(); c.tokens != nil && cur != nil && cur.token == tok {
			return cur, nil // rendered while this caller waited for the token
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), renderTimeout)
		defer cancel()
		if err := c.lim.acquire(rctx); err != nil {
			return nil, err
		}
		defer c.lim.release()
		var buf bytes.Buffer
		if err := c.render(rctx, &buf); err != nil {
			return nil, err
		}
		p, err := newPage(tok, buf.Bytes())
		if err != nil {
			return nil, err
		}
		if c.tokens != nil {
			c.cur.Store(p)
		}
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*page), nil
}

// cachedGatherer gathers the metric families once per store change and
// hands the same families to every scrape until the token moves. When the
// token cannot be read it gathers afresh (the collector then reports
// cdaudit_store_up 0), concurrent scrapes sharing one gather.
type cachedGatherer struct {
	g      prometheus.Gatherer
	tokens *tokens
	lim    limiter
	sf     singleflight.Group
	cur    atomic.Pointer[gathered]
}

type gathered struct {
	token string
	mfs   []*dto.MetricFamily
}

// Gather implements prometheus.Gatherer. The families returned are shared
// between scrapes: promhttp only reads them.
func (c *cachedGatherer) Gather() ([]*dto.MetricFamily, error) {
	ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
	defer cancel()
	tok, terr := c.tokens.get(ctx)
	if cur := c.cur.Load(); terr == nil && cur != nil && cur.token == tok {
		return cur.mfs, nil
	}
	key := "fresh:" + tok
	if terr != nil {
		key = "error" // never cached: the store is down or slow
	}
	v, err, _ := c.sf.Do(key, func() (any, error) {
		if cur := c.cur.Load(); terr == nil && cur != nil && cur.token == tok {
			return cur.mfs, nil
		}
		if err := c.lim.acquire(ctx); err != nil {
			return nil, err
		}
		defer c.lim.release()
		mfs, err := c.g.Gather()
		if err == nil && terr == nil {
			c.cur.Store(&gathered{token: tok, mfs: mfs})
		}
		return mfs, err
	})
	mfs, _ := v.([]*dto.MetricFamily)
	return mfs, err
}
