package gitlab

import (
	"errors"
	"time"

	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// stateVersion changes when the snapshot layout does; an older snapshot is
// then ignored (the next audit is a full one).
const stateVersion = 1

// snapshot is what one audit leaves for the next (kept in the shared
// httpx.State): per endpoint, a watermark (the newest updated_at the server
// reported — the server's clock, not ours), the start of the period the
// stored items cover, and the items themselves, so that a repeat audit asks
// only for what changed and still reports everything in its window.
type snapshot struct {
	Version   int          `json:"version"`
	ProjectID int64        `json:"project_id"`
	MRs       *mrState     `json:"merge_requests,omitempty"`
	Pipes     *pipeState   `json:"pipelines,omitempty"`
	Deploys   *deployState `json:"deployments,omitempty"`
	Tree      *treeState   `json:"tree,omitempty"`
	Commits   *commitState `json:"commits,omitempty"`
	Branches  map[string]branchItem
}

// branchItem is a branch compared with the trunk tip Tip.
type branchItem struct {
	Tip    string       `json:"tip"`
	Branch model.Branch `json:"branch"`
}

// mark is one endpoint's watermark.
type mark struct {
	Covered   time.Time `json:"covered_since"` // items updated since then are all stored
	Watermark time.Time `json:"watermark"`     // newest updated_at seen
}

type mrState struct {
	mark
	Items map[string]model.Change `json:"items"` // by iid
}

type pipeItem struct {
	UpdatedAt  time.Time         `json:"updated_at"`
	Run        model.Run         `json:"run"`
	Report     *model.TestReport `json:"report,omitempty"`
	ReportDone bool              `json:"report_done"` // the report was read (or none was wanted)
	Complete   bool              `json:"complete"`    // details and jobs were read
}

type pipeState struct {
	mark
	Items map[string]pipeItem `json:"items"` // by pipeline id
}

type deployItem struct {
	UpdatedAt time.Time        `json:"updated_at"`
	JobID     string           `json:"job_id,omitempty"`
	Env       string           `json:"environment"`
	D         model.Deployment `json:"deployment"`
}

type deployState struct {
	mark
	Items map[string]deployItem `json:"items"` // by deployment id
}

type treeState struct {
	Commit   string            `json:"commit"`
	Paths    []string          `json:"paths"`
	Facts    model.TreeFacts   `json:"facts"`
	Blobs    map[string]string `json:"blobs,omitempty"`    // path → blob id of fetched files
	Contents map[string][]byte `json:"contents,omitempty"` // blob id → content
}

type commitState struct {
	Tip     string         `json:"tip"`
	Since   time.Time      `json:"since"`
	Until   time.Time      `json:"until"`
	Commits []model.Commit `json:"commits"`
}

// Endpoint names in the shared incremental state.
const (
	epMRs        = "merge_requests"
	epPipes      = "pipelines"
	epDeploys    = "deployments"
	blobTree     = "tree"
	blobCommits  = "commits"
	blobBranches = "branches"
)

// configHash ties stored records to the project and to this collector's
// record layout: another project at the same path, or a new layout, gives
// a full collection.
func configHash(projectID int64) string {
	return httpx.HashConfig("gitlab", stateVersion, projectID)
}

// loadSnapshot reads what the last audit left in st for window w.
func loadSnapshot(st *httpx.State, w model.Window, projectID int64) *snapshot {
	h := configHash(projectID)
	s := &snapshot{Version: stateVersion, ProjectID: projectID}
	if wm, ok := st.Watermark(epMRs, w, h); ok {
		var items map[string]model.Change
		if st.Get(epMRs, &items) && items != nil {
			s.MRs = &mrState{mark: mark{Covered: wm.Window.Since, Watermark: wm.At}, Items: items}
		}
	}
	if wm, ok := st.Watermark(epPipes, w, h); ok {
		var items map[string]pipeItem
		if st.Get(epPipes, &items) && items != nil {
			s.Pipes = &pipeState{mark: mark{Covered: wm.Window.Since, Watermark: wm.At}, Items: items}
		}
	}
	if wm, ok := st.Watermark(epDeploys, w, h); ok {
		var items map[string]deployItem
		if st.Get(epDeploys, &items) && items != nil {
			s.Deploys = &deployState{mark: mark{Covered: wm.Window.Since, Watermark: wm.At}, Items: items}
		}
	}
	var tree treeState
	if st.Get(blobTree, &tree) && tree.Commit != "" {
		s.Tree = &tree
	}
	var branches map[string]branchItem
	if st.Get(blobBranches, &branches) {
		s.Branches = branches
	}
	var commits commitState
	if st.Get(blobCommits, &commits) && commits.Tip != "" {
		s.Commits = &commits
	}
	return s
}

// storeSnapshot writes back the parts of s that this audit refreshed.
func storeSnapshot(st *httpx.State, s *snapshot, fresh map[string]bool, w model.Window) error {
	h := configHash(s.ProjectID)
	var errs []error
	put := func(ep string, m mark, items any) {
		if !fresh[ep] {
			return
		}
		st.SetWatermark(ep, m.Watermark, model.Window{Since: m.Covered, Until: w.Until}, h)
		errs = append(errs, st.Put(ep, items))
	}
	if s.MRs != nil {
		put(epMRs, s.MRs.mark, s.MRs.Items)
	}
	if s.Pipes != nil {
		put(epPipes, s.Pipes.mark, s.Pipes.Items)
	}
	if s.Deploys != nil {
		put(epDeploys, s.Deploys.mark, s.Deploys.Items)
	}
	if s.Tree != nil && fresh[blobTree] {
		errs = append(errs, st.Put(blobTree, s.Tree))
	}
	if fresh[blobBranches] {
		errs = append(errs, st.Put(blobBranches, s.Branches))
	}
	if s.Commits != nil && fresh[blobCommits] {
		errs = append(errs, st.Put(blobCommits, s.Commits))
	}
	errs = append(errs, st.Save())
	return errors.Join(errs...)
}
