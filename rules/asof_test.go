package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestTodaysSettingsDoNotRaiseAPastWindow: branch protection is read as it
// is today; for a window that ended earlier it cannot prove the window had
// it, and the reason says so.
func TestTodaysSettingsDoNotRaiseAPastWindow(t *testing.T) {
	until := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		collected time.Time
		requirePR bool
		want      outcome
		reason    string
	}{
		{"window ending now, required", until.Add(time.Hour), true, holds, ""},
		{"past window, required today", until.AddDate(0, 5, 0), true, unknown, "cannot show the window had it"},
		{"past window, not required today", until.AddDate(0, 5, 0), false, fails, "the setting is today's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: model.Window{Since: until.AddDate(0, -3, 0), Until: until}, CollectedAt: tc.collected,
				Protection: &model.Protection{Branch: "main", Protected: true, RequirePR: tc.requirePR}}
			ev.Mark(model.KindProtection)
			j := &judge{ev: ev, ms: model.Measurements{}, cfg: &Config{}}
			s := j.requirePR(3)
			if d := cmp.Diff(tc.want, s.out); d != "" {
				t.Errorf("outcome (-want +got):\n%s (reason %q)", d, s.reason)
			}
			if !strings.Contains(s.reason, tc.reason) {
				t.Errorf("reason %q does not say %q", s.reason, tc.reason)
			}
		})
	}
}

// TestTodaysEnvironmentsDoNotRaiseAPastWindow: the host's environments
// (names, the dynamic flag) are read as they are today; for a window that
// ended earlier only its deployments count, a level that today's list alone
// would reach is unknown, and the reason says the list is today's.
func TestTodaysEnvironmentsDoNotRaiseAPastWindow(t *testing.T) {
	until := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	now, past := until.Add(time.Hour), until.AddDate(0, 5, 0)
	today := []model.Environment{{Name: "production"}, {Name: "staging"}, {Name: "review/{{branch}}", Dynamic: true}}
	deployed := func(envs ...string) []model.Deployment {
		var out []model.Deployment
		for i, e := range envs {
			out = append(out, model.Deployment{ID: fmt.Sprint(i + 1), Environment: e, Status: "success", CreatedAt: until.AddDate(0, 0, -3)})
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		collected time.Time
		envs      []model.Environment
		deploys   []model.Deployment
		judge     func(j *judge) step
		want      outcome
		reason    string
	}{
		{"kinds, window ending now", now, today, deployed("production"), func(j *judge) step { return j.envKinds(2, 1, "a test environment") }, holds, "staging"},
		{"kinds, past window, staging only today", past, today, deployed("production"), func(j *judge) step { return j.envKinds(2, 1, "a test environment") }, unknown, "environments are today's"},
		{"kinds, past window, staging deployed in it", past, today, deployed("production", "staging"), func(j *judge) step { return j.envKinds(2, 1, "a test environment") }, holds, "staging"},
		{"kinds, past window, none today either", past, []model.Environment{{Name: "production"}}, deployed("production"), func(j *judge) step { return j.envKinds(2, 1, "a test environment") }, fails, "environments are today's"},
		{"dynamic, window ending now", now, today, nil, func(j *judge) step { return j.dynamicEnvs(5) }, holds, "dynamically"},
		{"dynamic, past window", past, today, nil, func(j *judge) step { return j.dynamicEnvs(5) }, unknown, "cannot show the window had them"},
		{"dynamic, past window, review app deployed in it", past, today, deployed("review/fix-1"), func(j *judge) step { return j.dynamicEnvs(5) }, holds, "review/fix-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: model.Window{Since: until.AddDate(0, -3, 0), Until: until}, CollectedAt: tc.collected,
				Environments: tc.envs, Deployments: tc.deploys}
			ev.Mark(model.KindEnvironments)
			ev.Mark(model.KindDeployments)
			j := &judge{ev: ev, ms: model.Measurements{}, cfg: &Config{}}
			s := tc.judge(j)
			if d := cmp.Diff(tc.want, s.out); d != "" {
				t.Errorf("outcome (-want +got):\n%s (reason %q)", d, s.reason)
			}
			if !strings.Contains(s.reason, tc.reason) {
				t.Errorf("reason %q does not say %q", s.reason, tc.reason)
			}
		})
	}
}
