package measure

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Test layers told by suite names (JUnit suites from Jenkins, GitLab or
// JUnit XML files): what the tree may not show when tests are organised by
// naming convention rather than by directory.
var (
	suiteIntegration = regexp.MustCompile(`(?i)integration|contract|api[-_ .]?tests?\b|service[-_ .]?tests?\b`)
	suiteIT          = regexp.MustCompile(`(?:^|[./])[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*IT$`) // a Java class: CheckoutIT, GitSCMIT; not Submit or UNIT
	suiteE2E         = regexp.MustCompile(`(?i)e2e|end[-_ .]?to[-_ .]?end|\bui[-_ .]?tests?\b|acceptance|selenium|cypress|playwright`)
	suitePerf        = regexp.MustCompile(`(?i)\bperf|performance|load[-_ .]?tests?|stress|benchmark|\bjmh\b|gatling`)
)

// suiteLayer returns the layer a suite's name tells: integration, e2e,
// performance, or "" (unit or unknown).
func suiteLayer(name string) string {
	switch {
	case suitePerf.MatchString(name):
		return "performance"
	case suiteE2E.MatchString(name):
		return "e2e"
	case suiteIT.MatchString(name) || suiteIntegration.MatchString(name):
		return "integration"
	}
	return ""
}

// ciSuiteLayers: test.suites.integration, .e2e and .performance.
func ciSuiteLayers(ev *model.Evidence, ms model.Measurements) {
	ids := map[string]model.MeasurementID{"integration": model.TestSuitesIntegration, "e2e": model.TestSuitesE2E,
		"performance": model.TestSuitesPerformance}
	if !ev.Has(model.KindTestReports) {
		for _, id := range ids {
			ms.SetUnknown(id, whyNoTestReports)
		}
		return
	}
	runs := map[string]model.Run{}
	for _, r := range ev.Runs {
		runs[r.ID] = r
	}
	seen := map[string]map[string]bool{}
	reports := 0
	for _, tr := range ev.TestReports {
		if r, ok := runs[tr.RunID]; ok && !ev.Window.Contains(r.CreatedAt) {
			continue
		}
		reports++
		for _, s := range tr.Suites {
			if l := suiteLayer(s.Name); l != "" {
				if seen[l] == nil {
					seen[l] = map[string]bool{}
				}
				seen[l][s.Name] = true
			}
		}
	}
	for l, id := range ids {
		if reports == 0 {
			ms.SetUnknown(id, "no test report in the window")
			continue
		}
		names := sortedKeys(seen[l])
		ms.Set(id, float64(len(names)), reports)
		if len(names) > 0 {
			if len(names) > 5 {
				names = append(names[:5:5], "…")
			}
			addNote(ms, id, "e.g. "+strings.Join(names, ", "))
		} else {
			addNote(ms, id, "no "+l+" suite among "+strconv.Itoa(reports)+" test report(s)")
		}
	}
}
