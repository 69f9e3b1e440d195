package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// testLayering judges 测试管理 · 测试分层策略.
func testLayering(j *judge) []dimSteps {
	c := j.cfg.TestLayering
	return []dimSteps{
		{"method", []step{
			// rules/layers.go: a layer needs more than one file; a layer
			// that can live outside the tree is unknown when none is seen
			allOf(2, j.treeHas(2, "code-level (unit) tests", model.CatTestUnit),
				j.layer(2, "interface/service-level tests", c.L2MinInterfaceFiles,
					"interface tests kept beside the unit tests are not told apart by their paths", model.CatTestIntegration, model.CatTestE2E),
				j.layer(2, "performance tests", 1,
					"performance tests are often run outside the repository", model.CatTestPerformance)),
			// a security scanner in CI is not a security test layer
			allOf(3, j.unitRatio(3, c.L3MinUnitRatio),
				j.layer(3, "systematic performance tests", c.L3MinPerformanceFiles, "", model.CatTestPerformance),
				j.layer(3, "security tests", 1, "", model.CatTestSecurity)),
		}},
		{"strategy", []step{
			j.layers(2, 2),
			allOf(3, j.pyramid(3), j.testsIn(3, "non-functional (performance) tests", model.CatTestPerformance)),
		}},
		{"timing", []step{
			j.ciKind(2, model.JobTest),
			anyOf(3, j.atLeast(3, model.GitChangesWithTestsRatio, c.L3MinChangesWithTests, "the share of code-changing trunk changes that carry tests"),
				j.atLeast(3, model.ChangeWithTestsRatio, c.L3MinChangesWithTests, "the share of merged code changes that carry tests")),
			j.atLeast(4, model.GitCommitsWithTestsRatio, c.L4MinCommitsWithTests, "the share of code-changing commits with tests in the same commit"),
		}},
	}
}

// suiteIDs are the measurements of the suites CI test reports tell by name
// (JUnit suites from Jenkins, GitLab, JUnit XML files), per test category.
var suiteIDs = map[model.Category]model.MeasurementID{
	model.CatTestIntegration: model.TestSuitesIntegration,
	model.CatTestE2E:         model.TestSuitesE2E,
	model.CatTestPerformance: model.TestSuitesPerformance,
}

// suites returns how many suites of category c the CI's test reports ran.
func (j *judge) suites(c model.Category) int {
	if id, ok := suiteIDs[c]; ok {
		if m, ok := j.ms[string(id)]; ok && m.Known {
			return int(m.Value)
		}
	}
	return 0
}

// testsIn holds when the CI's test reports ran suites of one of cats, or
// else when the tree has tests of them (treeHas).
func (j *judge) testsIn(level int, what string, cats ...model.Category) step {
	for _, c := range cats {
		if n := j.suites(c); n > 0 {
			id := suiteIDs[c]
			return yes(level, fmt.Sprintf("%s: %d suite(s) in the CI's test reports (%s)", what, n, id),
				model.Ref{Kind: model.RefMeasure, Ref: string(id)})
		}
	}
	return j.treeHas(level, what, cats...)
}

// layers holds when at least min test layers exist in the tree or in the
// CI's test reports.
func (j *judge) layers(level, min int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	f := j.ev.Tree.Facts
	var have []string
	for _, c := range []model.Category{model.CatTestUnit, model.CatTestIntegration, model.CatTestE2E} {
		switch n := j.suites(c); {
		case f.Count(c) > 0:
			have = append(have, fmt.Sprintf("%s %d", c, f.Count(c)))
		case n > 0:
			have = append(have, fmt.Sprintf("%s %d suite(s) in CI test reports", c, n))
		}
	}
	return when(level, len(have) >= min, fmt.Sprintf("tests in %d layers (%v)", len(have), have),
		fmt.Sprintf("tests in %d layer(s) (%v); %d needed", len(have), have, min), j.fileRefs(3, model.CatTestUnit, model.CatTestIntegration, model.CatTestE2E)...)
}

// pyramid holds when unit test files outnumber integration ones, which
// outnumber UI/e2e ones, with at least two layers present.
func (j *judge) pyramid(level int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	f := j.ev.Tree.Facts
	u, i, e := f.Count(model.CatTestUnit), f.Count(model.CatTestIntegration), f.Count(model.CatTestE2E)
	ok := u > 0 && (i > 0 || e > 0) && u > i && u > e && (i >= e || i == 0)
	return when(level, ok, fmt.Sprintf("test files form a pyramid: unit %d > integration %d ≥ e2e %d", u, i, e),
		fmt.Sprintf("test files do not form a pyramid: unit %d, integration %d, e2e %d", u, i, e))
}

// unitRatio holds when unit-test files per production source file reach min.
func (j *judge) unitRatio(level int, min float64) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	f := j.ev.Tree.Facts
	src, u := f.Count(model.CatSource), f.Count(model.CatTestUnit)
	if src == 0 {
		return no(level, "no production source files recognised")
	}
	r := float64(u) / float64(src)
	return when(level, r >= min, fmt.Sprintf("%d unit-test files for %d source files (%.2f ≥ %.2f)", u, src, r, min),
		fmt.Sprintf("%d unit-test files for %d source files (%.2f < %.2f)", u, src, r, min))
}

// codeQuality judges 测试管理 · 代码质量管理.
func codeQuality(j *judge) []dimSteps {
	return []dimSteps{
		{"rules", []step{
			anyOf(2, j.treeHas(2, "linter configuration", model.CatLinter), j.ciKind(2, model.JobLint)),
			allOf(3, j.treeHas(3, "linter configuration", model.CatLinter), j.ciKind(3, model.JobLint), j.qualityGate(3)),
			j.treeHas(4, "customised linter rules", model.CatLinter),
		}},
		{"strategy", []step{
			j.treeHas(2, "linter configuration with scope and thresholds", model.CatLinter),
			anyOf(3, j.treeHas(3, "security or compliance scanner configuration", model.CatSecurityScanner),
				j.ciKind(3, model.JobSecurity)),
		}},
		{"method", []step{
			j.ciKind(2, model.JobLint),
			allOf(3, j.ciKind(3, model.JobLint), anyOf(3, j.trigger(3, model.TriggerPullRequest), j.trigger(3, model.TriggerPush))),
			j.treeCond(4, func(f model.TreeFacts) bool { return len(annotators(f)) > 0 },
				"analysis results are published as annotations / code-scanning alerts with suggested fixes: "+j.annotatorList(),
				"no tool that publishes findings as annotations or code-scanning alerts (CodeQL, Sonar, reviewdog, Semgrep…)"),
		}},
		{"handling", []step{
			j.ciKind(2, model.JobLint),
			allOf(3, j.ciKind(3, model.JobLint), j.trigger(3, model.TriggerPullRequest), j.qualityGate(3)),
			allOf(4, j.qualityGate(4), j.ciKind(4, model.JobSecurity)),
		}},
	}
}

// testAutomation judges 测试管理 · 自动化测试.
func testAutomation(j *judge) []dimSteps {
	c := j.cfg.TestAutomation
	return []dimSteps{
		{"design", []step{
			j.treeHas(2, "automated tests", model.CatTestUnit, model.CatTestIntegration, model.CatTestE2E),
			allOf(3, j.layers(3, 2), j.atLeast(3, model.CoveragePercent, c.L3MinCoveragePercent, "the test coverage reported by CI")),
		}},
		{"development", []step{
			j.treeHas(2, "test scripts", model.CatTestUnit, model.CatTestIntegration, model.CatTestE2E),
			allOf(3, j.gitPresent(3), j.treeHas(3, "data- or keyword-driven tests (test data, fixtures, BDD features)", model.CatTestData, model.CatBDD)),
			allOf(4, j.atMost(4, model.TestFlakyRatio, c.L4MaxFlakyRatio, "the flaky-test ratio"),
				j.treeCond(4, func(f model.TreeFacts) bool { return f.CI.Matrix || len(f.CI.JobsOfKind(model.JobTest)) >= 2 },
					"tests run in independent parallel jobs", "tests do not run in independent parallel jobs")),
		}},
		{"execution", []step{
			j.ciKind(2, model.JobTest),
			allOf(3, j.treeHas(3, "code-level tests", model.CatTestUnit),
				j.testsIn(3, "interface-level tests", model.CatTestIntegration),
				j.testsIn(3, "UI / end-to-end tests", model.CatTestE2E),
				j.atMost(3, model.CITrunkDurationSecondsP50, c.L3MaxTestMinutes*60, "the median trunk pipeline time")),
		}},
		{"analysis", []step{
			j.ciKind(2, model.JobTest),
			j.atMost(3, model.TestFlakyRatio, c.L3MaxFlakyRatio, "the flaky-test ratio"),
			allOf(4, j.atLeast(4, model.TestPassRatio, 0, "the test pass ratio"),
				j.atLeast(4, model.CoveragePercent, 0, "the reported coverage")),
		}},
	}
}

// annotators are the recognised tools that publish findings as annotations
// or code-scanning alerts.
func annotators(f model.TreeFacts) []string {
	var out []string
	for _, t := range []string{"codeql", "sonarqube", "sonarcloud", "reviewdog", "codeclimate", "sarif", "semgrep"} {
		if f.HasTool(t) {
			out = append(out, t)
		}
	}
	return out
}

func (j *judge) annotatorList() string {
	if j.ev.Tree == nil {
		return ""
	}
	return strings.Join(annotators(j.ev.Tree.Facts), ", ")
}
