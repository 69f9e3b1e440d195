// Package gitlabfake is a fake GitLab REST API v4 for tests: an httptest
// server that serves one project's data with payloads shaped as GitLab
// documents them (field names, nulls, offset pagination headers X-Page /
// X-Next-Page / X-Total / Link, keyset pagination on the repository tree,
// RateLimit-* headers), and injectable faults (429 with Retry-After, 5xx
// bursts, 401, 403, 404). It records the requests it answered so that tests
// can count them. It is reusable by any package's tests (e.g. a GitHub ↔
// GitLab parity test).
//
// Import rules: no package of cdaudit (it stands for GitLab); only tests
// import it.
package gitlabfake

import "time"

// Project is GET /projects/:id.
type Project struct {
	ID                               int64  `json:"id"`
	Name                             string `json:"name"`
	PathWithNamespace                string `json:"path_with_namespace"`
	DefaultBranch                    string `json:"default_branch"`
	WebURL                           string `json:"web_url"`
	OnlyAllowMergeIfPipelineSucceeds bool   `json:"only_allow_merge_if_pipeline_succeeds"`
	MergeMethod                      string `json:"merge_method"`
	BuildsAccessLevel                string `json:"builds_access_level"`
	Visibility                       string `json:"visibility"`
}

// Commit is a repository commit.
type Commit struct {
	ID             string    `json:"id"`
	ShortID        string    `json:"short_id"`
	Title          string    `json:"title"`
	Message        string    `json:"message"`
	AuthorName     string    `json:"author_name"`
	AuthorEmail    string    `json:"author_email"`
	AuthoredDate   time.Time `json:"authored_date"`
	CommitterName  string    `json:"committer_name"`
	CommitterEmail string    `json:"committer_email"`
	CommittedDate  time.Time `json:"committed_date"`
	CreatedAt      time.Time `json:"created_at"`
	ParentIDs      []string  `json:"parent_ids"`
	WebURL         string    `json:"web_url"`
}

// Branch is GET /repository/branches.
type Branch struct {
	Name      string `json:"name"`
	Merged    bool   `json:"merged"`
	Protected bool   `json:"protected"`
	Default   bool   `json:"default"`
	CanPush   bool   `json:"can_push"`
	WebURL    string `json:"web_url"`
	Commit    Commit `json:"commit"`
	// Ahead are the commits on the branch and not on the default branch
	// (newest first), served by /repository/compare.
	Ahead []Commit `json:"-"`
}

// Tag is GET /repository/tags.
type Tag struct {
	Name      string  `json:"name"`
	Message   string  `json:"message"`
	Target    string  `json:"target"`
	Protected bool    `json:"protected"`
	Commit    Commit  `json:"commit"`
	Release   *string `json:"release"`
}

// Release is GET /releases.
type Release struct {
	TagName     string        `json:"tag_name"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	CreatedAt   time.Time     `json:"created_at"`
	ReleasedAt  time.Time     `json:"released_at"`
	Assets      ReleaseAssets `json:"assets"`
	Links       struct {
		Self string `json:"self"`
	} `json:"_links"`
}

// ReleaseAssets counts sources and links.
type ReleaseAssets struct {
	Count   int           `json:"count"`
	Sources []ReleaseLink `json:"sources"`
	Links   []ReleaseLink `json:"links"`
}

// ReleaseLink is an asset link (or a source archive: format + url).
type ReleaseLink struct {
	ID       int64  `json:"id,omitempty"`
	Name     string `json:"name,omitempty"`
	Format   string `json:"format,omitempty"`
	URL      string `json:"url"`
	LinkType string `json:"link_type,omitempty"`
}

// User is a basic user.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	State    string `json:"state"`
	WebURL   string `json:"web_url"`
}

// MergeRequest is a merge request; the fields marked "-" are served by the
// per-MR endpoints.
type MergeRequest struct {
	ID              int64      `json:"id"`
	IID             int64      `json:"iid"`
	ProjectID       int64      `json:"project_id"`
	Title           string     `json:"title"`
	Description     string     `json:"description"`
	State           string     `json:"state"` // opened, closed, locked, merged
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	MergedAt        *time.Time `json:"merged_at"`
	ClosedAt        *time.Time `json:"closed_at"`
	TargetBranch    string     `json:"target_branch"`
	SourceBranch    string     `json:"source_branch"`
	Author          User       `json:"author"`
	Draft           bool       `json:"draft"`
	Labels          []string   `json:"labels"`
	SHA             string     `json:"sha"`
	MergeCommitSHA  *string    `json:"merge_commit_sha"`
	SquashCommitSHA *string    `json:"squash_commit_sha"`
	WebURL          string     `json:"web_url"`

	Commits      []Commit `json:"-"` // /commits (newest first)
	Diffs        []Diff   `json:"-"` // /diffs
	ClosesIssues []any    `json:"-"` // /closes_issues: Issue or external issue payloads
	ApprovedBy   []string `json:"-"` // usernames, /approvals
}

// Diff is one entry of /merge_requests/:iid/diffs.
type Diff struct {
	OldPath     string `json:"old_path"`
	NewPath     string `json:"new_path"`
	AMode       string `json:"a_mode"`
	BMode       string `json:"b_mode"`
	Diff        string `json:"diff"`
	NewFile     bool   `json:"new_file"`
	RenamedFile bool   `json:"renamed_file"`
	DeletedFile bool   `json:"deleted_file"`
	TooLarge    bool   `json:"too_large"`
	Collapsed   bool   `json:"collapsed"`
}

// Issue is an issue as closes_issues returns it (a subset of its fields).
type Issue struct {
	ID         int64  `json:"id"`
	IID        int64  `json:"iid"`
	ProjectID  int64  `json:"project_id"`
	Title      string `json:"title"`
	State      string `json:"state"`
	WebURL     string `json:"web_url"`
	References struct {
		Short    string `json:"short"`
		Relative string `json:"relative"`
		Full     string `json:"full"`
	} `json:"references"`
}

// ExternalIssue is what closes_issues returns for an external tracker.
type ExternalIssue struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Pipeline is GET /pipelines/:id; the listing serves a subset.
type Pipeline struct {
	ID             int64      `json:"id"`
	IID            int64      `json:"iid"`
	ProjectID      int64      `json:"project_id"`
	Status         string     `json:"status"`
	Source         string     `json:"source"`
	Ref            string     `json:"ref"`
	SHA            string     `json:"sha"`
	BeforeSHA      string     `json:"before_sha"`
	Name           *string    `json:"name"`
	Tag            bool       `json:"tag"`
	YamlErrors     *string    `json:"yaml_errors"`
	User           User       `json:"user"`
	WebURL         string     `json:"web_url"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	StartedAt      *time.Time `json:"started_at"`
	FinishedAt     *time.Time `json:"finished_at"`
	CommittedAt    *time.Time `json:"committed_at"`
	Duration       *float64   `json:"duration"`
	QueuedDuration *float64   `json:"queued_duration"`
	Coverage       *string    `json:"coverage"`

	Jobs       []Job       `json:"-"`
	TestReport *TestReport `json:"-"`
}

// Job is one job of GET /pipelines/:id/jobs.
type Job struct {
	ID             int64         `json:"id"`
	Name           string        `json:"name"`
	Stage          string        `json:"stage"`
	Status         string        `json:"status"`
	Ref            string        `json:"ref"`
	Tag            bool          `json:"tag"`
	AllowFailure   bool          `json:"allow_failure"`
	CreatedAt      time.Time     `json:"created_at"`
	StartedAt      *time.Time    `json:"started_at"`
	FinishedAt     *time.Time    `json:"finished_at"`
	ErasedAt       *time.Time    `json:"erased_at"`
	Duration       *float64      `json:"duration"`
	QueuedDuration *float64      `json:"queued_duration"`
	Coverage       *float64      `json:"coverage"`
	FailureReason  string        `json:"failure_reason,omitempty"`
	WebURL         string        `json:"web_url"`
	Artifacts      []JobArtifact `json:"artifacts"`
	Pipeline       struct {
		ID        int64  `json:"id"`
		ProjectID int64  `json:"project_id"`
		Ref       string `json:"ref"`
		SHA       string `json:"sha"`
		Status    string `json:"status"`
	} `json:"pipeline"`
	// Retried hides the job from the listing unless include_retried=true
	// (the REST entity has no such field).
	Retried bool `json:"-"`
}

// JobArtifact is one artifact of a job.
type JobArtifact struct {
	FileType   string  `json:"file_type"`
	Size       int64   `json:"size"`
	Filename   string  `json:"filename"`
	FileFormat *string `json:"file_format"`
}

// TestReport is GET /pipelines/:id/test_report.
type TestReport struct {
	TotalTime    float64     `json:"total_time"`
	TotalCount   int         `json:"total_count"`
	SuccessCount int         `json:"success_count"`
	FailedCount  int         `json:"failed_count"`
	SkippedCount int         `json:"skipped_count"`
	ErrorCount   int         `json:"error_count"`
	TestSuites   []TestSuite `json:"test_suites"`
}

// TestSuite is one suite of a test report.
type TestSuite struct {
	Name         string     `json:"name"`
	TotalTime    float64    `json:"total_time"`
	TotalCount   int        `json:"total_count"`
	SuccessCount int        `json:"success_count"`
	FailedCount  int        `json:"failed_count"`
	SkippedCount int        `json:"skipped_count"`
	ErrorCount   int        `json:"error_count"`
	SuiteError   *string    `json:"suite_error"`
	TestCases    []TestCase `json:"test_cases"`
}

// TestCase is one test case of a suite.
type TestCase struct {
	Status        string  `json:"status"`
	Name          string  `json:"name"`
	Classname     string  `json:"classname"`
	ExecutionTime float64 `json:"execution_time"`
	SystemOutput  *string `json:"system_output"`
	StackTrace    *string `json:"stack_trace"`
}

// Environment is GET /environments.
type Environment struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	ExternalURL string    `json:"external_url"`
	State       string    `json:"state"`
	Tier        string    `json:"tier"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Deployment is GET /deployments.
type Deployment struct {
	ID          int64     `json:"id"`
	IID         int64     `json:"iid"`
	Ref         string    `json:"ref"`
	SHA         string    `json:"sha"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	User        User      `json:"user"`
	Environment struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"`
		ExternalURL string `json:"external_url"`
	} `json:"environment"`
	Deployable *Deployable `json:"deployable"`
}

// Deployable is the job behind a deployment.
type Deployable struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Stage      string     `json:"stage"`
	Status     string     `json:"status"`
	Ref        string     `json:"ref"`
	Tag        bool       `json:"tag"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Duration   *float64   `json:"duration"`
	Pipeline   struct {
		ID     int64  `json:"id"`
		SHA    string `json:"sha"`
		Ref    string `json:"ref"`
		Status string `json:"status"`
	} `json:"pipeline"`
}

// AccessLevel is one entry of push/merge_access_levels.
type AccessLevel struct {
	ID                     int64  `json:"id"`
	AccessLevel            int    `json:"access_level"`
	AccessLevelDescription string `json:"access_level_description"`
	UserID                 *int64 `json:"user_id"`
	GroupID                *int64 `json:"group_id"`
	DeployKeyID            *int64 `json:"deploy_key_id,omitempty"`
}

// ProtectedBranch is GET /protected_branches.
type ProtectedBranch struct {
	ID                        int64         `json:"id"`
	Name                      string        `json:"name"`
	PushAccessLevels          []AccessLevel `json:"push_access_levels"`
	MergeAccessLevels         []AccessLevel `json:"merge_access_levels"`
	AllowForcePush            bool          `json:"allow_force_push"`
	CodeOwnerApprovalRequired bool          `json:"code_owner_approval_required"`
}

// ApprovalRule is GET /approval_rules.
type ApprovalRule struct {
	ID                            int64             `json:"id"`
	Name                          string            `json:"name"`
	RuleType                      string            `json:"rule_type"`
	ApprovalsRequired             int               `json:"approvals_required"`
	EligibleApprovers             []User            `json:"eligible_approvers"`
	Users                         []User            `json:"users"`
	ProtectedBranches             []ProtectedBranch `json:"protected_branches"`
	AppliesToAllProtectedBranches bool              `json:"applies_to_all_protected_branches"`
	ContainsHiddenGroups          bool              `json:"contains_hidden_groups"`
}

// TreeEntry is one entry of GET /repository/tree.
type TreeEntry struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"` // blob, tree
	Path string `json:"path"`
	Mode string `json:"mode"`
}

// Data is everything the fake serves for its one project.
type Data struct {
	Project           Project
	Commits           []Commit // default branch, newest first
	Branches          []Branch
	Tags              []Tag
	Releases          []Release
	MergeRequests     []*MergeRequest
	Pipelines         []*Pipeline
	Environments      []Environment
	Deployments       []Deployment
	ProtectedBranches []ProtectedBranch
	ApprovalRules     []ApprovalRule
	NoApprovals       bool // MR approvals and approval rules answer 403 (Free tier)
	CIDisabled        bool // pipelines, environments, deployments answer 403
	Tree              []TreeEntry
	Files             map[string]string // path → content at the default branch tip
	// TreesAt and FilesAt are older commits' trees and file contents by
	// commit id (the ref asked for); other refs get Tree and Files.
	TreesAt map[string][]TreeEntry
	FilesAt map[string]map[string]string
}
