package model_test

import (
	"fmt"

	"github.com/cdaudit/cdaudit/model"
)

// A dimension that could not be judged past level 2 reads the same in every
// report, gate message and history table.
func ExampleLevel() {
	d := model.DimensionResult{ID: "branching", LowerBound: model.IntPtr(2), Basis: model.BasisUnknown}
	l := model.DimensionLevel(d)
	fmt.Println(l.String(), "|", l.Short(), "|", l.Chip())
	fmt.Println("at least 2:", l.AtLeast(2), "below 3:", l.Below(3))

	p := model.PracticeLevel(model.PracticeResult{ID: "ci", Level: model.IntPtr(3)})
	fmt.Println(p, "compared with the dimension:", p.Compare(l))
	// Output:
	// unknown (≥ 2) | ≥2? | ≥2 unknown
	// at least 2: true below 3: false
	// 3 compared with the dimension: 1
}

func ExampleFormatValue() {
	fmt.Println(model.FormatValue(12.0/13.0, model.UnitRatio))
	fmt.Println(model.FormatValue(300, model.UnitSeconds))
	fmt.Println(model.FormatValue(412, "commits"))
	fmt.Println(model.FormatValueBare(412, "commits"))
	// Output:
	// 92.3 %
	// 5 min
	// 412 commits
	// 412
}

// Measurements are stored and read by their catalogue ids; the unit comes
// from the catalogue.
func ExampleMeasurements() {
	ms := model.Measurements{}
	ms.Set(model.GitCommits, 412, 412)
	ms.SetUnknown(model.CIRuns, "no CI run records collected")

	v, ok := ms.Get(model.GitCommits)
	fmt.Println(v, ok, ms[string(model.GitCommits)].Unit)
	_, ok = ms.Get(model.CIRuns)
	fmt.Println(ok, ms[string(model.CIRuns)].Note)
	// Output:
	// 412 true commits
	// false no CI run records collected
}

func ExampleLookupMeasurement() {
	d, ok := model.LookupMeasurement(model.TriggerRunsID(model.TriggerPush))
	fmt.Println(ok, d.ID, d.Unit, d.Kind, d.Evidence)
	_, ok = model.LookupMeasurement("ci.pr_head_coverage_rati")
	fmt.Println(ok)
	// Output:
	// true ci.trigger.<trigger>.runs runs count [runs]
	// false
}
