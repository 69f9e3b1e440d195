package gitlab

import (
	"context"
	"io/fs"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/model"
)

type mapReader map[string]string

func (m mapReader) ReadFile(_ context.Context, p string) ([]byte, error) {
	s, ok := m[p]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(s), nil
}

func bp(b bool) *bool { return &b }

// expected is the evidence the scenario must give (without local git).
func expected(t *testing.T) *model.Evidence {
	t.Helper()
	d := scenario()
	paths := append([]string(nil), treeFiles...)
	sort.Strings(paths)
	facts, err := classify.Classify(context.Background(), paths, mapReader(d.Files))
	if err != nil {
		t.Fatal(err)
	}
	commitOf := func(id string) model.Commit {
		for _, c := range d.Commits {
			if c.ID == sha(id) {
				return model.Commit{Hash: c.ID, Parents: c.ParentIDs,
					Author:    model.Signature{Name: c.AuthorName, Email: c.AuthorEmail, When: c.AuthoredDate},
					Committer: model.Signature{Name: c.CommitterName, Email: c.CommitterEmail, When: c.CommittedDate},
					Message:   c.Message, URL: c.WebURL}
			}
		}
		t.Fatalf("no commit %s", id)
		return model.Commit{}
	}
	fp1 := func(c model.Commit) model.Commit { c.FirstParent = true; return c }
	job := func(id, name, stage, status, concl string, start, fin *time.Time, dur *float64) model.Job {
		return model.Job{ID: id, Name: name, URL: "https://gl.example/j/" + id, Stage: stage, Status: status, Conclusion: concl,
			StartedAt: start, FinishedAt: fin, Duration: dur, Attempt: 1}
	}
	j1002 := job("1002", "test", "test", "completed", "failure", tp(at(6, 9, 5)), tp(at(6, 9, 8)), fp(170.5))
	j1002.Retried, j1002.JUnit = true, true
	j1004 := job("1004", "test", "test", "completed", "success", tp(at(6, 9, 8)), tp(at(6, 9, 11)), fp(169.5))
	j1004.Attempt, j1004.JUnit, j1004.Coverage = 2, true, fp(81.5)
	j1005 := job("1005", "lint", "test", "completed", "failure", tp(at(6, 9, 5)), tp(at(6, 9, 6)), fp(60))
	j1005.AllowFailure = true
	j1006 := job("1006", "deploy-prod", "deploy", "completed", "success", tp(at(6, 9, 12)), tp(at(6, 9, 20)), fp(480))
	j1006.Environment = "production"
	j3002 := job("3002", "deploy-prod", "deploy", "waiting", "", nil, nil, nil)
	j3002.Manual = true

	return &model.Evidence{
		Target: "acme/platform/api", Window: window, DefaultBranch: "main", TrunkTip: sha("c3"), TrunkTipAt: at(6, 9, 0),
		Commits:  []model.Commit{fp1(commitOf("c3")), fp1(commitOf("c2")), commitOf("b1"), fp1(commitOf("c1"))},
		Branches: []model.Branch{{Name: "feature/x", Head: sha("f1"), LastCommit: at(20, 9, 0), FirstCommit: at(20, 8, 0), Ahead: 1}},
		Tags: []model.Tag{
			{Name: "v1.0.0", Target: sha("c1"), Committed: at(3, 9, 0)},
			{Name: "v1.1.0", Target: sha("c3"), Committed: at(6, 9, 0), Annotated: true},
		},
		Tree: &model.Tree{Commit: sha("c3"), Paths: paths, FileCount: len(paths), Facts: facts},
		Changes: []model.Change{
			{ID: "1", URL: "https://gl.example/acme/platform/api/-/merge_requests/1", Title: "Feature", Author: "bob", State: "merged",
				CreatedAt: at(4, 8, 0), UpdatedAt: at(6, 9, 5), MergedAt: tp(at(6, 9, 0)), FirstCommit: tp(at(3, 19, 0)),
				SourceBranch: "feature", TargetBranch: "main", HeadSHA: sha("b1"), MergeSHA: sha("c3"),
				Additions: 3, Deletions: 1, ChangedFiles: 2, Files: []string{"main.go", "main_test.go"},
				Reviews: 1, Approvals: 1, LinkedIssues: []string{"#5", "JIRA-7", "acme/web#8"}, Labels: []string{"backend", "feature"},
				DetailsKnown: true},
			{ID: "2", URL: "https://gl.example/acme/platform/api/-/merge_requests/2", Title: "Draft: wip", Author: "carol", State: "open", Draft: true,
				CreatedAt: at(20, 9, 0), UpdatedAt: at(20, 10, 0), FirstCommit: tp(at(20, 8, 0)),
				SourceBranch: "feature/x", TargetBranch: "main", HeadSHA: sha("f1"),
				ChangedFiles: 1, Files: []string{"big.bin"}, DetailsKnown: true},
			{ID: "3", URL: "https://gl.example/acme/platform/api/-/merge_requests/3", Title: "Abandoned", Author: "bob", State: "closed",
				CreatedAt: at(8, 9, 0), UpdatedAt: at(9, 9, 0), ClosedAt: tp(at(9, 9, 0)),
				SourceBranch: "nope", TargetBranch: "main", HeadSHA: sha("e1")},
		},
		Runs: []model.Run{
			{ID: "101", URL: "https://gl.example/p/101", Event: "push", Trigger: model.TriggerPush, Branch: "main", SHA: sha("c3"),
				Status: "completed", Conclusion: "success", CreatedAt: at(6, 9, 1), StartedAt: tp(at(6, 9, 2)), FinishedAt: tp(at(6, 9, 20)),
				Duration: fp(1000), Queued: fp(60), Coverage: fp(81.5), JobsKnown: true,
				Jobs: []model.Job{job("1001", "build", "build", "completed", "success", tp(at(6, 9, 2)), tp(at(6, 9, 5)), fp(180)), j1002, j1004, j1005, j1006}},
			{ID: "102", URL: "https://gl.example/p/102", Event: "merge_request_event", Trigger: model.TriggerPullRequest, Branch: "feature", SHA: sha("b1"),
				Status: "completed", Conclusion: "failure", CreatedAt: at(4, 9, 1), StartedAt: tp(at(4, 9, 2)), FinishedAt: tp(at(4, 9, 9)),
				Duration: fp(420), Queued: fp(30), JobsKnown: true, PullNumber: "1",
				Jobs: []model.Job{job("2001", "test", "test", "completed", "failure", tp(at(4, 9, 2)), tp(at(4, 9, 9)), fp(420))}},
			{ID: "103", URL: "https://gl.example/p/103", Event: "schedule", Trigger: model.TriggerSchedule, Branch: "main", SHA: sha("c3"),
				Status: "in_progress", CreatedAt: at(31, 23, 0), StartedAt: tp(at(31, 23, 1)), JobsKnown: true,
				Jobs: []model.Job{job("3001", "build", "build", "in_progress", "", tp(at(31, 23, 1)), nil, nil), j3002}},
			{ID: "104", URL: "https://gl.example/p/104", Event: "push", Trigger: model.TriggerTag, Branch: "v1.1.0", SHA: sha("c3"),
				Status: "completed", Conclusion: "cancelled", CreatedAt: at(7, 9, 0), StartedAt: tp(at(7, 9, 1)), FinishedAt: tp(at(7, 9, 3)),
				Duration: fp(120), Queued: fp(5), JobsKnown: true},
		},
		TestReports: []model.TestReport{{RunID: "101", SHA: sha("c3"), Total: 40, Passed: 37, Failed: 1, Skipped: 1, Errored: 1, Duration: 12.5,
			Suites: []model.TestSuite{{Name: "unit", Total: 30, Failed: 2, Duration: 10}, {Name: "integration", Total: 10, Skipped: 1, Duration: 2.5}}}},
		Deployments: []model.Deployment{
			{ID: "501", Environment: "production", SHA: sha("c3"), Ref: "main", Creator: "alice", CreatedAt: at(6, 9, 12), FinishedAt: tp(at(6, 9, 20)),
				Status: "success", Production: bp(true), RunID: "101"},
			{ID: "502", Environment: "staging", SHA: sha("c3"), Ref: "main", Creator: "alice", CreatedAt: at(4, 9, 8), FinishedAt: tp(at(4, 9, 9)),
				Status: "failure", Production: bp(false), RunID: "102"},
			{ID: "503", Environment: "review/feature-x", SHA: sha("c3"), Ref: "main", Creator: "alice", CreatedAt: at(31, 23, 2),
				Status: "in_progress", Production: bp(false), RunID: "103"},
		},
		Environments: []model.Environment{
			{Name: "production", URL: "https://api.example", Tier: "production", CreatedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			{Name: "review/feature-x", Tier: "development", Dynamic: true, CreatedAt: at(20, 9, 30)},
			{Name: "staging", Tier: "staging", CreatedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
		},
		Releases: []model.Release{{Tag: "v1.1.0", Name: "1.1.0", CreatedAt: at(7, 10, 0), Assets: 1, Description: "notes"}},
		Protection: &model.Protection{Branch: "main", Protected: true, RequirePR: true, RequiredApprovals: 2, RequireCodeOwners: true,
			PipelineMustSucceed: true, Source: "gitlab"},
		Have: map[model.Kind]bool{
			model.KindCommits: true, model.KindBranches: true, model.KindTags: true, model.KindTree: true,
			model.KindReleases: true, model.KindChanges: true, model.KindRuns: true, model.KindJobs: true,
			model.KindTestReports: true, model.KindDeployments: true, model.KindEnvironments: true, model.KindProtection: true,
		},
	}
}

// cmpEvidence compares evidence including the tree's unexported-in-JSON paths.
func cmpEvidence(t *testing.T, want, got *model.Evidence) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("evidence mismatch (-want +got):\n%s", diff)
	}
}

func TestScenario(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
	ev, res, err := h.collect(t)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if res.Partial || len(res.Warnings) > 0 {
		t.Errorf("partial=%v warnings=%q", res.Partial, res.Warnings)
	}
	cmpEvidence(t, expected(t), ev)
	if res.Requests == nil || res.Requests.Total != len(h.srv.Requests(false)) {
		t.Errorf("requests = %+v, server saw %d", res.Requests, len(h.srv.Requests(false)))
	}
}

func TestScenarioWithLocalGit(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), func(o *Options) { o.Kinds = withLocalClone(Descriptor) })
	ev, res, err := h.collect(t)
	if err != nil || res.Partial {
		t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
	}
	want := expected(t)
	want.TrunkTip, want.TrunkTipAt, want.Commits, want.Branches, want.Tags, want.Tree = "", time.Time{}, nil, nil, nil, nil
	for _, k := range []model.Kind{model.KindCommits, model.KindBranches, model.KindTags, model.KindTree} {
		delete(want.Have, k)
	}
	cmpEvidence(t, want, ev)
	reqs := h.srv.Requests(true)
	if len(reqs) != 25 {
		t.Errorf("full audit with a local clone: %d requests, want 25", len(reqs))
	}
	if _, res, err := h.collect(t); err != nil || res.Requests.Total != 8 {
		t.Errorf("repeat audit with a local clone: %v, %+v; want 8 requests", err, res.Requests)
	}
	for _, r := range append(reqs, h.srv.Requests(false)...) {
		for _, bad := range []string{"/repository/commits", "/repository/branches", "/repository/tags", "/repository/tree", "/repository/files", "/repository/compare"} {
			if contains(r, bad) {
				t.Errorf("asked %s although a local clone is audited", r)
			}
		}
	}
}
