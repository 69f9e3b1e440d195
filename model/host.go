package model

import "time"

// Change is a pull request (GitHub) or merge request (GitLab).
type Change struct {
	ID           string     `json:"id"` // number / iid as text
	URL          string     `json:"url,omitempty"`
	Title        string     `json:"title"`
	Author       string     `json:"author,omitempty"`
	State        string     `json:"state"` // open, merged, closed
	Draft        bool       `json:"draft,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at,omitempty"`
	MergedAt     *time.Time `json:"merged_at,omitempty"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	FirstCommit  *time.Time `json:"first_commit,omitempty"` // earliest author time of its commits
	SourceBranch string     `json:"source_branch,omitempty"`
	TargetBranch string     `json:"target_branch,omitempty"`
	HeadSHA      string     `json:"head_sha,omitempty"`
	MergeSHA     string     `json:"merge_sha,omitempty"`
	Additions    int        `json:"additions,omitempty"`
	Deletions    int        `json:"deletions,omitempty"`
	ChangedFiles int        `json:"changed_files,omitempty"`
	Files        []string   `json:"files,omitempty"`
	Reviews      int        `json:"reviews,omitempty"`
	Approvals    int        `json:"approvals,omitempty"`
	LinkedIssues []string   `json:"linked_issues,omitempty"`
	Labels       []string   `json:"labels,omitempty"`
	// DetailsKnown is false when only the listing was read (reviews, files and
	// first commit are then unset, not zero).
	DetailsKnown bool `json:"details_known"`
	// ApprovalsUnknown is set when the details were read but the host would
	// not tell reviews and approvals (e.g. a GitLab tier without the
	// approvals API): Reviews and Approvals are then unset, not zero.
	ApprovalsUnknown bool `json:"approvals_unknown,omitempty"`
}

// Merged reports whether the change was merged.
func (c Change) Merged() bool { return c.MergedAt != nil }

// Trigger is the normalised event that started a run.
type Trigger string

// Triggers, normalised across hosts.
const (
	TriggerPush        Trigger = "push"
	TriggerPullRequest Trigger = "pull_request" // GitHub pull_request(_target), GitLab merge_request_event
	TriggerSchedule    Trigger = "schedule"
	TriggerManual      Trigger = "manual" // workflow_dispatch, GitLab web
	TriggerAPI         Trigger = "api"    // repository_dispatch, GitLab api/trigger
	TriggerUpstream    Trigger = "upstream"
	TriggerTag         Trigger = "tag"
	TriggerOther       Trigger = "other"
)

// Run is one CI pipeline run (an Actions workflow run, a GitLab pipeline).
type Run struct {
	ID         string     `json:"id"`
	URL        string     `json:"url,omitempty"`
	Name       string     `json:"name,omitempty"` // workflow name
	Event      string     `json:"event"`          // the host's own word
	Trigger    Trigger    `json:"trigger"`
	Branch     string     `json:"branch,omitempty"`
	SHA        string     `json:"sha"`
	Status     string     `json:"status"`     // queued, in_progress, completed
	Conclusion string     `json:"conclusion"` // success, failure, cancelled, skipped, ""
	Attempt    int        `json:"attempt,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Duration and Queued are in seconds where the host reports them.
	Duration   *float64 `json:"duration_seconds,omitempty"`
	Queued     *float64 `json:"queued_seconds,omitempty"`
	Jobs       []Job    `json:"jobs,omitempty"`
	JobsKnown  bool     `json:"jobs_known"`
	Coverage   *float64 `json:"coverage,omitempty"` // percent
	PullNumber string   `json:"pull_number,omitempty"`
}

// Succeeded reports a successful run.
func (r Run) Succeeded() bool { return r.Conclusion == "success" }

// Failed reports a failed run (failure or timed out).
func (r Run) Failed() bool { return r.Conclusion == "failure" || r.Conclusion == "timed_out" }

// Job is one job of a run.
type Job struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	URL          string     `json:"url,omitempty"`
	Stage        string     `json:"stage,omitempty"`
	Status       string     `json:"status"`
	Conclusion   string     `json:"conclusion"`
	StartedAt    *time.Time `json:"started_at,omitempty"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	Duration     *float64   `json:"duration_seconds,omitempty"`
	AllowFailure bool       `json:"allow_failure,omitempty"`
	Retried      bool       `json:"retried,omitempty"`
	Attempt      int        `json:"attempt,omitempty"`
	Steps        []string   `json:"steps,omitempty"`
	JUnit        bool       `json:"junit,omitempty"` // publishes a test report
	Environment  string     `json:"environment,omitempty"`
	Manual       bool       `json:"manual,omitempty"`
	Coverage     *float64   `json:"coverage,omitempty"`
}

// TestReport is a structured test result of one run.
type TestReport struct {
	RunID    string      `json:"run_id"`
	SHA      string      `json:"sha,omitempty"`
	Total    int         `json:"total"`
	Passed   int         `json:"passed"`
	Failed   int         `json:"failed"`
	Skipped  int         `json:"skipped"`
	Errored  int         `json:"errored"`
	Duration float64     `json:"duration_seconds"`
	Suites   []TestSuite `json:"suites,omitempty"`
	// Detail is set where the source told individual test cases.
	Detail *TestDetail `json:"detail,omitempty"`
}

// TestSuite is one suite of a test report.
type TestSuite struct {
	Name     string  `json:"name"`
	Total    int     `json:"total"`
	Failed   int     `json:"failed"`
	Skipped  int     `json:"skipped"`
	Duration float64 `json:"duration_seconds"`
}

// Deployment is one deployment record.
type Deployment struct {
	ID          string     `json:"id"`
	URL         string     `json:"url,omitempty"`
	Environment string     `json:"environment"`
	SHA         string     `json:"sha"`
	Ref         string     `json:"ref,omitempty"`
	Creator     string     `json:"creator,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	// Status is the final outcome: success, failure, error, inactive,
	// in_progress, queued, canceled, unknown.
	Status string `json:"status"`
	// Production is the host's own flag where it has one (GitHub
	// production_environment, GitLab tier), nil when the host says nothing.
	Production *bool  `json:"production,omitempty"`
	Task       string `json:"task,omitempty"`
	RunID      string `json:"run_id,omitempty"`
	Rollback   bool   `json:"rollback,omitempty"`
	// Source names where the record comes from when it is not the Git
	// host's or the CI's own deployment API: DeploySourceArgoCD,
	// DeploySourceRecorded. Empty for host records.
	Source string `json:"source,omitempty"`
}

// Deployment sources besides the hosts' own records.
const (
	DeploySourceArgoCD   = "argocd"   // Argo CD application history
	DeploySourceRecorded = "recorded" // cdaudit record-deployment, kept in the store
)

// Environment is a deployment target the host knows.
type Environment struct {
	Name            string    `json:"name"`
	URL             string    `json:"url,omitempty"`
	Tier            string    `json:"tier,omitempty"` // production, staging, testing, development, other
	Dynamic         bool      `json:"dynamic,omitempty"`
	ProtectionRules []string  `json:"protection_rules,omitempty"`
	CreatedAt       time.Time `json:"created_at,omitempty"`
}

// Release is a published release.
type Release struct {
	Tag         string    `json:"tag"`
	Name        string    `json:"name,omitempty"`
	URL         string    `json:"url,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	Assets      int       `json:"assets,omitempty"`
	Prerelease  bool      `json:"prerelease,omitempty"`
	Draft       bool      `json:"draft,omitempty"`
	Description string    `json:"-"`
}

// Protection is what the host enforces on the default branch.
type Protection struct {
	Branch            string `json:"branch"`
	Protected         bool   `json:"protected"`
	RequirePR         bool   `json:"require_pr"`
	RequiredApprovals int    `json:"required_approvals"`
	// ApprovalsUnknown is set when the host would not say how many approvals
	// it requires (GitLab tiers without approval rules): RequiredApprovals is
	// then unset, not zero.
	ApprovalsUnknown     bool     `json:"approvals_unknown,omitempty"`
	RequireCodeOwners    bool     `json:"require_code_owners,omitempty"`
	RequiredChecks       []string `json:"required_checks,omitempty"`
	PipelineMustSucceed  bool     `json:"pipeline_must_succeed,omitempty"`
	AllowForcePush       bool     `json:"allow_force_push,omitempty"`
	RequireLinearHistory bool     `json:"require_linear_history,omitempty"`
	Source               string   `json:"source,omitempty"` // branch_protection, rulesets, gitlab
}
