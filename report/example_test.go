package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
)

func ExampleParseFormat() {
	for _, s := range []string{"md", "JSON", "pdf"} {
		f, err := report.ParseFormat(s)
		fmt.Println(f, err)
	}
	// Output:
	// markdown <nil>
	// json <nil>
	//  unknown report format "pdf" (want one of html, json, markdown, prometheus, text)
}

// Render writes one report in any format; here the Prometheus exposition of
// a practice level and a measurement.
func ExampleRender() {
	ms := model.Measurements{}
	ms.Set(model.GitCommits, 412, 412)
	r := &model.Report{Schema: model.ReportSchema, GeneratedAt: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
		Targets: []model.TargetResult{{Name: "app", Measurements: ms, Practices: []model.PracticeResult{{
			ID: "ci", Level: model.IntPtr(3),
			Dimensions: []model.DimensionResult{{ID: "frequency", Level: model.IntPtr(3), Basis: model.BasisMeasured}},
		}}}}}
	var buf bytes.Buffer
	if err := report.Render(&buf, r, report.FormatPrometheus, report.Options{}); err != nil {
		fmt.Println(err)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "cdaudit_practice_level{") || strings.HasPrefix(line, "cdaudit_measurement{") {
			fmt.Println(line)
		}
	}
	// Output:
	// cdaudit_measurement{measurement="git.commits",target="app",unit="commits"} 412
	// cdaudit_practice_level{practice="ci",target="app"} 3
}
