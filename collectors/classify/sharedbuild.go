package classify

import (
	"context"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Many projects of one organisation share a build file maintained in one
// repository and synced into the others (Prometheus' Makefile.common:
// "Open PRs only against the prometheus/prometheus/Makefile.common
// repository!"). A build script that includes such a file is structured,
// shared and centrally maintained even though no CI configuration is
// reused. resolveSharedBuild finds the Makefiles (and CMake lists) of the
// tree, follows their includes, and keeps the included files whose header
// declares them maintained elsewhere.

// maxSharedBuildReads caps the build scripts read for includes.
const maxSharedBuildReads = 8

// includingScript reports build scripts whose includes are followed.
func includingScript(f *fileInfo) bool {
	if f.has(fVendor | fTestData | fDocs | fExamples | fGenerated | fTestRoot) {
		return false
	}
	b := f.base
	return b == "makefile" || b == "gnumakefile" || strings.HasPrefix(b, "makefile.") || f.ext == ".mk" || b == "cmakelists.txt"
}

var (
	makeIncludeRE  = regexp.MustCompile(`(?m)^[ \t]*-?s?include[ \t]+([^\n#]+)`)
	cmakeIncludeRE = regexp.MustCompile(`(?im)^[ \t]*include[ \t]*\([ \t]*"?([^\s")]+\.cmake)"?`)
)

// buildIncludes lists the files a build script includes (as written).
func buildIncludes(base string, data []byte) []string {
	var out []string
	if base == "cmakelists.txt" || strings.HasSuffix(base, ".cmake") {
		for _, m := range cmakeIncludeRE.FindAllSubmatch(data, 16) {
			out = append(out, string(m[1]))
		}
		return out
	}
	for _, m := range makeIncludeRE.FindAllSubmatch(data, 16) {
		for _, w := range strings.Fields(string(m[1])) {
			if !strings.ContainsAny(w, "$%*?") {
				out = append(out, w)
			}
		}
	}
	return out
}

// centralMarkers are header phrases declaring a file maintained and
// changed in another place than this repository.
var centralMarkers = []*regexp.Regexp{
	regexp.MustCompile(`\bopen (?:prs|pull requests|merge requests|mrs) only against\b`),
	regexp.MustCompile(`\b(?:send|submit|make|open|propose) (?:all )?(?:changes|prs|pull requests|merge requests|edits) (?:only )?(?:to|in|against) (?:the )?(?:upstream|[\w.-]+/[\w.-]+|https?://)`),
	regexp.MustCompile(`\b(?:synced|synchronized|synchronised|sync'd|vendored|mirrored) (?:automatically )?from\b`),
	regexp.MustCompile(`\bkept in sync with (?:the )?(?:upstream|[\w.-]+/[\w.-]+|https?://)`),
	regexp.MustCompile(`\bmaintained (?:centrally )?(?:in|at) (?:the )?(?:upstream|[\w.-]+/[\w.-]+|https?://)`),
	regexp.MustCompile(`\bdo not edit\b.*\b(?:managed|maintained|synced|distributed) (?:by|in|from)\b`),
	regexp.MustCompile(`\b(?:managed|maintained|synced|distributed) (?:by|in|from)\b.*\bdo not edit\b`),
	regexp.MustCompile(`\b(?:reused|shared) (?:in|across|between|by) (?:different|other|all|several|many)? ?(?:[\w-]+ )?(?:projects|repositories|repos)\b`),
}

// centralMarker returns the comment line of a file's header that declares
// it maintained centrally elsewhere, or "".
func centralMarker(data []byte) string {
	if len(data) > 4096 {
		data = data[:4096]
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) > 60 {
		lines = lines[:60]
	}
	var comments []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if c := strings.TrimLeft(t, "#/*;!- "); c != t && c != "" {
			comments = append(comments, c)
		}
	}
	// the strongest marker first: the one that names where to change it
	for _, re := range centralMarkers {
		for _, c := range comments {
			if re.MatchString(strings.ToLower(c)) {
				if len(c) > 160 {
					c = c[:160] + "…"
				}
				return c
			}
		}
	}
	return ""
}

// resolveSharedBuild returns the centrally maintained build files the
// tree's build scripts include.
func (cl *classifier) resolveSharedBuild(ctx context.Context) []model.SharedBuildFile {
	if cl.r == nil {
		return nil
	}
	var cands []string
	for _, p := range cl.paths {
		b := lowerASCII(p[strings.LastIndexByte(p, '/')+1:])
		if !strings.Contains(b, "makefile") && !strings.HasSuffix(b, ".mk") && b != "cmakelists.txt" {
			continue // the cheap test first
		}
		if f := newFileInfo(p, freshDir); includingScript(&f) {
			cands = append(cands, p)
		}
	}
	// the shallowest scripts first: the root Makefile is the entry point
	slices.SortStableFunc(cands, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	if len(cands) > maxSharedBuildReads {
		cands = cands[:maxSharedBuildReads]
	}
	var out []model.SharedBuildFile
	seen := map[string]bool{}
	for _, p := range cands {
		if ctx.Err() != nil {
			break
		}
		data, _ := cl.read(ctx, p, false)
		base := lowerASCII(p[strings.LastIndexByte(p, '/')+1:])
		dir, _ := splitPath(p)
		for _, inc := range buildIncludes(base, data) {
			q := path.Clean(path.Join(dir, inc))
			if seen[q] || q == p || !cl.exists(q) {
				continue
			}
			seen[q] = true
			b, _ := cl.read(ctx, q, false)
			if m := centralMarker(b); m != "" {
				out = append(out, model.SharedBuildFile{Path: q, IncludedBy: p, Marker: m})
			}
		}
	}
	return out
}
