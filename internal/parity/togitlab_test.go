package parity

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	gf "github.com/cdaudit/cdaudit/collectors/github/githubfake"
	lf "github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

const (
	glProject = 42
	glWeb     = "https://gitlab.example.com/acme/shop"
)

// glSource is the pipeline source of a trigger.
var glSource = map[model.Trigger]string{
	model.TriggerPush:        "push",
	model.TriggerPullRequest: "merge_request_event",
	model.TriggerSchedule:    "schedule",
	model.TriggerManual:      "web",
	model.TriggerTag:         "push", // with tag: true
}

// glStatus is GitLab's word for a conclusion.
var glStatus = map[string]string{"success": "success", "failure": "failed", "cancelled": "canceled", "skipped": "skipped"}

// glStage is the stage of each job of the pipeline.
var glStage = map[string]string{"build": "build", "test": "test", "lint": "test", "security": "test",
	"deploy-staging": "deploy", "deploy-production": "deploy", "deploy-review": "deploy", "release": "release"}

func glUser(login string) lf.User {
	return lf.User{ID: int64(len(login)) * 1000, Username: login, Name: login, State: "active", WebURL: "https://gitlab.example.com/" + login}
}

// cet is the authors' zone: GitLab gives commit times in the committer's
// offset, GitHub in UTC.
var cet = time.FixedZone("CET", 3600)

func glCommit(c hCommit) lf.Commit {
	title, _, _ := strings.Cut(c.msg, "\n")
	g := lf.Commit{ID: sha(c.name), ShortID: sha(c.name)[:8], Title: title, Message: c.msg,
		AuthorName: c.author, AuthorEmail: c.author + "@example.com", AuthoredDate: c.authored.In(cet),
		CommitterName: c.author, CommitterEmail: c.author + "@example.com", CommittedDate: c.committed.In(cet), CreatedAt: c.committed.In(cet),
		WebURL: glWeb + "/-/commit/" + sha(c.name)}
	for _, p := range c.parents {
		g.ParentIDs = append(g.ParentIDs, sha(p))
	}
	if g.ParentIDs == nil {
		g.ParentIDs = []string{}
	}
	return g
}

func tp(t time.Time) *time.Time { return &t }

func fp(f float64) *float64 { return &f }

func sp(s string) *string { return &s }

// toGitLab translates the history into the fake GitLab's project.
func toGitLab(h *history) *lf.Data {
	d := &lf.Data{Project: lf.Project{ID: glProject, Name: h.name, PathWithNamespace: h.owner + "/" + h.name,
		DefaultBranch: h.branch, WebURL: glWeb, OnlyAllowMergeIfPipelineSucceeds: true, MergeMethod: "merge",
		BuildsAccessLevel: "enabled", Visibility: "private"}}
	for _, c := range h.trunk {
		d.Commits = append(d.Commits, glCommit(c))
	}
	d.Branches = []lf.Branch{{Name: h.branch, Default: true, Protected: true, Commit: glCommit(h.tip())}}
	for _, b := range h.open {
		gb := lf.Branch{Name: b.name, Commit: glCommit(h.commit(b.commits[len(b.commits)-1])), WebURL: glWeb + "/-/tree/" + b.name}
		for i := len(b.commits) - 1; i >= 0; i-- { // newest first
			gb.Ahead = append(gb.Ahead, glCommit(h.commit(b.commits[i])))
		}
		d.Branches = append(d.Branches, gb)
	}
	for _, t := range h.tags {
		d.Tags = append(d.Tags, lf.Tag{Name: t.name, Target: sha(t.commit), Commit: glCommit(h.commit(t.commit))})
	}
	for _, rl := range h.releases {
		x := lf.Release{TagName: rl.tag, Name: "Release " + rl.tag, Description: "Notes for " + rl.tag,
			CreatedAt: rl.at.Add(-time.Hour), ReleasedAt: rl.at}
		x.Links.Self = glWeb + "/-/releases/" + rl.tag
		for _, f := range []string{"zip", "tar.gz", "tar.bz2", "tar"} { // GitLab's source archives: not assets
			x.Assets.Sources = append(x.Assets.Sources, lf.ReleaseLink{Format: f, URL: glWeb + "/-/archive/" + rl.tag + "." + f})
		}
		for a := range rl.assets {
			x.Assets.Links = append(x.Assets.Links, lf.ReleaseLink{ID: int64(a + 1), Name: fmt.Sprintf("shop-%d.tar.gz", a),
				URL: "https://downloads.example.com/shop-" + rl.tag + ".tar.gz", LinkType: "package"})
		}
		x.Assets.Count = len(x.Assets.Sources) + len(x.Assets.Links)
		d.Releases = append(d.Releases, x)
	}
	for _, c := range h.changes {
		d.MergeRequests = append(d.MergeRequests, glMR(h, c))
	}
	for _, run := range h.runs {
		d.Pipelines = append(d.Pipelines, glPipeline(h, run))
	}
	envID := map[string]int64{}
	for i, e := range h.envs {
		envID[e.name] = int64(i + 1)
		d.Environments = append(d.Environments, lf.Environment{ID: int64(i + 1), Name: e.name, Slug: e.name,
			ExternalURL: "https://" + e.name + ".shop.example.com", State: "available", Tier: e.tier, CreatedAt: e.created, UpdatedAt: e.created})
	}
	for i, dp := range h.deployments() {
		x := lf.Deployment{ID: dp.id, IID: int64(i + 1), Ref: dp.run.branch, SHA: sha(dp.commit), Status: glStatus[dp.status],
			CreatedAt: dp.created, UpdatedAt: dp.done, User: glUser("alice")}
		x.Environment.ID, x.Environment.Name = envID[dp.env], dp.env
		x.Deployable = &lf.Deployable{ID: dp.id, Name: "deploy-" + dp.env, Stage: "deploy", Status: glStatus[dp.status], Ref: dp.run.branch,
			CreatedAt: dp.created, StartedAt: tp(dp.created), FinishedAt: tp(dp.done), Duration: fp(dp.done.Sub(dp.created).Seconds())}
		x.Deployable.Pipeline.ID, x.Deployable.Pipeline.SHA, x.Deployable.Pipeline.Ref = dp.run.id, sha(dp.commit), dp.run.branch
		d.Deployments = append(d.Deployments, x)
	}
	d.ProtectedBranches = []lf.ProtectedBranch{{ID: 1, Name: h.branch,
		PushAccessLevels:  []lf.AccessLevel{{ID: 1, AccessLevel: 0, AccessLevelDescription: "No one"}},
		MergeAccessLevels: []lf.AccessLevel{{ID: 2, AccessLevel: 30, AccessLevelDescription: "Developers + Maintainers"}}}}
	d.ApprovalRules = []lf.ApprovalRule{{ID: 1, Name: "All Members", RuleType: "any_approver", ApprovalsRequired: h.approvals}}
	d.Files = map[string]string{".gitlab-ci.yml": h.gitlabCI}
	for p, c := range h.files {
		d.Files[p] = c
	}
	d.Tree = glTree(d.Files)
	return d
}

func glMR(h *history, c hChange) *lf.MergeRequest {
	m := &lf.MergeRequest{ID: int64(9000 + c.num), IID: int64(c.num), ProjectID: glProject, Title: c.title, Description: c.body,
		State: "opened", CreatedAt: c.created, UpdatedAt: c.updated, TargetBranch: h.branch, SourceBranch: c.branch,
		Author: glUser(c.author), Labels: []string{}, SHA: sha(c.head), WebURL: fmt.Sprintf("%s/-/merge_requests/%d", glWeb, c.num),
		ApprovedBy: c.approvedBy}
	switch c.state {
	case "merged": // GitLab leaves closed_at null on merged merge requests
		m.State, m.MergedAt, m.MergeCommitSHA = "merged", tp(c.merged), sp(sha(c.merge))
	case "closed":
		m.State, m.ClosedAt = "closed", tp(c.closed)
	}
	for i := len(c.commits) - 1; i >= 0; i-- { // newest first
		m.Commits = append(m.Commits, glCommit(h.commit(c.commits[i])))
	}
	for _, f := range c.files {
		var b strings.Builder
		fmt.Fprintf(&b, "@@ -1,%d +1,%d @@\n", f.del, f.add)
		for range f.del {
			b.WriteString("-old line\n")
		}
		for range f.add {
			b.WriteString("+new line\n")
		}
		m.Diffs = append(m.Diffs, lf.Diff{OldPath: f.path, NewPath: f.path, AMode: "100644", BMode: "100644", Diff: b.String()})
	}
	for _, n := range c.closes {
		m.ClosesIssues = append(m.ClosesIssues, map[string]any{"id": 7000 + n, "iid": n, "project_id": glProject,
			"title": fmt.Sprintf("Issue %d", n), "state": "closed", "web_url": fmt.Sprintf("%s/-/issues/%d", glWeb, n),
			"references": map[string]string{"short": fmt.Sprintf("#%d", n), "relative": fmt.Sprintf("#%d", n), "full": fmt.Sprintf("acme/shop#%d", n)}})
	}
	return m
}

func glPipeline(h *history, run hRun) *lf.Pipeline {
	status := glStatus[run.conclusion()]
	ref := run.branch
	if run.pr != 0 {
		ref = fmt.Sprintf("refs/merge-requests/%d/head", run.pr)
	}
	start, fin := run.started(), run.finished()
	p := &lf.Pipeline{ID: run.id, IID: run.id - 1000, ProjectID: glProject, Status: status, Source: glSource[run.trigger],
		Ref: ref, Tag: run.trigger == model.TriggerTag, SHA: sha(run.commit), Name: sp("CI"), User: glUser("alice"), WebURL: fmt.Sprintf("%s/-/pipelines/%d", glWeb, run.id),
		CreatedAt: run.created, UpdatedAt: fin, StartedAt: tp(start), FinishedAt: tp(fin),
		Duration: fp(fin.Sub(start).Seconds()), QueuedDuration: fp(run.queue.Seconds())}
	reruns := run.reruns()
	if len(reruns) > 0 { // GitLab's duration is the time jobs ran, gaps left out
		d := run.firstEnd().Sub(start)
		for _, x := range reruns {
			d += x.end.Sub(x.start)
		}
		p.Duration = fp(d.Seconds())
	}
	for i, j := range run.jobs {
		gj := lf.Job{ID: run.jobID(i), Name: j.name, Stage: glStage[j.name], Status: glStatus[j.concl], Ref: ref,
			CreatedAt: run.created, WebURL: fmt.Sprintf("%s/-/jobs/%d", glWeb, run.jobID(i))}
		if j.concl != "skipped" {
			gj.StartedAt, gj.FinishedAt, gj.Duration = tp(run.jobStart(j)), tp(run.jobEnd(j)), fp(j.dur.Seconds())
			if j.name == "test" {
				gj.Artifacts = []lf.JobArtifact{{FileType: "junit", Filename: "junit.xml.gz", Size: 2048, FileFormat: sp("gzip")}}
			}
		}
		gj.Retried = run.rerun != 0 && j.concl == "failure"
		p.Jobs = append(p.Jobs, gj)
	}
	for _, x := range reruns {
		gj := lf.Job{ID: x.id, Name: x.job.name, Stage: glStage[x.job.name], Status: "success", Ref: ref, CreatedAt: x.start,
			StartedAt: tp(x.start), FinishedAt: tp(x.end), Duration: fp(x.end.Sub(x.start).Seconds()),
			WebURL: fmt.Sprintf("%s/-/jobs/%d", glWeb, x.id)}
		if x.job.name == "test" {
			gj.Artifacts = []lf.JobArtifact{{FileType: "junit", Filename: "junit.xml.gz", Size: 2048, FileFormat: sp("gzip")}}
		}
		p.Jobs = append(p.Jobs, gj)
	}
	if t := run.tests; t != nil {
		ok := t.total - t.failed - t.skipped
		p.TestReport = &lf.TestReport{TotalTime: t.secs, TotalCount: t.total, SuccessCount: ok, FailedCount: t.failed, SkippedCount: t.skipped,
			TestSuites: []lf.TestSuite{{Name: "go test", TotalTime: t.secs, TotalCount: t.total, SuccessCount: ok,
				FailedCount: t.failed, SkippedCount: t.skipped, TestCases: []lf.TestCase{}}}}
	}
	return p
}

// glTree lists files and their directories as the tree API does.
func glTree(files map[string]string) []lf.TreeEntry {
	dirs := map[string]bool{}
	var out []lf.TreeEntry
	for p := range files {
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			dirs[dir] = true
		}
		out = append(out, lf.TreeEntry{ID: gf.BlobSHA(files[p]), Name: path.Base(p), Type: "blob", Path: p, Mode: "100644"})
	}
	for dir := range dirs {
		out = append(out, lf.TreeEntry{ID: gf.BlobSHA("tree:" + dir), Name: path.Base(dir), Type: "tree", Path: dir, Mode: "040000"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
