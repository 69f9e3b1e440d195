// Package httpx is the HTTP layer the API collectors (GitHub, GitLab) share:
// a caching transport for conditional requests (ETag / Last-Modified, 304
// answered from a disk cache), retries with backoff on 5xx and resets,
// rate-limit handling (primary and secondary limits, Retry-After) bounded by
// a maximum wait, and request counting by outcome. It also keeps the small
// per-repository incremental state (State) that lets a nightly audit ask only
// for what changed.
//
// The stack below an API client is, outermost first: counting and the
// conditional cache, then rate limits and retries, then Options.Base. Tokens
// travel in headers only; nothing here logs or stores a header value (the
// cache key holds a hash of the Authorization identity, never the token).
// Client.Authorized puts a credential layer on top that sends the token to
// the configured origin only, never after a redirect to another host. Every
// attempt is bounded by Options.Timeout, its body read included.
//
// Import rules: model only (of cdaudit) and the standard library; never
// os/exec.
package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Dialect names a host's rate-limit headers. A source's descriptor
// (collectors.Descriptor) declares it; httpx reads both dialects' headers
// either way, the dialect decides which is read first.
type Dialect string

// Dialects of rate-limit headers.
const (
	DialectGitHub Dialect = "github" // X-RateLimit-Remaining / X-RateLimit-Reset, 403/429 + Retry-After
	DialectGitLab Dialect = "gitlab" // RateLimit-Remaining / RateLimit-Reset, 429 + Retry-After
)

// Options configures a Client.
type Options struct {
	// CacheDir keeps the HTTP cache between runs (in CacheDir/http); ""
	// keeps it in memory for the Client's lifetime.
	CacheDir string
	// MaxWait is the longest the client waits for a rate-limit reset or a
	// Retry-After; a longer wait fails the request with *RateLimitError.
	// Zero means never wait.
	MaxWait time.Duration
	// MaxRetries bounds retries of 5xx answers and connection resets of
	// idempotent requests; 0 means the default (3), a negative value none.
	MaxRetries int
	// Dialect names the host's rate-limit headers: DialectGitHub (the
	// default, also for "") or DialectGitLab. Both dialects' headers are
	// understood either way; the dialect decides which is read first.
	Dialect Dialect
	// Base is the transport below (nil: http.DefaultTransport clone). Tests
	// and private CAs set it.
	Base http.RoundTripper
	// Logger receives debug lines; it never sees tokens. Nil discards.
	Logger *slog.Logger
	// Sleep replaces the real wait in tests; nil uses a timer. Either way a
	// cancelled context ends the wait with ctx.Err().
	Sleep func(d time.Duration)
	// Now replaces time.Now (tests; rate-limit resets are computed from it).
	Now func() time.Time
	// BackoffBase is the first retry delay (default 500ms); each further
	// retry doubles it, up to BackoffMax (default 30s), with jitter.
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// Fresh lets the client answer a GET from the cache without asking the
	// server when this Client validated the same entry less than Fresh ago
	// (a CacheHit). Zero always revalidates.
	Fresh time.Duration
	// Timeout bounds one attempt of a request, body included (0:
	// DefaultTimeout). When Base is an *http.Transport (or nil), its dial,
	// TLS handshake and response-header timeouts are set too (the defaults,
	// capped at Timeout). A timed-out idempotent request is retried like a
	// reset; when the retries are spent it fails with *TimeoutError.
	Timeout time.Duration
	// Budget is the shared budget of this host and credential (nil: none):
	// it bounds the requests in flight and learns the remaining quota from
	// every answer; see Client.Reserve.
	Budget *Budget
}

// Client is an *http.Client with the shared behaviour and its counters.
type Client struct {
	HTTP  *http.Client
	Stats *Stats

	opt   Options
	cache cache
	res   atomic.Pointer[Reservation]
}

// New builds a Client.
func New(opt Options) (*Client, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	ownDialer := opt.Base == nil
	if opt.Base == nil {
		opt.Base = http.DefaultTransport
	}
	opt.Base = withTimeouts(opt.Base, opt.Timeout, ownDialer)
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 3
	}
	if opt.MaxRetries < 0 {
		opt.MaxRetries = 0
	}
	if opt.BackoffBase <= 0 {
		opt.BackoffBase = 500 * time.Millisecond
	}
	if opt.BackoffMax <= 0 {
		opt.BackoffMax = 30 * time.Second
	}
	if opt.Dialect == "" {
		opt.Dialect = DialectGitHub
	}
	c, err := newCache(opt.CacheDir)
	if err != nil {
		return nil, err
	}
	cl := &Client{Stats: &Stats{}, opt: opt, cache: c}
	cl.HTTP = &http.Client{Transport: &transport{c: cl}}
	return cl, nil
}

// Reserve books n counted requests against Options.Budget for this
// Client's next collection (see Budget.Reserve; host names it in the
// error); the Client's counted requests spend the booking until Settle.
// Without a Budget it does nothing.
func (c *Client) Reserve(n int, host string) error {
	r, err := c.opt.Budget.Reserve(n, host)
	if err != nil {
		return err
	}
	if old := c.res.Swap(r); old != nil {
		old.Release()
	}
	return nil
}

// Settle returns the unspent part of the Client's booking.
func (c *Client) Settle() {
	if r := c.res.Swap(nil); r != nil {
		r.Release()
	}
}

// Budget returns Options.Budget (nil when none).
func (c *Client) Budget() *Budget { return c.opt.Budget }

// Transport returns the client's RoundTripper, for API libraries that take a
// transport rather than an *http.Client.
func (c *Client) Transport() http.RoundTripper { return c.HTTP.Transport }

// Wait sleeps d through the client's sleeper if d fits MaxWait, honouring
// ctx; a longer wait returns *RateLimitError at once. Collectors use it when
// an API library reports a limit itself (e.g. go-github's fast failure).
func (c *Client) Wait(ctx context.Context, reset time.Time) error {
	d := reset.Sub(c.opt.Now())
	if d <= 0 {
		return nil
	}
	if d > c.opt.MaxWait {
		return &RateLimitError{Reset: reset, Wait: d}
	}
	return c.sleep(ctx, d)
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.opt.Sleep != nil {
		c.opt.Sleep(d)
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Stats counts requests by outcome; safe for concurrent use.
//
// Total counts every request sent to the server (retries included); Counted
// those that count against the host's primary limit (every answered request
// except 304s); NotModified the 304s answered from the cache; CacheHits the
// requests answered from the cache without asking the server; Errors the
// attempts that failed (transport errors and 4xx/5xx answers other than rate
// limits); Retries the repeated attempts after 5xx or resets; RateLimited
// the answers that were rate limits plus the requests refused locally
// because the limit was known to be spent.
type Stats struct {
	total, counted, notModified, cacheHits, errors, retries, rateLimited atomic.Int64
}

// Snapshot returns the counts so far.
func (s *Stats) Snapshot() model.RequestStats {
	return model.RequestStats{
		Total:       int(s.total.Load()),
		Counted:     int(s.counted.Load()),
		NotModified: int(s.notModified.Load()),
		CacheHits:   int(s.cacheHits.Load()),
		Errors:      int(s.errors.Load()),
		Retries:     int(s.retries.Load()),
		RateLimited: int(s.rateLimited.Load()),
	}
}

// Since returns the counts accumulated since an earlier snapshot.
func (s *Stats) Since(before model.RequestStats) model.RequestStats {
	now := s.Snapshot()
	return model.RequestStats{
		Total:       now.Total - before.Total,
		Counted:     now.Counted - before.Counted,
		NotModified: now.NotModified - before.NotModified,
		CacheHits:   now.CacheHits - before.CacheHits,
		Errors:      now.Errors - before.Errors,
		Retries:     now.Retries - before.Retries,
		RateLimited: now.RateLimited - before.RateLimited,
	}
}
