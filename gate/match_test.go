package gate

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func rep(days int, catalogue string, targets ...model.TargetResult) *model.Report {
	until := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	return &model.Report{Schema: model.ReportSchema, Catalogue: catalogue, Targets: targets,
		Window: model.Window{Since: until.AddDate(0, 0, -days), Until: until}}
}

func tgt(name, kind, loc string) model.TargetResult {
	t := model.TargetResult{Name: name}
	if kind != "" {
		t.Identity = &model.Identity{Kind: kind, Location: loc}
	}
	return t
}

func TestMatchBaseline(t *testing.T) {
	app := tgt("app", "git", "github.com/acme/app")
	renamed := tgt("app-ci", "git", "github.com/acme/app")
	other := tgt("app", "git", "github.com/other/app")
	old := tgt("app", "", "")
	for _, tc := range []struct {
		name     string
		cur, bas *model.Report
		strict   bool
		what     string   // "" for no error
		says     []string // in the message
	}{
		{"same target", rep(90, "c1", app), rep(90, "c1", app), true, "", nil},
		{"renamed clone directory: same identity", rep(90, "c1", renamed), rep(90, "c1", app), true, "", nil},
		{"no entry for the target", rep(90, "c1", tgt("web", "git", "/srv/web")), rep(90, "c1", app), true, "target",
			[]string{`no entry for "web" (git /srv/web)`, `"app" (git github.com/acme/app)`, "cdaudit baseline"}},
		{"no entry, store: no baseline", rep(90, "c1", tgt("web", "git", "/srv/web")), rep(90, "c1", app), false, "", nil},
		{"same name, another host", rep(90, "c1", other), rep(90, "c1", app), false, "target",
			[]string{"github.com/acme/app", "github.com/other/app"}},
		{"empty baseline", rep(90, "c1", app), rep(90, "c1"), true, "target", []string{"it holds no target"}},
		{"window length", rep(30, "c1", app), rep(90, "c1", app), true, "window",
			[]string{"90-day window, this audit 30-day", "--since 90d"}},
		{"window, a relative since taken later the same day", rep(90, "c1", app), func() *model.Report {
			r := rep(90, "c1", app)
			r.Window.Since, r.Window.Until = r.Window.Since.Add(5*time.Minute), r.Window.Until.Add(6*time.Minute)
			return r
		}(), true, "", nil},
		{"catalogue", rep(90, "c2", app), rep(90, "c1", app), false, "catalogue", []string{"c1", "c2"}},
		{"baseline file without catalogue", rep(90, "c1", app), rep(90, "", app), true, "catalogue", []string{"older cdaudit"}},
		{"baseline file without identity", rep(90, "c1", app), rep(90, "c1", old), true, "target", []string{"records no target identity"}},
		{"store without identity: by name", rep(90, "c1", app), rep(0, "", old), false, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := MatchBaseline(tc.cur, tc.bas, tc.strict)
			var me *MismatchError
			switch {
			case tc.what == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.what == "":
				return
			case !errors.As(err, &me) || !errors.Is(err, ErrBaselineMismatch) || me.What != tc.what:
				t.Fatalf("err = %v, want a %s mismatch", err, tc.what)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
		})
	}
}

func TestCheckReportPairsByIdentity(t *testing.T) {
	base := rep(90, "c1", tgt("app", "git", "github.com/acme/app"), tgt("web", "git", "github.com/acme/web"))
	base.Targets[0].Practices = []model.PracticeResult{prac("ci", dim("frequency", 3, measured))}
	base.Targets[1].Practices = []model.PracticeResult{prac("ci", dim("frequency", 1, measured))}
	// The clone of acme/app renamed "web": compared with app's entry, not web's.
	cur := rep(90, "c1", tgt("web", "git", "github.com/acme/app"))
	cur.Targets[0].Practices = []model.PracticeResult{prac("ci", dim("frequency", 2, measured))}
	res := CheckReport(cur, base, nil, UnknownIgnore)
	if res.Holds || len(res.Failures) == 0 || *res.Failures[0].From != 3 {
		t.Errorf("want a fall from 3 (app's entry): %+v", res)
	}
}

func TestBelowMinimumNamesWhatHoldsItDown(t *testing.T) {
	ms := map[string]float64{"git.integrations_per_dev_day": 0.4, "git.branch_lifetime_hours.p90": 80}
	freq := cites(dim("frequency", 2, measured), "git.integrations_per_dev_day")
	freq.HeldBack = "level 3 needs every developer to integrate into trunk at least once a day"
	branching := reason(dim("branching", 4, measured), "git.branch_lifetime_hours.p90 is 80 h")
	cur := result(ms, prac("ci", freq, branching))
	cur.Measurements["git.integrations_per_dev_day"] = model.Measurement{ID: "git.integrations_per_dev_day", Value: 0.4, Known: true, Unit: "per day"}
	res := Check(cur, nil, []Requirement{{Practice: "ci", Level: 3}, {Practice: "ci", Dimension: "branching", Level: 5}}, UnknownIgnore)
	if len(res.Failures) != 2 {
		t.Fatalf("failures: %+v", res.Failures)
	}
	want := [][]Holder{
		{{Dimension: "ci.frequency", Level: ip(2), Criterion: freq.HeldBack,
			Measurements: []string{"git.integrations_per_dev_day " + model.FormatValue(0.4, "per day")}}},
		{{Dimension: "ci.branching", Level: ip(4), Criterion: "git.branch_lifetime_hours.p90 is 80 h",
			Measurements: []string{"git.branch_lifetime_hours.p90 " + model.FormatValue(80, "")}}},
	}
	for i, f := range res.Failures {
		if d := cmp.Diff(want[i], f.HeldBy); d != "" {
			t.Errorf("%s held by (-want +got):\n%s", f.Key(), d)
		}
	}
	line := res.Failures[0].String()
	for _, s := range []string{"ci is 2", "below the required 3", "held down by ci.frequency at 2", freq.HeldBack, "git.integrations_per_dev_day"} {
		if !strings.Contains(line, s) {
			t.Errorf("%q does not say %q", line, s)
		}
	}
	if line := res.Failures[1].String(); !strings.Contains(line, "; not met: git.branch_lifetime_hours.p90 is 80 h") {
		t.Errorf("dimension failure: %q", line)
	}
}
