package gitlab

import (
	"sort"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// runStatus maps a GitLab pipeline or job status onto the model's status
// and conclusion (GitHub's words): finished states are "completed" with a
// conclusion; the others have no conclusion.
func runStatus(s string) (status, conclusion string) {
	switch s {
	case "success":
		return "completed", "success"
	case "failed":
		return "completed", "failure"
	case "canceled":
		return "completed", "cancelled"
	case "skipped":
		return "completed", "skipped"
	case "running", "canceling":
		return "in_progress", ""
	case "manual":
		return "waiting", "" // blocked on a manual action
	case "created", "pending", "preparing", "waiting_for_resource", "waiting_for_callback", "scheduled":
		return "queued", ""
	default:
		return s, ""
	}
}

// trigger maps a pipeline source onto the model's trigger. A push of a tag
// is a tag trigger.
func trigger(source string, tag bool) model.Trigger {
	t, _ := vocab.GitLabTrigger(source)
	if t == model.TriggerPush && tag {
		return model.TriggerTag
	}
	return t
}

// mrIIDFromRef returns the merge request iid of a merge-request pipeline's
// ref (refs/merge-requests/12/head, …/merge, …/train), "" otherwise.
func mrIIDFromRef(ref string) string {
	rest, ok := strings.CutPrefix(ref, "refs/merge-requests/")
	if !ok {
		return ""
	}
	iid, _, _ := strings.Cut(rest, "/")
	if _, err := strconv.ParseInt(iid, 10, 64); err != nil {
		return ""
	}
	return iid
}

// deployStatus maps a GitLab deployment status onto the model's words.
func deployStatus(s string) string {
	switch s {
	case "success":
		return "success"
	case "failed":
		return "failure"
	case "canceled", "skipped":
		return "canceled" // a skipped deployment never ran
	case "running":
		return "in_progress"
	case "created", "blocked":
		return "queued"
	default:
		return "unknown"
	}
}

// markRetried sets Retried and Attempt on jobs listed with
// include_retried=true: among jobs of one name, all but the newest (highest
// id) were retried; Attempt counts them in id order. The REST job entity
// has no retried flag of its own.
func markRetried(jobs []model.Job) {
	byName := map[string][]int{}
	for i, j := range jobs {
		byName[j.Name] = append(byName[j.Name], i)
	}
	for _, idx := range byName {
		sort.Slice(idx, func(a, b int) bool { return idLess(jobs[idx[a]].ID, jobs[idx[b]].ID) })
		for n, i := range idx {
			jobs[i].Attempt = n + 1
			jobs[i].Retried = n < len(idx)-1
		}
	}
}

func idLess(a, b string) bool { return iidLess(a, b) }
