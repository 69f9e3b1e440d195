package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

func cat(t *testing.T) *model.Catalogue {
	t.Helper()
	c, err := model.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseErrorsNamePlace(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"malformed yaml", "since: 90d\nthresholds:\n  branching: [\n", "audit.yaml:3: malformed YAML"},
		{"unknown top key", "since: 90d\nthreshold:\n  x: 1\n", `audit.yaml:2:1: unknown key "threshold"`},
		{"unknown threshold", "thresholds:\n  branching:\n    l3_max_lifetime_hourz: 3\n", `audit.yaml:3:5: unknown key "l3_max_lifetime_hourz"`},
		{"wrong type", "thresholds:\n  branching:\n    l3_max_lifetime_hours: soon\n", "audit.yaml:3:28: thresholds.branching.l3_max_lifetime_hours"},
		{"negative", "thresholds:\n  ci_feedback:\n    l3_max_minutes: -1\n", "must not be negative"},
		{"bad regex", "issue_pattern: '(['\n", "audit.yaml:1:16: issue_pattern: invalid regular expression"},
		{"not a mapping", "- a\n- b\n", "audit.yaml:1:1: the configuration must be a mapping"},
		{"attestation unknown dimension", "attestations:\n  - {practice: ci, dimension: nope, level: 3, by: a, date: 2026-01-01, expires: 2027-01-01, evidence: http://x}\n",
			"unknown dimension ci.nope"},
		{"attestation bad level", "attestations:\n  - {practice: ci, dimension: service, level: 7, by: a, date: 2026-01-01, expires: 2027-01-01, evidence: http://x}\n",
			"level 7 is not 1–5"},
		{"attestation missing by", "attestations:\n  - {practice: ci, dimension: service, level: 3, date: 2026-01-01, expires: 2027-01-01, evidence: http://x}\n",
			"`by`"},
		{"attestation bad date", "attestations:\n  - {practice: ci, dimension: service, level: 3, by: a, date: yesterday, expires: 2027-01-01, evidence: http://x}\n",
			`"yesterday" is not a date`},
		{"target without source", "targets:\n  - name: x\n", "audit.yaml:2:5: target needs at least one of path, github, gitlab"},
		{"duplicate target", "targets:\n  - {name: a, path: .}\n  - {name: a, path: ..}\n", `target name "a" appears twice`},
		{"bad label", "targets:\n  - {name: a, path: ., labels: {team-name: x}}\n", `label name "team-name"`},
		{"version", "version: 2\n", "unsupported config version 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("audit.yaml", []byte(tt.text), cat(t))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error is %T, want *config.Error", err)
			}
		})
	}
}

func TestParseGood(t *testing.T) {
	text := `version: 1
since: 30d
issue_pattern: 'PAY-\d+'
production:
  environments: '^prd$'
targets:
  - name: payments
    path: /srv/payments.git
    labels: {team: money}
    thresholds:
      ci_feedback: {l3_max_minutes: 60}
  - github: acme/web
thresholds:
  branching:
    l3_max_lifetime_hours: 48
attestations:
  - practice: build
    dimension: ownership
    level: 3
    by: lead@example.com
    date: 2026-10-01
    expires: 2027-04-01
    evidence: https://wiki.example.com/build-team
`
	c, err := Parse("audit.yaml", []byte(text), cat(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Since != "30d" || !c.IssuePattern.MatchString("PAY-12") || !c.ProductionEnv.MatchString("prd") {
		t.Errorf("scalars not read: %+v", c)
	}
	if c.Thresholds.Branching.L3MaxLifetimeHours != 48 || c.Thresholds.Branching.L4MaxLifetimeHours != 24 {
		t.Errorf("threshold override not merged onto defaults: %+v", c.Thresholds.Branching)
	}
	if len(c.Targets) != 2 || c.Targets[1].Name != "acme/web" {
		t.Fatalf("targets = %+v", c.Targets)
	}
	// Targets start from the file's thresholds, whatever the key order.
	if c.Targets[0].Thresholds.Branching.L3MaxLifetimeHours != 48 || c.Targets[0].Thresholds.CIFeedback.L3MaxMinutes != 60 ||
		c.Targets[1].Thresholds.CIFeedback.L3MaxMinutes != 240 {
		t.Errorf("target thresholds wrong: %+v / %+v", c.Targets[0].Thresholds, c.Targets[1].Thresholds)
	}
	if len(c.Attestations) != 1 || c.Attestations[0].Level != 3 || c.Attestations[0].Expires.Year() != 2027 {
		t.Errorf("attestations = %+v", c.Attestations)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	c, err := Parse("empty.yaml", nil, cat(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Thresholds.CIFrequency.L3MinCoreDayRatio != 0.66 {
		t.Errorf("defaults not applied")
	}
}

func TestSampleConfigParses(t *testing.T) {
	c, err := Load("../examples/audit.yaml", cat(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets) != 2 || c.Concurrency != 2 || c.Require == "" || len(c.Attestations) != 1 {
		t.Errorf("sample config not read fully: %+v", c)
	}
}
