package collectors

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Filter selects the repositories (GitHub) or projects (GitLab) that an
// organisation- or group-wide discovery turns into targets. The zero Filter
// keeps every active repository that is not a fork or archived.
type Filter struct {
	// Include, when not empty, keeps only repositories matching one of these
	// globs; Exclude drops those matching any. A glob with a "/" is matched
	// against the full path (acme/svc-*, acme/*/api); one without against
	// the repository's own name (svc-*). `*` and `?` never cross a "/"
	// (path.Match).
	Include, Exclude []string
	// Topics, when not empty, keeps only repositories carrying at least one
	// of these topics (GitHub topics, GitLab topics), compared without case.
	Topics []string
	// Archived and Forks keep archived repositories and forks, left out by
	// default. Disabled GitHub repositories are always left out.
	Archived, Forks bool
}

// Check reports a malformed glob.
func (f Filter) Check() error {
	for _, g := range append(slices.Clone(f.Include), f.Exclude...) {
		if _, err := path.Match(g, ""); err != nil || g == "" {
			return fmt.Errorf("glob %q is malformed", g)
		}
	}
	return nil
}

// Keep reports whether a discovered repository passes the filter.
func (f Filter) Keep(r Discovered) bool {
	switch {
	case r.Disabled, r.Archived && !f.Archived, r.Fork && !f.Forks:
		return false
	case len(f.Include) > 0 && !matchAny(f.Include, r.FullPath):
		return false
	case matchAny(f.Exclude, r.FullPath):
		return false
	}
	if len(f.Topics) == 0 {
		return true
	}
	for _, want := range f.Topics {
		for _, t := range r.Topics {
			if strings.EqualFold(want, t) {
				return true
			}
		}
	}
	return false
}

func matchAny(globs []string, full string) bool {
	name := full[strings.LastIndex(full, "/")+1:]
	for _, g := range globs {
		subject := full
		if !strings.Contains(g, "/") {
			subject = name
		}
		if ok, _ := path.Match(strings.ToLower(g), strings.ToLower(subject)); ok {
			return true
		}
	}
	return false
}

// Discovered is one repository or project found by a discovery, with what
// the listing says about it.
type Discovered struct {
	// FullPath is OWNER/REPO on GitHub, group/sub/project on GitLab.
	FullPath      string
	DefaultBranch string
	Language      string // GitHub's primary language; "" on GitLab
	Topics        []string
	Archived      bool
	Fork          bool
	Disabled      bool
	// Team is the owning team: the first team of the CODEOWNERS catch-all
	// rule on GitHub (when asked for), the group path on GitLab; "" if none.
	Team string
}
