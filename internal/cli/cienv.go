package cli

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	gitcol "github.com/cdaudit/cdaudit/collectors/git"
)

// ciCheckout is what the CI system running cdaudit says about the clone
// it checked out: which CI (for the fixes a shallow or narrow clone is
// told with) and the trunk its variables name.
type ciCheckout struct {
	ci    string
	hints []gitcol.TrunkHint
}

// ciCheckoutOf reads the CI's own variables for a local clone at path. They
// apply only to the CI's workspace (GITHUB_WORKSPACE, CI_PROJECT_DIR,
// WORKSPACE) and what lies inside it: a mirror audited elsewhere from a CI
// job is not that checkout.
func (a *app) ciCheckoutOf(path string) ciCheckout {
	get := a.env.Getenv
	var c ciCheckout
	var workspace string
	hint := func(branch, source string) {
		if branch = strings.TrimSpace(branch); branch != "" && len(c.hints) == 0 {
			c.hints = append(c.hints, gitcol.TrunkHint{Branch: branch, Source: source})
		}
	}
	switch {
	case get("GITHUB_ACTIONS") == "true":
		c.ci, workspace = gitcol.CIGitHub, get("GITHUB_WORKSPACE")
		hint(get("GITHUB_BASE_REF"), "GITHUB_BASE_REF")
		if len(c.hints) == 0 {
			hint(eventDefaultBranch(get("GITHUB_EVENT_PATH")), "the event's repository.default_branch")
		}
	case get("GITLAB_CI") == "true":
		c.ci, workspace = gitcol.CIGitLab, get("CI_PROJECT_DIR")
		hint(get("CI_DEFAULT_BRANCH"), "CI_DEFAULT_BRANCH")
	case get("JENKINS_URL") != "" || get("JENKINS_HOME") != "":
		c.ci, workspace = gitcol.CIJenkins, get("WORKSPACE")
		hint(get("CHANGE_TARGET"), "CHANGE_TARGET")
	default:
		return c
	}
	if workspace != "" && !within(path, workspace) {
		return ciCheckout{}
	}
	return c
}

// eventDefaultBranch reads repository.default_branch from a GitHub Actions
// event file; "" when there is none or it cannot be read.
func eventDefaultBranch(file string) string {
	if file == "" {
		return ""
	}
	fh, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer fh.Close()
	var ev struct {
		Repository struct {
			DefaultBranch string `json:"default_branch"`
		} `json:"repository"`
	}
	if json.NewDecoder(io.LimitReader(fh, 64<<20)).Decode(&ev) != nil {
		return ""
	}
	return ev.Repository.DefaultBranch
}

// within reports whether path is dir or lies inside it.
func within(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	if e, err := filepath.EvalSymlinks(p); err == nil {
		p = e
	}
	if e, err := filepath.EvalSymlinks(d); err == nil {
		d = e
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
