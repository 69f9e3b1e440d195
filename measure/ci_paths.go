package measure

import (
	"path"
	"strings"
)

// testDirs are directory names whose files are tests.
var testDirs = map[string]bool{
	"test": true, "tests": true, "__tests__": true, "__mocks__": true, "spec": true, "specs": true,
	"testdata": true, "test-data": true, "testing": true, "e2e": true, "cypress": true,
	"integration-tests": true, "integration_tests": true, "androidtest": true,
}

// jvmLike are languages whose test classes end in Test / Tests / IT / Spec.
var jvmLike = map[string]bool{
	".java": true, ".kt": true, ".scala": true, ".groovy": true, ".cs": true, ".fs": true,
	".vb": true, ".swift": true, ".m": true, ".mm": true, ".php": true,
}

// IsTestPath reports whether a slash-separated repository path is a test
// file: under a test directory (test/, tests/, __tests__/, spec/, testdata/,
// e2e/, cypress/…, src/test/ for Maven), or named as tests are (*_test.go,
// test_*.py, *_test.py, conftest.py, *.spec.ts, *.test.js, *_spec.rb,
// FooTest.java, FooTests.cs, *_test.cc, *.feature…).
func IsTestPath(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	dir, base := path.Split(p)
	for _, seg := range strings.Split(strings.ToLower(dir), "/") {
		if testDirs[seg] {
			return true
		}
	}
	lb := strings.ToLower(base)
	ext := path.Ext(lb)
	stem := strings.TrimSuffix(lb, ext)
	switch {
	case ext == ".feature", lb == "conftest.py":
		return true
	case strings.HasPrefix(lb, "test_") || strings.HasPrefix(lb, "test-"):
		return codeExts[ext]
	case strings.HasSuffix(stem, "_test"), strings.HasSuffix(stem, "_tests"), strings.HasSuffix(stem, "_spec"),
		strings.HasSuffix(stem, "_unittest"), strings.HasSuffix(stem, "-test"), strings.HasSuffix(stem, "-spec"):
		return codeExts[ext]
	case strings.Contains(stem, ".spec"), strings.Contains(stem, ".test"), strings.Contains(stem, ".e2e"):
		return codeExts[ext]
	}
	if jvmLike[ext] {
		name := strings.TrimSuffix(base, path.Ext(base))
		for _, suf := range []string{"Test", "Tests", "IT", "TestCase", "Spec"} {
			if strings.HasSuffix(name, suf) && len(name) > len(suf) {
				return true
			}
		}
	}
	return false
}

// codeExts are the extensions of source code.
var codeExts = map[string]bool{
	".go": true, ".py": true, ".js": true, ".jsx": true, ".mjs": true, ".cjs": true, ".ts": true,
	".tsx": true, ".mts": true, ".cts": true, ".vue": true, ".svelte": true, ".java": true, ".kt": true,
	".scala": true, ".groovy": true, ".clj": true, ".cljs": true, ".rb": true, ".php": true, ".cs": true,
	".fs": true, ".vb": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".cxx": true, ".hpp": true,
	".hh": true, ".m": true, ".mm": true, ".swift": true, ".rs": true, ".ex": true, ".exs": true,
	".erl": true, ".hrl": true, ".dart": true, ".lua": true, ".pl": true, ".pm": true, ".jl": true,
	".hs": true, ".ml": true, ".elm": true, ".zig": true, ".nim": true, ".cr": true, ".r": true,
}

// nonProdDirs are directories whose code is not the project's own
// production code.
var nonProdDirs = map[string]bool{
	"vendor": true, "node_modules": true, "third_party": true, "third-party": true, "thirdparty": true,
	"external": true, "docs": true, "doc": true, ".github": true, ".gitlab": true, "bower_components": true,
}

// IsCodePath reports whether a slash-separated repository path is production
// source code: a source-language file (.go, .py, .ts, .java, .rs, .c…) that
// is not a test (IsTestPath), not vendored or third-party, not under docs/,
// and not generated (*.pb.go, *_pb2.py, *.gen.go, zz_generated*, *.min.js).
func IsCodePath(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	lp := strings.ToLower(p)
	if !codeExts[path.Ext(lp)] || IsTestPath(p) {
		return false
	}
	dir, base := path.Split(lp)
	for _, seg := range strings.Split(dir, "/") {
		if nonProdDirs[seg] {
			return false
		}
	}
	for _, gen := range []string{".pb.go", "_pb2.py", "_pb2_grpc.py", ".gen.go", "_gen.go", ".min.js", ".pb.cc", ".pb.h", "_generated.go"} {
		if strings.HasSuffix(base, gen) {
			return false
		}
	}
	return !strings.HasPrefix(base, "zz_generated")
}
