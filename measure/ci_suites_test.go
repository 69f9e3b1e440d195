package measure

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

func TestSuiteLayer(t *testing.T) {
	for name, want := range map[string]string{
		"hudson.plugins.git.GitSCMIT":      "integration",
		"com.acme.PaymentIntegrationTest":  "integration",
		"tests/integration/test_orders.py": "integration",
		"OrderApiTests":                    "integration",
		"com.acme.OrderTest":               "",
		"SubmitFormTest.testSubmit":        "",
		"UNIT":                             "",
		"checkout e2e":                     "e2e",
		"cypress/checkout.cy.ts":           "e2e",
		"com.acme.LoginAcceptanceTest":     "e2e",
		"com.acme.bench.OrderJmhBenchmark": "performance",
		"load-tests/checkout":              "performance",
		"com.acme.PerformanceIT":           "performance",
	} {
		if got := suiteLayer(name); got != want {
			t.Errorf("suiteLayer(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSuiteLayers(t *testing.T) {
	ev := ciEv(model.KindRuns, model.KindTestReports)
	ev.Runs = []model.Run{ciRun("1", "ci", model.TriggerPush, "main", "a", "success", 1, 60),
		ciRun("0", "ci", model.TriggerPush, "main", "b", "success", -100, 60)}
	ev.TestReports = []model.TestReport{
		{RunID: "1", Suites: []model.TestSuite{{Name: "a.OrderTest"}, {Name: "a.CheckoutIT"}, {Name: "a.PayIT"}}},
		{RunID: "1", Suites: []model.TestSuite{{Name: "a.CheckoutIT"}}},
		{RunID: "0", Suites: []model.TestSuite{{Name: "e2e/login"}}}, // before the window
	}
	ms := model.Measurements{}
	ciSuiteLayers(ev, ms)
	ciCheck(t, ms, map[string]ciGot{"test.suites.integration": ciK(2, 2), "test.suites.e2e": ciK(0, 2),
		"test.suites.performance": ciK(0, 2)}, map[string]string{"test.suites.integration": "a.CheckoutIT, a.PayIT"})

	ms = model.Measurements{}
	ciSuiteLayers(ciEv(model.KindRuns), ms)
	ciCheck(t, ms, map[string]ciGot{"test.suites.integration": ciU}, map[string]string{"test.suites.integration": whyNoTestReports})
}
