package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestPlaywrightScriptFilters: `playwright test FILTER` in a package.json
// script runs the test files whose path matches FILTER: they are end-to-end
// tests; the unit tests beside them stay unit tests.
func TestPlaywrightScriptFilters(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		"package.json": `{"scripts": {"test:headless": "playwright test headless", "test:dev": "cross-env X=1 playwright test --workers 2 developing",
			"test:testing": "jest --rootDir testing"}}`,
		"testing/tests/headless.index.spec.ts":  "",
		"testing/tests/headless.search.spec.ts": "",
		"testing/tests/developing.spec.ts":      "",
		"testing/tests/redirects.test.ts":       "",
		"testing/tests/headless-notes.md":       "",
	})
	want := []string{"testing/tests/developing.spec.ts", "testing/tests/headless.index.spec.ts", "testing/tests/headless.search.spec.ts"}
	if d := cmp.Diff(want, tf.Files[model.CatTestE2E]); d != "" {
		t.Errorf("e2e (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"testing/tests/redirects.test.ts"}, tf.Files[model.CatTestUnit]); d != "" {
		t.Errorf("unit (-want +got):\n%s", d)
	}
}

// TestPerformanceToolInCI: a CI job that runs a load or performance test
// tool (Lighthouse CI, k6…) puts its file in the performance test layer.
func TestPerformanceToolInCI(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/performance.yml": "on: pull_request\njobs:\n  lighthouse:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          npm install -g @lhci/cli\n          lhci autorun --collect.url=http://localhost:5042/\n",
		".github/workflows/ci.yml":          "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
	})
	if d := cmp.Diff([]string{".github/workflows/performance.yml"}, tf.Files[model.CatTestPerformance]); d != "" {
		t.Errorf("performance (-want +got):\n%s", d)
	}
}
