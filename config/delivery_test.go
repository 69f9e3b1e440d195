package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDeliveryKeys(t *testing.T) {
	text := `production:
  hotfix: '(?i)^fix!'
  incident_window: 2d
targets:
  - github: acme/shop
    path: .
    deployments:
      - {from: tags, pattern: 'v*'}
      - {from: releases}
      - {from: argocd, url: 'https://argocd.example.com', application: shop, environment: prod-eu}
    incidents:
      - {from: github, label: sev1}
      - {from: jira, url: 'https://acme.atlassian.net', type: Outage, project: OPS}
  - path: other
    deployments: {from: tags, pattern: 'release-*'}
`
	c, err := Parse("audit.yaml", []byte(text), cat(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.HotfixPattern == nil || !c.HotfixPattern.MatchString("FIX! login") || c.IncidentWindow != 48*time.Hour {
		t.Errorf("hotfix %v, incident window %v", c.HotfixPattern, c.IncidentWindow)
	}
	wantD := []DeploymentSource{{From: "tags", Pattern: "v*"}, {From: "releases"},
		{From: "argocd", URL: "https://argocd.example.com", Application: "shop", Environment: "prod-eu"}}
	if d := cmp.Diff(wantD, c.Targets[0].Deployments); d != "" {
		t.Errorf("deployments (-want +got):\n%s", d)
	}
	wantI := []IncidentSource{{From: "github", Label: "sev1"}, {From: "jira", URL: "https://acme.atlassian.net", Type: "Outage", Project: "OPS"}}
	if d := cmp.Diff(wantI, c.Targets[0].Incidents); d != "" {
		t.Errorf("incidents (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]DeploymentSource{{From: "tags", Pattern: "release-*"}}, c.Targets[1].Deployments); d != "" {
		t.Errorf("one mapping (-want +got):\n%s", d)
	}
}

func TestDeliveryKeysRefused(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"tags without pattern", "targets:\n  - {path: ., deployments: {from: tags}}\n", "needs pattern"},
		{"bad glob", "targets:\n  - {path: ., deployments: {from: tags, pattern: '[v'}}\n", `pattern "[v"`},
		{"unknown source", "targets:\n  - {path: ., deployments: {from: spinnaker}}\n", "want tags, releases or argocd"},
		{"argocd without application", "targets:\n  - {path: ., deployments: {from: argocd, url: 'https://a.example'}}\n", "needs url and application"},
		{"unknown key", "targets:\n  - {path: ., deployments: {from: tags, pattern: v*, glob: x}}\n", `unknown key "glob"`},
		{"github incidents without github", "targets:\n  - {path: ., incidents: {from: github}}\n", "no github repository"},
		{"jira without url", "targets:\n  - {github: a/b, incidents: {from: jira}}\n", "needs url"},
		{"incident source", "targets:\n  - {github: a/b, incidents: {from: pagerduty}}\n", "want github, gitlab or jira"},
		{"incident window", "production: {incident_window: soon}\n", "not a positive duration"},
		{"hotfix pattern", "production: {hotfix: '('}\n", "production.hotfix: invalid regular expression"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("audit.yaml", []byte(c.text), cat(t))
			var ce *Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %v, want a one-line *Error containing %q", err, c.want)
			}
		})
	}
}
