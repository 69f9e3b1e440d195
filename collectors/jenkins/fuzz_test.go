package jenkins

import (
	"encoding/json"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

var modelRun = model.Run{ID: "a#1"}

// FuzzBuildJSON: whatever a Jenkins (or something posing as one) answers
// to a build listing or a test result, mapping it never panics and a
// finished run has a duration.
func FuzzBuildJSON(f *testing.F) {
	f.Add([]byte(`{"_class":"x","allBuilds":[{"number":3,"result":"SUCCESS","duration":1200,"timestamp":1767225600000,"building":false,"actions":[{"causes":[{"_class":"hudson.model.Cause$UserIdCause"}]},{},{"lastBuiltRevision":{"SHA1":"ABC","branch":[{"name":"origin/main"}]}},{"totalCount":4,"failCount":5,"skipCount":-1},{"queuingDurationMillis":-3}]}]}`),
		[]byte(`{"duration":1.5,"suites":[{"name":"s","cases":[{"className":"a","name":"b","status":"FAILED"},{"className":"a","name":"b","status":"PASSED"}]}]}`))
	f.Add([]byte(`{"allBuilds":[{"number":-1,"result":null,"building":true}]}`), []byte(`{"suites":null}`))
	c, err := New(Options{BaseURL: "https://ci.example.com", Job: "a"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, list, report []byte) {
		var j jJob
		if json.Unmarshal(list, &j) == nil {
			for _, b := range j.AllBuilds {
				run, counts := toRun(c, jobKind{path: []string{"a"}, name: "a"}, b)
				if run.Status == "completed" && run.Duration == nil {
					t.Fatalf("finished run without duration: %+v", run)
				}
				if counts != nil && (counts.Passed < 0 || counts.Passed+counts.Failed+counts.Skipped != counts.Total) {
					t.Fatalf("counts do not add up: %+v", counts)
				}
			}
		}
		var tr jTestResult
		if json.Unmarshal(report, &tr) == nil {
			rep := toReport(&modelRun, &tr)
			if rep.Passed+rep.Failed+rep.Skipped != rep.Total || rep.Detail.Flaky > rep.Detail.Retried {
				t.Fatalf("inconsistent report %+v", rep)
			}
		}
	})
}
