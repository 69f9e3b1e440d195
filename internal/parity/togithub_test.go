package parity

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	gf "github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

const ghHTML = "https://github.com/acme/shop"

// ghEvent is the Actions event of a trigger.
var ghEvent = map[model.Trigger]string{
	model.TriggerPush:        "push",
	model.TriggerPullRequest: "pull_request",
	model.TriggerSchedule:    "schedule",
	model.TriggerManual:      "workflow_dispatch",
	model.TriggerTag:         "push", // of a tag: head_branch is the tag's name
}

func ghUser(login string) gf.User {
	return gf.User{Login: login, ID: int64(len(login)) * 1000, Type: "User"}
}

func ghCommit(c hCommit) gf.Commit {
	var g gf.Commit
	g.SHA = sha(c.name)
	g.NodeID = "C_" + c.name
	g.Commit.Author = gf.GitActor{Name: c.author, Email: c.author + "@example.com", Date: c.authored}
	g.Commit.Committer = gf.GitActor{Name: c.author, Email: c.author + "@example.com", Date: c.committed}
	g.Commit.Message = c.msg
	g.Commit.Tree.SHA = sha("t" + c.name)
	g.HTMLURL = ghHTML + "/commit/" + g.SHA
	u := ghUser(c.author)
	g.Author, g.Committer = &u, &u
	for _, p := range c.parents {
		g.Parents = append(g.Parents, gf.CommitRef{SHA: sha(p)})
	}
	return g
}

func concl(s string) *string { return &s }

// toGitHub translates the history into the fake GitHub's repository.
func toGitHub(h *history) *gf.Repo {
	r := &gf.Repo{Owner: h.owner, Name: h.name, DefaultBranch: h.branch, Private: true, CreatedAt: h.created}
	for _, c := range h.trunk {
		r.Commits = append(r.Commits, ghCommit(c))
	}
	r.Branches = []gf.Branch{{Name: h.branch, SHA: sha(h.tip().name), Protected: true}}
	for _, b := range h.open {
		gb := gf.Branch{Name: b.name, SHA: sha(b.commits[len(b.commits)-1])}
		for _, n := range b.commits {
			gb.Ahead = append(gb.Ahead, ghCommit(h.commit(n)))
		}
		r.Branches = append(r.Branches, gb)
	}
	for _, t := range h.tags {
		r.Tags = append(r.Tags, gf.Tag{Name: t.name, Commit: gf.CommitRef{SHA: sha(t.commit)}, NodeID: "T_" + t.name})
	}
	for i, rl := range h.releases {
		x := gf.Release{ID: int64(300 + i), TagName: rl.tag, TargetCommitish: h.branch, Name: "Release " + rl.tag,
			HTMLURL: ghHTML + "/releases/tag/" + rl.tag, Body: "Notes for " + rl.tag,
			CreatedAt: rl.at.Add(-time.Hour), PublishedAt: &rl.at, Author: ghUser("alice")}
		for a := range rl.assets {
			x.Assets = append(x.Assets, gf.Asset{ID: int64(3000 + 10*i + a), Name: fmt.Sprintf("shop-%d.tar.gz", a), Size: 1024})
		}
		r.Releases = append(r.Releases, x)
	}
	for _, c := range h.changes {
		r.Pulls = append(r.Pulls, ghPull(h, c))
	}
	for _, run := range h.runs {
		r.Runs = append(r.Runs, ghRun(run))
	}
	// GitHub marks a successful deployment inactive when a later one to the
	// same environment succeeds.
	deps := h.deployments()
	gds := make([]gf.Deployment, len(deps))
	lastOK := map[string]int{}
	for i, d := range deps {
		gds[i] = ghDeployment(d)
		if d.status != "success" {
			continue
		}
		if prev, ok := lastOK[d.env]; ok {
			inactive := gds[prev].Statuses[0]
			inactive.ID, inactive.State, inactive.CreatedAt, inactive.UpdatedAt = d.id*10+3, "inactive", d.done, d.done
			gds[prev].Statuses = append([]gf.DeploymentStatus{inactive}, gds[prev].Statuses...)
			gds[prev].UpdatedAt = d.done
		}
		lastOK[d.env] = i
	}
	for i := len(gds) - 1; i >= 0; i-- { // newest first
		r.Deployments = append(r.Deployments, gds[i])
	}
	for i, e := range h.envs {
		r.Environments = append(r.Environments, gf.Environment{ID: int64(i + 1), NodeID: "E_" + e.name, Name: e.name,
			HTMLURL: ghHTML + "/deployments/activity_log?environments_filter=" + e.name, CreatedAt: e.created, UpdatedAt: e.created})
	}
	r.Protection = ghProtection(h)
	r.Files = map[string]string{".github/workflows/ci.yml": h.githubCI}
	for p, c := range h.files {
		r.Files[p] = c
	}
	return r
}

func ghPull(h *history, c hChange) gf.Pull {
	p := gf.Pull{ID: int64(5000 + c.num), NodeID: "PR_" + strconv.Itoa(c.num), HTMLURL: ghHTML + "/pull/" + strconv.Itoa(c.num),
		Number: c.num, State: "open", Title: c.title, User: ghUser(c.author), Body: c.body,
		CreatedAt: c.created, UpdatedAt: c.updated,
		Head: gf.PullRef{Label: h.owner + ":" + c.branch, Ref: c.branch, SHA: sha(c.head)},
		Base: gf.PullRef{Label: h.owner + ":" + h.branch, Ref: h.branch, SHA: sha(h.tip().name)}, AuthorAssociation: "MEMBER"}
	if c.state != "open" {
		p.State = "closed"
		p.ClosedAt = &c.closed
	}
	if c.state == "merged" {
		p.MergedAt = &c.merged
		p.MergeCommitSHA = sha(c.merge)
	}
	id := int64(c.num * 100)
	review := func(login, state string) gf.Review {
		id++
		t := c.created.Add(time.Hour)
		return gf.Review{ID: id, User: ghUser(login), State: state, SubmittedAt: &t, CommitID: sha(c.head)}
	}
	for _, u := range c.commentBy {
		p.Reviews = append(p.Reviews, review(u, "COMMENTED"))
	}
	for _, u := range c.approvedBy {
		p.Reviews = append(p.Reviews, review(u, "APPROVED"))
	}
	for _, n := range c.commits {
		p.Commits = append(p.Commits, ghCommit(h.commit(n)))
	}
	for _, f := range c.files {
		p.Files = append(p.Files, gf.File{SHA: sha("f" + f.path), Filename: f.path, Status: "modified",
			Additions: f.add, Deletions: f.del, Changes: f.add + f.del})
	}
	return p
}

// ghSteps are the step names GitHub shows for a job of the workflow.
var ghSteps = map[string][]string{
	"build":             {"Set up job", "Run actions/checkout@v4", "Run go build ./...", "Complete job"},
	"test":              {"Set up job", "Run actions/checkout@v4", "Run go test ./...", "Complete job"},
	"lint":              {"Set up job", "Run actions/checkout@v4", "Run golangci-lint run", "Complete job"},
	"security":          {"Set up job", "Run actions/checkout@v4", "Run govulncheck ./...", "Complete job"},
	"deploy-staging":    {"Set up job", "Run actions/checkout@v4", "Run kubectl apply -k k8s/overlays/staging", "Complete job"},
	"deploy-production": {"Set up job", "Run actions/checkout@v4", "Run kubectl apply -k k8s/overlays/production", "Complete job"},
	"deploy-review":     {"Set up job", "Run actions/checkout@v4", "Run kubectl apply -k k8s/overlays/review", "Complete job"},
	"release":           {"Set up job", "Run actions/checkout@v4", "Run goreleaser release", "Complete job"},
}

func ghRun(run hRun) gf.Run {
	id := strconv.FormatInt(run.id, 10)
	g := gf.Run{ID: run.id, Name: "CI", NodeID: "WFR_" + id, HeadBranch: run.branch, HeadSHA: sha(run.commit),
		Path: ".github/workflows/ci.yml", DisplayTitle: "CI", RunNumber: int(run.id - 1000), Event: ghEvent[run.trigger],
		Status: "completed", Conclusion: concl(run.conclusion()), WorkflowID: 77, HTMLURL: ghHTML + "/actions/runs/" + id,
		PullRequests: []gf.PullRequestMin{}, CreatedAt: run.created, UpdatedAt: run.finished(), RunAttempt: 1,
		RunStartedAt: run.started(), Actor: ghUser("alice")}
	reruns := run.reruns()
	if len(reruns) > 0 { // a re-run is the run's second attempt: run_started_at is its start
		g.RunAttempt, g.RunStartedAt = 2, reruns[0].start
	}
	if run.pr != 0 {
		g.PullRequests = append(g.PullRequests, gf.PullRequestMin{ID: int64(5000 + run.pr), Number: run.pr})
	}
	for i, j := range run.jobs {
		st, en := run.jobStart(j), run.jobEnd(j)
		if j.concl == "skipped" {
			st, en = run.finished(), run.finished()
		}
		g.Jobs = append(g.Jobs, ghJob(g, run.jobID(i), j.name, j.concl, st, en))
	}
	for _, x := range reruns {
		gj := ghJob(g, x.id, x.job.name, "success", x.start, x.end)
		gj.RunAttempt = 2
		g.Jobs = append(g.Jobs, gj)
	}
	return g
}

func ghDeployment(d hDeployment) gf.Deployment {
	logURL := fmt.Sprintf("%s/actions/runs/%d/job/%d", ghHTML, d.run.id, d.id)
	st := func(id int64, state string, t time.Time) gf.DeploymentStatus {
		return gf.DeploymentStatus{ID: id, State: state, Creator: ghUser("github-actions"), Environment: d.env,
			CreatedAt: t, UpdatedAt: t, LogURL: logURL, TargetURL: logURL}
	}
	return gf.Deployment{ID: d.id, NodeID: "DE_" + strconv.FormatInt(d.id, 10), SHA: sha(d.commit), Ref: d.run.branch, Task: "deploy",
		Payload: map[string]any{}, OriginalEnvironment: d.env, Environment: d.env, Creator: ghUser("github-actions"),
		CreatedAt: d.created, UpdatedAt: d.done, ProductionEnvironment: d.env == "production",
		TransientEnvironment: strings.HasPrefix(d.env, "review/"),
		Statuses:             []gf.DeploymentStatus{st(d.id*10+2, d.status, d.done), st(d.id*10+1, "in_progress", d.created)}}
}

// ghProtection is classic branch protection requiring reviews and the
// named checks (the fake's type has anonymous structs: built from JSON).
func ghProtection(h *history) *gf.Protection {
	raw, _ := json.Marshal(map[string]any{
		"url":                           "",
		"required_status_checks":        map[string]any{"strict": true, "contexts": h.checks, "checks": []any{}},
		"enforce_admins":                map[string]any{"enabled": true},
		"required_pull_request_reviews": map[string]any{"required_approving_review_count": h.approvals},
		"required_linear_history":       map[string]any{"enabled": false},
		"allow_force_pushes":            map[string]any{"enabled": false},
		"allow_deletions":               map[string]any{"enabled": false},
	})
	var p gf.Protection
	if err := json.Unmarshal(raw, &p); err != nil {
		panic(err) // the literal above is valid
	}
	return &p
}

// ghJob is a job of the first attempt of run g.
func ghJob(g gf.Run, id int64, name, conclusion string, st, en time.Time) gf.Job {
	sid := strconv.FormatInt(id, 10)
	j := gf.Job{ID: id, RunID: g.ID, NodeID: "J_" + sid, HeadBranch: g.HeadBranch, HeadSHA: g.HeadSHA,
		HTMLURL: g.HTMLURL + "/job/" + sid, Status: "completed", Conclusion: concl(conclusion), CreatedAt: st,
		StartedAt: st, CompletedAt: &en, Name: name, RunAttempt: 1, Labels: []string{"ubuntu-latest"}, WorkflowName: "CI"}
	if conclusion != "skipped" {
		for n, s := range ghSteps[name] {
			j.Steps = append(j.Steps, gf.Step{Name: s, Status: "completed", Conclusion: concl("success"), Number: n + 1, StartedAt: &st, CompletedAt: &en})
		}
	}
	return j
}
