package parity

import (
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// The audit looks at January 2026 and runs at its end.
var (
	since  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	until  = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	window = model.Window{Since: since, Until: until}
)

// at is a time in January 2026.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 1, day, hour, minute, 0, 0, time.UTC)
}

// sha is the commit id of a named commit, the same on both hosts.
func sha(name string) string { return githubfake.SHA(name) }

// pipeline is the jobs of a run on trunk: build, then test, lint and
// security, then the deployments to staging and production. A failed test
// skips the deployments.
func pipeline(testConcl, prodConcl string) []hJob {
	const m = time.Minute
	jobs := []hJob{
		{name: "build", start: 0, dur: m, concl: "success"},
		{name: "test", start: m, dur: 3 * m, concl: testConcl},
		{name: "lint", start: m, dur: 45 * time.Second, concl: "success"},
		{name: "security", start: m, dur: 90 * time.Second, concl: "success"},
		{name: "deploy-staging", env: "staging", start: 4 * m, dur: m, concl: "success"},
		{name: "deploy-production", env: "production", start: 5 * m, dur: 90 * time.Second, concl: prodConcl},
	}
	if testConcl == "failure" {
		for i := 4; i < len(jobs); i++ {
			jobs[i] = hJob{name: jobs[i].name, env: jobs[i].env, concl: "skipped"}
		}
	}
	if prodConcl == "skipped" {
		jobs[5] = hJob{name: jobs[5].name, env: jobs[5].env, concl: "skipped"}
	}
	return jobs
}

// checks are the jobs of pull-request and scheduled runs: no deployment.
func checks(testConcl, lintConcl string) []hJob {
	jobs := append([]hJob(nil), pipeline(testConcl, "success")[:4]...)
	jobs[2].concl = lintConcl
	return jobs
}

// cancelled stops the test job of a check run after a minute.
func cancelled(jobs []hJob) []hJob {
	jobs[1].concl, jobs[1].dur = "cancelled", time.Minute
	return jobs
}

func tests(total, failed int) *hTests {
	return &hTests{total: total, failed: failed, skipped: 2, secs: 42.5}
}

// newHistory is the delivery history both hosts serve.
func newHistory() *history {
	c := func(name, author, msg string, when time.Time, parents ...string) hCommit {
		return hCommit{name: name, msg: msg, author: author, parents: parents, authored: when.Add(-30 * time.Minute), committed: when}
	}
	h := &history{owner: "acme", name: "shop", branch: "main", created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	h.trunk = []hCommit{
		c("c4", "alice", "Update changelog for 1.2.0 (#12)", at(26, 9, 0), "m3"),
		c("m3", "carol", "Merge branch 'feature-search' into 'main'\n\nAdd search (ABC-42)", at(21, 10, 0), "c3", "b5"),
		c("b5", "bob", "Search tests", at(20, 11, 0), "b4"),
		c("b4", "bob", "Search index", at(19, 10, 0), "c3"),
		c("c3", "alice", "Bump dependencies", at(15, 9, 0), "m2"),
		c("m2", "bob", "Merge branch 'fix-timeout' into 'main'\n\nRaise client timeout", at(13, 11, 0), "c2", "b3"),
		c("b3", "carol", "Raise client timeout", at(12, 10, 0), "c2"),
		c("c2", "carol", "Fix typo in README [skip ci]", at(9, 16, 0), "m1"),
		c("m1", "alice", "Merge branch 'feature-login' into 'main'\n\nLogin form\n\nCloses #11", at(7, 11, 0), "c1", "b2"),
		c("b2", "bob", "Test the login form", at(6, 15, 0), "b1"),
		c("b1", "bob", "Add the login form (#11)", at(6, 9, 0), "c1"),
		c("c1", "alice", "Add the product catalogue API (#10)", at(5, 10, 0), "c0"),
		c("c0", "alice", "Initial import", time.Date(2025, 12, 20, 10, 0, 0, 0, time.UTC)),
	}
	h.others = []hCommit{
		c("f1", "carol", "Export endpoint", at(27, 9, 0), "c4"),
		c("f2", "carol", "Export tests", at(29, 10, 0), "f1"),
		c("e1", "bob", "Experimental cache", at(16, 9, 0), "c3"),
	}
	h.open = []hBranch{{name: "feature-export", commits: []string{"f1", "f2"}}}
	h.tags = []hTag{{"v1.0.0", "c0"}, {"v1.1.0", "m2"}, {"v1.2.0", "m3"}}
	h.releases = []hRelease{
		{tag: "v1.2.0", at: at(22, 12, 0), assets: 2},
		{tag: "v1.1.0", at: at(13, 14, 0), assets: 1},
		{tag: "v1.0.0", at: time.Date(2025, 12, 20, 12, 0, 0, 0, time.UTC)},
	}
	h.changes = []hChange{
		{num: 1, title: "Login form", body: "Adds a login form.\n\nCloses #11", author: "bob", branch: "feature-login",
			state: "merged", created: at(6, 9, 30), updated: at(7, 11, 1), merged: at(7, 11, 0), closed: at(7, 11, 0),
			head: "b2", merge: "m1", commits: []string{"b1", "b2"},
			files:      []hFile{{"internal/login/login.go", 40, 2}, {"internal/login/login_test.go", 30, 0}},
			approvedBy: []string{"alice"}, closes: []int{11}},
		{num: 2, title: "Raise client timeout", body: "The upstream is slow.", author: "carol", branch: "fix-timeout",
			state: "merged", created: at(12, 10, 10), updated: at(13, 11, 1), merged: at(13, 11, 0), closed: at(13, 11, 0),
			head: "b3", merge: "m2", commits: []string{"b3"},
			files:      []hFile{{"internal/client/client.go", 3, 1}},
			approvedBy: []string{"bob"}},
		{num: 3, title: "Add search (ABC-42)", body: "Full-text search.", author: "bob", branch: "feature-search",
			state: "merged", created: at(19, 10, 30), updated: at(21, 10, 2), merged: at(21, 10, 0), closed: at(21, 10, 0),
			head: "b5", merge: "m3", commits: []string{"b4", "b5"},
			files:     []hFile{{"internal/search/search.go", 120, 0}, {"internal/search/search_test.go", 80, 0}, {"README.md", 4, 1}},
			commentBy: []string{"carol"}},
		{num: 4, title: "Export endpoint", body: "Work in progress.", author: "carol", branch: "feature-export",
			state: "open", created: at(27, 9, 30), updated: at(29, 10, 5),
			head: "f2", commits: []string{"f1", "f2"},
			files: []hFile{{"internal/export/export.go", 50, 0}, {"internal/export/export_test.go", 20, 0}}},
		{num: 5, title: "Experimental cache", body: "Trying a cache.", author: "bob", branch: "experiment-cache",
			state: "closed", created: at(16, 10, 0), updated: at(18, 12, 0), closed: at(18, 12, 0),
			head: "e1", commits: []string{"e1"},
			files: []hFile{{"internal/cache/cache.go", 60, 0}}},
	}
	q := 20 * time.Second
	h.runs = []hRun{
		{id: 1001, trigger: model.TriggerPush, commit: "c1", created: at(5, 10, 2), queue: q, jobs: pipeline("success", "success"), tests: tests(120, 0)},
		{id: 1002, trigger: model.TriggerPullRequest, branch: "feature-login", pr: 1, commit: "b1", created: at(6, 9, 35), queue: q, jobs: checks("failure", "success"), tests: tests(125, 3)},
		{id: 1003, trigger: model.TriggerPullRequest, branch: "feature-login", pr: 1, commit: "b2", created: at(6, 15, 5), queue: q, jobs: checks("success", "success"), tests: tests(130, 0)},
		{id: 1004, trigger: model.TriggerPush, commit: "m1", created: at(7, 11, 2), queue: q, jobs: pipeline("success", "success"), tests: tests(130, 0)},
		{id: 1005, trigger: model.TriggerPullRequest, branch: "fix-timeout", pr: 2, commit: "b3", created: at(12, 10, 15), queue: q, jobs: checks("success", "success"), tests: tests(130, 0)},
		{id: 1006, trigger: model.TriggerPush, commit: "m2", created: at(13, 11, 2), queue: 2 * q, jobs: pipeline("success", "failure"), tests: tests(130, 0)},
		{id: 1007, trigger: model.TriggerManual, commit: "m2", created: at(13, 15, 0), queue: q, jobs: pipeline("success", "success"), tests: tests(130, 0)},
		{id: 1008, trigger: model.TriggerPush, commit: "c3", created: at(15, 9, 2), queue: q, jobs: pipeline("failure", "success"), tests: tests(130, 2)},
		{id: 1009, trigger: model.TriggerSchedule, commit: "c3", created: at(17, 2, 0), queue: 3 * q, jobs: checks("failure", "success"), tests: tests(130, 1)},
		{id: 1010, trigger: model.TriggerSchedule, commit: "c3", created: at(18, 2, 0), queue: 3 * q, jobs: checks("success", "success"), tests: tests(130, 0)},
		{id: 1011, trigger: model.TriggerPullRequest, branch: "feature-search", pr: 3, commit: "b4", created: at(19, 10, 35), queue: q, jobs: checks("success", "failure"), tests: tests(138, 0)},
		{id: 1012, trigger: model.TriggerPullRequest, branch: "feature-search", pr: 3, commit: "b5", created: at(20, 11, 5), queue: q, jobs: checks("success", "success"), tests: tests(145, 0)},
		{id: 1013, trigger: model.TriggerPush, commit: "m3", created: at(21, 10, 2), queue: q, jobs: pipeline("success", "skipped"), tests: tests(145, 0)},
		{id: 1014, trigger: model.TriggerManual, commit: "m3", created: at(22, 9, 0), queue: q, jobs: pipeline("success", "success"), tests: tests(145, 0)},
		// The tag v1.2.0 pushed: a release run.
		{id: 1019, trigger: model.TriggerTag, branch: "v1.2.0", commit: "m3", created: at(22, 11, 50), queue: q,
			jobs:  append(checks("success", "success"), hJob{name: "release", start: 4 * time.Minute, dur: 2 * time.Minute, concl: "success"}),
			tests: tests(145, 0)},
		{id: 1015, trigger: model.TriggerPush, commit: "c4", created: at(26, 9, 2), queue: q, jobs: pipeline("success", "success"), tests: tests(145, 0)},
		// Superseded by the next push: cancelled during the tests.
		{id: 1016, trigger: model.TriggerPullRequest, branch: "feature-export", pr: 4, commit: "f1", created: at(27, 9, 35), queue: q, jobs: cancelled(checks("success", "success"))},
		// Deploys a review app (a per-branch environment).
		{id: 1017, trigger: model.TriggerPullRequest, branch: "feature-export", pr: 4, commit: "f2", created: at(29, 10, 5), queue: q,
			jobs:  append(checks("success", "success"), hJob{name: "deploy-review", env: "review/feature-export", start: 4 * time.Minute, dur: time.Minute, concl: "success"}),
			tests: tests(152, 0)},
		// The tests failed and passed when re-run two hours later: flaky.
		// A re-run's duration differs by nature: GitHub times the latest
		// attempt (420 s here), GitLab the pipeline's whole running time
		// (660 s); it is the longest run on both hosts, so that no
		// duration percentile depends on it (TestParity checks both).
		{id: 1018, trigger: model.TriggerSchedule, commit: "c4", created: at(31, 2, 0), queue: 3 * q, jobs: checks("failure", "success"),
			tests: tests(145, 1), rerun: 2 * time.Hour, rerunDur: 7 * time.Minute},
		// Before the window: neither host may report it.
		{id: 999, trigger: model.TriggerPush, commit: "c0", created: time.Date(2025, 12, 20, 10, 2, 0, 0, time.UTC), queue: q, jobs: pipeline("success", "success"), tests: tests(100, 0)},
	}
	for i := range h.runs {
		if h.runs[i].branch == "" {
			h.runs[i].branch = h.branch
		}
	}
	h.envs = []hEnv{
		{name: "production", tier: "production", created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
		{name: "staging", tier: "staging", created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
		{name: "review/feature-export", tier: "development", created: at(29, 10, 10)},
	}
	h.approvals = 1
	h.checks = []string{"test"}
	h.files = treeFiles()
	h.githubCI, h.gitlabCI = githubCI, gitlabCI
	return h
}
