package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimitError reports a rate limit whose wait did not fit Options.MaxWait.
// Reset is when the host expects to accept requests again (zero when it did
// not say), Wait how long that is from the moment of the refusal.
type RateLimitError struct {
	Reset     time.Time
	Wait      time.Duration
	Secondary bool // a secondary (abuse) limit rather than the primary quota
}

func (e *RateLimitError) Error() string {
	kind := "rate limit"
	if e.Secondary {
		kind = "secondary rate limit"
	}
	if e.Reset.IsZero() {
		return fmt.Sprintf("%s exceeded; retry after %s", kind, e.Wait.Round(time.Second))
	}
	return fmt.Sprintf("%s exceeded until %s (wait %s exceeds the maximum wait)",
		kind, e.Reset.UTC().Format(time.RFC3339), e.Wait.Round(time.Second))
}

// limitInfo is what a response says about rate limits.
type limitInfo struct {
	limited   bool // the response is a rate-limit refusal
	secondary bool // a secondary limit
	wait      time.Duration
	reset     time.Time // when the primary quota renews (zero if unknown)
	remaining int       // -1 when absent
}

// remainingHeaders returns the remaining/reset/limit header names in the
// order the dialect prefers.
func headerSets(dialect Dialect) [][3]string {
	gh := [3]string{"X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Limit"}
	gl := [3]string{"RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Limit"}
	if dialect == DialectGitLab {
		return [][3]string{gl, gh}
	}
	return [][3]string{gh, gl}
}

// quota reads the primary quota headers: remaining (-1 when absent) and the
// reset time.
func quota(h http.Header, dialect Dialect) (remaining int, reset time.Time, limitHeader string, remHeader string) {
	for _, set := range headerSets(dialect) {
		v := h.Get(set[0])
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			continue
		}
		if r, err := strconv.ParseInt(strings.TrimSpace(h.Get(set[1])), 10, 64); err == nil && r > 0 {
			reset = time.Unix(r, 0)
		}
		return n, reset, set[2], set[0]
	}
	return -1, time.Time{}, "", ""
}

// retryAfter parses a Retry-After header (seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		// Clamp before converting: a huge value would overflow into a
		// negative wait (found by FuzzResponseHeaders). 2³¹ s is 68 years,
		// far past any MaxWait.
		s = min(max(s, 0), 1<<31)
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// classifyLimit decides whether resp is a rate-limit refusal and how long to
// wait. GitHub: 403 or 429 with Retry-After, or with the quota at 0, or a 403
// whose message names a (secondary) rate limit (wait a minute, as GitHub
// documents). GitLab: 429 (Retry-After, else RateLimit-Reset).
func classifyLimit(resp *http.Response, dialect Dialect, now time.Time) limitInfo {
	info := limitInfo{remaining: -1}
	rem, reset, _, _ := quota(resp.Header, dialect)
	info.remaining, info.reset = rem, reset
	code := resp.StatusCode
	if code != http.StatusTooManyRequests && code != http.StatusForbidden {
		return info
	}
	ra, hasRA := retryAfter(resp.Header, now)
	switch {
	case hasRA:
		info.limited, info.wait = true, ra
		info.secondary = rem != 0
	case rem == 0 && !reset.IsZero():
		info.limited, info.wait = true, reset.Sub(now)
		if info.wait < 0 {
			info.wait = 0
		}
	case code == http.StatusTooManyRequests:
		info.limited, info.wait, info.secondary = true, time.Minute, true
	case mentionsRateLimit(resp):
		info.limited, info.wait, info.secondary = true, time.Minute, true
	}
	return info
}

// mentionsRateLimit peeks at a (small) 403 body for GitHub's secondary-limit
// message and restores the body for the caller.
func mentionsRateLimit(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), rest), rest}
	if err != nil {
		return false
	}
	s := strings.ToLower(string(b))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse detection") ||
		strings.Contains(s, "rate limit exceeded")
}
