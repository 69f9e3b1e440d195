package vocab

import (
	"path"
	"strings"
)

// CodeExt reports the (lower-case) extensions of program source files.
func CodeExt(ext string) bool {
	switch ext {
	case ".go", ".py", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte",
		".java", ".kt", ".scala", ".groovy", ".clj", ".cljs", ".rb", ".php", ".cs", ".fs", ".vb",
		".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".m", ".mm", ".swift", ".rs", ".dart",
		".ex", ".exs", ".erl", ".hrl", ".hs", ".ml", ".mli", ".lua", ".jl", ".r", ".pl", ".pm", ".elm",
		".zig", ".nim", ".cr", ".sol", ".robot", ".bats":
		return true
	}
	return false
}

// testOnlyExt are extensions whose every file is a test.
func testOnlyExt(ext string) bool { return ext == ".robot" || ext == ".bats" || ext == ".feature" }

// TestDir reports directory names (lower-case) whose files are tests.
func TestDir(seg string) bool {
	switch seg {
	case "test", "tests", "__tests__", "__mocks__", "spec", "specs", "testdata", "test-data", "testing", "e2e",
		"cypress", "integration-tests", "integration_tests", "androidtest":
		return true
	}
	return false
}

// TestFileName reports whether a file name (any case, no directory) follows
// a test naming convention of its language: foo_test.go, test_foo.py,
// conftest.py, foo.spec.ts, foo_spec.rb, FooTest.java, FooTests.cs,
// FooSpec.hs, foo_test.cc, *.feature…
func TestFileName(name string) bool { return TestFileNameLower(strings.ToLower(name), name) }

// TestFileNameLower is TestFileName for a caller that holds the lower-case
// name already (lower) beside the name as written (name).
func TestFileNameLower(lower, name string) bool {
	b := lower
	ext := path.Ext(b)
	s := b[:len(b)-len(ext)]
	o := name[:len(name)-len(path.Ext(name))] // the stem, case kept
	suffix := func(str string, sufs ...string) bool {
		for _, x := range sufs {
			if strings.HasSuffix(str, x) && len(str) > len(x) {
				return true
			}
		}
		return false
	}
	if testOnlyExt(ext) {
		return true
	}
	switch ext {
	case ".go":
		return strings.HasSuffix(b, "_test.go")
	case ".py":
		return strings.HasPrefix(b, "test_") || suffix(s, "_test", "_tests") || b == "tests.py" || b == "conftest.py"
	case ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts":
		return suffix(s, ".test", ".spec", "_test", "_spec", "-test", "-spec", ".e2e", ".e2e-spec", ".cy",
			".integration", ".bench")
	case ".java", ".kt", ".groovy", ".scala":
		// Not Test*: outside a test directory TestUtils.java is a helper.
		return suffix(o, "Test", "Tests", "IT", "Spec", "TestCase", "Suite", "ITCase")
	case ".cs", ".fs", ".vb":
		return suffix(o, "Test", "Tests", "Specs", "Spec", "IT", "TestCase")
	case ".php":
		return suffix(o, "Test", "Cest", "Tests", "Spec")
	case ".rb":
		return suffix(s, "_spec", "_test") || strings.HasPrefix(b, "test_")
	case ".ex", ".exs":
		return strings.HasSuffix(b, "_test.exs")
	case ".swift", ".m", ".mm":
		return suffix(o, "Tests", "Test", "Spec")
	case ".dart", ".clj", ".cljs":
		return suffix(s, "_test")
	case ".c", ".cc", ".cpp", ".cxx", ".h", ".hpp":
		return suffix(s, "_test", "_unittest", "_tests", "-test") || strings.HasPrefix(b, "test_")
	case ".rs":
		return suffix(s, "_test", "_tests")
	case ".hs":
		return suffix(o, "Spec", "Test")
	case ".lua":
		return suffix(s, "_spec", "_test")
	case ".erl":
		return suffix(s, "_suite", "_tests", "_SUITE")
	}
	if CodeExt(ext) { // other languages: the common conventions
		return strings.HasPrefix(b, "test_") || suffix(s, "_test", "_tests", "_spec", "-test", "-spec")
	}
	return false
}

// GeneratedName reports file names (lower-case) of generated code.
func GeneratedName(b string) bool {
	var sufs []string
	switch path.Ext(b) {
	case ".go":
		sufs = []string{".pb.go", ".pb.gw.go", "_generated.go", ".gen.go", "_gen.go", "bindata.go"}
	case ".js":
		sufs = []string{".min.js", "_pb.js"}
	case ".ts":
		sufs = []string{".d.ts"}
	case ".py":
		sufs = []string{"_pb2.py", "_pb2_grpc.py"}
	case ".dart":
		sufs = []string{".g.dart", ".freezed.dart"}
	case ".cs":
		sufs = []string{".designer.cs", ".g.cs"}
	case ".cc", ".h":
		sufs = []string{".pb.cc", ".pb.h"}
	}
	for _, s := range sufs {
		if strings.HasSuffix(b, s) {
			return true
		}
	}
	return strings.HasPrefix(b, "zz_generated") || strings.Contains(b, ".generated.")
}

// nonProdDir reports directories (lower-case) whose code is not the
// project's own production code.
func nonProdDir(seg string) bool {
	switch seg {
	case "vendor", "node_modules", "third_party", "third-party", "thirdparty", "external", "docs", "doc",
		".github", ".gitlab", "bower_components":
		return true
	}
	return false
}

// IsTestPath reports whether a slash-separated repository path is a test
// file: under a test directory (TestDir: test/, tests/, __tests__/, spec/,
// testdata/, e2e/, cypress/…, so also Maven's src/test/), or named as tests
// are (TestFileName).
func IsTestPath(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	dir, base := path.Split(p)
	for _, seg := range strings.Split(strings.ToLower(dir), "/") {
		if TestDir(seg) {
			return true
		}
	}
	return TestFileName(base)
}

// IsCodePath reports whether a slash-separated repository path is production
// source code: a source-language file (CodeExt) that is not a test
// (IsTestPath), not vendored or third-party, not under docs/, and not
// generated (GeneratedName: *.pb.go, *_pb2.py, *.gen.go, zz_generated*,
// *.min.js…).
func IsCodePath(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	lp := strings.ToLower(p)
	ext := path.Ext(lp)
	if !CodeExt(ext) || testOnlyExt(ext) || IsTestPath(p) {
		return false
	}
	dir, base := path.Split(lp)
	for _, seg := range strings.Split(dir, "/") {
		if nonProdDir(seg) {
			return false
		}
	}
	return !GeneratedName(base)
}
