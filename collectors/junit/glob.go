package junit

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Glob returns the regular files below dir that match pattern, sorted. The
// pattern uses forward slashes and path.Match syntax per segment, plus "**"
// for any number of directories ("build/test-results/**/*.xml"). An absolute
// pattern ignores dir. Symbolic links to directories are not followed.
func Glob(dir, pattern string) ([]string, error) {
	pattern = filepath.ToSlash(strings.TrimSpace(pattern))
	if err := CheckPattern(pattern); err != nil {
		return nil, err
	}
	root := dir
	if path.IsAbs(pattern) {
		root = "/"
	}
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	// The leading segments without wildcards name the directory to walk.
	n := 0
	for n < len(segs)-1 && !strings.ContainsAny(segs[n], `*?[\`) {
		n++
	}
	start := filepath.Join(root, filepath.FromSlash(strings.Join(segs[:n], "/")))
	rest := segs[n:]
	var out []string
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == start {
				return err
			}
			return nil // an unreadable subdirectory: skip it
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(start, p)
		if err != nil {
			return nil
		}
		if matchSegs(rest, strings.Split(filepath.ToSlash(rel), "/")) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// matchSegs matches path segments against pattern segments, "**" standing
// for zero or more segments.
func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if matchSegs(pat, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// CheckPattern reports a pattern Glob cannot use.
func CheckPattern(pattern string) error {
	if strings.TrimSpace(pattern) == "" {
		return errors.New("empty file pattern")
	}
	if _, err := path.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return fmt.Errorf("bad file pattern %q: %w", pattern, err)
	}
	return nil
}
