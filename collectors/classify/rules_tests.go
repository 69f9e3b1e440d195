package classify

import "strings"

// codeExt reports extensions of program source files.
func codeExt(ext string) bool {
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

// origStem is the base name without extension, case kept.
func (f *fileInfo) origStem() string {
	return f.origBase[:len(f.origBase)-len(f.ext)]
}

// testName reports whether the file name follows a test naming convention.
func testName(f *fileInfo) bool {
	b, s := f.base, f.stem
	switch f.ext {
	case ".go":
		return strings.HasSuffix(b, "_test.go")
	case ".py":
		return strings.HasPrefix(b, "test_") || strings.HasSuffix(s, "_test") || b == "tests.py" || strings.HasSuffix(s, "_tests")
	case ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts":
		return strings.HasSuffix(s, ".test") || strings.HasSuffix(s, ".spec") || strings.HasSuffix(s, "_test") ||
			strings.HasSuffix(s, "_spec") || strings.HasSuffix(s, "-test") || strings.HasSuffix(s, "-spec") ||
			strings.HasSuffix(s, ".e2e") || strings.HasSuffix(s, ".e2e-spec") || strings.HasSuffix(s, ".cy") ||
			strings.HasSuffix(s, ".integration") || strings.HasSuffix(s, ".bench")
	case ".java", ".kt", ".groovy", ".scala":
		o := f.origStem()
		return strings.HasSuffix(o, "Test") || strings.HasSuffix(o, "Tests") || strings.HasSuffix(o, "IT") ||
			strings.HasSuffix(o, "Spec") || strings.HasSuffix(o, "TestCase") || strings.HasSuffix(o, "Suite") ||
			strings.HasSuffix(o, "ITCase") || strings.HasPrefix(o, "Test") && len(o) > 4 && o[4] >= 'A' && o[4] <= 'Z'
	case ".cs", ".fs", ".vb":
		o := f.origStem()
		return strings.HasSuffix(o, "Test") || strings.HasSuffix(o, "Tests") || strings.HasSuffix(o, "Specs")
	case ".php":
		return strings.HasSuffix(f.origStem(), "Test") || strings.HasSuffix(f.origStem(), "Cest")
	case ".rb":
		return strings.HasSuffix(s, "_spec") || strings.HasSuffix(s, "_test") || strings.HasPrefix(b, "test_")
	case ".ex", ".exs":
		return strings.HasSuffix(b, "_test.exs")
	case ".swift":
		o := f.origStem()
		return strings.HasSuffix(o, "Tests") || strings.HasSuffix(o, "Test")
	case ".dart":
		return strings.HasSuffix(s, "_test")
	case ".c", ".cc", ".cpp", ".cxx":
		return strings.HasSuffix(s, "_test") || strings.HasSuffix(s, "_unittest") || strings.HasSuffix(s, "_tests") || strings.HasPrefix(b, "test_")
	case ".rs":
		return f.has(fTestRoot) || strings.HasSuffix(s, "_test") || strings.HasSuffix(s, "_tests")
	case ".hs":
		return strings.HasSuffix(f.origStem(), "Spec")
	case ".clj", ".cljs":
		return strings.HasSuffix(s, "_test")
	case ".lua":
		return strings.HasSuffix(s, "_spec") || strings.HasSuffix(s, "_test")
	case ".erl":
		return strings.HasSuffix(s, "_suite") || strings.HasSuffix(s, "_tests")
	case ".robot", ".bats":
		return true
	}
	return false
}

// testPath puts test code and test data into their categories.
func testPath(f *fileInfo, pr *pathResult) {
	b := f.base
	if f.has(fTestData) {
		pr.add(cTestData)
		return
	}
	switch f.stem {
	case "seeds", "seed", "factories", "seeders":
		if codeExt(f.ext) || f.ext == ".sql" {
			pr.add(cTestData)
			return
		}
	}
	if f.ext == ".feature" {
		pr.add(cBDD)
		pr.tool("gherkin")
		return
	}
	if pr.cats.any(cTestPerf, cTestE2E, cTestSecurity, cBDD) {
		return // a test tool's own configuration
	}
	code := codeExt(f.ext)
	if f.has(fBDD) && code && (strings.Contains(f.dir, "step") || f.d.last == "support" && strings.Contains(f.dir, "features")) {
		pr.add(cBDD)
		return
	}
	if f.has(fTestSupport) {
		return
	}
	named := testName(f)
	inTree := code && f.has(fTestRoot|fTestTree)
	if !named && !inTree {
		if f.has(fTestRoot|fTestTree) && !docExt(f.ext) && pr.cats == 0 && !strings.HasPrefix(b, ".") {
			pr.add(cTestData) // data files kept next to tests
		}
		return
	}
	pr.add(testLayer(f, named))
}

// testLayer decides the layer of a test file.
func testLayer(f *fileInfo, named bool) cat {
	b := f.base
	switch {
	case f.has(fSecTest) || f.has(fSecurity) && (named || f.has(fTestRoot)) ||
		strings.Contains(b, "security_test") || strings.Contains(b, "securitytest") || strings.HasPrefix(b, "fuzz_test") || strings.Contains(b, "_fuzz_test"):
		return cTestSecurity
	case f.has(fPerf) || strings.HasPrefix(b, "bench") || strings.Contains(b, "_bench") || strings.Contains(b, "benchmark") ||
		strings.Contains(b, ".bench.") || strings.Contains(b, "loadtest") || strings.Contains(b, "load_test") ||
		strings.Contains(b, "perf_test") || strings.Contains(b, ".perf.") || strings.HasSuffix(f.origStem(), "Simulation") ||
		strings.Contains(b, "stress_test"):
		return cTestPerf
	case f.has(fE2E|fSystemUI) || f.ext == ".robot" || strings.Contains(b, ".e2e") || strings.Contains(b, "_e2e") ||
		strings.HasPrefix(b, "e2e") || strings.Contains(b, "-e2e") || strings.Contains(b, ".cy.") || strings.Contains(b, "selenium") ||
		strings.Contains(b, "acceptance") || strings.HasSuffix(f.origStem(), "UITests") || strings.HasSuffix(f.origStem(), "UITest"):
		return cTestE2E
	case f.has(fIntegration|fAPIUnderTest) || strings.Contains(b, "integration") || strings.Contains(b, "_it_test") ||
		strings.Contains(b, ".it.") || strings.Contains(b, "contract") || strings.Contains(b, "pact") ||
		(f.ext == ".java" || f.ext == ".kt" || f.ext == ".groovy" || f.ext == ".scala") && (strings.HasSuffix(f.origStem(), "IT") || strings.HasSuffix(f.origStem(), "ITCase")):
		return cTestIntegration
	}
	return cTestUnit
}

// generatedName reports file names of generated code.
func generatedName(b, ext string) bool {
	var sufs []string
	switch ext {
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

// mockName reports hand-written or generated test doubles.
func mockName(b string) bool {
	return strings.HasPrefix(b, "mock_") || strings.HasSuffix(b, "_mock.go") || strings.HasSuffix(b, "_mocks.go") ||
		strings.HasPrefix(b, "fake_") || strings.HasSuffix(b, "_fake.go")
}

// docsAndSource puts documentation and production source into their
// categories.
func docsAndSource(f *fileInfo, pr *pathResult) {
	if pr.cats.has(cTestData) {
		return
	}
	b := f.base
	if (docExt(f.ext) && f.ext != ".txt") || f.has(fDocs) || strings.HasPrefix(b, "readme") || b == "mkdocs.yml" ||
		strings.HasPrefix(b, "docusaurus.config.") || b == "antora.yml" || (f.ext == ".txt" && (strings.HasPrefix(b, "changelog") || strings.HasPrefix(b, "contributing"))) {
		pr.add(cDocs)
		return
	}
	if !codeExt(f.ext) || f.ext == ".robot" || f.ext == ".bats" {
		return
	}
	if pr.cats != 0 {
		return // configuration, scripts, tests: not production code
	}
	if f.has(fTestSupport|fGenerated|fTestRoot|fTestTree|fExamples|fMigrations) || generatedName(b, f.ext) || mockName(b) {
		return
	}
	pr.add(cSource)
}
