package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/collectors"
)

// DiscoverOptions configures Discover besides the connection.
type DiscoverOptions struct {
	// Group is the group's full path (acme, acme/platform) or numeric id.
	Group string
	// IncludeSubgroups lists the projects of every subgroup too.
	IncludeSubgroups bool
	Filter           collectors.Filter
}

// Discover lists the projects of a group (not those shared with it) that
// pass the filter, sorted by path; each carries its group's full path as
// Team. opt gives the connection (BaseURL, Token, CacheDir…); opt.Project
// is ignored. Archived projects are left out by the server unless the
// filter keeps them. Errors wrap ErrNotFound (no such group, or the token
// cannot see it), ErrUnauthorized or ErrForbidden, or are the HTTP layer's
// (rate limit, timeout).
func Discover(ctx context.Context, opt Options, d DiscoverOptions) ([]collectors.Discovered, error) {
	group := strings.Trim(strings.TrimSpace(d.Group), "/")
	if group == "" {
		return nil, fmt.Errorf("gitlab: no group given (want a group path or a numeric id)")
	}
	if err := d.Filter.Check(); err != nil {
		return nil, fmt.Errorf("gitlab: %w", err)
	}
	opt.Project = group // New wants one; Discover never reads it
	c, err := New(opt)
	if err != nil {
		return nil, err
	}
	var gid any = group
	if n, err := strconv.ParseInt(group, 10, 64); err == nil {
		gid = n
	}
	lo := &gl.ListGroupProjectsOptions{ListOptions: gl.ListOptions{PerPage: perPage}, IncludeSubGroups: gl.Ptr(d.IncludeSubgroups),
		WithShared: gl.Ptr(false)}
	if !d.Filter.Archived {
		lo.Archived = gl.Ptr(false)
	}
	projects, err := listAll(ctx, "group projects", func(opts ...gl.RequestOptionFunc) ([]*gl.Project, *gl.Response, error) {
		return c.api.Groups.ListGroupProjects(gid, lo, opts...)
	})
	if err != nil {
		switch codeOf(err) {
		case http.StatusNotFound:
			return nil, fmt.Errorf("%w: group %q at %s does not exist or this token cannot see it", ErrNotFound, group, c.web)
		case http.StatusUnauthorized:
			return nil, fmt.Errorf("%w: %s refused the token (missing, expired or revoked?)", ErrUnauthorized, c.web)
		case http.StatusForbidden:
			return nil, fmt.Errorf("%w: this token may not list the projects of group %q (it needs read_api)", ErrForbidden, group)
		}
		return nil, err
	}
	var out []collectors.Discovered
	for _, p := range projects {
		if p == nil || p.PathWithNamespace == "" {
			continue
		}
		dp := collectors.Discovered{FullPath: p.PathWithNamespace, DefaultBranch: p.DefaultBranch, Topics: p.Topics,
			Archived: p.Archived, Fork: p.ForkedFromProject != nil}
		if p.Namespace != nil {
			dp.Team = p.Namespace.FullPath
		}
		if d.Filter.Keep(dp) {
			out = append(out, dp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FullPath < out[j].FullPath })
	return out, nil
}
