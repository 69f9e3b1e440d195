package config

import (
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cdaudit/cdaudit/measure"
)

// DeploymentSource is one entry of a target's `deployments:`: where its
// deployments are recorded besides the Git host. From is "tags" (Pattern,
// a glob), "releases" (the GitHub or GitLab releases), or "argocd" (URL,
// Application, AppNamespace, Environment; token from ARGOCD_TOKEN).
type DeploymentSource struct {
	From         string
	Pattern      string
	URL          string
	Application  string
	AppNamespace string
	Environment  string
}

// IncidentSource is one entry of a target's `incidents:`. From is
// "github" (Label, default incident; the target's repository), "gitlab"
// (issues of type incident of the target's project) or "jira" (URL, Type,
// default Incident, Project; token from JIRA_TOKEN, user from JIRA_USER).
type IncidentSource struct {
	From    string
	Label   string
	URL     string
	Type    string
	Project string
}

// deployments parses `deployments:`: one mapping or a list of them.
func (p *parser) deployments(n *yaml.Node) ([]DeploymentSource, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []DeploymentSource
	for _, item := range items {
		var d DeploymentSource
		err := p.mapping(item, map[string]any{"from": &d.From, "pattern": &d.Pattern, "url": &d.URL,
			"application": &d.Application, "app_namespace": &d.AppNamespace, "environment": &d.Environment}, nil)
		if err != nil {
			return nil, err
		}
		switch d.From {
		case "tags":
			if d.Pattern == "" {
				return nil, p.errAt(item, "deployments from tags: needs pattern (a glob such as 'v*')")
			}
			if err := measure.ValidTagGlob(d.Pattern); err != nil {
				return nil, p.errAt(item, "deployments from tags: pattern %q: %v", d.Pattern, err)
			}
		case "releases":
		case "argocd":
			if d.URL == "" || d.Application == "" {
				return nil, p.errAt(item, "deployments from argocd: needs url and application")
			}
		default:
			return nil, p.errAt(item, "deployments: from %q: want tags, releases or argocd", d.From)
		}
		out = append(out, d)
	}
	return out, nil
}

// incidents parses `incidents:`: one mapping or a list of them.
func (p *parser) incidents(n *yaml.Node) ([]IncidentSource, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []IncidentSource
	for _, item := range items {
		var s IncidentSource
		err := p.mapping(item, map[string]any{"from": &s.From, "label": &s.Label, "url": &s.URL,
			"type": &s.Type, "project": &s.Project}, nil)
		if err != nil {
			return nil, err
		}
		switch s.From {
		case "github", "gitlab":
		case "jira":
			if s.URL == "" {
				return nil, p.errAt(item, "incidents from jira: needs url")
			}
		default:
			return nil, p.errAt(item, "incidents: from %q: want github, gitlab or jira", s.From)
		}
		out = append(out, s)
	}
	return out, nil
}

// checkDelivery refuses sources the target has no host for.
func (p *parser) checkDelivery(n *yaml.Node, t *Target) error {
	if t.Discover != nil {
		return nil // each repository found has its host
	}
	for _, s := range t.Incidents {
		if s.From == "github" && t.GitHub == "" || s.From == "gitlab" && t.GitLab == "" {
			return p.errAt(n, "incidents from %s: the target has no %s repository", s.From, s.From)
		}
	}
	return nil
}

// duration parses a Go duration or a number of days ("7d").
func (p *parser) duration(n *yaml.Node, what string) (time.Duration, error) {
	var s string
	if err := p.decode(n, &s, what); err != nil {
		return 0, err
	}
	if len(s) > 1 && s[len(s)-1] == 'd' {
		if days, err := strconv.Atoi(s[:len(s)-1]); err == nil && days > 0 {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, p.errAt(n, "%s: %q is not a positive duration (e.g. 24h, 7d)", what, s)
	}
	return d, nil
}
