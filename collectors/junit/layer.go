package junit

import (
	"path/filepath"
	"strings"
)

// Layers a test is counted under.
const (
	LayerUnit        = "unit"
	LayerIntegration = "integration"
	LayerE2E         = "e2e"
	LayerPerformance = "performance"
	LayerUnknown     = "unknown"
)

// Layer tells the layer of a suite from its name (a class or package name
// such as com.acme.it.OrderIT or OrderIntegrationTest) and, when the name
// says nothing, from the report file's path (build/test-results/
// integrationTest/…, target/failsafe-reports/…). Names win over paths.
func Layer(suite, path string) string {
	if l := fromWords(suite, true); l != "" {
		return l
	}
	if l := fromWords(filepath.ToSlash(path), false); l != "" {
		return l
	}
	return LayerUnknown
}

func fromWords(s string, isName bool) string {
	low := strings.ToLower(s)
	words := strings.FieldsFunc(low, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	unit := false
	for _, w := range words {
		switch w {
		case "e2e", "endtoend", "acceptance", "ui", "cypress", "playwright", "selenium", "browser", "e2etest", "e2etests", "uitest", "uitests":
			return LayerE2E
		case "integration", "integrationtest", "integrationtests", "it", "itest", "itests", "failsafe", "contract", "pact", "component":
			return LayerIntegration
		case "perf", "performance", "load", "loadtest", "benchmark", "benchmarks", "gatling", "jmeter", "k6":
			return LayerPerformance
		case "unit", "unittest", "unittests", "surefire", "test", "tests":
			unit = unit || !isName || w == "unit" || w == "unittest" || w == "unittests"
		}
	}
	if unit {
		return LayerUnit
	}
	if isName {
		// Class-name suffixes: OrderIT, OrderIntegrationTest, CheckoutE2ETest.
		orig := s
		if i := strings.LastIndexAny(orig, "./\\"); i >= 0 {
			orig = orig[i+1:]
		}
		switch {
		case strings.HasSuffix(orig, "IT") || strings.HasSuffix(orig, "ITCase") || strings.HasSuffix(orig, "IntegrationTest") || strings.HasSuffix(orig, "IntegrationTests"):
			return LayerIntegration
		case strings.HasSuffix(orig, "E2ETest") || strings.HasSuffix(orig, "E2E") || strings.HasSuffix(orig, "AcceptanceTest"):
			return LayerE2E
		}
	}
	return ""
}
