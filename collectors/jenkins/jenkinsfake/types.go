// Package jenkinsfake is an httptest Jenkins that answers the JSON API the
// way Jenkins does, for the jenkins collector's tests: job and folder
// listings (/job/a/job/b/api/json with the tree parameter, allBuilds and
// builds with {M,N} ranges, multibranch branch and change-request jobs), the
// Pipeline REST API (wfapi/describe) and JUnit test results
// (testReport/api/json), behind an optional proxy path, with HTTP basic
// authentication by user and API token and injectable faults. It counts the
// requests it answers.
//
// Import rules: no package of cdaudit (it stands for Jenkins); only tests
// import it.
package jenkinsfake

import "time"

// Job classes as Jenkins names them in _class.
const (
	ClassFreestyle   = "hudson.model.FreeStyleProject"
	ClassPipeline    = "org.jenkinsci.plugins.workflow.job.WorkflowJob"
	ClassMultibranch = "org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject"
	ClassFolder      = "com.cloudbees.hudson.plugins.folder.Folder"
)

// Cause classes as Jenkins names them.
const (
	CauseSCM       = "hudson.triggers.SCMTrigger$SCMTriggerCause"
	CauseTimer     = "hudson.triggers.TimerTrigger$TimerTriggerCause"
	CauseUser      = "hudson.model.Cause$UserIdCause"
	CauseUpstream  = "hudson.model.Cause$UpstreamCause"
	CauseRemote    = "hudson.model.Cause$RemoteCause"
	CauseBranch    = "jenkins.branch.BranchEventCause"
	CauseIndexing  = "jenkins.branch.BranchIndexingCause"
	CauseReplay    = "org.jenkinsci.plugins.workflow.cps.replay.ReplayCause"
	CauseGitHubPsh = "com.cloudbees.jenkins.GitHubPushCause"
)

// Job is one item: a freestyle or Pipeline job, a folder or a multibranch
// project whose Jobs are its branch and change-request jobs.
type Job struct {
	Name        string // as in the URL, unescaped ("feature%2Fx" for a branch feature/x)
	Class       string
	DisplayName string
	// Title is the change request's title (branch-api ObjectMetadataAction).
	Title    string
	Disabled bool
	Builds   []Build // any order
	Jobs     []*Job
}

// Cause is one entry of a build's CauseAction.
type Cause struct {
	Class            string
	ShortDescription string
	UserID           string
	UpstreamProject  string
	UpstreamBuild    int
}

// Build is one run of a job.
type Build struct {
	Number   int
	Result   string // SUCCESS, FAILURE, UNSTABLE, ABORTED, NOT_BUILT; "" while building
	Building bool
	Start    time.Time // Jenkins "timestamp"
	Duration time.Duration
	Queued   time.Duration // metrics plugin TimeInQueueAction; 0: action absent
	QueueID  int
	SHA      string
	Branch   string // e.g. refs/remotes/origin/main
	Causes   []Cause
	Params   map[string]string
	Tests    *TestResult // nil: no JUnit publisher in this build
	Stages   []Stage     // Pipeline builds only
}

// Stage is one stage of a Pipeline build (wfapi).
type Stage struct {
	ID       string
	Name     string
	Status   string // SUCCESS, FAILED, ABORTED, UNSTABLE, IN_PROGRESS, NOT_EXECUTED, PAUSED_PENDING_INPUT
	Start    time.Time
	Duration time.Duration
}

// TestResult is a build's JUnit result.
type TestResult struct {
	Suites []Suite
}

// Suite is one suite of a test result.
type Suite struct {
	Name     string
	Duration float64 // seconds
	Cases    []Case
}

// Case is one test case: Status PASSED, FIXED, FAILED, REGRESSION, SKIPPED.
type Case struct {
	ClassName string
	Name      string
	Status    string
	Duration  float64
}

// Fault makes a path answer Status (with Body, if set) for its next Times
// requests (Times 0: every request).
type Fault struct {
	Status int
	Body   string
	Times  int
}
