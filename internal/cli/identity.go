package cli

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	gitconfig "github.com/go-git/go-git/v5/config"

	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/model"
)

// identityOf is what a target is: a local clone by its origin URL (else
// its absolute path), a host by its API URL and repository or project, a
// Jenkins job by its URL and name. The display name is only a label.
func identityOf(t config.Target, h hostFlags) *model.Identity {
	switch {
	case t.Path != "":
		return &model.Identity{Kind: "git", Location: cloneLocation(t.Path)}
	case t.GitHub != "":
		api := strings.TrimRight(firstNonEmpty(h.githubAPI, "https://api.github.com"), "/")
		return &model.Identity{Kind: "github", Location: api + "/" + strings.ToLower(strings.TrimSpace(t.GitHub))}
	case t.GitLab != "":
		base := strings.TrimRight(firstNonEmpty(h.gitlabURL, "https://gitlab.com"), "/")
		return &model.Identity{Kind: "gitlab", Location: base + "/" + strings.Trim(strings.TrimSpace(t.GitLab), "/")}
	case t.Jenkins != nil:
		return &model.Identity{Kind: "jenkins", Location: strings.TrimRight(t.Jenkins.URL, "/") + "/" + t.Jenkins.Job}
	}
	return nil
}

// cloneLocation is the remote origin URL of the clone at path, without
// credentials, or else its absolute path.
func cloneLocation(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	if u := originURL(abs); u != "" {
		return remoteLocation(u)
	}
	return abs
}

// remoteLocation is a remote URL as HOST/PATH, whatever the protocol and
// without credentials, so that a CI's token clone (https://gitlab-ci-token:…@host/g/p.git)
// and a developer's SSH clone (git@host:g/p.git) are the same target.
func remoteLocation(raw string) string {
	s := strings.TrimSpace(raw)
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = strings.ToLower(u.Hostname()) + "/" + strings.TrimLeft(u.Path, "/")
	} else if at, rest, ok := strings.Cut(s, ":"); ok && !strings.Contains(at, "/") {
		// scp-like: [user@]host:path
		if i := strings.LastIndexByte(at, '@'); i >= 0 {
			at = at[i+1:]
		}
		s = strings.ToLower(at) + "/" + strings.TrimLeft(rest, "/")
	} else {
		return httpx.RedactURL(s) // a local path or something else: as given
	}
	return strings.TrimSuffix(strings.TrimRight(s, "/"), ".git")
}

// originURL reads remote.origin.url from the clone's config: a work tree's
// .git (directory or gitdir: file, through commondir), or a bare clone.
func originURL(path string) string {
	gitDir := path
	dot := filepath.Join(path, ".git")
	if fi, err := os.Stat(dot); err == nil && fi.IsDir() {
		gitDir = dot
	} else if b, err := os.ReadFile(dot); err == nil {
		if rest, ok := strings.CutPrefix(string(bytes.TrimSpace(b)), "gitdir:"); ok {
			gitDir = strings.TrimSpace(rest)
			if !filepath.IsAbs(gitDir) {
				gitDir = filepath.Join(path, gitDir)
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		gitDir = common
	}
	fh, err := os.Open(filepath.Join(gitDir, "config"))
	if err != nil {
		return ""
	}
	defer fh.Close()
	cfg, err := gitconfig.ReadConfig(fh)
	if err != nil {
		return ""
	}
	if r, ok := cfg.Remotes["origin"]; ok && len(r.URLs) > 0 {
		return r.URLs[0]
	}
	return ""
}
