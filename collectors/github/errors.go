package github

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// ErrNotFound is matched (errors.Is) by the error for a repository that does
// not exist or that the token cannot see.
var ErrNotFound = errors.New("github: repository not found")

// ErrUnauthorized is matched (errors.Is) by the error for a rejected token.
var ErrUnauthorized = errors.New("github: token rejected")

// NotFoundError reports an unknown repository (404).
type NotFoundError struct{ Repo string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("repository %s not found (or the token cannot see it)", e.Repo)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// UnauthorizedError reports a rejected token (401).
type UnauthorizedError struct{}

func (e *UnauthorizedError) Error() string { return "GitHub rejected the token (401)" }

// Is makes errors.Is(err, ErrUnauthorized) true.
func (e *UnauthorizedError) Is(target error) bool { return target == ErrUnauthorized }

// status returns the HTTP status of a go-github error (0 when none).
func status(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

func isUnauthorized(err error) bool {
	return status(err) == http.StatusUnauthorized || errors.Is(err, ErrUnauthorized)
}

// stops reports an error after which further requests are pointless: a
// rate limit beyond the maximum wait or a host that stopped answering.
func stops(err error) bool { return isRateLimit(err) || httpx.IsTimeout(err) }

// isRateLimit reports a rate limit from the HTTP layer or from go-github's
// own bookkeeping.
func isRateLimit(err error) bool {
	var a *httpx.RateLimitError
	var b *gh.RateLimitError
	var c *gh.AbuseRateLimitError
	return errors.As(err, &a) || errors.As(err, &b) || errors.As(err, &c)
}

func rateLimitText(err error) string {
	var a *httpx.RateLimitError
	var b *gh.RateLimitError
	switch {
	case errors.As(err, &a):
		return a.Error()
	case errors.As(err, &b):
		return fmt.Sprintf("rate limit exceeded until %s", b.Rate.Reset.UTC().Format(time.RFC3339))
	}
	return "secondary rate limit exceeded"
}
