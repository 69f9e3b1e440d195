package cli

import (
	"net/url"
	"strings"
	"sync"
	"unicode"

	ghcol "github.com/cdaudit/cdaudit/collectors/github"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// budgetFor returns the request budget of an API origin and token, shared
// by every target of the run (nil when the URL does not parse: the
// collector then refuses it with its own error).
func (h hostFlags) budgetFor(origin, token string) *httpx.Budget {
	u, err := url.Parse(origin)
	if err != nil || h.budgets == nil {
		return nil
	}
	return h.budgets.For(u, token)
}

// pickToken returns one token of several (separated by commas or white
// space in the variable or the file): the one whose budget has the most
// left, round-robin while unknown, so that a fleet spreads over the
// tokens' separate quotas. One token is returned as it is.
func (h hostFlags) pickToken(origin, tok string) string {
	toks := strings.FieldsFunc(tok, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	u, err := url.Parse(origin)
	if len(toks) < 2 || err != nil {
		return tok
	}
	i, _ := h.budgets.Pick(u, toks)
	return toks[i]
}

// withoutDeferred returns rep without its deferred targets: they were not
// audited, so the store keeps their last audit as their latest.
func withoutDeferred(rep *model.Report) *model.Report {
	n := 0
	for i := range rep.Targets {
		if !rep.Targets[i].IsDeferred() {
			n++
		}
	}
	if n == len(rep.Targets) {
		return rep
	}
	out := *rep
	out.Targets = make([]model.TargetResult, 0, n)
	for _, t := range rep.Targets {
		if !t.IsDeferred() {
			out.Targets = append(out.Targets, t)
		}
	}
	return &out
}

// appFlags are --github-app-id and --github-app-key-file; the App is built
// once and shared by the targets of a run (its tokens serve them all).
type appFlags struct {
	id, keyFile string
	once        sync.Once
	app         *ghcol.App
	err         error
}

// githubAuth returns the GitHub credential of repo ("OWNER/REPO"; "OWNER/"
// for a discovery): the token, or the App when --github-app-id is given,
// and the credential that names the target's request budget (the token,
// or the App and the account, whose installation has a quota of its own).
func (a *app) githubAuth(h hostFlags, repo string) (tok string, app *ghcol.App, budgetCred string, err error) {
	if h.app == nil || (h.app.id == "" && h.app.keyFile == "") {
		tok, err = a.token(h.githubTokenFile, "GITHUB_TOKEN")
		tok = h.pickToken(firstNonEmpty(h.githubAPI, ghcol.DefaultAPIURL), tok)
		return tok, nil, tok, err
	}
	f := h.app
	f.once.Do(func() {
		if f.id == "" || f.keyFile == "" {
			f.err = usageErr("--github-app-id and --github-app-key-file go together")
			return
		}
		pemText, err := readTokenFile(f.keyFile)
		if err != nil {
			f.err = usageErr("--github-app-key-file: %w", err)
			return
		}
		key, err := ghcol.ParseAppKey([]byte(pemText))
		if err != nil {
			f.err = usageErr("--github-app-key-file %s: %w", f.keyFile, err)
			return
		}
		f.app, f.err = ghcol.NewApp(ghcol.AppOptions{ID: f.id, Key: key, APIURL: h.githubAPI})
		if f.err != nil {
			f.err = usageErr("--github-app-id: %w", f.err)
		}
	})
	if f.err != nil {
		return "", nil, "", f.err
	}
	owner, _, _ := strings.Cut(repo, "/")
	return "", f.app, "github-app:" + f.id + ":" + strings.ToLower(owner), nil
}
