package vocab

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestGitHubTrigger(t *testing.T) {
	tests := []struct {
		event string
		want  model.Trigger
		ok    bool
	}{
		{"push", model.TriggerPush, true},
		{"pull_request", model.TriggerPullRequest, true},
		{"pull_request_target", model.TriggerPullRequest, true},
		{"merge_group", model.TriggerPullRequest, true},
		{"schedule", model.TriggerSchedule, true},
		{"workflow_dispatch", model.TriggerManual, true},
		{"repository_dispatch", model.TriggerAPI, true},
		{"workflow_run", model.TriggerUpstream, true},
		{"workflow_call", model.TriggerUpstream, true},
		{"release", model.TriggerTag, true},
		{"create", model.TriggerOther, false},
		{"dynamic", model.TriggerOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.event, func(t *testing.T) {
			got, ok := GitHubTrigger(tt.event)
			if got != tt.want || ok != tt.ok {
				t.Errorf("GitHubTrigger(%q) = %s, %v; want %s, %v", tt.event, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestGitLabTrigger(t *testing.T) {
	tests := []struct {
		source string
		want   model.Trigger
		ok     bool
	}{
		{"push", model.TriggerPush, true},
		{"merge_request_event", model.TriggerPullRequest, true},
		{"external_pull_request_event", model.TriggerPullRequest, true},
		{"schedule", model.TriggerSchedule, true},
		{"web", model.TriggerManual, true},
		{"webide", model.TriggerManual, true},
		{"chat", model.TriggerManual, true},
		{"api", model.TriggerAPI, true},
		{"trigger", model.TriggerAPI, true},
		{"parent_pipeline", model.TriggerUpstream, true},
		{"pipeline", model.TriggerUpstream, true},
		{"ondemand_dast_scan", model.TriggerOther, false},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			got, ok := GitLabTrigger(tt.source)
			if got != tt.want || ok != tt.ok {
				t.Errorf("GitLabTrigger(%q) = %s, %v; want %s, %v", tt.source, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, src := range GitLabSources() {
		if _, ok := GitLabTrigger(src); !ok {
			t.Errorf("GitLabSources lists %q, which GitLabTrigger does not know", src)
		}
	}
}

// TestCatalogueTriggerSegments: the Prometheus allow-list of the
// ci.trigger.<trigger>.runs family is exactly the normalised triggers.
func TestCatalogueTriggerSegments(t *testing.T) {
	d, ok := model.LookupMeasurement(model.TriggerRunsID(model.TriggerPush))
	if !ok {
		t.Fatal("no trigger family in the catalogue")
	}
	var want []string
	for _, tr := range Triggers() {
		want = append(want, string(tr))
	}
	if diff := cmp.Diff(want, d.Segments); diff != "" {
		t.Errorf("segments (-vocab +catalogue):\n%s", diff)
	}
}
