package gitlab

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

const testToken = "glpat-SECRET-never-shown-0123456789"

var (
	since  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	until  = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	window = model.Window{Since: since, Until: until}
)

// at is a time in the window: day of January 2026, hour, minute.
func at(day, hour, min int) time.Time { return time.Date(2026, 1, day, hour, min, 0, 0, time.UTC) }

func tp(t time.Time) *time.Time { return &t }
func fp(f float64) *float64     { return &f }
func sp(s string) *string       { return &s }

// sha makes a 40-hex commit id from a short tag.
func sha(tag string) string {
	h := strings.Repeat("0", 40-len(tag)) + tag
	return h
}

func commit(id string, parents []string, when time.Time, author, msg string) gitlabfake.Commit {
	return gitlabfake.Commit{
		ID: sha(id), ShortID: sha(id)[:8], Title: msg, Message: msg + "\n",
		AuthorName: author, AuthorEmail: author + "@example.com", AuthoredDate: when.Add(-time.Hour),
		CommitterName: author, CommitterEmail: author + "@example.com", CommittedDate: when, CreatedAt: when,
		ParentIDs: parents, WebURL: "https://gl.example/acme/platform/api/-/commit/" + sha(id),
	}
}

// scenario is one delivery history: a trunk with a merge, branches, tags,
// releases, four merge requests, five pipelines with jobs and a test
// report, three environments and three deployments.
func scenario() *gitlabfake.Data {
	c0 := commit("c0", nil, time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC), "bob", "initial")
	c1 := commit("c1", []string{sha("c0")}, at(3, 9, 0), "alice", "add api")
	b1 := commit("b1", []string{sha("c1")}, at(4, 9, 0), "bob", "feature work")
	c2 := commit("c2", []string{sha("c1")}, at(5, 9, 0), "alice", "fix ci")
	c3 := commit("c3", []string{sha("c2"), sha("b1")}, at(6, 9, 0), "alice", "Merge branch 'feature' into 'main'")
	f1 := commit("f1", []string{sha("c3")}, at(20, 9, 0), "carol", "wip")
	d := &gitlabfake.Data{
		Project: gitlabfake.Project{ID: 42, Name: "api", PathWithNamespace: "acme/platform/api", DefaultBranch: "main",
			WebURL: "https://gl.example/acme/platform/api", OnlyAllowMergeIfPipelineSucceeds: true,
			MergeMethod: "merge", BuildsAccessLevel: "enabled", Visibility: "private"},
		Commits: []gitlabfake.Commit{c3, c2, b1, c1, c0},
		Branches: []gitlabfake.Branch{
			{Name: "feature/x", Commit: f1, Ahead: []gitlabfake.Commit{f1}},
			{Name: "caught-up", Commit: c3},
			{Name: "main", Default: true, Protected: true, Commit: c3},
			{Name: "old", Merged: true, Commit: c1},
		},
		Tags: []gitlabfake.Tag{
			{Name: "v1.0.0", Target: sha("c1"), Commit: c1},
			{Name: "v1.1.0", Message: "Release 1.1.0", Target: sha("a1"), Commit: c3},
		},
		Releases: []gitlabfake.Release{
			{TagName: "v1.1.0", Name: "1.1.0", Description: "notes", CreatedAt: at(7, 10, 0), ReleasedAt: at(7, 10, 0),
				Assets: gitlabfake.ReleaseAssets{Count: 5, Sources: []gitlabfake.ReleaseLink{{Format: "zip", URL: "u"}, {Format: "tar.gz", URL: "u"}, {Format: "tar.bz2", URL: "u"}, {Format: "tar", URL: "u"}},
					Links: []gitlabfake.ReleaseLink{{ID: 1, Name: "binary", URL: "https://x/bin", LinkType: "package"}}}},
			{TagName: "v1.0.0", Name: "1.0.0", CreatedAt: time.Date(2025, 12, 21, 0, 0, 0, 0, time.UTC), ReleasedAt: time.Date(2025, 12, 21, 0, 0, 0, 0, time.UTC)},
		},
		MergeRequests: []*gitlabfake.MergeRequest{
			{ID: 1001, IID: 1, ProjectID: 42, Title: "Feature", State: "merged", CreatedAt: at(4, 8, 0), UpdatedAt: at(6, 9, 5),
				MergedAt: tp(at(6, 9, 0)), TargetBranch: "main", SourceBranch: "feature", Author: gitlabfake.User{ID: 2, Username: "bob"},
				Labels: []string{"feature", "backend"}, SHA: sha("b1"), MergeCommitSHA: sp(sha("c3")), WebURL: "https://gl.example/acme/platform/api/-/merge_requests/1",
				Commits: []gitlabfake.Commit{b1, commit("b0", []string{sha("c1")}, at(3, 20, 0), "bob", "start")},
				Diffs: []gitlabfake.Diff{
					{OldPath: "main.go", NewPath: "main.go", Diff: "@@ -1,2 +1,3 @@\n package main\n-var x = 1\n+var x = 2\n+var y = 3\n"},
					{OldPath: "main_test.go", NewPath: "main_test.go", NewFile: true, Diff: "@@ -0,0 +1 @@\n+package main\n"},
				},
				ClosesIssues: []any{
					map[string]any{"id": 9005, "iid": 5, "project_id": 42, "title": "bug", "state": "closed", "references": map[string]string{"short": "#5", "full": "acme/platform/api#5"}},
					map[string]any{"id": 9006, "iid": 8, "project_id": 77, "title": "other", "state": "closed", "references": map[string]string{"short": "#8", "full": "acme/web#8"}},
					gitlabfake.ExternalIssue{ID: "JIRA-7", Title: "ext"},
				},
				ApprovedBy: []string{"alice"}},
			{ID: 1002, IID: 2, ProjectID: 42, Title: "Draft: wip", State: "opened", Draft: true, CreatedAt: at(20, 9, 0), UpdatedAt: at(20, 10, 0),
				TargetBranch: "main", SourceBranch: "feature/x", Author: gitlabfake.User{ID: 3, Username: "carol"}, SHA: sha("f1"),
				WebURL:  "https://gl.example/acme/platform/api/-/merge_requests/2",
				Commits: []gitlabfake.Commit{f1}, Diffs: []gitlabfake.Diff{{OldPath: "big.bin", NewPath: "big.bin", TooLarge: true}}},
			{ID: 1003, IID: 3, ProjectID: 42, Title: "Abandoned", State: "closed", CreatedAt: at(8, 9, 0), UpdatedAt: at(9, 9, 0), ClosedAt: tp(at(9, 9, 0)),
				TargetBranch: "main", SourceBranch: "nope", Author: gitlabfake.User{ID: 2, Username: "bob"}, SHA: sha("e1"),
				WebURL: "https://gl.example/acme/platform/api/-/merge_requests/3"},
			{ID: 1004, IID: 4, ProjectID: 42, Title: "Old", State: "merged", CreatedAt: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
				UpdatedAt: time.Date(2025, 12, 2, 0, 0, 0, 0, time.UTC), MergedAt: tp(time.Date(2025, 12, 2, 0, 0, 0, 0, time.UTC)),
				TargetBranch: "main", SourceBranch: "old", SHA: sha("c1")},
		},
		Pipelines: []*gitlabfake.Pipeline{
			{ID: 101, IID: 1, ProjectID: 42, Status: "success", Source: "push", Ref: "main", SHA: sha("c3"),
				CreatedAt: at(6, 9, 1), UpdatedAt: at(6, 9, 20), StartedAt: tp(at(6, 9, 2)), FinishedAt: tp(at(6, 9, 20)),
				Duration: fp(1000), QueuedDuration: fp(60), Coverage: sp("81.5"), WebURL: "https://gl.example/p/101",
				Jobs: []gitlabfake.Job{
					{ID: 1001, Name: "build", Stage: "build", Status: "success", CreatedAt: at(6, 9, 1), StartedAt: tp(at(6, 9, 2)), FinishedAt: tp(at(6, 9, 5)), Duration: fp(180), WebURL: "https://gl.example/j/1001"},
					{ID: 1002, Name: "test", Stage: "test", Status: "failed", Retried: true, CreatedAt: at(6, 9, 5), StartedAt: tp(at(6, 9, 5)), FinishedAt: tp(at(6, 9, 8)), Duration: fp(170.5), WebURL: "https://gl.example/j/1002",
						Artifacts: []gitlabfake.JobArtifact{{FileType: "junit", Filename: "junit.xml.gz", Size: 100}}},
					{ID: 1004, Name: "test", Stage: "test", Status: "success", CreatedAt: at(6, 9, 8), StartedAt: tp(at(6, 9, 8)), FinishedAt: tp(at(6, 9, 11)), Duration: fp(169.5), Coverage: fp(81.5), WebURL: "https://gl.example/j/1004",
						Artifacts: []gitlabfake.JobArtifact{{FileType: "junit", Filename: "junit.xml.gz", Size: 100}, {FileType: "trace", Filename: "job.log", Size: 10}}},
					{ID: 1005, Name: "lint", Stage: "test", Status: "failed", AllowFailure: true, CreatedAt: at(6, 9, 5), StartedAt: tp(at(6, 9, 5)), FinishedAt: tp(at(6, 9, 6)), Duration: fp(60), WebURL: "https://gl.example/j/1005"},
					{ID: 1006, Name: "deploy-prod", Stage: "deploy", Status: "success", CreatedAt: at(6, 9, 11), StartedAt: tp(at(6, 9, 12)), FinishedAt: tp(at(6, 9, 20)), Duration: fp(480), WebURL: "https://gl.example/j/1006"},
				},
				TestReport: &gitlabfake.TestReport{TotalTime: 12.5, TotalCount: 40, SuccessCount: 37, FailedCount: 1, SkippedCount: 1, ErrorCount: 1,
					TestSuites: []gitlabfake.TestSuite{
						{Name: "unit", TotalTime: 10, TotalCount: 30, SuccessCount: 28, FailedCount: 1, SkippedCount: 0, ErrorCount: 1, TestCases: []gitlabfake.TestCase{{Status: "failed", Name: "TestX", Classname: "pkg", ExecutionTime: 1}}},
						{Name: "integration", TotalTime: 2.5, TotalCount: 10, SuccessCount: 9, SkippedCount: 1},
					}}},
			{ID: 102, IID: 2, ProjectID: 42, Status: "failed", Source: "merge_request_event", Ref: "refs/merge-requests/1/head", SHA: sha("b1"),
				CreatedAt: at(4, 9, 1), UpdatedAt: at(4, 9, 9), StartedAt: tp(at(4, 9, 2)), FinishedAt: tp(at(4, 9, 9)),
				Duration: fp(420), QueuedDuration: fp(30), WebURL: "https://gl.example/p/102",
				Jobs: []gitlabfake.Job{{ID: 2001, Name: "test", Stage: "test", Status: "failed", CreatedAt: at(4, 9, 1), StartedAt: tp(at(4, 9, 2)), FinishedAt: tp(at(4, 9, 9)), Duration: fp(420), WebURL: "https://gl.example/j/2001"}}},
			{ID: 103, IID: 3, ProjectID: 42, Status: "running", Source: "schedule", Ref: "main", SHA: sha("c3"),
				CreatedAt: at(31, 23, 0), UpdatedAt: at(31, 23, 1), StartedAt: tp(at(31, 23, 1)), WebURL: "https://gl.example/p/103",
				Jobs: []gitlabfake.Job{{ID: 3001, Name: "build", Stage: "build", Status: "running", CreatedAt: at(31, 23, 0), StartedAt: tp(at(31, 23, 1)), WebURL: "https://gl.example/j/3001"},
					{ID: 3002, Name: "deploy-prod", Stage: "deploy", Status: "manual", CreatedAt: at(31, 23, 0), WebURL: "https://gl.example/j/3002"}}},
			{ID: 104, IID: 4, ProjectID: 42, Status: "canceled", Source: "push", Tag: true, Ref: "v1.1.0", SHA: sha("c3"),
				CreatedAt: at(7, 9, 0), UpdatedAt: at(7, 9, 3), StartedAt: tp(at(7, 9, 1)), FinishedAt: tp(at(7, 9, 3)),
				Duration: fp(120), QueuedDuration: fp(5), WebURL: "https://gl.example/p/104"},
			{ID: 99, IID: 0, ProjectID: 42, Status: "success", Source: "web", Ref: "main", SHA: sha("c0"),
				CreatedAt: time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 12, 20, 9, 30, 0, 0, time.UTC), WebURL: "https://gl.example/p/99"},
		},
		Environments: []gitlabfake.Environment{
			{ID: 1, Name: "production", Slug: "production", ExternalURL: "https://api.example", State: "available", Tier: "production", CreatedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			{ID: 2, Name: "staging", Slug: "staging", State: "available", Tier: "staging", CreatedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			{ID: 3, Name: "review/feature-x", Slug: "review-featur-abc", State: "stopped", Tier: "development", CreatedAt: at(20, 9, 30)},
		},
		ProtectedBranches: []gitlabfake.ProtectedBranch{
			{ID: 1, Name: "release/*", PushAccessLevels: []gitlabfake.AccessLevel{{ID: 1, AccessLevel: 40, AccessLevelDescription: "Maintainers"}}},
			{ID: 2, Name: "main",
				PushAccessLevels:          []gitlabfake.AccessLevel{{ID: 2, AccessLevel: 0, AccessLevelDescription: "No one"}, {ID: 3, AccessLevel: 0, DeployKeyID: func() *int64 { v := int64(9); return &v }(), AccessLevelDescription: "Deploy key"}},
				MergeAccessLevels:         []gitlabfake.AccessLevel{{ID: 4, AccessLevel: 30, AccessLevelDescription: "Developers + Maintainers"}},
				CodeOwnerApprovalRequired: true},
		},
		ApprovalRules: []gitlabfake.ApprovalRule{
			{ID: 1, Name: "All Members", RuleType: "any_approver", ApprovalsRequired: 1},
			{ID: 2, Name: "Backend", RuleType: "regular", ApprovalsRequired: 2, ProtectedBranches: []gitlabfake.ProtectedBranch{{ID: 2, Name: "main"}}},
			{ID: 3, Name: "Release", RuleType: "regular", ApprovalsRequired: 3, ProtectedBranches: []gitlabfake.ProtectedBranch{{ID: 1, Name: "release/*"}}},
			{ID: 4, Name: "Vulnerability-Check", RuleType: "report_approver", ApprovalsRequired: 5},
		},
		Files: map[string]string{
			".gitlab-ci.yml": "stages: [build, test, deploy]\nbuild:\n  stage: build\n  script: [make]\n",
			"go.mod":         "module example.com/api\n\ngo 1.26\n",
		},
	}
	deploys := []struct {
		id      int64
		env     string
		envID   int64
		status  string
		jobID   int64
		pipe    int64
		created time.Time
		fin     *time.Time
	}{
		{501, "production", 1, "success", 1006, 101, at(6, 9, 12), tp(at(6, 9, 20))},
		{502, "staging", 2, "failed", 2002, 102, at(4, 9, 8), tp(at(4, 9, 9))},
		{503, "review/feature-x", 3, "running", 3003, 103, at(31, 23, 2), nil},
		{500, "production", 1, "success", 900, 99, time.Date(2025, 12, 20, 9, 10, 0, 0, time.UTC), tp(time.Date(2025, 12, 20, 9, 20, 0, 0, time.UTC))},
	}
	for i, x := range deploys {
		dp := gitlabfake.Deployment{ID: x.id, IID: int64(i + 1), Ref: "main", SHA: sha("c3"), Status: x.status, CreatedAt: x.created,
			UpdatedAt: x.created.Add(10 * time.Minute), User: gitlabfake.User{ID: 1, Username: "alice"}}
		dp.Environment.ID, dp.Environment.Name = x.envID, x.env
		dp.Deployable = &gitlabfake.Deployable{ID: x.jobID, Name: "deploy", Stage: "deploy", Status: x.status, Ref: "main", CreatedAt: x.created, StartedAt: tp(x.created), FinishedAt: x.fin}
		dp.Deployable.Pipeline.ID = x.pipe
		d.Deployments = append(d.Deployments, dp)
	}
	for i, p := range treeFiles {
		if _, ok := d.Files[p]; !ok {
			d.Files[p] = "// " + p + "\n"
		}
		d.Tree = append(d.Tree, gitlabfake.TreeEntry{ID: sha(fmt.Sprintf("f%03d", i)), Name: path.Base(p), Type: "blob", Path: p, Mode: "100644"})
	}
	d.Tree = append(d.Tree,
		gitlabfake.TreeEntry{ID: sha("d1"), Name: "internal", Type: "tree", Path: "internal", Mode: "040000"},
		gitlabfake.TreeEntry{ID: sha("d2"), Name: "store", Type: "tree", Path: "internal/store", Mode: "040000"})
	return d
}

// treeFiles are the blobs of the scenario's tree.
var treeFiles = []string{".gitlab-ci.yml", "go.mod", "main.go", "main_test.go", "internal/store/store.go", "internal/store/store_test.go", "deploy/k8s/deployment.yaml"}

// logBuf is a concurrency-safe log sink.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// harness is a fake GitLab and a collector pointed at it.
type harness struct {
	srv   *gitlabfake.Server
	c     *Collector
	log   *logBuf
	slept []time.Duration
}

func newHarness(t *testing.T, d *gitlabfake.Data, fo gitlabfake.Options, mod func(*Options)) *harness {
	t.Helper()
	if fo.Token == "" {
		fo.Token = testToken
	}
	srv := gitlabfake.New(d, fo)
	t.Cleanup(srv.Close)
	h := &harness{srv: srv, log: &logBuf{}}
	opt := Options{
		Project: "acme/platform/api", Token: testToken, BaseURL: srv.BaseURL(),
		Logger:  slog.New(slog.NewTextHandler(h.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		MaxWait: 10 * time.Minute, Base: http.DefaultTransport.(*http.Transport).Clone(),
		Sleep: func(d time.Duration) { h.slept = append(h.slept, d) },
		Now:   func() time.Time { return until },
	}
	if mod != nil {
		mod(&opt)
	}
	c, err := New(opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.c = c
	return h
}

func (h *harness) collect(t *testing.T) (*model.Evidence, collectors.Result, error) {
	t.Helper()
	ev := &model.Evidence{Window: window}
	res, err := h.c.Collect(context.Background(), ev)
	return ev, res, err
}

func gitlabFakeOpts() gitlabfake.Options { return gitlabfake.Options{Token: testToken} }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// fullAudit is the request count of a first audit of the scenario without
// a local clone: 31 plus one raw-file read per file the classifier wants.
func fullAudit() int {
	n := 31
	for _, p := range treeFiles {
		if classify.WantContent(p) {
			n++
		}
	}
	return n
}
