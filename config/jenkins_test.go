package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJenkinsAndJUnitKeys(t *testing.T) {
	text := `targets:
  - name: app
    path: .
    junit: "build/test-results/**/*.xml"
    jenkins:
      url: https://ci.example.com/jenkins
      job: team/app
      trunk: main
      deploy:
        - match: '^Deploy to (\w+)'
        - {match: '^Release$', environment: production}
  - jenkins: {url: https://ci.example.com, job: solo}
    junit: [a/*.xml, b/**/*.xml]
`
	c, err := Parse("audit.yaml", []byte(text), cat(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []*JenkinsTarget{
		{URL: "https://ci.example.com/jenkins", Job: "team/app", Trunk: "main",
			Deploy: []DeployRule{{Match: `^Deploy to (\w+)`}, {Match: "^Release$", Environment: "production"}}},
		{URL: "https://ci.example.com", Job: "solo"},
	}
	if d := cmp.Diff(want, []*JenkinsTarget{c.Targets[0].Jenkins, c.Targets[1].Jenkins}); d != "" {
		t.Errorf("jenkins -want +got:\n%s", d)
	}
	if d := cmp.Diff([][]string{{"build/test-results/**/*.xml"}, {"a/*.xml", "b/**/*.xml"}},
		[][]string{c.Targets[0].JUnit, c.Targets[1].JUnit}); d != "" {
		t.Errorf("junit -want +got:\n%s", d)
	}
	if c.Targets[1].Name != "solo" {
		t.Errorf("name %q", c.Targets[1].Name)
	}
	for name, bad := range map[string]string{
		"no job":      "targets:\n  - jenkins: {url: https://x}\n",
		"bad regexp":  "targets:\n  - jenkins: {url: https://x, job: a, deploy: [{match: '('}]}\n",
		"unknown key": "targets:\n  - jenkins: {url: https://x, job: a, token: s3cret}\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("audit.yaml", []byte(bad), cat(t))
			if err == nil || strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
