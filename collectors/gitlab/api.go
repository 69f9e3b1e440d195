package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// perPage is GitLab's maximum page size.
const perPage = 100

// maxPages bounds one listing (100 000 items) against a server that never
// stops paging.
const maxPages = 1000

// StatusError is an API answer other than success, with the endpoint that
// gave it (never the token).
type StatusError struct {
	What   string // what was being read, e.g. "pipelines"
	Status int
	Err    error
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("gitlab: %s: HTTP %d: %v", e.What, e.Status, e.Err)
}

func (e *StatusError) Unwrap() error { return e.Err }

// status returns the HTTP status of a failed call, 0 when there was none.
func status(resp *gl.Response, err error) int {
	if resp != nil && resp.Response != nil && resp.StatusCode >= 300 {
		return resp.StatusCode
	}
	if errors.Is(err, gl.ErrNotFound) {
		return http.StatusNotFound
	}
	var er *gl.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// wrap turns a client-go error into one callers can branch on: 401 →
// ErrUnauthorized, a rate limit or a cancelled context as is, any other
// status → *StatusError.
func wrap(what string, resp *gl.Response, err error) error {
	if err == nil {
		return nil
	}
	var rl *httpx.RateLimitError
	if errors.As(err, &rl) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("gitlab: %s: %w", what, err)
	}
	switch code := status(resp, err); code {
	case 0:
		return fmt.Errorf("gitlab: %s: %w", what, err)
	case http.StatusUnauthorized:
		return fmt.Errorf("%w (%s: check the token)", ErrUnauthorized, what)
	default:
		return &StatusError{What: what, Status: code, Err: err}
	}
}

// codeOf returns the HTTP status carried by an error from wrap (0 if none).
func codeOf(err error) int {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	if errors.Is(err, ErrUnauthorized) {
		return http.StatusUnauthorized
	}
	return 0
}

// unavailable reports an answer that means "not on this tier / feature
// off / not visible to this token" (403 or 404).
func unavailable(err error) bool {
	c := codeOf(err)
	return c == http.StatusForbidden || c == http.StatusNotFound
}

// fatal reports an error after which no further request makes sense: a
// refused token, an exhausted rate limit, a host that stopped answering, a
// cancelled context.
func fatal(err error) bool {
	var rl *httpx.RateLimitError
	return errors.Is(err, ErrUnauthorized) || errors.As(err, &rl) || httpx.IsTimeout(err) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// listAll reads every page of a listing, following the keyset "next" link
// where the server sends one and X-Next-Page otherwise.
func listAll[T any](ctx context.Context, what string, call func(opts ...gl.RequestOptionFunc) ([]T, *gl.Response, error)) ([]T, error) {
	return listUntil(ctx, what, call, nil)
}

// listUntil is listAll that stops after the page for which done (if not
// nil) returns true: for listings sorted newest first.
func listUntil[T any](ctx context.Context, what string, call func(opts ...gl.RequestOptionFunc) ([]T, *gl.Response, error), done func(page []T) bool) ([]T, error) {
	var out []T
	opts := []gl.RequestOptionFunc{gl.WithContext(ctx)}
	for page := 0; ; page++ {
		if page >= maxPages {
			return out, fmt.Errorf("gitlab: %s: more than %d pages", what, maxPages)
		}
		items, resp, err := call(opts...)
		if err != nil {
			return out, wrap(what, resp, err)
		}
		out = append(out, items...)
		next, ok := gl.WithNext(resp)
		if !ok || len(items) == 0 || (done != nil && done(items)) {
			return out, nil
		}
		opts = []gl.RequestOptionFunc{gl.WithContext(ctx), next}
	}
}

// getJSON reads one API path (relative to /api/v4/) into v: for payloads
// whose nulls client-go's types would turn into zeros.
func (c *Collector) getJSON(ctx context.Context, what, path string, query any, v any) (*gl.Response, error) {
	req, err := c.api.NewRequest(http.MethodGet, path, query, []gl.RequestOptionFunc{gl.WithContext(ctx)})
	if err != nil {
		return nil, fmt.Errorf("gitlab: %s: %w", what, err)
	}
	resp, err := c.api.Do(req, v)
	return resp, wrap(what, resp, err)
}

// listJSON is listAll for getJSON paths.
func listJSON[T any](ctx context.Context, c *Collector, what, path string, query any) ([]T, error) {
	return listAll(ctx, what, func(opts ...gl.RequestOptionFunc) ([]T, *gl.Response, error) {
		req, err := c.api.NewRequest(http.MethodGet, path, query, opts)
		if err != nil {
			return nil, nil, err
		}
		var page []T
		resp, err := c.api.Do(req, &page)
		return page, resp, err
	})
}

// projectPath is the escaped project segment for getJSON paths.
func (c *Collector) projectPath() string {
	switch v := c.projectRef().(type) {
	case int64:
		return fmt.Sprintf("projects/%d", v)
	default:
		return "projects/" + gl.PathEscape(fmt.Sprint(v))
	}
}
