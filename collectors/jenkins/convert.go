package jenkins

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// buildFields is the tree of one build in a listing: everything a run and
// its test counts need, in one request per page.
const buildFields = "number,result,duration,timestamp,queueId,building," +
	"actions[causes[_class,shortDescription,userId,upstreamProject,upstreamBuild],parameters[name,value]," +
	"lastBuiltRevision[SHA1,branch[name]],totalCount,failCount,skipCount,queuingDurationMillis]"

type jBuild struct {
	Number    int     `json:"number"`
	Result    *string `json:"result"`
	Duration  int64   `json:"duration"`
	Timestamp int64   `json:"timestamp"`
	QueueID   int64   `json:"queueId"`
	Building  bool    `json:"building"`
	Actions   []struct {
		Causes []struct {
			Class           string `json:"_class"`
			Short           string `json:"shortDescription"`
			UserID          string `json:"userId"`
			UpstreamProject string `json:"upstreamProject"`
		} `json:"causes"`
		Parameters []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"parameters"`
		LastBuiltRevision *struct {
			SHA1   string `json:"SHA1"`
			Branch []struct {
				Name string `json:"name"`
			} `json:"branch"`
		} `json:"lastBuiltRevision"`
		TotalCount *int   `json:"totalCount"`
		FailCount  int    `json:"failCount"`
		SkipCount  int    `json:"skipCount"`
		Queuing    *int64 `json:"queuingDurationMillis"`
	} `json:"actions"`
}

// jobKind is how a job's builds are read.
type jobKind struct {
	path     []string // full name segments
	name     string   // the run name (the pipeline's name, shared by branch jobs)
	pipeline bool     // has wfapi stages
	pull     string   // change-request number of a PR-N branch job
	branch   string   // branch of a multibranch branch job
	tag      bool     // a multibranch tag job: branch is the tag
}

// toRun maps a listed build onto a run and its test counts.
func toRun(c *Collector, jk jobKind, b jBuild) (model.Run, *model.TestReport) {
	full := strings.Join(jk.path, "/")
	run := model.Run{
		ID: full + "#" + strconv.Itoa(b.Number), URL: c.root + jobURL(jk.path) + "/" + strconv.Itoa(b.Number) + "/",
		Name: jk.name, Branch: jk.branch, PullNumber: jk.pull,
	}
	start := time.UnixMilli(b.Timestamp).UTC()
	run.StartedAt = &start
	run.CreatedAt = start
	var counts *model.TestReport
	var params = map[string]string{}
	for _, a := range b.Actions {
		if len(a.Causes) > 0 && run.Event == "" {
			cs := a.Causes[0]
			run.Event = causeName(cs.Class)
			run.Trigger = causeTrigger(cs.Class, jk.pull != "")
		}
		for _, p := range a.Parameters {
			if s, ok := p.Value.(string); ok {
				params[p.Name] = s
			}
		}
		if r := a.LastBuiltRevision; r != nil && run.SHA == "" {
			run.SHA = strings.ToLower(r.SHA1)
			if run.Branch == "" && jk.pull == "" && len(r.Branch) > 0 {
				run.Branch = shortBranch(r.Branch[0].Name)
			}
		}
		if a.TotalCount != nil && counts == nil {
			t := &model.TestReport{Total: *a.TotalCount, Failed: max(0, a.FailCount), Skipped: max(0, a.SkipCount)}
			t.Total = max(t.Total, t.Failed+t.Skipped) // a damaged action: counts add up
			t.Passed = t.Total - t.Failed - t.Skipped
			counts = t
		}
		if a.Queuing != nil && *a.Queuing >= 0 {
			q := float64(*a.Queuing) / 1000
			run.Queued = &q
			run.CreatedAt = start.Add(-time.Duration(*a.Queuing) * time.Millisecond)
		}
	}
	if run.Event == "" {
		run.Event, run.Trigger = "unknown", model.TriggerOther
	}
	if jk.tag && run.Trigger != model.TriggerManual && run.Trigger != model.TriggerUpstream {
		run.Trigger = model.TriggerTag
	}
	if run.Branch == "" && jk.pull == "" {
		for _, k := range []string{"BRANCH_NAME", "GIT_BRANCH", "BRANCH"} {
			if v := params[k]; v != "" {
				run.Branch = shortBranch(v)
				break
			}
		}
	}
	switch {
	case b.Building:
		run.Status = "in_progress"
	case b.Result == nil:
		run.Status = "queued"
	default:
		run.Status, run.Conclusion = "completed", conclusion(*b.Result)
		d := float64(b.Duration) / 1000
		run.Duration = &d
		fin := start.Add(time.Duration(b.Duration) * time.Millisecond)
		run.FinishedAt = &fin
	}
	if counts != nil {
		counts.RunID, counts.SHA = run.ID, run.SHA
	}
	return run, counts
}

// conclusion maps a Jenkins result; UNSTABLE (tests failed) is a failure.
func conclusion(r string) string {
	switch r {
	case "SUCCESS":
		return "success"
	case "FAILURE", "UNSTABLE":
		return "failure"
	case "ABORTED":
		return "cancelled"
	case "NOT_BUILT":
		return "skipped"
	}
	return strings.ToLower(r)
}

// stageStatus maps a wfapi status onto status and conclusion.
func stageStatus(s string) (string, string) {
	switch s {
	case "SUCCESS":
		return "completed", "success"
	case "FAILED", "UNSTABLE":
		return "completed", "failure"
	case "ABORTED":
		return "completed", "cancelled"
	case "NOT_EXECUTED":
		return "completed", "skipped"
	case "IN_PROGRESS":
		return "in_progress", ""
	case "PAUSED_PENDING_INPUT":
		return "waiting", ""
	}
	return strings.ToLower(s), ""
}

// causeName is the short class of a cause: SCMTriggerCause, UserIdCause…
func causeName(class string) string {
	if i := strings.LastIndexAny(class, ".$"); i >= 0 {
		return class[i+1:]
	}
	return class
}

// causeTrigger maps a cause class onto the model's trigger.
func causeTrigger(class string, pull bool) model.Trigger {
	n := causeName(class)
	switch {
	case n == "UserIdCause" || n == "UserCause" || n == "ReplayCause" || n == "RebuildCause":
		return model.TriggerManual
	case n == "UpstreamCause":
		return model.TriggerUpstream
	case n == "TimerTriggerCause" || n == "ParameterizedTimerTriggerCause":
		return model.TriggerSchedule
	case n == "RemoteCause":
		return model.TriggerAPI
	case n == "SCMTriggerCause" || n == "BranchEventCause" || n == "BranchIndexingCause" ||
		strings.HasSuffix(n, "PushCause"):
		if pull {
			return model.TriggerPullRequest
		}
		return model.TriggerPush
	case strings.Contains(n, "PullRequest") || strings.Contains(n, "MergeRequest"):
		return model.TriggerPullRequest
	}
	return model.TriggerOther
}

// shortBranch strips remote and ref prefixes: refs/remotes/origin/main,
// origin/main, refs/heads/main → main.
func shortBranch(s string) string {
	for _, p := range []string{"refs/remotes/origin/", "remotes/origin/", "origin/", "refs/heads/"} {
		if t, ok := strings.CutPrefix(s, p); ok {
			return t
		}
	}
	return s
}

// tagName matches the jobs a multibranch project's tag discovery creates
// (v1.2.0, 2.0, 1.4.2-rc1): read as tag runs.
var tagName = regexp.MustCompile(`^v?\d+(\.\d+)+([-+.][0-9A-Za-z.-]+)?$`)

// pullNumber reads a change-request job name: PR-12, MR-7 → 12, 7.
func pullNumber(name string) string {
	for _, p := range []string{"PR-", "MR-"} {
		if n, ok := strings.CutPrefix(name, p); ok {
			if _, err := strconv.Atoi(n); err == nil {
				return n
			}
		}
	}
	return ""
}
