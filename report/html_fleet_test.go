package report

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// fleetPractices are two practices of two dimensions at the given levels
// (nil: unknown).
func fleetPractices(ci1, ci2, vc1 *int) []model.PracticeResult {
	pr := func(id string, dims ...model.DimensionResult) model.PracticeResult {
		p := model.PracticeResult{ID: id, Dimensions: dims}
		low, known := 0, true
		for _, d := range dims {
			switch {
			case d.Level == nil:
				known = false
			case low == 0 || *d.Level < low:
				low = *d.Level
			}
		}
		if known {
			p.Level = model.IntPtr(low)
		} else if low > 0 {
			p.UpperBound = model.IntPtr(low)
		}
		return p
	}
	dim := func(id string, l *int) model.DimensionResult {
		return model.DimensionResult{ID: id, Level: l, MeasuredLevel: l, Basis: model.BasisMeasured, AutomaticMax: 5}
	}
	return []model.PracticeResult{pr("ci", dim("build", ci1), dim("test", ci2)), pr("vc", dim("branching", vc1))}
}

func TestFleetSection(t *testing.T) {
	l := model.IntPtr
	r := &model.Report{Schema: model.ReportSchema, GeneratedAt: fixedGenerated, Window: fixedWindow, Targets: []model.TargetResult{
		{Name: "acme/api", Labels: map[string]string{"team": "web"}, Practices: fleetPractices(l(3), l(4), l(2))},
		{Name: "acme/shop", Labels: map[string]string{"team": "web", "system": "core"}, Practices: fleetPractices(l(1), l(1), l(4))},
		{Name: "acme/data", Labels: map[string]string{"team": "data"}, Practices: fleetPractices(l(5), nil, l(3))},
		{Name: "acme/later", Labels: map[string]string{"team": "data"}, Status: model.TargetDeferred, Deferred: "budget"},
	}}
	before := fixedGenerated.Add(-24 * time.Hour)
	hist := map[string][]model.HistoryPoint{
		"acme/api":  {{At: before, Levels: map[string]*int{"ci": l(1), "vc": l(2)}}},
		"acme/shop": {{At: before, Levels: map[string]*int{"ci": l(1), "vc": l(1)}}},
	}
	anchors := []string{"t1", "t2", "t3", "t4"}
	f := buildFleet(r, anchors, names{}, hist)
	type row struct {
		Name, Labels, Status, Lowest string
		Cells                        []int
	}
	var rows []row
	for _, x := range f.Rows {
		var cells []int
		for _, c := range x.Cells {
			cells = append(cells, c.Sort)
		}
		rows = append(rows, row{x.Name, x.Labels, x.Status, x.Lowest.Text, cells})
	}
	wantRows := []row{
		{"acme/api", "team=web", "", "L2", []int{3, 2}},
		{"acme/shop", "system=core;team=web", "", "L1", []int{1, 4}},
		{"acme/data", "team=data", "", "≤3 unknown", []int{0, 3}},
		{"acme/later", "team=data", "deferred", "–", []int{0, 0}},
	}
	if d := cmp.Diff(wantRows, rows); d != "" {
		t.Errorf("heatmap rows (-want +got)\n%s", d)
	}
	if d := cmp.Diff([]string{"system=core", "team=data", "team=web"}, f.Labels); d != "" {
		t.Errorf("filter choices (-want +got)\n%s", d)
	}
	// ci: api 3, shop 1, data unknown; vc: 2, 4, 3. Weakest: ci.test
	// (4, 1), then build (3, 1, 5) and branching (2, 4, 3) in their order.
	if d := cmp.Diff([][6]int{{1, 1, 0, 1, 0, 0}, {0, 0, 1, 1, 1, 0}}, []([6]int){f.Distribution[0].Counts, f.Distribution[1].Counts}); d != "" {
		t.Errorf("distribution (-want +got)\n%s", d)
	}
	var weak []string
	for _, w := range f.Weakest {
		weak = append(weak, w.Practice+"."+w.Dimension+" "+w.Mean)
	}
	if d := cmp.Diff([]string{"ci.test 2.5", "ci.build 3.0", "vc.branching 3.0"}, weak); d != "" {
		t.Errorf("weakest dimensions (-want +got)\n%s", d)
	}
	type team struct{ Team, Lowest, Before, Trend string }
	var teams []team
	for _, x := range f.Teams {
		teams = append(teams, team{x.Team, x.Lowest, x.Before, x.Trend})
	}
	// web: lowest 2 and 1 now (1.5), 1 and 1 before; data: only acme/data,
	// whose lowest is unknown, and no history.
	if d := cmp.Diff([]team{{"data", "–", "", ""}, {"web", "1.5", "1.0", "▲ +0.5"}}, teams); d != "" {
		t.Errorf("teams (-want +got)\n%s", d)
	}

	page := renderHTMLString(t, r, Options{History: hist})
	checkHTMLSafe(t, page)
	for _, want := range []string{`id="fleet-map"`, `data-labels="system=core;team=web"`, `<option value="team=data">`,
		"1 deferred to a later run", "Weakest dimensions across the fleet", `<td class="trend up">▲ &#43;0.5</td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("fleet page lacks %q", want)
		}
	}
	if one := renderHTMLString(t, &model.Report{Targets: r.Targets[:1]}, Options{}); strings.Contains(one, "fleet-map") {
		t.Error("a one-target page has a fleet section")
	}
}
