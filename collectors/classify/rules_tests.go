package classify

import (
	"strings"

	"github.com/cdaudit/cdaudit/model/vocab"
)

// codeExt reports extensions of program source files (vocab.CodeExt).
func codeExt(ext string) bool { return vocab.CodeExt(ext) }

// origStem is the base name without extension, case kept.
func (f *fileInfo) origStem() string {
	return f.origBase[:len(f.origBase)-len(f.ext)]
}

// testName reports whether the file name follows a test naming convention
// (vocab.TestFileName), or is a Rust file under a tests/ root.
func testName(f *fileInfo) bool {
	return vocab.TestFileNameLower(f.base, f.origBase) || f.ext == ".rs" && f.has(fTestRoot)
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
	named := testName(f)
	if f.has(fTestSupport) && !named {
		return // helpers; a named test file in testing/ is still a test
	}
	inTree := code && f.has(fTestRoot|fTestTree)
	if !named && !inTree && (code || scriptExt(f.ext)) && benchScript(f) {
		pr.add(cTestPerf) // scripts/bench-startup.sh, benchCircularImport.ts
		return
	}
	if !named && !inTree {
		if f.has(fTestRoot|fTestTree) && !docExt(f.ext) && pr.cats == 0 && !strings.HasPrefix(b, ".") {
			pr.add(cTestData) // data files kept next to tests
		}
		return
	}
	pr.add(testLayer(f, named))
}

// nameWords splits a file's stem into lower-case words at separators,
// digits and camelCase humps: benchCircularImport is bench, circular,
// import; ephiperfifo is one word.
func nameWords(stem string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(stem); i++ {
		c := byte(0)
		if i < len(stem) {
			c = stem[i]
		}
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		hump := start >= 0 && c >= 'A' && c <= 'Z' && stem[i-1] >= 'a' && stem[i-1] <= 'z'
		if start >= 0 && (!letter || hump) {
			out = append(out, lowerASCII(stem[start:i]))
			start = -1
		}
		if letter && start < 0 {
			start = i
		}
	}
	return out
}

// perfHarness reports a script kept among the tests that is not itself a
// test case but measures performance: its name holds a benchmark word as
// a whole word (tests/http/scorecard.py, tests/perf_runner.py, not
// tests/ephiperfifo.c).
func perfHarness(f *fileInfo) bool {
	for _, w := range nameWords(f.origStem()) {
		switch w {
		case "bench", "benchmark", "benchmarks", "perf", "performance", "loadtest", "stresstest", "scorecard", "throughput":
			return true
		}
	}
	return false
}

// benchScript reports a benchmark script outside the test directories: in
// a scripts or tools directory (or at the root), named for a benchmark
// by its first word (packages/vite/scripts/benchCircularImport.ts,
// scripts/benchmark_parse.py). Production code named so (src/benchmark.rs
// of a benchmarking library) is not one.
func benchScript(f *fileInfo) bool {
	if f.has(fDocs | fExamples | fGenerated) {
		return false
	}
	switch f.d.last {
	case "", "scripts", "script", "tools", "tool", "hack", "bin", "dev", "devtools":
	default:
		return false
	}
	w := nameWords(f.origStem())
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "bench", "benchmark", "benchmarks", "loadtest", "stresstest":
		return true
	}
	return false
}

// testLayer decides the layer of a test file.
func testLayer(f *fileInfo, named bool) cat {
	b := f.base
	switch {
	case f.has(fSecTest) || f.has(fSecurity) && (named || f.has(fTestRoot)) ||
		strings.Contains(b, "security_test") || strings.Contains(b, "securitytest") || strings.HasPrefix(b, "fuzz_test") || strings.Contains(b, "_fuzz_test"):
		return cTestSecurity
	case f.has(fPerf) || !named && perfHarness(f) || strings.HasPrefix(b, "bench") || strings.Contains(b, "_bench") || strings.Contains(b, "benchmark") ||
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
	if f.has(fTestSupport|fGenerated|fTestRoot|fTestTree|fExamples|fMigrations) || vocab.GeneratedName(b) || mockName(b) {
		return
	}
	pr.add(cSource)
}
