package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/model"
)

const jenkinsToken = "11aa22bb33cc44dd55ee66ff77889900DONOTPRINT"

func runJenkins(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env["CDAUDIT_STORE"] = filepath.Join(t.TempDir(), "h.db")
	env["CDAUDIT_CACHE_DIR"] = t.TempDir()
	e := Env{Args: args, Stdout: &out, Stderr: &errb, Version: "test", Getenv: func(k string) string { return env[k] }}
	code := Main(context.Background(), e)
	return code, out.String(), errb.String()
}

// TestJenkinsAndJUnitFlags: --jenkins/--jenkins-job with the user and token
// from the environment, and --junit files, feed one audit; bad flags exit 2.
func TestJenkinsAndJUnitFlags(t *testing.T) {
	start := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	job := &jf.Job{Name: "app", Class: jf.ClassFreestyle}
	for i := 1; i <= 3; i++ {
		job.Builds = append(job.Builds, jf.Build{Number: i, Result: "SUCCESS", Start: start.Add(time.Duration(i) * time.Hour),
			Duration: time.Minute, SHA: strings.Repeat("a", 39) + string(rune('0'+i)), Branch: "origin/main",
			Causes: []jf.Cause{{Class: jf.CauseSCM}}})
	}
	srv := jf.New([]*jf.Job{{Name: "team", Class: jf.ClassFolder, Jobs: []*jf.Job{job}}}, jf.Options{User: "bot", Token: jenkinsToken, Prefix: "/jenkins"})
	defer srv.Close()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "out", "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "out", "a", "TEST-x.xml"), []byte(`<testsuite name="x"><testcase name="t"/><testcase name="u"><failure/></testcase></testsuite>`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"JENKINS_USER": "bot", "JENKINS_TOKEN": jenkinsToken}
	win := []string{"--since", "2026-03-01T00:00:00Z", "--until", "2026-04-01T00:00:00Z"}
	code, out, stderr := runJenkins(t, env, append([]string{"audit", "--jenkins", srv.URL, "--jenkins-job", "team/app",
		"--junit", filepath.Join(dir, "out/**/*.xml"), "--format", "json", "--log-level", "debug"}, win...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out+stderr, jenkinsToken) || strings.Contains(out+stderr, "DONOTPRINT") {
		t.Fatal("the token appears in the output or the logs")
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, s := range r.Targets[0].Sources {
		kinds = append(kinds, s.Kind+":"+string(s.Status))
	}
	if strings.Join(kinds, ",") != "jenkins:ok,junit:ok" {
		t.Errorf("sources %v", kinds)
	}
	if m := r.Targets[0].Measurements["ci.runs"]; !m.Known || m.Value != 3 {
		t.Errorf("ci.runs = %+v", m)
	}
	for name, args := range map[string][]string{
		"job without URL": {"audit", "--jenkins-job", "team/app"},
		"wrong token":     {"audit", "--jenkins", srv.URL, "--jenkins-job", "team/app"},
		"bad glob":        {"audit", "--junit", "a/[/*.xml"},
	} {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"JENKINS_USER": "bot", "JENKINS_TOKEN": "wrong"}
			code, out, stderr := runJenkins(t, env, append(args, win...)...)
			if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") > 3 {
				t.Errorf("exit %d, stderr %q, out %q", code, stderr, out)
			}
		})
	}
}
