package classify

import (
	"context"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestE2ERunnerSelection: test files an end-to-end runner configuration
// selects are end-to-end tests, wherever they live (vite's playground), and
// the unit tests it does not select stay unit tests.
func TestE2ERunnerSelection(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  map[model.Category][]string
	}{
		{
			name: "vitest e2e config with include, exclude and coverage",
			files: map[string]string{
				"vitest.config.e2e.ts": `import { defineConfig } from 'vitest/config'
export default defineConfig({
  resolve: { alias: { '~utils': './playground/test-utils' } },
  test: {
    include: ['./playground/**/*.spec.[tj]s'],
    exclude: [...(isBuild ? ['./playground/hooks/**/*.spec.[tj]s'] : []), ...defaultExclude],
    coverage: { include: ['packages/**'] },
  },
})`,
				"vitest.config.ts":                            `export default { test: { include: ['**/__tests__/**/*.spec.[tj]s'] } }`,
				"playground/css/__tests__/css.spec.ts":        "",
				"playground/hmr/__tests__/nested/hmr.spec.js": "",
				"playground/hooks/__tests__/hooks.spec.ts":    "",
				"packages/vite/src/__tests__/config.spec.ts":  "",
				"packages/vite/__tests__/build.spec.ts":       "",
			},
			want: map[model.Category][]string{
				model.CatTestE2E: {"playground/css/__tests__/css.spec.ts", "playground/hmr/__tests__/nested/hmr.spec.js", "vitest.config.e2e.ts"},
				model.CatTestUnit: {"packages/vite/__tests__/build.spec.ts", "packages/vite/src/__tests__/config.spec.ts",
					"playground/hooks/__tests__/hooks.spec.ts"},
			},
		},
		{
			name: "playwright testDir in a sub-package",
			files: map[string]string{
				"web/playwright.config.ts":        `export default defineConfig({ testDir: './tests/browser', use: { baseURL: 'http://localhost' } })`,
				"web/tests/browser/login.test.ts": "",
				"web/tests/unit/math.test.ts":     "",
			},
			want: map[model.Category][]string{
				model.CatTestE2E:  {"web/playwright.config.ts", "web/tests/browser/login.test.ts"},
				model.CatTestUnit: {"web/tests/unit/math.test.ts"},
			},
		},
		{
			name: "jest e2e configurations (JSON testRegex, testMatch with <rootDir>)",
			files: map[string]string{
				"jest-e2e.json":               `{"testRegex": "flows/.*\\.test\\.ts$", "collectCoverageFrom": ["src/**"]}`,
				"api/jest.config.e2e.js":      `module.exports = { testMatch: ['<rootDir>/journeys/**/*.test.js'], coverage: { include: ['**'] } }`,
				"flows/checkout.test.ts":      "",
				"api/journeys/signup.test.js": "",
				"api/src/user.test.js":        "",
				"src/cart.test.ts":            "",
			},
			want: map[model.Category][]string{
				model.CatTestE2E:  {"api/jest.config.e2e.js", "api/journeys/signup.test.js", "flows/checkout.test.ts"},
				model.CatTestUnit: {"api/src/user.test.js", "src/cart.test.ts"},
			},
		},
		{
			name: "an e2e config without an explicit selection claims nothing",
			files: map[string]string{
				"vitest.config.e2e.ts":       `export default defineConfig({ test: { testTimeout: 5000 } })`,
				"src/__tests__/util.spec.ts": "",
			},
			want: map[model.Category][]string{
				model.CatTestE2E:  {"vitest.config.e2e.ts"},
				model.CatTestUnit: {"src/__tests__/util.spec.ts"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeReader{files: map[string][]byte{}}
			var paths []string
			for p, c := range tc.files {
				paths = append(paths, p)
				r.files[p] = []byte(c)
			}
			tf, err := Classify(context.Background(), paths, r)
			if err != nil {
				t.Fatal(err)
			}
			for c, want := range tc.want {
				got := tf.Files[c]
				if len(got) != len(want) || tf.Count(c) != len(want) {
					t.Errorf("%s: got %v (count %d), want %v", c, got, tf.Count(c), want)
					continue
				}
				for i := range want {
					if got[i] != want[i] {
						t.Errorf("%s: got %v, want %v", c, got, want)
						break
					}
				}
			}
		})
	}
}

// TestE2ERunnerConfigNames: which configuration files are read for a test
// selection.
func TestE2ERunnerConfigNames(t *testing.T) {
	for name, want := range map[string]bool{
		"playwright.config.ts": true, "vitest.config.e2e.ts": true, "vitest.e2e.config.mts": true,
		"jest-e2e.json": true, "jest.config.e2e.js": true, "jest.config.js": false, "vitest.config.ts": false,
		"vitest.workspace.ts": false, "jest-e2e.md": false, "cypress.config.ts": false,
	} {
		if got := e2eRunnerConfig(name); got != want {
			t.Errorf("e2eRunnerConfig(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestGlobCharClass: globs with character classes.
func TestGlobCharClass(t *testing.T) {
	re := globRegexp("playground/**/*.spec.[tj]s")
	for p, want := range map[string]bool{
		"playground/a/__tests__/a.spec.ts": true, "playground/a.spec.js": true,
		"playground/a/a.spec.cs": false, "playground/a/a.spec.[tj]s": false,
	} {
		if got := re.MatchString(p); got != want {
			t.Errorf("%s: %v, want %v", p, got, want)
		}
	}
	if re := globRegexp("a/[!x]b"); re == nil || re.MatchString("a/xb") || !re.MatchString("a/yb") || re.MatchString("a//b") {
		t.Errorf("negated class: %v", re)
	}
	if re := globRegexp("a/[b"); re == nil || !re.MatchString("a/[b") {
		t.Errorf("unclosed bracket is literal: %v", re)
	}
}
