package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// maxLimitWaits bounds how often one request waits for a rate limit.
const maxLimitWaits = 3

// transport is the RoundTripper of a Client.
type transport struct {
	c *Client

	mu             sync.Mutex
	exhaustedUntil time.Time // primary quota known spent until then
	validated      map[string]time.Time
}

// RoundTrip sends req with the conditional cache, rate-limit handling and
// retries; see the package comment.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	ctx := req.Context()
	var key string
	var cached *entry
	if req.Method == http.MethodGet && req.Header.Get("If-None-Match") == "" &&
		req.Header.Get("If-Modified-Since") == "" && req.Header.Get("Range") == "" {
		key = cacheKey(req)
		cached, _ = c.cache.get(key)
	}
	if cached != nil && t.fresh(key) {
		c.Stats.cacheHits.Add(1)
		c.opt.Logger.Debug("http cache hit", "method", req.Method, "url", redact(req))
		return fromCache(req, cached, nil), nil
	}
	out := req.Clone(ctx)
	out.Header.Del(CacheIdentityHeader)
	if cached != nil {
		if cached.ETag != "" {
			out.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			out.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	resp, err := t.send(ctx, out)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		c.Stats.notModified.Add(1)
		drain(resp)
		t.markValidated(key)
		return fromCache(req, cached, resp.Header), nil
	case resp.StatusCode == http.StatusOK && key != "" &&
		(resp.Header.Get("ETag") != "" || resp.Header.Get("Last-Modified") != ""):
		body, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if rerr != nil {
			return nil, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		e := &entry{URL: redact(req), ETag: resp.Header.Get("ETag"),
			LastModified: resp.Header.Get("Last-Modified"), Header: storedHeader(resp.Header), Body: body}
		if perr := c.cache.put(key, e); perr != nil {
			c.opt.Logger.Debug("http cache write failed", "err", perr)
		}
		t.markValidated(key)
	}
	resp.Request = req
	return resp, nil
}

func (t *transport) fresh(key string) bool {
	if t.c.opt.Fresh <= 0 {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok := t.validated[key]
	return ok && t.c.opt.Now().Sub(at) < t.c.opt.Fresh
}

func (t *transport) markValidated(key string) {
	if t.c.opt.Fresh <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.validated == nil {
		t.validated = map[string]time.Time{}
	}
	t.validated[key] = t.c.opt.Now()
}

// send performs the attempts of one request: waits for spent quotas,
// rate-limit refusals and retries of 5xx and resets.
func (t *transport) send(ctx context.Context, req *http.Request) (*http.Response, error) {
	c := t.c
	st := c.Stats
	retries, waits := 0, 0
	for attempt := 0; ; attempt++ {
		if err := t.awaitQuota(ctx); err != nil {
			return nil, err
		}
		if attempt > 0 && req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = b
		}
		if err := c.opt.Budget.acquire(ctx); err != nil {
			return nil, err
		}
		st.total.Add(1)
		resp, err := c.attempt(ctx, req)
		c.opt.Budget.release()
		if err != nil {
			st.errors.Add(1)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var te *TimeoutError
			if errors.As(err, &te) {
				te.Attempts = retries + 1
			}
			if retries < c.opt.MaxRetries && retryable(req) && (transient(err) || te != nil) {
				retries++
				st.retries.Add(1)
				c.opt.Logger.Debug("http retry after transport error", "url", redact(req), "retry", retries)
				if err := c.sleep(ctx, c.backoff(retries)); err != nil {
					return nil, err
				}
				continue
			}
			return nil, err
		}
		counted := resp.StatusCode != http.StatusNotModified
		if counted {
			st.counted.Add(1)
			c.res.Load().spend()
		}
		c.opt.Budget.observe(resp.Header, c.opt.Dialect, counted)
		now := c.opt.Now()
		info := classifyLimit(resp, c.opt.Dialect, now)
		if info.limited {
			st.rateLimited.Add(1)
			drain(resp)
			reset := info.reset
			if info.secondary || reset.IsZero() {
				reset = now.Add(info.wait)
			}
			c.opt.Logger.Debug("http rate limited", "url", redact(req), "status", resp.StatusCode,
				"wait", info.wait, "secondary", info.secondary)
			if waits < maxLimitWaits && info.wait <= c.opt.MaxWait && rewindable(req) {
				waits++
				if err := c.sleep(ctx, info.wait); err != nil {
					return nil, err
				}
				continue
			}
			if !info.secondary {
				t.setExhausted(reset)
			}
			return nil, &RateLimitError{Reset: reset, Wait: info.wait, Secondary: info.secondary}
		}
		if resp.StatusCode >= 500 {
			st.errors.Add(1)
			if retries < c.opt.MaxRetries && retryable(req) {
				retries++
				st.retries.Add(1)
				d := c.backoff(retries)
				if ra, ok := retryAfter(resp.Header, now); ok && ra > d && ra <= c.opt.MaxWait {
					d = ra
				}
				drain(resp)
				c.opt.Logger.Debug("http retry after server error", "url", redact(req),
					"status", resp.StatusCode, "retry", retries)
				if err := c.sleep(ctx, d); err != nil {
					return nil, err
				}
				continue
			}
			return resp, nil
		}
		if resp.StatusCode >= 400 {
			st.errors.Add(1)
		}
		c.opt.Logger.Debug("http", "method", req.Method, "url", redact(req), "status", resp.StatusCode)
		if err := t.spentQuota(ctx, resp, info); err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// spentQuota handles a successful answer that says the primary quota is now
// spent: when the reset fits MaxWait it waits now and reports the renewed
// quota upward (so that an API library's own fast failure does not fire);
// otherwise it remembers the reset so that the next request fails fast.
func (t *transport) spentQuota(ctx context.Context, resp *http.Response, info limitInfo) error {
	if info.remaining != 0 || info.reset.IsZero() {
		return nil
	}
	c := t.c
	wait := info.reset.Sub(c.opt.Now())
	if wait <= 0 {
		return nil
	}
	if wait > c.opt.MaxWait {
		t.setExhausted(info.reset)
		return nil
	}
	if err := c.sleep(ctx, wait); err != nil {
		drain(resp)
		return err
	}
	_, _, limitH, remH := quota(resp.Header, c.opt.Dialect)
	if l := resp.Header.Get(limitH); l != "" {
		resp.Header.Set(remH, l)
	} else {
		resp.Header.Del(remH)
	}
	resp.Header.Set("X-Cdaudit-Waited-Seconds", strconv.Itoa(int(wait.Seconds())))
	return nil
}

func (t *transport) setExhausted(until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if until.After(t.exhaustedUntil) {
		t.exhaustedUntil = until
	}
}

// awaitQuota waits for a known-spent quota to renew, or fails fast.
func (t *transport) awaitQuota(ctx context.Context) error {
	t.mu.Lock()
	until := t.exhaustedUntil
	t.mu.Unlock()
	if until.IsZero() {
		return nil
	}
	if err := t.c.Wait(ctx, until); err != nil {
		var rl *RateLimitError
		if errors.As(err, &rl) {
			t.c.Stats.rateLimited.Add(1)
		}
		return err
	}
	t.mu.Lock()
	if !t.exhaustedUntil.After(until) {
		t.exhaustedUntil = time.Time{}
	}
	t.mu.Unlock()
	return nil
}

// backoff is the delay before retry n (1-based): exponential with jitter.
func (c *Client) backoff(n int) time.Duration {
	d := c.opt.BackoffBase
	for i := 1; i < n && d < c.opt.BackoffMax; i++ {
		d *= 2
	}
	if d > c.opt.BackoffMax {
		d = c.opt.BackoffMax
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// retryable reports an idempotent request whose body can be sent again.
func retryable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return rewindable(req)
	}
	return false
}

func rewindable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// transient reports connection resets and premature EOFs.
func transient(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE)
}

// fromCache builds the 200 answer of a cache entry; fresh holds the headers
// of the 304 that revalidated it (rate-limit headers, Date…), which win.
func fromCache(req *http.Request, e *entry, fresh http.Header) *http.Response {
	h := e.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for k, v := range fresh {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Content-Type", "Transfer-Encoding", "Link":
			continue
		}
		h[k] = v
	}
	h.Set("X-From-Cache", "1")
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(e.Body)),
		ContentLength: int64(len(e.Body)),
		Request:       req,
	}
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// redact renders the request URL without user info (tokens never travel in
// URLs here, but a caller's base URL might carry some).
func redact(req *http.Request) string {
	u := *req.URL
	u.User = nil
	return u.String()
}
