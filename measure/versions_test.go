package measure

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestVersionScheme(t *testing.T) {
	for _, tc := range []struct{ tag, want string }{
		{"v1.2.3", "vN.N"}, {"v1.2", "vN.N"}, {"1.0.0-rc.1+build.5", "N.N"}, {"v8.2.0-beta.0", "vN.N"},
		{"curl-8_21_0", "curl-N_N"}, {"rc-8_22_0-2", "rc-N_N"}, {"plugin-legacy@8.2.3", "plugin-legacy@N.N"},
		{"git-5.10.1", "git-N.N"}, {"26.1a1", "N.N"}, {"v1.5b", "vN.N"}, {"release-2024-01-05", "release-N-N"},
		{"NODE-1.2", "NODE-N.N"}, {"nightly", ""}, {"v1", ""}, {"v1.x", ""}, {"build-42", ""}, {"1.2.3 bad", ""},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			got, ok := VersionScheme(tc.tag)
			if ok != (tc.want != "") || got != tc.want {
				t.Errorf("VersionScheme(%q) = %q, %v; want %q", tc.tag, got, ok, tc.want)
			}
		})
	}
}

// TestVersionRule: consistent schemes other than semver count (curl's
// curl-8_21_0, a monorepo's per-package tags), one-off names do not, and a
// window with few tags is judged with the older tags that stood at its end.
func TestVersionRule(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 3, 0)}
	tag := func(name string, days int) model.Tag {
		return model.Tag{Name: name, Committed: mon.AddDate(0, 0, days)}
	}
	for _, tc := range []struct {
		name  string
		tags  []model.Tag
		ratio float64
		n     int
		note  string
	}{
		{"curl: one tag in the window, the scheme shown by older ones", []model.Tag{tag("curl-8_21_0", 10), tag("curl-8_20_0", -20),
			tag("curl-8_19_0", -60), tag("rc-8_22_0-1", 120)}, 1, 3, "version schemes: curl-N_N (e.g. curl-8_21_0, 3)"},
		{"monorepo: one scheme per package", []model.Tag{tag("v8.2.2", 50), tag("plugin-legacy@8.2.3", 40), tag("v8.2.1", 30),
			tag("create-vite@9.1.2", 20), tag("plugin-legacy@8.2.2", 10), tag("create-vite@9.1.1", 5)}, 1, 6,
			"version schemes: create-vite@N.N (e.g. create-vite@9.1.2, 2), plugin-legacy@N.N (e.g. plugin-legacy@8.2.3, 2), vN.N (e.g. v8.2.2, 2)"},
		{"one-off names do not fit", []model.Tag{tag("v1.0.0", 10), tag("v1.1.0", 20), tag("before-refactor", 30), tag("test", 40),
			tag("hotfix-1.2", 50)}, 0.4, 5, "version schemes: vN.N (e.g. v1.1.0, 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: w, Tags: tc.tags}
			ms := model.Measurements{}
			versionRule(ev, ms)
			m := ms[string(model.GitTagsSemverRatio)]
			got := []any{m.Known, m.Value, m.N, m.Note}
			if diff := cmp.Diff([]any{true, tc.ratio, tc.n, tc.note}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	ms := model.Measurements{}
	versionRule(&model.Evidence{Window: w, Tags: []model.Tag{{Name: "v1.0.0", Committed: w.Until.Add(time.Hour)}}}, ms)
	if _, ok := ms.Get(model.GitTagsSemverRatio); ok {
		t.Error("a tag made after the window judged the version rule")
	}
}
