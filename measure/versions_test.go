package measure

import (
	"fmt"
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

func TestSequenceNumber(t *testing.T) {
	for _, tc := range []struct {
		tag, prefix string
		n           int
	}{
		{"v1662", "v", 1662}, {"release-123", "release-", 123}, {"build-4567", "build-", 4567}, {"r123", "r", 123},
		{"42", "", 42}, {"v0", "v", 0}, {"backup-2", "backup-", 2}, {"py3-build12", "py3-build", 12},
		// not a sequence number: versions of two or more numbers, names, dates and time stamps, leading zeros
		{"v1.2.3", "", -1}, {"release-2024-01-05", "", -1}, {"curl-8_21_0", "", -1}, {"nightly", "", -1}, {"test", "", -1},
		{"v1.x", "", -1}, {"20240105", "", -1}, {"nightly-1704412800", "", -1}, {"v01", "", -1}, {"", "", -1},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			p, n, ok := SequenceNumber(tc.tag)
			if ok != (tc.n >= 0) || ok && (p != tc.prefix || n != tc.n) {
				t.Errorf("SequenceNumber(%q) = %q, %d, %v; want %q, %d", tc.tag, p, n, ok, tc.prefix, tc.n)
			}
		})
	}
}

// TestVersionRuleSequences: one prefix and a single number is a version
// rule when enough tags follow it and their numbers count up with the time
// the tags were made (publishing-api tags each green trunk build vN; tags
// made seconds apart may land out of order); a few numbered one-off tags,
// numbers in no order, and date stamps are not.
func TestVersionRuleSequences(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 3, 0)}
	seq := func(prefix string, first, count, days int, numbers ...int) []model.Tag {
		var tags []model.Tag
		for i := 0; i < count; i++ {
			n := first + i
			if i < len(numbers) {
				n = numbers[i]
			}
			tags = append(tags, model.Tag{Name: fmt.Sprintf("%s%d", prefix, n), Committed: mon.AddDate(0, 0, days+i)})
		}
		return tags
	}
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
		{"build numbers vN, two made out of order", seq("v", 1640, 20, 5, 1640, 1641, 1643, 1642),
			1, 20, "version schemes: vN (e.g. v1659, 20)"},
		{"release-N, older ones top up the sample", seq("release-", 101, 12, -10),
			1, 10, "version schemes: release-N (e.g. release-112, 10)"},
		{"sequence beside semver", append(seq("build-", 4560, 6, 0), tag("v1.0.0", 20), tag("v1.1.0", 30)),
			1, 8, "version schemes: build-N (e.g. build-4565, 6), vN.N (e.g. v1.1.0, 2)"},
		{"a few numbered one-off tags", []model.Tag{tag("backup-1", 1), tag("backup-2", 2), tag("test1", 3), tag("test2", 4),
			tag("backup-3", 5), tag("foo", 6), tag("backup-4", 7)}, 0, 7, "no tag follows a recurring version scheme"},
		{"numbers in no order with time", seq("snap-", 0, 6, 1, 7, 2, 9, 1, 8, 3),
			0, 6, "no tag follows a recurring version scheme"},
		{"date stamps", seq("nightly-", 20240105, 12, 1), 0, 12, "no tag follows a recurring version scheme"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := model.Measurements{}
			versionRule(&model.Evidence{Window: w, Tags: tc.tags}, ms)
			m := ms[string(model.GitTagsSemverRatio)]
			if diff := cmp.Diff([]any{true, tc.ratio, tc.n, tc.note}, []any{m.Known, m.Value, m.N, m.Note}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
