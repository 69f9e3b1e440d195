package gitlab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// GraphQL batches the per-item requests of a first audit or a large
// catch-up: the details of merge requests (approvals, commits, diff stats)
// are read 50 at a time through project.mergeRequests(iids:), and the
// details of pipelines (durations, jobs, test report summary) a page of 50
// at a time through project.pipelines(updatedAfter:). Listings stay on REST
// (their watermarks keep repeats cheap), and so do small batches, items
// whose connections overflow one GraphQL page, and whole audits where
// /api/graphql is unavailable (404/403/5xx) or answers errors, which fall
// back to REST with one warning. Both paths give the same evidence (the
// parity test TestGraphQLParity), with two documented limits: GraphQL has
// no closes_issues field, so the issues an MR closes are still read through
// REST for each MR whose title, description or commit messages reference an
// issue; and CiJob.duration is whole seconds.
const (
	// gqlMinBatch is the fewest items worth a GraphQL query; fewer take
	// the REST path (a repeat audit's few changed items, the small scenario
	// of docs/benchmarks.md's GitLab table).
	gqlMinBatch = 5
	// gqlMRs merge requests a query.
	gqlMRs = 50
	// gqlPipes pipelines a page (each with up to 100 jobs).
	gqlPipes = 50
)

// errGraphQLOff says GraphQL was turned off; the caller uses REST.
var errGraphQLOff = errors.New("gitlab: GraphQL turned off")

// graphQLOn reports whether this audit may use GraphQL.
func (r *run) graphQLOn() bool {
	return !r.c.opt.NoGraphQL && !r.gqlOff && r.c.project != nil && r.c.project.PathWithNamespace != ""
}

// gqlError is one entry of a GraphQL answer's "errors".
type gqlError struct {
	Message string `json:"message"`
}

// query posts one GraphQL query to /api/graphql and decodes its data into
// out. An error it returns ends the step (context, rate limit, rejected
// token, timeout); any other failure turns GraphQL off for the rest of the
// audit with one warning and returns errGraphQLOff, after which the caller
// takes the REST path.
func (r *run) query(ctx context.Context, q string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return fmt.Errorf("gitlab: GraphQL query: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.c.web+"/api/graphql", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("gitlab: GraphQL query: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "cdaudit")
	resp, err := r.c.hc.Do(req)
	if err != nil {
		var rl *httpx.RateLimitError
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, &rl) || httpx.IsTimeout(err):
			return err
		}
		return r.graphQLOff(fmt.Sprintf("a GraphQL request failed (%s)", oneLine(err.Error())))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return r.graphQLOff(fmt.Sprintf("a GraphQL answer could not be read (%s)", oneLine(err.Error())))
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w (GraphQL: check the token)", ErrUnauthorized)
	case resp.StatusCode != http.StatusOK:
		return r.graphQLOff(fmt.Sprintf("the GraphQL API is unavailable (HTTP %d)", resp.StatusCode))
	}
	var ans struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return r.graphQLOff("a GraphQL answer is not JSON")
	}
	if len(ans.Errors) > 0 {
		return r.graphQLOff(fmt.Sprintf("a GraphQL query failed (%s)", oneLine(ans.Errors[0].Message)))
	}
	if err := json.Unmarshal(ans.Data, out); err != nil {
		return r.graphQLOff(fmt.Sprintf("a GraphQL answer has an unexpected shape (%s)", oneLine(err.Error())))
	}
	return nil
}

// graphQLOff warns once and turns GraphQL off for the rest of the audit.
func (r *run) graphQLOff(why string) error {
	r.gqlOff = true
	r.warn(why + "; using the REST API for the rest of this audit")
	return errGraphQLOff
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// gidNumber returns the number at the end of a global id
// ("gid://gitlab/Ci::Build/123" → "123").
func gidNumber(gid string) string {
	return gid[strings.LastIndexByte(gid, '/')+1:]
}

// batches splits n items into runs of size.
func batches(n, size int) [][2]int {
	var out [][2]int
	for i := 0; i < n; i += size {
		out = append(out, [2]int{i, min(i+size, n)})
	}
	return out
}
