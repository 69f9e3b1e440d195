package cli

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/internal/gittest"
	"github.com/cdaudit/cdaudit/model"
)

// jenkinsBuilt is the casebook's Jenkins-built fixture, shaped like
// jenkinsci/git-plugin: a Maven project whose Jenkinsfile calls a shared
// library step, so the clone shows no stages, triggers or deployments.
// Four developers integrate small changes on most working days for four
// weeks; release tags v1.N.0 come weekly. It returns the bare repository
// and the trunk commits, oldest first.
func jenkinsBuilt(t *testing.T) (string, []string) {
	b := gittest.New()
	b.Commit("main", "", devs[0], start.Add(-24*time.Hour), "Initial import", map[string]string{
		"Jenkinsfile":              "buildPlugin(useContainerAgent: true, configurations: [[platform: 'linux', jdk: 21]])\n",
		"pom.xml":                  "<project><artifactId>shop</artifactId></project>\n",
		"src/main/java/A.java":     "class A {}\n",
		"src/test/java/ATest.java": "class ATest {}\n",
	})
	var marks []int
	for day := 0; day < 28; day++ {
		d := start.AddDate(0, 0, day)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for i, dev := range devs {
			n := len(marks) + 1
			m := b.Commit("main", "", dev, d.Add(time.Duration(9+2*i)*time.Hour), fmt.Sprintf("JENKINS-%d: change %d", 1000+n, n),
				map[string]string{fmt.Sprintf("src/main/java/F%d.java", n): "class F {}\n", fmt.Sprintf("src/test/java/F%dTest.java", n): "class T {}\n"})
			marks = append(marks, m)
			if d.Weekday() == time.Friday && i == len(devs)-1 {
				b.Tag(fmt.Sprintf("v1.%d.0", day/7), m)
			}
		}
	}
	repo := b.Write(t, filepath.Join(t.TempDir(), "shop.git"), true, "main")
	var shas []string
	for _, c := range strings.Fields(gitOut(t, repo, "rev-list", "--reverse", "--first-parent", "main")) {
		shas = append(shas, c)
	}
	return repo, shas[1:]
}

func gitOut(t *testing.T, repo string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"--git-dir", repo}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// jenkinsBuilds are the trunk job's builds of the fixture: every trunk
// commit built on push (Build, Test, Deploy to staging, Deploy to
// production stages; unit and integration suites), a nightly build by
// timer, one failed build fixed by the next.
func jenkinsBuilds(shas []string, commitAt func(string) time.Time) []jf.Build {
	var out []jf.Build
	n := 0
	add := func(sha string, at time.Time, result string, cause jf.Cause) {
		n++
		b := jf.Build{Number: n, Result: result, Start: at, Duration: 11 * time.Minute, Queued: 20 * time.Second,
			QueueID: 5000 + n, SHA: sha, Branch: "refs/remotes/origin/main", Causes: []jf.Cause{cause}}
		st := func(id, name, status string, off, dur time.Duration) jf.Stage {
			return jf.Stage{ID: id, Name: name, Status: status, Start: at.Add(off), Duration: dur}
		}
		b.Stages = []jf.Stage{st("6", "Build", "SUCCESS", 0, 2*time.Minute)}
		testStatus, caseStatus := "SUCCESS", "PASSED"
		if result != "SUCCESS" {
			testStatus, caseStatus = "FAILED", "FAILED"
		}
		b.Stages = append(b.Stages, st("14", "Test", testStatus, 2*time.Minute, 5*time.Minute))
		if result == "SUCCESS" {
			b.Stages = append(b.Stages, st("20", "Deploy to staging", "SUCCESS", 7*time.Minute, time.Minute),
				st("27", "Deploy to production", "SUCCESS", 9*time.Minute, 2*time.Minute))
		}
		b.Tests = &jf.TestResult{Suites: []jf.Suite{
			{Name: "hudson.plugins.shop.OrderTest", Duration: 2, Cases: []jf.Case{
				{ClassName: "hudson.plugins.shop.OrderTest", Name: "creates", Status: "PASSED", Duration: 1},
				{ClassName: "hudson.plugins.shop.OrderTest", Name: "rejects", Status: caseStatus, Duration: 1}}},
			{Name: "hudson.plugins.shop.CheckoutIT", Duration: 40, Cases: []jf.Case{
				{ClassName: "hudson.plugins.shop.CheckoutIT", Name: "checksOut", Status: "PASSED", Duration: 40}}},
		}}
		out = append(out, b)
	}
	push := jf.Cause{Class: jf.CauseGitHubPsh, ShortDescription: "Started by GitHub push"}
	timer := jf.Cause{Class: jf.CauseTimer, ShortDescription: "Started by timer"}
	for i, sha := range shas {
		at := commitAt(sha).Add(2 * time.Minute)
		result := "SUCCESS"
		if i == 10 {
			result = "FAILURE"
		}
		add(sha, at, result, push)
		if i%4 == 3 { // the day's last commit: the nightly build
			add(sha, at.Truncate(24*time.Hour).Add(26*time.Hour), "SUCCESS", timer)
		}
	}
	return out
}

// TestCasebookJenkinsFixture shows which levels the Jenkins evidence
// supports for a project whose clone shows no pipeline (as git-plugin's):
// audited from the clone alone and with its Jenkins job, the dimensions
// the clone cannot judge become judged from build durations, schedules,
// test suites and deploy stages.
func TestCasebookJenkinsFixture(t *testing.T) {
	repo, shas := jenkinsBuilt(t)
	at := map[string]time.Time{}
	for _, line := range strings.Split(strings.TrimSpace(gitOut(t, repo, "log", "--format=%H %ct", "main")), "\n") {
		h, ts, _ := strings.Cut(line, " ")
		var sec int64
		fmt.Sscan(ts, &sec)
		at[h] = time.Unix(sec, 0).UTC()
	}
	job := &jf.Job{Name: "shop", Class: jf.ClassPipeline, Builds: jenkinsBuilds(shas, func(s string) time.Time { return at[s] })}
	srv := jf.New([]*jf.Job{{Name: "plugins", Class: jf.ClassFolder, Jobs: []*jf.Job{job}}}, jf.Options{User: "bot", Token: jenkinsToken})
	defer srv.Close()
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--format", "json", "--quiet", "--no-store"}
	levels := func(args ...string) (map[string]model.DimensionResult, *model.TargetResult) {
		env := map[string]string{"JENKINS_USER": "bot", "JENKINS_TOKEN": jenkinsToken}
		code, out, stderr := runJenkins(t, env, append(append([]string{"audit", repo}, args...), win...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var r model.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		dims := map[string]model.DimensionResult{}
		for _, p := range r.Targets[0].Practices {
			for _, d := range p.Dimensions {
				dims[p.ID+"."+d.ID] = d
			}
		}
		return dims, &r.Targets[0]
	}
	clone, _ := levels()
	withJenkins, res := levels("--jenkins", srv.URL, "--jenkins-job", "plugins/shop")

	var gained []string
	for id, d := range withJenkins {
		if clone[id].Level == nil && d.Level != nil {
			gained = append(gained, fmt.Sprintf("%s: unknown → %s", id, describe(d)))
		}
	}
	sort.Strings(gained)
	t.Logf("levels the Jenkins evidence supports:\n%s", strings.Join(gained, "\n"))

	// Jenkins feeds the same measurements as GitHub or GitLab runs.
	for _, id := range []model.MeasurementID{model.CIRuns, model.DeployProductionCount, model.DeployProductionDaysPerWeek,
		model.DORALeadTimeHoursP50, model.DORAChangeFailureRatio} {
		if m := res.Measurements[string(id)]; !m.Known {
			t.Errorf("%s unknown with Jenkins: %s", id, m.Note)
		}
	}
	if d := res.DORA; d == nil || d.ChangeFailureRate.Value == nil || *d.ChangeFailureRate.Value <= 0 {
		t.Errorf("change failure rate from the failed Jenkins deployment: %+v", res.DORA)
	}
	// The assessor's reading of the fixture: what the clone shows, and what
	// its Jenkins job adds (build durations and schedules, JUnit suites,
	// deploy stages).
	for _, c := range []struct{ id, clone, jenkins string }{
		{"build.schedule", "unknown (≥1)", "L3"},        // push and nightly timer builds
		{"ci.method", "unknown (≥1)", "L3"},             // every trunk commit built on push
		{"ci.feedback", "unknown (≥1)", "L3"},           // 11-minute builds
		{"test-layering.strategy", "L1", "L2"},          // CheckoutIT: an interface-level suite
		{"deploy-release.method", "unknown (≥1)", "L3"}, // deploy stages on every green build
		{"environment.types", "unknown (≥1)", "L2"},     // a staging environment
	} {
		if g, w := describe(clone[c.id]), describe(withJenkins[c.id]); g != c.clone || w != c.jenkins {
			t.Errorf("%s: clone %s, with Jenkins %s; want %s, %s (%s)", c.id, g, w, c.clone, c.jenkins,
				strings.Join(withJenkins[c.id].Reasons, " | "))
		}
	}
}
