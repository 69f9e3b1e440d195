// Package classify sorts a repository's file tree into the evidence
// categories of cd-model.md and reads what CI configuration declares. Every
// collector that sees a tree (git, GitHub, GitLab) uses it, so the same tree
// gives the same facts whatever the host.
package classify

import (
	"context"

	"github.com/cdaudit/cdaudit/model"
)

// Reader reads one file of the tree. Collectors give the classifier a reader
// so that it fetches only the few files whose contents it needs.
type Reader interface {
	ReadFile(ctx context.Context, path string) ([]byte, error)
}

// WantContent reports whether the classifier reads path's contents (CI
// configs, manifests, package.json…). Remote collectors can use it to fetch
// just these files.
func WantContent(path string) bool { return false }

// Classify classifies the paths (slash-separated, relative to the root) and
// reads the contents of those WantContent selects through r.
func Classify(ctx context.Context, paths []string, r Reader) (model.TreeFacts, error) {
	return model.TreeFacts{}, nil
}
