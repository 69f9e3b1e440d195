// Package git collects evidence from a local git repository (a work-tree
// clone, a bare clone or a mirror) as it was during the audit window: the
// commits that landed on trunk during the window (each first-parent trunk
// commit committed in it and what each such merge brought in), the trunk
// merges, the branches open at the window's end, the tags and the file tree
// at trunk as of the window's end (asof.go).
//
// It reads the repository with go-git's storage for references, and with its
// own storage engine for the commit walk (internal/odb: mapped packs and
// indexes, deltas, the commit-graph, a prefetcher): go-git's Repository.Log
// decodes every commit into a full object and walks the whole history, which
// is several times slower than git itself. This package shapes the evidence;
// odb only reads objects. The walk (walk.go) visits commits newest first like git rev-list and stops as soon
// as the window is covered; it uses the commit-graph file when there is one.
//
// Import rules: collectors, collectors/classify, model, model/vocab, and its
// own collectors/git/internal/odb (the storage engine) and
// collectors/git/internal/pqueue; go-git for references and configuration;
// never the network, never the git binary.
package git

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// Options tune the collector. The zero value is ready to use.
type Options struct {
	// Branch overrides the default branch: a branch ("main",
	// "origin/main", "refs/heads/main"), a tag, any other reference
	// ("refs/pipelines/7", "HEAD") or a full commit id.
	Branch string
	// TrunkHints are the trunk branches the CI system that made the clone
	// names in its variables (CI_DEFAULT_BRANCH, GITHUB_BASE_REF,
	// CHANGE_TARGET), tried when Branch is empty, before HEAD. The first
	// one is the trunk; a clone that lacks it is an error with the fix.
	TrunkHints []TrunkHint
	// CI is the CI system whose checkout the clone is (CIGitHub, CIGitLab,
	// CIJenkins; "" for none): a shallow or narrow clone is told with its fix.
	CI string
	// IssuePattern is not used by this collector.
	IssuePattern *regexp.Regexp
	// MaxCommitFiles is how many of the newest first-parent trunk commits in
	// the window get their changed paths (and a quarter as many of the newest
	// commits merges brought in): 0 means every one, -1 none.
	MaxCommitFiles int
	// MaxBroughtFiles is how many of the newest commits merges brought in
	// get their changed paths when MaxCommitFiles is 0: 0 means
	// DefaultMaxBroughtFiles, -1 none.
	MaxBroughtFiles int
	// ShallowOK silences the warning a shallow clone gives when the window
	// lies within the history present. A window reaching into the cut
	// history still warns; either way the evidence is the same (a note, and
	// what the cut history cannot tell stays unknown).
	ShallowOK bool
	// Slop is how far before the window start the walk keeps looking for
	// commits whose committer time is out of order (clock skew). 0 means
	// DefaultSlop. Not needed when the repository has a commit-graph with
	// generation data.
	Slop time.Duration
	// IgnoreCommitGraph makes the walk decode every commit even when a
	// commit-graph file exists (for tests and benchmarks).
	IgnoreCommitGraph bool
	// Logger receives debug timings; nil discards them.
	Logger *slog.Logger
	// Progress, when set, is called now and then with the number of commits
	// walked so far.
	Progress func(done int)
}

// Defaults of Options.
const (
	DefaultMaxBroughtFiles = 250
	DefaultSlop            = 7 * 24 * time.Hour
)

// Collector is the local git collector.
type Collector struct {
	path string
	opt  Options
}

var _ collectors.Collector = (*Collector)(nil)

// New returns a collector for the repository at path: a work tree (its root
// or any directory holding a .git), a .git directory, a bare clone or a
// mirror.
func New(path string, opt Options) *Collector {
	if opt.MaxBroughtFiles == 0 {
		opt.MaxBroughtFiles = DefaultMaxBroughtFiles
	}
	opt.MaxBroughtFiles = max(opt.MaxBroughtFiles, 0)
	if opt.Slop <= 0 {
		opt.Slop = DefaultSlop
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Collector{path: path, opt: opt}
}

// Kind implements collectors.Collector.
func (c *Collector) Kind() string { return "git" }

// Collect implements collectors.Collector. It fills ev from the repository
// and marks the kinds it collected completely.
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (collectors.Result, error) {
	var res collectors.Result
	err := c.collect(ctx, ev, &res)
	if err != nil {
		if errors.Is(err, ErrNotRepository) {
			return res, err // the message names the path already
		}
		return res, fmt.Errorf("git %s: %w", c.path, err)
	}
	return res, nil
}
