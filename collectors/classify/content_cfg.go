package classify

import (
	"bytes"
	"strings"
)

// pyProject reads pyproject.toml's [tool.*] sections and dependencies.
func pyProject(data []byte, s *contentSink) {
	lower := bytes.ToLower(data)
	dbClients("pyproject.toml", lower, s.tool)
	for _, e := range [...]struct {
		section, tool string
		c             cat
	}{
		{"[tool.ruff", "ruff", cLinter}, {"[tool.black", "black", cLinter}, {"[tool.isort", "isort", cLinter},
		{"[tool.pylint", "pylint", cLinter}, {"[tool.mypy", "mypy", cLinter}, {"[tool.flake8", "flake8", cLinter},
		{"[tool.pyright", "pyright", cLinter}, {"[tool.pydocstyle", "pydocstyle", cLinter}, {"[tool.codespell", "codespell", cLinter},
		{"[tool.vulture", "vulture", cLinter}, {"[tool.radon", "radon", cLinter},
		{"[tool.coverage", "coverage.py", cCoverage}, {"[tool.bandit", "bandit", cSecurity},
		{"[tool.pytest", "pytest", numCats}, {"[tool.poetry", "poetry", numCats}, {"[tool.pdm", "pdm", numCats},
		{"[tool.hatch", "hatch", numCats}, {"[tool.uv", "uv", numCats}, {"[tool.tox", "tox", numCats},
		{"[tool.semantic_release", "python-semantic-release", numCats}, {"[tool.commitizen", "commitizen", numCats},
	} {
		if bytes.Contains(lower, []byte(e.section)) {
			s.tool(e.tool)
			if e.c != numCats {
				s.cats.add(e.c)
			}
		}
	}
	if bytes.Contains(lower, []byte("[tool.ruff")) && (bytes.Contains(lower, []byte(`"c90"`)) || bytes.Contains(lower, []byte("mccabe"))) {
		s.tool("mccabe")
	}
	manifestContent("pyproject.toml", data, s)
}

// pyIni reads setup.cfg, tox.ini and .flake8 sections.
func pyIni(data []byte, s *contentSink) {
	lower := bytes.ToLower(data)
	for _, e := range [...]struct {
		section, tool string
		c             cat
	}{
		{"[flake8]", "flake8", cLinter}, {"[mypy", "mypy", cLinter}, {"[pylint", "pylint", cLinter},
		{"[isort]", "isort", cLinter}, {"[pycodestyle]", "pycodestyle", cLinter}, {"[coverage:", "coverage.py", cCoverage},
		{"[bandit]", "bandit", cSecurity}, {"[tool:pytest]", "pytest", numCats}, {"[pytest]", "pytest", numCats},
		{"[tox]", "tox", numCats}, {"[testenv", "tox", numCats},
	} {
		if bytes.Contains(lower, []byte(e.section)) {
			s.tool(e.tool)
			if e.c != numCats {
				s.cats.add(e.c)
			}
		}
	}
	if bytes.Contains(lower, []byte("max-complexity")) {
		s.tool("mccabe")
	}
}

// lintConfig reads linter configuration for the complexity, duplication
// and security checks it enables.
func lintConfig(base string, data []byte, s *contentSink) {
	lower := bytes.ToLower(data)
	switch {
	case strings.HasPrefix(base, ".golangci"):
		for _, l := range golangciLinters(base, data) {
			switch l {
			case "gocyclo", "gocognit", "cyclop", "dupl", "funlen", "maintidx", "nestif":
				s.tool(l)
			case "gosec":
				s.tool("gosec")
				s.cats.add(cSecurity)
			}
		}
	case strings.Contains(base, "eslint"):
		if bytes.Contains(lower, []byte("complexity")) {
			s.tool("eslint-complexity")
		}
		if bytes.Contains(lower, []byte("sonarjs")) {
			s.tool("sonarjs")
		}
		if bytes.Contains(lower, []byte("plugin:security")) || bytes.Contains(lower, []byte("eslint-plugin-security")) ||
			bytes.Contains(lower, []byte("security/")) {
			s.tool("eslint-plugin-security")
			s.cats.add(cSecurity)
		}
	case strings.Contains(base, "ruff"):
		if bytes.Contains(lower, []byte(`"c90"`)) || bytes.Contains(lower, []byte("mccabe")) {
			s.tool("mccabe")
		}
	}
}

// golangciLinters lists the linters a golangci-lint configuration enables
// (v1 and v2 layouts; enable-all / default: all minus disable).
func golangciLinters(base string, data []byte) []string {
	all := []string{"gocyclo", "gocognit", "cyclop", "dupl", "funlen", "maintidx", "nestif", "gosec"}
	if !strings.HasSuffix(base, ".yml") && !strings.HasSuffix(base, ".yaml") {
		var out []string
		lower := bytes.ToLower(data)
		for _, l := range all {
			if bytes.Contains(lower, []byte(l)) {
				out = append(out, l)
			}
		}
		return out
	}
	docs, err := parseYAML(data)
	if err != nil {
		return nil
	}
	lm := asMap(firstMap(docs).get("linters"))
	if lm == nil {
		return nil
	}
	enabled := map[string]bool{}
	if truthy(lm.get("enable-all")) || asStr(lm.get("default")) == "all" {
		for _, l := range all {
			enabled[l] = true
		}
	}
	for _, l := range strList(lm.get("enable")) {
		enabled[strings.ToLower(l)] = true
	}
	for _, l := range strList(lm.get("disable")) {
		delete(enabled, strings.ToLower(l))
	}
	var out []string
	for _, l := range all {
		if enabled[l] {
			out = append(out, l)
		}
	}
	return out
}

// jsTestConfig reads jest / vitest configuration for coverage thresholds.
func jsTestConfig(data []byte, s *contentSink) {
	if bytes.Contains(data, []byte("coverageThreshold")) || (bytes.Contains(data, []byte("coverage")) && bytes.Contains(data, []byte("thresholds"))) {
		s.cats.add(cCoverage)
	}
	if bytes.Contains(data, []byte("vitest")) {
		s.tool("vitest")
	}
}
