package measure

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// quarter is 13 weeks from mon: 65 working days.
var quarter = model.Window{Since: mon, Until: mon.AddDate(0, 0, 91)}

// directCommits makes one first-parent trunk commit per (author, day offset),
// at 10:00 plus n minutes so that same-day commits differ.
func directCommits(byAuthor map[string][]int) []model.Commit {
	var cs []model.Commit
	for a, days := range byAuthor {
		for i, d := range days {
			at := mon.AddDate(0, 0, d).Add(10*time.Hour + time.Duration(i%60)*time.Minute)
			cs = append(cs, commit(fmt.Sprintf("%s-%d", a, i), []string{"p"}, a, at, "change", true))
		}
	}
	return cs
}

// workdays lists the working-day offsets of the quarter, but for the skipped
// weeks (holidays), each day times times.
func workdays(times int, skipWeeks ...int) []int {
	skip := map[int]bool{}
	for _, w := range skipWeeks {
		skip[w] = true
	}
	var out []int
	for d := 0; d < 91; d++ {
		if wd := mon.AddDate(0, 0, d).Weekday(); wd == time.Saturday || wd == time.Sunday || skip[d/7] {
			continue
		}
		for range times {
			out = append(out, d)
		}
	}
	return out
}

func TestCoreDevelopers(t *testing.T) {
	oneOffs := map[string][]int{}
	for i := range 12 {
		oneOffs[fmt.Sprintf("drive-by-%d@x", i)] = []int{i * 7}
	}
	tests := []struct {
		name    string
		authors map[string][]int
		want    map[model.MeasurementID]float64
	}{
		{
			// Every regular integrates every working day but for holidays;
			// a dozen one-off contributors and a daily bot do not count.
			name: "daily regulars, holidays, drive-bys and a bot",
			authors: merge(oneOffs, map[string][]int{
				"ann@x": workdays(3, 4, 5), "ben@x": workdays(2, 10), "cat@x": workdays(1),
				"renovate[bot]@x": workdays(1),
			}),
			want: map[model.MeasurementID]float64{
				model.GitTeamIntegrationDayRatio:       1,
				model.GitCoreDevelopers:                3,
				model.GitCoreDevIntegrationDayRatioP50: 60.0 / 65, // ben: one week off
				model.GitCoreDevIntegrationsPerDayP50:  2,
			},
		},
		{
			// The team integrates every fifth working day, by turns.
			name: "weekly team integration",
			authors: map[string][]int{
				"ann@x": {0, 21, 42, 63, 84}, "ben@x": {7, 28, 49, 70}, "cat@x": {14, 35, 56, 77},
			},
			want: map[model.MeasurementID]float64{
				model.GitTeamIntegrationDayRatio:       13.0 / 65,
				model.GitCoreDevelopers:                0, // 7 days make a core developer in 65 working days
				model.GitCoreDevIntegrationDayRatioP50: -1,
				model.GitCoreDevIntegrationsPerDayP50:  -1,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &model.Evidence{Window: quarter, DefaultBranch: "main", Commits: directCommits(tt.authors)}
			ev.Mark(model.KindCommits, model.KindMerges)
			ms := Compute(ev, Options{})
			got := map[model.MeasurementID]float64{}
			for id := range tt.want {
				v, ok := ms.Get(id)
				if !ok {
					v = -1
				}
				got[id] = v
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func merge(ms ...map[string][]int) map[string][]int {
	out := map[string][]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// TestSquashedAtMergeShowsNoLifetime: a merge commit that brings one commit
// authored at merge time (squash and merge) keeps no branch history; bots'
// branches are not the team's habit either.
func TestSquashedAtMergeShowsNoLifetime(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}
	at := func(d, h int) time.Time { return mon.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour) }
	ev := &model.Evidence{Window: w, DefaultBranch: "main"}
	ev.Mark(model.KindCommits, model.KindMerges)
	ev.Merges = []model.Merge{
		{Hash: "m1", Committed: at(2, 12), FirstAuthored: at(0, 12), BroughtCount: 3, Authors: []string{"ann@x"}},                         // 48 h
		{Hash: "m2", Committed: at(3, 12), FirstAuthored: at(3, 12).Add(-30 * time.Second), BroughtCount: 1, Authors: []string{"ben@x"}},  // squashed
		{Hash: "m3", Committed: at(4, 12), FirstAuthored: at(3, 12), BroughtCount: 1, Authors: []string{"cat@x"}},                         // 24 h
		{Hash: "m4", Committed: at(4, 13), FirstAuthored: at(0, 13), BroughtCount: 1, Authors: []string{"renovate[bot]@users.noreply.x"}}, // bot
	}
	ms := Compute(ev, Options{})
	m := ms[string(model.GitBranchLifetimeHoursP50)]
	if !m.Known || m.N != 2 || m.Value != 24 {
		t.Errorf("lifetime p50 = %+v, want 24 h over 2 branches (the squashed and the bot's left out)", m)
	}
	if !strings.Contains(m.Note, "1 merge(s) left out") {
		t.Errorf("note %q does not say a squashed merge was left out", m.Note)
	}
}
