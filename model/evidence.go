// Package model holds cdaudit's host-neutral types: the evidence that collectors
// fill (commits, branches, changes, pipeline runs, deployments, the file tree…),
// the measurements derived from it, the level catalogue of the continuous-delivery
// tables, and the assessment results that rules produce and reports render.
//
// The package has no I/O beyond reading its embedded catalogue.
//
// Import rules: no other package of cdaudit (every package imports model); the
// standard library and YAML; no I/O (no os, net, database or slog).
package model

import "time"

// Window is the audit period [Since, Until) on committer time.
type Window struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
}

// Contains reports whether t lies in [Since, Until).
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.Since) && t.Before(w.Until)
}

// Duration is the length of the window.
func (w Window) Duration() time.Duration { return w.Until.Sub(w.Since) }

// Kind names one kind of evidence. A collector marks the kinds it collected
// completely; rules treat every kind that is not marked as unknown.
type Kind string

// The evidence kinds.
const (
	KindCommits      Kind = "commits"       // trunk commits in the window
	KindMerges       Kind = "merges"        // trunk merges and what they brought in
	KindBranches     Kind = "branches"      // open (unmerged) branches
	KindTags         Kind = "tags"          // tags
	KindTree         Kind = "tree"          // the file tree at the trunk tip
	KindCommitFiles  Kind = "commit_files"  // paths changed by each trunk commit
	KindChanges      Kind = "changes"       // pull / merge requests
	KindRuns         Kind = "runs"          // CI pipeline runs
	KindJobs         Kind = "jobs"          // jobs of those runs
	KindTestReports  Kind = "test_reports"  // structured test results
	KindDeployments  Kind = "deployments"   // deployment records
	KindEnvironments Kind = "environments"  // environments
	KindReleases     Kind = "releases"      // releases
	KindProtection   Kind = "protection"    // default-branch protection
	KindHistory      Kind = "audit_history" // earlier audits of this target
	KindIncidents    Kind = "incidents"     // production incidents (issue trackers)
)

// Evidence is everything collected for one target. Collectors append to it;
// nothing in it is judged.
type Evidence struct {
	Target        string `json:"target"`
	Window        Window `json:"window"`
	DefaultBranch string `json:"default_branch,omitempty"`
	// TrunkTip is trunk's tip as of the window's end: the newest
	// first-parent trunk commit committed before Window.Until (today's tip
	// for a window ending now); TrunkTipAt is its committer time. The tree
	// and CI configuration are read there.
	TrunkTip    string    `json:"trunk_tip,omitempty"`
	TrunkTipAt  time.Time `json:"trunk_tip_at,omitzero"`
	CollectedAt time.Time `json:"collected_at"`
	// Shallow is true when the clone's history is cut; HistoryStart is then
	// the committer time of the newest shallow-boundary commit: history is
	// complete only from there on.
	Shallow      bool      `json:"shallow,omitempty"`
	HistoryStart time.Time `json:"history_start,omitempty"`

	Commits      []Commit      `json:"commits,omitempty"`
	Merges       []Merge       `json:"merges,omitempty"`
	Branches     []Branch      `json:"branches,omitempty"`
	Tags         []Tag         `json:"tags,omitempty"`
	Tree         *Tree         `json:"tree,omitempty"`
	Changes      []Change      `json:"changes,omitempty"`
	Runs         []Run         `json:"runs,omitempty"`
	TestReports  []TestReport  `json:"test_reports,omitempty"`
	Deployments  []Deployment  `json:"deployments,omitempty"`
	Environments []Environment `json:"environments,omitempty"`
	Releases     []Release     `json:"releases,omitempty"`
	Protection   *Protection   `json:"protection,omitempty"`
	Incidents    []Incident    `json:"incidents,omitempty"`
	// History holds summaries of earlier audits of the same target, oldest
	// first, when a store was available.
	History []HistoryPoint `json:"history,omitempty"`

	// Have lists the kinds collected completely.
	Have map[Kind]bool `json:"have,omitempty"`
	// Notes are caveats that collectors want readers to see (a shallow
	// clone, a truncated listing…).
	Notes []string `json:"notes,omitempty"`
}

// Mark records that kinds were collected completely.
func (e *Evidence) Mark(kinds ...Kind) {
	if e.Have == nil {
		e.Have = map[Kind]bool{}
	}
	for _, k := range kinds {
		e.Have[k] = true
	}
}

// Unmark withdraws kinds, e.g. when a later step of a collector failed.
func (e *Evidence) Unmark(kinds ...Kind) {
	for _, k := range kinds {
		delete(e.Have, k)
	}
}

// Has reports whether every kind was collected.
func (e *Evidence) Has(kinds ...Kind) bool {
	for _, k := range kinds {
		if !e.Have[k] {
			return false
		}
	}
	return true
}

// Missing returns the kinds among ks that were not collected.
func (e *Evidence) Missing(ks ...Kind) []Kind {
	var out []Kind
	for _, k := range ks {
		if !e.Have[k] {
			out = append(out, k)
		}
	}
	return out
}

// Signature is a git identity and time.
type Signature struct {
	Name  string    `json:"name"`
	Email string    `json:"email"`
	When  time.Time `json:"when"`
}

// Commit is a commit on the trunk. Files is filled only when KindCommitFiles
// is collected.
type Commit struct {
	Hash      string    `json:"hash"`
	Parents   []string  `json:"parents,omitempty"`
	Author    Signature `json:"author"`
	Committer Signature `json:"committer"`
	Message   string    `json:"message"`
	Files     []string  `json:"files,omitempty"`
	// FirstParent is true when the commit lies on trunk's first-parent chain
	// (it was integrated directly or is a merge), false when a merge brought it in.
	FirstParent bool   `json:"first_parent"`
	URL         string `json:"url,omitempty"`
	// Landed is when the commit reached trunk: the committer time of the
	// first-parent trunk commit that is it or that brought it in (the local
	// git collector sets it); zero when unknown (records from a host API).
	Landed time.Time `json:"landed,omitzero"`
}

// InWindow reports whether a commit record counts in the window: it
// landed on trunk during the window, or, when its landing is unknown, its
// committer time lies in the window.
func (e *Evidence) InWindow(c Commit) bool {
	if !c.Landed.IsZero() {
		return e.Window.Contains(c.Landed)
	}
	return e.Window.Contains(c.Committer.When)
}

// IsMerge reports whether the commit has more than one parent.
func (c Commit) IsMerge() bool { return len(c.Parents) > 1 }

// Merge is a merge commit on trunk's first-parent chain and what its second
// parent brought in (commits reachable from it and not from the first parent).
type Merge struct {
	Hash      string    `json:"hash"`
	Committed time.Time `json:"committed"`
	// Brought are the commits the merge integrated; BroughtCount may exceed
	// len(Brought) when the list was capped.
	Brought      []string `json:"brought,omitempty"`
	BroughtCount int      `json:"brought_count"`
	// FirstAuthored is the earliest author time among the brought commits.
	FirstAuthored time.Time `json:"first_authored"`
	// Authors are the distinct author e-mails of the brought commits, lower-cased.
	Authors []string `json:"authors,omitempty"`
	// Branch is the merged branch's name where the message or the host tells it.
	Branch string `json:"branch,omitempty"`
}

// Branch is a branch that is not merged into trunk.
type Branch struct {
	Name string `json:"name"`
	Head string `json:"head"`
	// LastCommit is the committer time of the head; FirstCommit the earliest
	// author time of the commits not on trunk.
	LastCommit  time.Time `json:"last_commit"`
	FirstCommit time.Time `json:"first_commit,omitempty"`
	Ahead       int       `json:"ahead"`
	Remote      bool      `json:"remote,omitempty"`
}

// Tag is a tag and the commit it points at.
type Tag struct {
	Name      string    `json:"name"`
	Target    string    `json:"target"`
	Committed time.Time `json:"committed"` // committer time of the target commit
	Annotated bool      `json:"annotated,omitempty"`
	// Tagged is the tagger time of an annotated tag where the collector
	// read it; nil otherwise (Committed then dates the tag).
	Tagged *time.Time `json:"tagged,omitempty"`
}

// When dates the tag: its tagger time, else its commit's committer time.
func (t Tag) When() time.Time {
	if t.Tagged != nil && !t.Tagged.IsZero() {
		return *t.Tagged
	}
	return t.Committed
}

// HistoryPoint summarises an earlier audit of the same target.
type HistoryPoint struct {
	At           time.Time          `json:"at"`
	Levels       map[string]*int    `json:"levels,omitempty"` // "practice" or "practice.dimension"
	Measurements map[string]float64 `json:"measurements,omitempty"`
}
