// Package githubfake is a fake GitHub REST API for tests and benchmarks: an
// httptest server that serves a Repo as GitHub documents its payloads
// (field names from docs.github.com/rest and go-github's structs), with
// pagination Link headers, X-RateLimit-* headers, ETags and 304s, and
// scripted faults (401, 403/429 with Retry-After, 5xx bursts, 404). It
// also answers GraphQL at GraphQLPath for the nodes the collector batches
// (graphql.go), counting points as GitHub does, and can answer slowly
// (Options.Latency) for benchmarks.
//
// The payload types below carry the JSON field names GitHub uses; a
// scenario fills them and the server answers from them.
//
// Import rules: no package of cdaudit (it stands for GitHub, not for cdaudit);
// only tests import it.
package githubfake

import "time"

// User is a GitHub account as it appears inside other payloads.
type User struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Type  string `json:"type"`
}

// GitActor is a git author or committer.
type GitActor struct {
	Name  string    `json:"name"`
	Email string    `json:"email"`
	Date  time.Time `json:"date"`
}

// Commit is one commit (the "commit" list item of GET /repos/{o}/{r}/commits).
type Commit struct {
	SHA    string `json:"sha"`
	NodeID string `json:"node_id"`
	Commit struct {
		Author    GitActor `json:"author"`
		Committer GitActor `json:"committer"`
		Message   string   `json:"message"`
		Tree      struct {
			SHA string `json:"sha"`
			URL string `json:"url"`
		} `json:"tree"`
		URL          string `json:"url"`
		CommentCount int    `json:"comment_count"`
	} `json:"commit"`
	URL       string      `json:"url"`
	HTMLURL   string      `json:"html_url"`
	Author    *User       `json:"author"`
	Committer *User       `json:"committer"`
	Parents   []CommitRef `json:"parents"`
}

// CommitRef is a commit pointer {sha, url}.
type CommitRef struct {
	SHA string `json:"sha"`
	URL string `json:"url"`
}

// Branch is a branch; Ahead lists the commits it has beyond the default
// branch, oldest first (served by the compare endpoint).
type Branch struct {
	Name      string   `json:"name"`
	SHA       string   `json:"-"`
	Protected bool     `json:"-"`
	Ahead     []Commit `json:"-"`
	Behind    int      `json:"-"`
}

// Tag is a tag as GET /repos/{o}/{r}/tags lists it (Commit is the commit
// it points at, peeled). Annotated makes its ref point at a tag object in
// the git/matching-refs listing.
type Tag struct {
	Name       string    `json:"name"`
	Commit     CommitRef `json:"commit"`
	ZipballURL string    `json:"zipball_url"`
	TarballURL string    `json:"tarball_url"`
	NodeID     string    `json:"node_id"`
	Annotated  bool      `json:"-"`
}

// Asset is a release asset.
type Asset struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int    `json:"size"`
}

// Release is a release (GET /repos/{o}/{r}/releases).
type Release struct {
	URL             string     `json:"url"`
	HTMLURL         string     `json:"html_url"`
	ID              int64      `json:"id"`
	TagName         string     `json:"tag_name"`
	TargetCommitish string     `json:"target_commitish"`
	Name            string     `json:"name"`
	Body            string     `json:"body"`
	Draft           bool       `json:"draft"`
	Prerelease      bool       `json:"prerelease"`
	CreatedAt       time.Time  `json:"created_at"`
	PublishedAt     *time.Time `json:"published_at"`
	Author          User       `json:"author"`
	Assets          []Asset    `json:"assets"`
}

// PullRef is the head or base of a pull request.
type PullRef struct {
	Label string `json:"label"`
	Ref   string `json:"ref"`
	SHA   string `json:"sha"`
}

// Label is an issue label.
type Label struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Review is a pull-request review.
type Review struct {
	ID          int64      `json:"id"`
	NodeID      string     `json:"node_id"`
	User        User       `json:"user"`
	Body        string     `json:"body"`
	State       string     `json:"state"` // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
	HTMLURL     string     `json:"html_url"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	CommitID    string     `json:"commit_id"`
}

// File is a file of a pull request.
type File struct {
	SHA       string `json:"sha"`
	Filename  string `json:"filename"`
	Status    string `json:"status"`
	Additions int    `json:"additions"`
	Deletions int    `json:"deletions"`
	Changes   int    `json:"changes"`
	BlobURL   string `json:"blob_url"`
	RawURL    string `json:"raw_url"`
	Patch     string `json:"patch,omitempty"`
}

// Pull is a pull request (list item of GET /repos/{o}/{r}/pulls) with the
// details the per-PR endpoints serve.
type Pull struct {
	URL               string     `json:"url"`
	ID                int64      `json:"id"`
	NodeID            string     `json:"node_id"`
	HTMLURL           string     `json:"html_url"`
	Number            int        `json:"number"`
	State             string     `json:"state"` // open, closed
	Locked            bool       `json:"locked"`
	Title             string     `json:"title"`
	User              User       `json:"user"`
	Body              string     `json:"body"`
	Labels            []Label    `json:"labels"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	ClosedAt          *time.Time `json:"closed_at"`
	MergedAt          *time.Time `json:"merged_at"`
	MergeCommitSHA    string     `json:"merge_commit_sha"`
	Draft             bool       `json:"draft"`
	Head              PullRef    `json:"head"`
	Base              PullRef    `json:"base"`
	AuthorAssociation string     `json:"author_association"`

	Reviews []Review `json:"-"`
	Commits []Commit `json:"-"`
	Files   []File   `json:"-"`
}

// Step is a step of a job.
type Step struct {
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	Conclusion  *string    `json:"conclusion"`
	Number      int        `json:"number"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
}

// Job is a workflow job (GET …/actions/runs/{id}/jobs).
type Job struct {
	ID           int64      `json:"id"`
	RunID        int64      `json:"run_id"`
	RunURL       string     `json:"run_url"`
	NodeID       string     `json:"node_id"`
	HeadBranch   string     `json:"head_branch"`
	HeadSHA      string     `json:"head_sha"`
	URL          string     `json:"url"`
	HTMLURL      string     `json:"html_url"`
	Status       string     `json:"status"`
	Conclusion   *string    `json:"conclusion"`
	CreatedAt    time.Time  `json:"created_at"`
	StartedAt    time.Time  `json:"started_at"`
	CompletedAt  *time.Time `json:"completed_at"`
	Name         string     `json:"name"`
	Steps        []Step     `json:"steps"`
	RunAttempt   int        `json:"run_attempt"`
	Labels       []string   `json:"labels"`
	WorkflowName string     `json:"workflow_name"`
}

// PullRequestMin is the short pull-request reference inside a run.
type PullRequestMin struct {
	ID     int64  `json:"id"`
	Number int    `json:"number"`
	URL    string `json:"url"`
}

// Run is a workflow run (GET /repos/{o}/{r}/actions/runs).
type Run struct {
	ID           int64            `json:"id"`
	Name         string           `json:"name"`
	NodeID       string           `json:"node_id"`
	HeadBranch   string           `json:"head_branch"`
	HeadSHA      string           `json:"head_sha"`
	Path         string           `json:"path"`
	DisplayTitle string           `json:"display_title"`
	RunNumber    int              `json:"run_number"`
	Event        string           `json:"event"`
	Status       string           `json:"status"`
	Conclusion   *string          `json:"conclusion"`
	WorkflowID   int64            `json:"workflow_id"`
	URL          string           `json:"url"`
	HTMLURL      string           `json:"html_url"`
	PullRequests []PullRequestMin `json:"pull_requests"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	RunAttempt   int              `json:"run_attempt"`
	RunStartedAt time.Time        `json:"run_started_at"`
	JobsURL      string           `json:"jobs_url"`
	Actor        User             `json:"actor"`

	Jobs []Job `json:"-"`
}

// DeploymentStatus is one status of a deployment.
type DeploymentStatus struct {
	URL            string    `json:"url"`
	ID             int64     `json:"id"`
	NodeID         string    `json:"node_id"`
	State          string    `json:"state"` // error, failure, inactive, in_progress, queued, pending, success
	Creator        User      `json:"creator"`
	Description    string    `json:"description"`
	Environment    string    `json:"environment"`
	TargetURL      string    `json:"target_url"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	DeploymentURL  string    `json:"deployment_url"`
	RepositoryURL  string    `json:"repository_url"`
	EnvironmentURL string    `json:"environment_url"`
	LogURL         string    `json:"log_url"`
}

// Deployment is a deployment (GET /repos/{o}/{r}/deployments); Statuses
// are served newest first by …/deployments/{id}/statuses.
type Deployment struct {
	URL                   string         `json:"url"`
	ID                    int64          `json:"id"`
	NodeID                string         `json:"node_id"`
	SHA                   string         `json:"sha"`
	Ref                   string         `json:"ref"`
	Task                  string         `json:"task"`
	Payload               map[string]any `json:"payload"`
	OriginalEnvironment   string         `json:"original_environment"`
	Environment           string         `json:"environment"`
	Description           string         `json:"description"`
	Creator               User           `json:"creator"`
	CreatedAt             time.Time      `json:"created_at"`
	UpdatedAt             time.Time      `json:"updated_at"`
	StatusesURL           string         `json:"statuses_url"`
	RepositoryURL         string         `json:"repository_url"`
	TransientEnvironment  bool           `json:"transient_environment"`
	ProductionEnvironment bool           `json:"production_environment"`

	Statuses []DeploymentStatus `json:"-"` // newest first
}

// EnvProtectionRule is a protection rule of an environment.
type EnvProtectionRule struct {
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	Type      string `json:"type"` // required_reviewers, wait_timer, branch_policy
	WaitTimer *int   `json:"wait_timer,omitempty"`
}

// Environment is a deployment environment.
type Environment struct {
	ID              int64               `json:"id"`
	NodeID          string              `json:"node_id"`
	Name            string              `json:"name"`
	URL             string              `json:"url"`
	HTMLURL         string              `json:"html_url"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
	ProtectionRules []EnvProtectionRule `json:"protection_rules"`
}

// Enabled is GitHub's {"enabled": bool} wrapper.
type Enabled struct {
	Enabled bool `json:"enabled"`
}

// Protection is classic branch protection
// (GET /repos/{o}/{r}/branches/{b}/protection).
type Protection struct {
	URL                  string `json:"url"`
	RequiredStatusChecks *struct {
		Strict   bool     `json:"strict"`
		Contexts []string `json:"contexts"`
		Checks   []struct {
			Context string `json:"context"`
			AppID   *int64 `json:"app_id"`
		} `json:"checks"`
	} `json:"required_status_checks,omitempty"`
	EnforceAdmins              *Enabled `json:"enforce_admins,omitempty"`
	RequiredPullRequestReviews *struct {
		DismissStaleReviews          bool `json:"dismiss_stale_reviews"`
		RequireCodeOwnerReviews      bool `json:"require_code_owner_reviews"`
		RequiredApprovingReviewCount int  `json:"required_approving_review_count"`
		RequireLastPushApproval      bool `json:"require_last_push_approval"`
	} `json:"required_pull_request_reviews,omitempty"`
	RequiredLinearHistory *Enabled `json:"required_linear_history,omitempty"`
	AllowForcePushes      *Enabled `json:"allow_force_pushes,omitempty"`
	AllowDeletions        *Enabled `json:"allow_deletions,omitempty"`
}

// Rule is a rule that applies to a branch (GET …/rules/branches/{b}).
type Rule struct {
	Type              string         `json:"type"`
	RulesetSourceType string         `json:"ruleset_source_type"`
	RulesetSource     string         `json:"ruleset_source"`
	RulesetID         int64          `json:"ruleset_id"`
	Parameters        map[string]any `json:"parameters,omitempty"`
}

// TreeEntry is an entry of a git tree.
type TreeEntry struct {
	Path string `json:"path"`
	Mode string `json:"mode"`
	Type string `json:"type"` // blob, tree, commit
	SHA  string `json:"sha"`
	Size int    `json:"size,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Status is a commit status (GET /repos/{o}/{r}/commits/{ref}/statuses).
type Status struct {
	URL         string    `json:"url"`
	ID          int64     `json:"id"`
	NodeID      string    `json:"node_id"`
	State       string    `json:"state"` // error, failure, pending, success
	Description string    `json:"description"`
	TargetURL   string    `json:"target_url"`
	Context     string    `json:"context"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Creator     User      `json:"creator"`
}
