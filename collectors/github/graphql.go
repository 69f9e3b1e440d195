package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shurcooL/githubv4"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// GraphQL batches the per-item requests of a first audit or a large
// catch-up: the details of pull requests (reviews, commits, files), the
// statuses of deployments and the jobs of workflow runs are read for many
// items at once through nodes(ids:), using the node ids the REST listings
// give. Listings stay on REST (conditional requests keep repeats cheap), and
// so do small batches, items whose connections overflow one GraphQL page,
// and whole audits where the endpoint is unavailable (an old Enterprise
// Server: 404/403), which fall back to REST with one warning. Both paths give
// the same evidence.
const (
	// gqlMinBatch is the fewest items worth a GraphQL query; fewer take
	// the REST path.
	gqlMinBatch = 1
	// gqlMinDeployments is the fewest deployment outcomes read through
	// GraphQL: outcomes not final yet are asked again by every audit, and
	// a few of them cost nothing on REST (304s), one query on GraphQL.
	gqlMinDeployments = 10
	// gqlPulls pull requests a query: 3 connections of 100 each, 99
	// requests, 1 point.
	gqlPulls = 33
	// gqlDeployments deployments a query: 1 point.
	gqlDeployments = 100
	// gqlRuns runs a query with gqlJobsPerRun check runs each: GitHub
	// counts 1 + gqlJobsPerRun requests a run (the steps connection of each
	// check run), 900 for 100 runs, 9 points.
	gqlRuns       = 100
	gqlJobsPerRun = 8
)

// gqlRate is the rateLimit every query asks for.
type gqlRate struct {
	Cost      int
	Remaining int
	ResetAt   time.Time
}

// gqlState is the GraphQL client of one audit.
type gqlState struct {
	client *githubv4.Client
	off    bool
	status atomic.Int32 // HTTP status of the last answer
	rate   gqlRate
}

// graphQLURL is the GraphQL endpoint beside a REST base:
// https://api.github.com/graphql, or https://HOST/api/graphql for
// Enterprise Server (not under /api/v3/).
func graphQLURL(base *url.URL) string {
	u := *base
	if p, ok := strings.CutSuffix(u.Path, "/api/v3/"); ok {
		u.Path = p + "/api/graphql"
	} else {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/graphql"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// statusRecorder notes the HTTP status of each answer (shurcooL/graphql
// reports a non-200 answer as a plain error).
type statusRecorder struct {
	base http.RoundTripper
	st   *gqlState
}

func (t statusRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if resp != nil {
		t.st.status.Store(int32(resp.StatusCode))
	}
	return resp, err
}

// graphQL returns the audit's GraphQL client, or nil when GraphQL is off
// (disabled, no token: GitHub's GraphQL API needs one, or unavailable).
func (a *audit) graphQL() *gqlState {
	c := a.c
	if c.opt.NoGraphQL || !c.authenticated() {
		return nil
	}
	if a.gql == nil {
		st := &gqlState{}
		hc := c.http.Authorized(credentials(c.opt, c.base, c.owner, c.name))
		hc.Transport = statusRecorder{base: hc.Transport, st: st}
		st.client = githubv4.NewEnterpriseClient(graphQLURL(c.base), hc)
		a.gql = st
	}
	if a.gql.off {
		return nil
	}
	return a.gql
}

// query runs one GraphQL query. An error it returns ends the step (context,
// rate limit, rejected token); any other failure turns GraphQL off for the
// rest of the audit with one warning and returns errGraphQLOff, after which
// the caller takes the REST path.
func (a *audit) query(ctx context.Context, g *gqlState, q any, vars map[string]any) error {
	g.status.Store(0)
	err := g.client.Query(ctx, q, vars)
	if err == nil {
		return nil
	}
	switch st := int(g.status.Load()); {
	case ctx.Err() != nil:
		return ctx.Err()
	case isRateLimit(err) || httpx.IsTimeout(err):
		return err
	case st == http.StatusUnauthorized:
		return &UnauthorizedError{}
	case st != 0 && st != http.StatusOK:
		a.warn(fmt.Sprintf("the GraphQL API is unavailable (HTTP %d); using the REST API for the rest of this audit", st))
	default:
		a.warn("a GraphQL query failed (" + oneLine(err.Error()) + "); using the REST API for the rest of this audit")
	}
	g.off = true
	return errGraphQLOff
}

// errGraphQLOff says GraphQL was turned off; the caller uses REST.
var errGraphQLOff = errors.New("github: GraphQL turned off")

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// ids turns node ids into the query variable.
func ids(nodes []string) []githubv4.ID {
	out := make([]githubv4.ID, len(nodes))
	for i, n := range nodes {
		out[i] = githubv4.ID(n)
	}
	return out
}

// batches splits n items into runs of size.
func batches(n, size int) [][2]int {
	var out [][2]int
	for i := 0; i < n; i += size {
		out = append(out, [2]int{i, min(i+size, n)})
	}
	return out
}
