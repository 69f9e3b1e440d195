package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/argocd"
	"github.com/cdaudit/cdaudit/collectors/incidents"
	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/measure"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

// deliveryFlags select deployment records beside the hosts' and the
// incident trackers of a command-line target.
type deliveryFlags struct {
	deployTags                   string
	deployReleases               bool
	argocd, argocdApp, argocdEnv string
	argocdTokenFile              string
	incidentLabel                string
	gitlabIncidents              bool
	jira, jiraType, jiraProject  string
	jiraTokenFile                string
	hotfix                       string
}

func addDeliveryFlags(fl *pflag.FlagSet, d *deliveryFlags) {
	fl.StringVar(&d.deployTags, "deploy-tags", "", "count tags matching this glob (e.g. 'v*') as production deployments")
	fl.BoolVar(&d.deployReleases, "deploy-releases", false, "count GitHub/GitLab releases as production deployments")
	fl.StringVar(&d.argocd, "argocd", "", "Argo CD server URL whose application history holds deployments (token from $ARGOCD_TOKEN or --argocd-token-file)")
	fl.StringVar(&d.argocdApp, "argocd-app", "", "Argo CD application name")
	fl.StringVar(&d.argocdEnv, "argocd-env", "", "environment of the Argo CD application's deployments (default production)")
	fl.StringVar(&d.argocdTokenFile, "argocd-token-file", "", "file holding the Argo CD API token")
	fl.StringVar(&d.incidentLabel, "incident-label", "", "GitHub label of incident issues (needs --github)")
	fl.BoolVar(&d.gitlabIncidents, "gitlab-incidents", false, "read GitLab issues of type incident (needs --gitlab)")
	fl.StringVar(&d.jira, "jira", "", "Jira site URL whose issues are incidents (token from $JIRA_TOKEN or --jira-token-file, user from $JIRA_USER)")
	fl.StringVar(&d.jiraType, "jira-type", "", "Jira issue type of incidents (default Incident)")
	fl.StringVar(&d.jiraProject, "jira-project", "", "Jira project key of incidents")
	fl.StringVar(&d.jiraTokenFile, "jira-token-file", "", "file holding the Jira API token")
	fl.StringVar(&d.hotfix, "hotfix-pattern", "", "regular expression telling hotfix deployments (default \\bhot[-_ ]?fix(es)?\\b, case-insensitive)")
}

// applyDeliveryFlags puts the flags into a command-line target.
func applyDeliveryFlags(t *config.Target, d deliveryFlags) {
	if d.deployTags != "" {
		t.Deployments = append(t.Deployments, config.DeploymentSource{From: "tags", Pattern: d.deployTags})
	}
	if d.deployReleases {
		t.Deployments = append(t.Deployments, config.DeploymentSource{From: "releases"})
	}
	if d.argocd != "" || d.argocdApp != "" {
		t.Deployments = append(t.Deployments, config.DeploymentSource{From: "argocd", URL: d.argocd,
			Application: d.argocdApp, Environment: d.argocdEnv})
	}
	if d.incidentLabel != "" {
		t.Incidents = append(t.Incidents, config.IncidentSource{From: "github", Label: d.incidentLabel})
	}
	if d.gitlabIncidents {
		t.Incidents = append(t.Incidents, config.IncidentSource{From: "gitlab"})
	}
	if d.jira != "" {
		t.Incidents = append(t.Incidents, config.IncidentSource{From: "jira", URL: d.jira, Type: d.jiraType, Project: d.jiraProject})
	}
}

// deployFrom is what measure derives deployments from for a target.
func deployFrom(t config.Target) (measure.DeployFrom, error) {
	var f measure.DeployFrom
	for _, d := range t.Deployments {
		switch d.From {
		case "tags":
			if err := measure.ValidTagGlob(d.Pattern); err != nil {
				return f, usageErr("--deploy-tags %q: %w", d.Pattern, err)
			}
			f.Tags = d.Pattern
		case "releases":
			f.Releases = true
		}
	}
	return f, nil
}

// deliveryOptions sets the measure options of the delivery evidence.
func deliveryOptions(mopt *measure.Options, t config.Target, cfg *config.Config, h hostFlags) error {
	var err error
	if mopt.DeployFrom, err = deployFrom(t); err != nil {
		return err
	}
	mopt.HotfixPattern, mopt.IncidentWindow = cfg.HotfixPattern, cfg.IncidentWindow
	if h.dl.hotfix != "" {
		re, err := regexp.Compile(h.dl.hotfix)
		if err != nil {
			return usageErr("--hotfix-pattern: %w", err)
		}
		mopt.HotfixPattern = re
	}
	return nil
}

// deliveryCollectors builds the Argo CD and incident collectors of a target.
func (a *app) deliveryCollectors(t config.Target, h hostFlags) ([]collectors.Collector, error) {
	var cols []collectors.Collector
	for _, d := range t.Deployments {
		if d.From != "argocd" {
			continue
		}
		if d.URL == "" || d.Application == "" {
			return nil, usageErr("--argocd and --argocd-app go together: give both")
		}
		if err := a.checkAPIURL("--argocd", d.URL, h); err != nil {
			return nil, err
		}
		tok, err := a.token(h.dl.argocdTokenFile, "ARGOCD_TOKEN")
		if err != nil {
			return nil, err
		}
		c, err := argocd.New(argocd.Options{BaseURL: d.URL, Application: d.Application, AppNamespace: d.AppNamespace,
			Environment: d.Environment, Token: tok, CacheDir: a.cacheDir(h), MaxWait: h.maxWait, Timeout: h.httpTimeout,
			InsecureHTTP: h.insecureHTTP, Logger: a.log})
		if err != nil {
			return nil, usageErr("--argocd: %w", err)
		}
		cols = append(cols, c)
	}
	for _, s := range t.Incidents {
		o := incidents.Options{Source: s.From, Label: s.Label, IssueType: s.Type, Project: s.Project,
			CacheDir: a.cacheDir(h), MaxWait: h.maxWait, Timeout: h.httpTimeout, InsecureHTTP: h.insecureHTTP, Logger: a.log}
		var err error
		switch s.From {
		case "github":
			if t.GitHub == "" {
				return nil, usageErr("--incident-label needs --github")
			}
			o.Repo, o.BaseURL = t.GitHub, firstNonEmpty(h.githubAPI, "https://api.github.com")
			o.Token, err = a.token(h.githubTokenFile, "GITHUB_TOKEN")
			o.Token = h.pickToken(o.BaseURL, o.Token) // one of several tokens
		case "gitlab":
			if t.GitLab == "" {
				return nil, usageErr("--gitlab-incidents needs --gitlab")
			}
			o.Repo, o.BaseURL = t.GitLab, firstNonEmpty(h.gitlabURL, "https://gitlab.com")
			o.Token, err = a.token(h.gitlabTokenFile, "GITLAB_TOKEN")
			o.Token = h.pickToken(o.BaseURL, o.Token) // one of several tokens
		case "jira":
			if err = a.checkAPIURL("--jira", s.URL, h); err == nil {
				o.BaseURL, o.User = s.URL, a.env.Getenv("JIRA_USER")
				o.Token, err = a.token(h.dl.jiraTokenFile, "JIRA_TOKEN")
			}
		}
		if err != nil {
			return nil, err
		}
		c, err := incidents.New(o)
		if err != nil {
			return nil, usageErr("incidents: %w", err)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// recordedSource hands the deployments recorded in the store to the audit.
type recordedSource struct{ deps []model.Deployment }

func (r recordedSource) Kind() string { return "recorded-deployments" }

func (r recordedSource) Collect(_ context.Context, ev *model.Evidence) (collectors.Result, error) {
	ev.Deployments = append(ev.Deployments, r.deps...)
	ev.Mark(model.KindDeployments)
	return collectors.Result{}, nil
}

// recordedCollector returns a source of the target's recorded deployments,
// nil when there is no store or none is recorded.
func (a *app) recordedCollector(ctx context.Context, st *store.Store, target string) collectors.Collector {
	if st == nil {
		return nil
	}
	deps, err := st.Deployments(ctx, target, time.Time{})
	if err != nil {
		a.log.Warn("recorded deployments unavailable", "target", target, "err", err)
		return nil
	}
	if len(deps) == 0 {
		return nil
	}
	return recordedSource{deps: deps}
}

// recordDeploymentCmd keeps one deployment in the store for the next audits.
func (a *app) recordDeploymentCmd() *cobra.Command {
	var sf storeFlags
	var target, env, sha, status, ref, url, at string
	cmd := &cobra.Command{
		Use:   "record-deployment [PATH] --env ENV --sha SHA --status STATUS",
		Short: "Record a deployment in the store, for pipelines that deploy with something no host records",
		Long: "Record a deployment in the history store; every later audit of the target that uses the store counts it " +
			"(deployment frequency, lead time, change failure rate). The target is --target, else the name `cdaudit audit PATH` gives it.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := target
			if name == "" {
				p := "."
				if len(args) == 1 {
					p = args[0]
				}
				name = targetName(p)
			}
			when := time.Now().UTC()
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return usageErr("--at %q: want an RFC 3339 time such as 2026-05-01T10:00:00Z", at)
				}
				when = t.UTC()
			}
			d := model.Deployment{Environment: env, SHA: strings.TrimSpace(sha), Status: status, Ref: ref, URL: url, CreatedAt: when}
			if err := store.CheckDeployment(name, d); err != nil {
				return usageErr("%s", strings.TrimPrefix(err.Error(), store.ErrBadDeployment.Error()+": "))
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx, sf, "")
			if err != nil {
				return err
			}
			defer st.Close()
			id, err := st.RecordDeployment(ctx, name, d)
			if errors.Is(err, store.ErrBadDeployment) {
				return usageErr("%w", err)
			}
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "recorded deployment %d of %s to %s: %s %s\n", id, oneLine(name), oneLine(env), d.SHA, status)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&target, "target", "", "target name as audits report it (default: the name of PATH's directory)")
	fl.StringVar(&env, "env", "", "environment deployed to, e.g. production (required)")
	fl.StringVar(&sha, "sha", "", "commit deployed, 7 to 64 hex digits (required)")
	fl.StringVar(&status, "status", "", "outcome: success, failure or error (required)")
	fl.StringVar(&ref, "ref", "", "tag or branch deployed (optional; a hotfix pattern match marks a hotfix)")
	fl.StringVar(&url, "url", "", "link to the deployment's log (optional)")
	fl.StringVar(&at, "at", "", "when it was deployed, RFC 3339 (default now)")
	fl.StringVar(&sf.dsn, "store", "", "audit history store: a SQLite path or postgres:// URL (default $CDAUDIT_STORE or "+defaultStoreHint()+")")
	return cmd
}
