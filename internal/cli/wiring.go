package cli

import (
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/cdaudit/cdaudit/collectors"
	gitcol "github.com/cdaudit/cdaudit/collectors/git"
	ghcol "github.com/cdaudit/cdaudit/collectors/github"
	glcol "github.com/cdaudit/cdaudit/collectors/gitlab"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/config"
)

// hostFlags select and configure the Git-host sources.
type hostFlags struct {
	github, githubTokenFile, githubAPI string
	gitlab, gitlabTokenFile, gitlabURL string
	caFile                             string
	cacheDir                           string
	maxWait                            time.Duration
	httpTimeout                        time.Duration
	insecureHTTP                       bool
	budgets                            *httpx.Budgets // one per host and token, shared by the targets of a run
	app                                *appFlags      // a GitHub App instead of a token
	ci                                 ciFlags
	dl                                 deliveryFlags
	warned                             *warnOnce // shared by the copies of one run
	// srcs is the run's list of sources (sources.go); refs and urls hold
	// the flags of the sources wired from their descriptors, by config key.
	srcs       []collectors.Descriptor
	refs, urls map[string]*string
}

func addHostFlags(fl *pflag.FlagSet, h *hostFlags) {
	fl.StringVar(&h.github, "github", "", "GitHub repository OWNER/REPO (token from $GITHUB_TOKEN or --github-token-file)")
	fl.StringVar(&h.githubTokenFile, "github-token-file", "", "file holding the GitHub token")
	fl.StringVar(&h.githubAPI, "github-api-url", "", "GitHub API base, used as given (Enterprise: https://HOST/api/v3/)")
	fl.StringVar(&h.gitlab, "gitlab", "", "GitLab project GROUP/PROJECT or numeric id (token from $GITLAB_TOKEN or --gitlab-token-file)")
	fl.StringVar(&h.gitlabTokenFile, "gitlab-token-file", "", "file holding the GitLab token")
	fl.StringVar(&h.gitlabURL, "gitlab-url", "", "GitLab instance URL for self-managed GitLab (default https://gitlab.com)")
	fl.StringVar(&h.caFile, "ca-file", "", "PEM file of extra root certificates (a private CA) for GitLab")
	fl.StringVar(&h.cacheDir, "cache-dir", "", "HTTP cache and incremental state for API sources (default: the user cache dir)")
	fl.DurationVar(&h.maxWait, "max-wait", 2*time.Minute, "longest wait for an API rate limit; longer limits stop that source as partial")
	fl.DurationVar(&h.httpTimeout, "http-timeout", httpx.DefaultTimeout, "longest API request attempt, body included; a host that stays silent stops that source as partial")
	fl.BoolVar(&h.insecureHTTP, "insecure-http", false, "allow http:// API URLs to hosts other than loopback (the token travels unencrypted)")
	h.budgets = &httpx.Budgets{}
	h.app = &appFlags{}
	fl.StringVar(&h.app.id, "github-app-id", "", "authenticate as this GitHub App (its `ID`) instead of a token, with --github-app-key-file")
	fl.StringVar(&h.app.keyFile, "github-app-key-file", "", "the GitHub App's private key (PEM `FILE`, chmod 600)")
	fl.IntVar(&h.budgets.Concurrency, "host-concurrency", 8, "most API requests in flight per host and token, shared by every target of the run")
	addCIFlags(fl, &h.ci)
	addDeliveryFlags(fl, &h.dl)
	h.warned = &warnOnce{}
}

// token reads a token from a file (trimmed) or the environment. It is never
// logged or printed.
func (a *app) token(file, env string) (string, error) {
	if file != "" {
		return readTokenFile(file)
	}
	return a.env.Getenv(env), nil
}

func (a *app) cacheDir(h hostFlags) string {
	if h.cacheDir != "" {
		return h.cacheDir
	}
	if d := a.env.Getenv("CDAUDIT_CACHE_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "cdaudit")
}

// collectorsFor builds the collectors of a target in the order of the list
// of sources (sources.go): the local clone first (it is the richest source
// of history), then hosts; the audit picks the providers of each kind.
func (a *app) collectorsFor(t config.Target, h hostFlags, prog *progress) ([]collectors.Collector, error) {
	var cols []collectors.Collector
	if h.httpTimeout <= 0 && (t.GitHub != "" || t.GitLab != "" || t.Jenkins != nil) {
		return nil, usageErr("--http-timeout %s: want a positive duration", h.httpTimeout)
	}
	if t.Path != "" {
		ci := a.ciCheckoutOf(t.Path)
		cols = append(cols, gitcol.New(t.Path, gitcol.Options{Branch: t.Branch, TrunkHints: ci.hints, CI: ci.ci,
			Logger: a.log, Progress: prog.step}))
	}
	if t.GitHub != "" {
		if err := a.checkAPIURL("--github-api-url", h.githubAPI, h); err != nil {
			return nil, err
		}
		tok, app, cred, err := a.githubAuth(h, t.GitHub)
		if err != nil {
			return nil, err
		}
		c, err := ghcol.New(ghcol.Options{Repo: t.GitHub, Token: tok, App: app, APIURL: h.githubAPI, CacheDir: a.cacheDir(h),
			MaxWait: h.maxWait, Timeout: h.httpTimeout, InsecureHTTP: h.insecureHTTP, Logger: a.log,
			Budget: h.budgetFor(firstNonEmpty(h.githubAPI, ghcol.DefaultAPIURL), cred)})
		if err != nil {
			return nil, usageErr("--github: %w", err)
		}
		cols = append(cols, c)
	}
	if t.GitLab != "" {
		if err := a.checkAPIURL("--gitlab-url", h.gitlabURL, h); err != nil {
			return nil, err
		}
		tok, err := a.token(h.gitlabTokenFile, "GITLAB_TOKEN")
		if err != nil {
			return nil, err
		}
		tok = h.pickToken(firstNonEmpty(h.gitlabURL, glcol.DefaultBaseURL), tok)
		c, err := glcol.New(glcol.Options{Project: t.GitLab, Token: tok, BaseURL: h.gitlabURL, CAFile: h.caFile,
			CacheDir: a.cacheDir(h), MaxWait: h.maxWait, Timeout: h.httpTimeout, InsecureHTTP: h.insecureHTTP,
			Logger: a.log, Budget: h.budgetFor(firstNonEmpty(h.gitlabURL, glcol.DefaultBaseURL), tok)})
		if err != nil {
			return nil, usageErr("--gitlab: %w", err)
		}
		cols = append(cols, c)
	}
	ci, err := a.ciCollectors(t, h)
	if err != nil {
		return nil, err
	}
	cols = append(cols, ci...)
	dl, err := a.deliveryCollectors(t, h)
	if err != nil {
		return nil, err
	}
	cols = append(cols, dl...)
	gen, err := a.genericCollectors(t, h)
	if err != nil {
		return nil, err
	}
	cols = append(cols, gen...)
	if len(cols) == 0 {
		return nil, usageErr("target %q has no source: give a PATH, --github, --gitlab or --jenkins", t.Name)
	}
	return cols, nil
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
