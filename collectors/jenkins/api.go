package jenkins

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// StatusError is a non-2xx answer.
type StatusError struct {
	What string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.What, e.Code, http.StatusText(e.Code))
}

func codeOf(err error) int {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// fatal errors end the collection: the credentials or the job are wrong,
// or ctx ended.
func fatal(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	c := codeOf(err)
	return c == http.StatusUnauthorized || c == http.StatusForbidden
}

// maxBody bounds one answer (a 1,000-build page is well under it).
const maxBody = 64 << 20

// getJSON GETs root+path with the tree parameter (if any) into v.
func (c *Collector) getJSON(ctx context.Context, what, path, tree string, v any) error {
	u := c.root + path
	if tree != "" {
		u += "?tree=" + url.QueryEscape(tree)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return &StatusError{What: what, Code: resp.StatusCode}
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: unreadable JSON (is %s a Jenkins?): %w", what, c.root, err)
	}
	return nil
}
