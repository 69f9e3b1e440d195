package github

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// OwnerNotFoundError reports an organisation or user that does not exist
// (or that the token cannot see). errors.Is(err, ErrNotFound) is true.
type OwnerNotFoundError struct{ Owner string }

func (e *OwnerNotFoundError) Error() string {
	return fmt.Sprintf("GitHub organisation or user %s not found (or the token cannot see it)", e.Owner)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *OwnerNotFoundError) Is(target error) bool { return target == ErrNotFound }

// ForbiddenError reports a listing the token may not read (403 that is not
// a rate limit): a classic token without read:org, a fine-grained token
// without the organisation's "Metadata" permission, SAML enforcement.
type ForbiddenError struct {
	Owner   string
	Message string // the server's message
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("GitHub refused to list the repositories of %s (403: %s): the token needs read:org (classic) or the organisation's Metadata read permission (fine-grained)",
		e.Owner, e.Message)
}

// DiscoverOptions configures Discover besides the connection.
type DiscoverOptions struct {
	// Owner is the organisation or user whose repositories are listed.
	Owner  string
	Filter collectors.Filter
	// Codeowners reads each kept repository's CODEOWNERS (.github/, the
	// root, docs/; up to three requests a repository, cached) for the team
	// label. Off by default: the listing alone is one request per 100
	// repositories.
	Codeowners bool
}

// Discover lists every repository of an organisation, or of a user (GET
// /users/{name} tells which), that passes the filter, sorted by full name.
// opt gives the connection (APIURL, Token, CacheDir, HTTP…); opt.Repo is
// ignored. Every listing goes through the HTTP layer, so a nightly
// re-listing of an unchanged organisation is answered by 304s. Errors:
// *OwnerNotFoundError, *ForbiddenError, *UnauthorizedError, or the HTTP
// layer's (rate limit, timeout).
func Discover(ctx context.Context, opt Options, d DiscoverOptions) ([]collectors.Discovered, error) {
	owner := strings.TrimSpace(d.Owner)
	if owner == "" || strings.Contains(owner, "/") {
		return nil, fmt.Errorf("github: organisation %q is not a single name", d.Owner)
	}
	if err := d.Filter.Check(); err != nil {
		return nil, fmt.Errorf("github: %w", err)
	}
	c, err := build(opt, owner, "")
	if err != nil {
		return nil, err
	}
	u, _, err := c.client.Users.Get(ctx, owner)
	if err != nil {
		return nil, c.discoverErr(owner, err)
	}
	var list []*gh.Repository
	for pageNo := 1; pageNo != 0; {
		var repos []*gh.Repository
		var resp *gh.Response
		lo := gh.ListOptions{PerPage: 100, Page: pageNo}
		if u.GetType() == "Organization" {
			repos, resp, err = c.client.Repositories.ListByOrg(ctx, owner, &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: lo})
		} else {
			repos, resp, err = c.client.Repositories.ListByUser(ctx, owner, &gh.RepositoryListByUserOptions{Type: "owner", ListOptions: lo})
		}
		if err != nil {
			return nil, c.discoverErr(owner, err)
		}
		list = append(list, repos...)
		if pageNo, err = nextPage(pageNo, resp); err != nil {
			return nil, fmt.Errorf("github: listing the repositories of %s: %w", owner, err)
		}
	}
	var out []collectors.Discovered
	for _, r := range list {
		dr := collectors.Discovered{FullPath: r.GetFullName(), DefaultBranch: r.GetDefaultBranch(), Language: r.GetLanguage(),
			Topics: r.Topics, Archived: r.GetArchived(), Fork: r.GetFork(), Disabled: r.GetDisabled()}
		if dr.FullPath == "" || !d.Filter.Keep(dr) {
			continue
		}
		if d.Codeowners {
			if dr.Team, err = c.codeownersTeam(ctx, dr.FullPath); err != nil {
				return nil, err
			}
		}
		out = append(out, dr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FullPath < out[j].FullPath })
	return out, nil
}

func (c *Collector) discoverErr(owner string, err error) error {
	switch {
	case isRateLimit(err) || httpx.IsTimeout(err):
		return fmt.Errorf("github: listing the repositories of %s: %w", owner, err)
	case status(err) == http.StatusNotFound:
		return &OwnerNotFoundError{Owner: owner}
	case isUnauthorized(err):
		return &UnauthorizedError{}
	case status(err) == http.StatusForbidden:
		var er *gh.ErrorResponse
		msg := "forbidden"
		if errors.As(err, &er) && er.Message != "" {
			msg = er.Message
		}
		return &ForbiddenError{Owner: owner, Message: msg}
	}
	return fmt.Errorf("github: listing the repositories of %s: %w", owner, err)
}

// codeownersPaths are where GitHub looks for CODEOWNERS, in its order.
var codeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// codeownersTeam reads the first CODEOWNERS GitHub would use and returns
// the team of its catch-all rule; "" when there is none. Only errors that
// stop every further request (rate limit, timeout, rejected token) are
// returned: an unreadable file only leaves the label empty.
func (c *Collector) codeownersTeam(ctx context.Context, full string) (string, error) {
	owner, name, _ := strings.Cut(full, "/")
	for _, p := range codeownersPaths {
		f, _, _, err := c.client.Repositories.GetContents(ctx, owner, name, p, nil)
		switch {
		case err != nil && (stops(err) || isUnauthorized(err)):
			return "", fmt.Errorf("github: reading CODEOWNERS of %s: %w", full, err)
		case err != nil || f == nil:
			continue
		}
		text, err := f.GetContent()
		if err != nil {
			return "", nil
		}
		return CodeownersTeam(text), nil
	}
	return "", nil
}

// CodeownersTeam returns the owner of the last catch-all rule (`*` or `/`,
// the one that applies to a file no other rule names) of a CODEOWNERS
// text: a team @org/team gives "team", a user @login gives "login", an
// e-mail address is kept as is. "" when no catch-all rule names an owner.
func CodeownersTeam(text string) string {
	team := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) < 2 || (f[0] != "*" && f[0] != "/" && f[0] != "/*" && f[0] != "/**") {
			continue
		}
		o := strings.TrimPrefix(f[1], "@")
		if _, t, ok := strings.Cut(o, "/"); ok {
			o = t
		}
		team = o
	}
	return team
}
