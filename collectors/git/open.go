package git

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"

	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
)

// repo is an opened repository: go-git storage for references and odd
// objects, the mapped object database for the walk, and the commit-graph
// when there is one.
type repo struct {
	gitDir    string
	commonDir string
	st        *filesystem.Storage
	db        *odb.DB
	cg        *odb.CommitGraph // nil without a usable commit-graph
	shallow   map[plumbing.Hash]bool
	format    repoFormat
}

// locate finds the git directory of path: a work tree (with a .git
// directory or a "gitdir:" file), or a git directory itself (bare clone,
// mirror, .git).
func locate(path string) (gitDir, commonDir string, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("%w: %s: no such directory", ErrNotRepository, path)
		}
		return "", "", fmt.Errorf("open %s: %w", path, err)
	}
	if !fi.IsDir() {
		return "", "", fmt.Errorf("%w: %s is not a directory", ErrNotRepository, path)
	}
	dot := filepath.Join(path, ".git")
	if st, err := os.Stat(dot); err == nil {
		if st.IsDir() {
			gitDir = dot
		} else if b, err := os.ReadFile(dot); err == nil {
			if rest, ok := strings.CutPrefix(string(bytes.TrimSpace(b)), "gitdir:"); ok {
				gitDir = strings.TrimSpace(rest)
				if !filepath.IsAbs(gitDir) {
					gitDir = filepath.Join(path, gitDir)
				}
			}
		}
	}
	if gitDir == "" {
		gitDir = path
	}
	commonDir = gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		commonDir = strings.TrimSpace(string(b))
		if !filepath.IsAbs(commonDir) {
			commonDir = filepath.Join(gitDir, commonDir)
		}
	}
	if !isFile(filepath.Join(gitDir, "HEAD")) || !isDir(filepath.Join(commonDir, "objects")) ||
		!isDir(filepath.Join(commonDir, "refs")) {
		return "", "", fmt.Errorf("%w: %s", ErrNotRepository, path)
	}
	return gitDir, commonDir, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// storageCache is the go-git object cache; go-git reads only references and
// objects outside this repository's packs (alternates), so it stays small.
const storageCache = 32 * cache.MiByte

func openRepo(path string, useGraph bool) (*repo, error) {
	gitDir, commonDir, err := locate(path)
	if err != nil {
		return nil, err
	}
	r := &repo{gitDir: gitDir, commonDir: commonDir, format: readFormat(commonDir)}
	if err := r.format.check(); err != nil {
		return nil, err
	}
	var bfs billy.Filesystem = osfs.New(gitDir, osfs.WithBoundOS())
	if commonDir != gitDir {
		bfs = dotgit.NewRepositoryFilesystem(bfs, osfs.New(commonDir, osfs.WithBoundOS()))
	}
	r.st = filesystem.NewStorageWithOptions(bfs, cache.NewObjectLRU(storageCache),
		filesystem.Options{KeepDescriptors: true})
	if r.db, err = odb.Open(filepath.Join(commonDir, "objects"), r.st); err != nil {
		r.close()
		return nil, err
	}
	sh, err := r.st.Shallow()
	if err != nil {
		r.close()
		return nil, fmt.Errorf("read shallow file: %w", err)
	}
	if len(sh) > 0 {
		r.shallow = make(map[plumbing.Hash]bool, len(sh))
		for _, h := range sh {
			r.shallow[h] = true
		}
	}
	// git ignores the commit-graph in shallow repositories; so do we.
	if useGraph && len(sh) == 0 {
		r.cg = odb.OpenCommitGraph(filepath.Join(commonDir, "objects", "info"))
	}
	return r, nil
}

func (r *repo) close() {
	if r.cg != nil {
		r.cg.Close()
		r.cg = nil
	}
	if r.db != nil {
		r.db.Close()
	}
	if r.st != nil {
		_ = r.st.Close()
	}
}
