package cli

import (
	"context"
	"errors"

	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/collectors"
	ghcol "github.com/cdaudit/cdaudit/collectors/github"
	glcol "github.com/cdaudit/cdaudit/collectors/gitlab"
	"github.com/cdaudit/cdaudit/config"
)

// discoverFlags expand an organisation or group into targets and pick a
// shard of the targets.
type discoverFlags struct {
	githubOrg, gitlabGroup   string
	include, exclude, topics []string
	archived, forks          bool
	subgroups, codeowners    bool
	shard                    string
}

func addDiscoverFlags(fl *pflag.FlagSet, d *discoverFlags) {
	fl.StringVar(&d.githubOrg, "github-org", "", "audit every repository of this GitHub organisation or user")
	fl.StringVar(&d.gitlabGroup, "gitlab-group", "", "audit every project of this GitLab group (path or id)")
	fl.StringSliceVar(&d.include, "include", nil, "with --github-org/--gitlab-group: keep only repositories matching these globs (OWNER/REPO, or the name alone)")
	fl.StringSliceVar(&d.exclude, "exclude", nil, "with --github-org/--gitlab-group: leave out repositories matching these globs")
	fl.StringSliceVar(&d.topics, "topic", nil, "with --github-org/--gitlab-group: keep only repositories with one of these topics")
	fl.BoolVar(&d.archived, "archived", false, "with --github-org/--gitlab-group: keep archived repositories too")
	fl.BoolVar(&d.forks, "forks", false, "with --github-org/--gitlab-group: keep forks too")
	fl.BoolVar(&d.subgroups, "include-subgroups", false, "with --gitlab-group: the projects of its subgroups too")
	fl.BoolVar(&d.codeowners, "codeowners", false, "with --github-org: read each repository's CODEOWNERS for the team label (up to 3 requests each)")
	fl.StringVar(&d.shard, "shard", "", "audit only shard I of N (I/N, 0 ≤ I < N) of the targets, by a stable hash of each target's sources")
}

// expand turns the plan's discovery entries (and --github-org /
// --gitlab-group) into one target per repository, then keeps the --shard.
// Explicit targets come first and win over a discovered repository with
// the same sources. A listing that fails (unknown organisation, refused
// token, missing scope) fails the run with one line (exit 2).
func (a *app) expand(ctx context.Context, p *plan, f *auditFlags) error {
	d := f.discover
	shard, err := config.ParseShard(d.shard)
	if err != nil {
		return usageErr("--shard: %w", err)
	}
	if d.githubOrg != "" || d.gitlabGroup != "" {
		if f.hosts.github != "" || f.hosts.gitlab != "" || d.githubOrg != "" && d.gitlabGroup != "" {
			return usageErr("give one of --github-org, --gitlab-group, --github, --gitlab")
		}
		disc := &config.Discovery{Host: "github", Owner: d.githubOrg, Include: d.include, Exclude: d.exclude, Topics: d.topics,
			Archived: d.archived, Forks: d.forks, Codeowners: d.codeowners}
		if d.gitlabGroup != "" {
			disc.Host, disc.Owner, disc.IncludeSubgroups, disc.Codeowners = "gitlab", d.gitlabGroup, d.subgroups, false
		}
		p.targets = []config.Target{{Name: disc.String(), Discover: disc, Branch: f.branch, Thresholds: p.cfg.Thresholds}}
	}
	var explicit, out []config.Target
	seen := map[string]bool{}
	for _, t := range p.targets {
		if t.Discover == nil {
			explicit = append(explicit, t)
			seen[t.Identity()] = true
		}
	}
	out = append(out, explicit...)
	for _, t := range p.targets {
		if t.Discover == nil {
			continue
		}
		repos, err := a.discover(ctx, t.Discover, p.hosts)
		if err != nil {
			return err
		}
		a.log.Info("discovered", "entry", t.Discover.String(), "repositories", len(repos))
		for _, r := range repos {
			nt := t.Discovered(r.FullPath, map[string]string{"team": r.Team, "language": r.Language})
			if id := nt.Identity(); !seen[id] {
				seen[id] = true
				out = append(out, nt)
			}
		}
	}
	if len(out) == 0 {
		return usageErr("no repository passes the filters of %s", p.targets[0].Name)
	}
	p.targets = shard.Pick(out)
	if shard.Count > 1 {
		a.log.Info("shard", "shard", d.shard, "targets", len(p.targets), "of", len(out))
	}
	if len(p.targets) == 0 {
		return usageErr("%w: shard %s holds none of the %d targets", errEmptyShard, d.shard, len(out))
	}
	return nil
}

// errEmptyShard: the shard holds no target. audit treats it as nothing to
// do (exit 0), so that one pod of a sharded job with more shards than
// targets succeeds.
var errEmptyShard = errors.New("nothing to audit")

// discover lists one entry's repositories through the same HTTP layer,
// cache and token rules as the collectors.
func (a *app) discover(ctx context.Context, d *config.Discovery, h hostFlags) ([]collectors.Discovered, error) {
	if h.httpTimeout <= 0 {
		return nil, usageErr("--http-timeout %s: want a positive duration", h.httpTimeout)
	}
	filter := collectors.Filter{Include: d.Include, Exclude: d.Exclude, Topics: d.Topics, Archived: d.Archived, Forks: d.Forks}
	if d.Host == "github" {
		if err := a.checkAPIURL("--github-api-url", h.githubAPI, h); err != nil {
			return nil, err
		}
		tok, app, _, err := a.githubAuth(h, d.Owner+"/")
		if err != nil {
			return nil, err
		}
		opt := ghcol.Options{Token: tok, App: app, APIURL: h.githubAPI, CacheDir: a.cacheDir(h), MaxWait: h.maxWait, Timeout: h.httpTimeout,
			InsecureHTTP: h.insecureHTTP, Logger: a.log}
		repos, err := ghcol.Discover(ctx, opt, ghcol.DiscoverOptions{Owner: d.Owner, Filter: filter, Codeowners: d.Codeowners})
		if err != nil {
			return nil, usageErr("%s: %w", d, err)
		}
		return repos, nil
	}
	if err := a.checkAPIURL("--gitlab-url", h.gitlabURL, h); err != nil {
		return nil, err
	}
	tok, err := a.token(h.gitlabTokenFile, "GITLAB_TOKEN")
	if err != nil {
		return nil, err
	}
	tok = h.pickToken(firstNonEmpty(h.gitlabURL, glcol.DefaultBaseURL), tok) // one of several tokens
	opt := glcol.Options{Token: tok, BaseURL: h.gitlabURL, CAFile: h.caFile, CacheDir: a.cacheDir(h), MaxWait: h.maxWait,
		Timeout: h.httpTimeout, InsecureHTTP: h.insecureHTTP, Logger: a.log}
	repos, err := glcol.Discover(ctx, opt, glcol.DiscoverOptions{Group: d.Owner, IncludeSubgroups: d.IncludeSubgroups, Filter: filter})
	if err != nil {
		return nil, usageErr("%s: %w", d, err)
	}
	return repos, nil
}
