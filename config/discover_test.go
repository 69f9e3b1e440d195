package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDiscoveryEntries(t *testing.T) {
	text := `targets:
  - github: {org: acme, include: ["svc-*"], exclude: [acme/svc-old], topics: [payments], archived: true, codeowners: true}
    labels: {system: core}
  - name: platform
    gitlab:
      group: acme/platform
      include_subgroups: true
      forks: true
  - github: acme/shop
`
	c, err := Parse("audit.yaml", []byte(text), cat(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{
		{Name: "github:acme", Labels: map[string]string{"system": "core"}, Line: 2, Discover: &Discovery{Host: "github", Owner: "acme",
			Include: []string{"svc-*"}, Exclude: []string{"acme/svc-old"}, Topics: []string{"payments"}, Archived: true, Codeowners: true}},
		{Name: "platform", Line: 4, Discover: &Discovery{Host: "gitlab", Owner: "acme/platform", IncludeSubgroups: true, Forks: true}},
		{Name: "acme/shop", GitHub: "acme/shop", Line: 9},
	}
	if d := cmp.Diff(want, c.Targets, cmpopts.IgnoreFields(Target{}, "Thresholds")); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	got := c.Targets[0].Discovered("acme/svc-a", map[string]string{"team": "payments", "language": "Go", "system": "ignored"})
	if d := cmp.Diff(Target{Name: "acme/svc-a", GitHub: "acme/svc-a", Line: 2,
		Labels: map[string]string{"team": "payments", "language": "Go", "system": "core"}}, got, cmpopts.IgnoreFields(Target{}, "Thresholds")); d != "" {
		t.Errorf("discovered target (-want +got)\n%s", d)
	}
}

func TestDiscoveryErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"no org", "targets:\n  - github: {include: [x]}\n", "audit.yaml:2:13: github: a discovery entry needs org"},
		{"org key on gitlab", "targets:\n  - gitlab: {org: acme}\n", `audit.yaml:2:14: unknown key "org"`},
		{"bad glob", "targets:\n  - github: {org: acme, include: ['[']}\n", `glob "[" is malformed`},
		{"with a path", "targets:\n  - github: {org: acme}\n    path: /srv/x\n", "a discovery entry (github:acme) stands for many repositories"},
		{"two", "targets:\n  - github: {org: acme}\n    gitlab: {group: acme}\n", "one target entry holds one discovery"},
		{"same name twice", "targets:\n  - github: {org: acme}\n  - github: {org: acme}\n", `target name "github:acme" appears twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("audit.yaml", []byte(tc.text), cat(t))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
