package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Default timeouts. DefaultTimeout bounds one whole attempt of a request
// (connection, TLS, headers and body); the phase timeouts are capped at it.
const (
	DefaultTimeout               = 60 * time.Second
	DefaultDialTimeout           = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 30 * time.Second
)

// TimeoutError reports a request whose attempts all timed out: a host that
// accepted the connection and did not answer, or stalled in the body.
type TimeoutError struct {
	Method, URL string // URL without user information
	After       time.Duration
	Attempts    int
	Cause       string // what timed out, e.g. "net/http: timeout awaiting response headers"
}

func (e *TimeoutError) Error() string {
	// http.Client wraps it in a *url.Error that names the method and URL.
	return fmt.Sprintf("no complete answer within %s (%d attempt(s)): %s", e.After, e.Attempts, e.Cause)
}

// Timeout marks the error as a timeout (like net.Error).
func (e *TimeoutError) Timeout() bool { return true }

// IsTimeout reports a *TimeoutError in err's chain.
func IsTimeout(err error) bool {
	var te *TimeoutError
	return errors.As(err, &te)
}

func capAt(d, max time.Duration) time.Duration {
	if d > max {
		return max
	}
	return d
}

// withTimeouts returns base with the phase timeouts set where it is an
// *http.Transport that leaves them unset (a clone; base is not changed).
func withTimeouts(base http.RoundTripper, attempt time.Duration, ownDialer bool) http.RoundTripper {
	t, ok := base.(*http.Transport)
	if !ok || t == nil {
		return base
	}
	t = t.Clone()
	if ownDialer {
		t.DialContext = (&net.Dialer{Timeout: capAt(DefaultDialTimeout, attempt), KeepAlive: 30 * time.Second}).DialContext
	}
	if t.TLSHandshakeTimeout <= 0 || t.TLSHandshakeTimeout > attempt {
		t.TLSHandshakeTimeout = capAt(DefaultTLSHandshakeTimeout, attempt)
	}
	if t.ResponseHeaderTimeout <= 0 || t.ResponseHeaderTimeout > attempt {
		t.ResponseHeaderTimeout = capAt(DefaultResponseHeaderTimeout, attempt)
	}
	return t
}

// attempt sends req once, within the per-attempt timeout, and reads the
// whole body inside it: a body that stalls is the attempt's failure, which
// the caller may retry, rather than a hang of whoever reads it later.
func (c *Client) attempt(ctx context.Context, req *http.Request) (*http.Response, error) {
	actx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	resp, err := c.opt.Base.RoundTrip(req.WithContext(actx))
	if err == nil {
		err = buffer(resp)
	}
	if err != nil && ctx.Err() == nil && (actx.Err() != nil || isNetTimeout(err)) {
		cause := err.Error()
		if actx.Err() != nil {
			cause = "the attempt timed out"
		}
		return nil, &TimeoutError{Method: req.Method, URL: redact(req), After: c.opt.Timeout, Cause: cause}
	}
	return resp, err
}

// buffer reads resp's body into memory and closes the original.
func buffer(resp *http.Response) error {
	var b bytes.Buffer
	if n := resp.ContentLength; n > 0 && n < 64<<20 {
		b.Grow(int(n))
	}
	_, err := io.Copy(&b, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b.Bytes()))
	return nil
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
