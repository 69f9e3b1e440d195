package vocab

import "github.com/cdaudit/cdaudit/model"

// Triggers are the normalised triggers, in the order reports list them.
func Triggers() []model.Trigger {
	return []model.Trigger{model.TriggerPush, model.TriggerPullRequest, model.TriggerSchedule, model.TriggerManual,
		model.TriggerAPI, model.TriggerUpstream, model.TriggerTag, model.TriggerOther}
}

// GitHubTrigger maps a GitHub Actions event name onto a trigger; ok is
// false for an event with no normalised trigger (model.TriggerOther). A
// push of a tag is a tag trigger; only the caller knows whether the ref is a
// tag. A merge queue's merge_group run checks a pull request before it
// merges, as a pull_request run does: it is a pull_request trigger.
func GitHubTrigger(event string) (t model.Trigger, ok bool) {
	switch event {
	case "push":
		return model.TriggerPush, true
	case "pull_request", "pull_request_target", "merge_group":
		return model.TriggerPullRequest, true
	case "schedule":
		return model.TriggerSchedule, true
	case "workflow_dispatch":
		return model.TriggerManual, true
	case "repository_dispatch":
		return model.TriggerAPI, true
	case "workflow_run", "workflow_call":
		return model.TriggerUpstream, true
	case "release":
		return model.TriggerTag, true
	}
	return model.TriggerOther, false
}

// GitLabTrigger maps a GitLab pipeline source ($CI_PIPELINE_SOURCE) onto a
// trigger; ok is false for a source with no normalised trigger.
func GitLabTrigger(source string) (t model.Trigger, ok bool) {
	switch source {
	case "push":
		return model.TriggerPush, true
	case "merge_request_event", "external_pull_request_event":
		return model.TriggerPullRequest, true
	case "schedule":
		return model.TriggerSchedule, true
	case "web", "webide", "chat":
		return model.TriggerManual, true
	case "api", "trigger":
		return model.TriggerAPI, true
	case "parent_pipeline", "pipeline":
		return model.TriggerUpstream, true
	}
	return model.TriggerOther, false
}

// GitLabSources are the pipeline sources GitLabTrigger knows, for
// classifiers that look for them in rules expressions.
func GitLabSources() []string {
	return []string{"merge_request_event", "external_pull_request_event", "push", "schedule", "web", "webide", "chat",
		"api", "parent_pipeline", "pipeline", "trigger"}
}
