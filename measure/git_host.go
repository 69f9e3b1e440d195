package measure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// gitMergesFromChanges derives the merge and integration figures from a Git
// host's records when no local clone gave the merge graph: trunk commits from
// the host's commit listing, branch lifetimes from the merged pull/merge
// requests (first commit → merge, which also covers squash and rebase merges
// that leave no branch in git). Notes say where the figures come from.
func gitMergesFromChanges(ev *model.Evidence, opt Options, ms model.Measurements, wd int) {
	const src = "from the host's commit and pull/merge request records (no local clone)"
	merges := 0
	for _, c := range ev.Commits {
		if c.FirstParent && c.IsMerge() && ev.Window.Contains(c.Committer.When) {
			merges++
		}
	}
	ms.Set("git.trunk_merges", float64(merges), "merges", merges)
	setNote(ms, "git.trunk_merges", src)

	type lt struct {
		h   float64
		ref model.Ref
	}
	var lifes []lt
	byMerge := map[string]model.Change{}
	for _, c := range ev.Changes {
		if !c.Merged() || !ev.Window.Contains(*c.MergedAt) || (c.TargetBranch != "" && c.TargetBranch != ev.DefaultBranch) {
			continue
		}
		if c.MergeSHA != "" {
			byMerge[c.MergeSHA] = c
		}
		if c.FirstCommit != nil {
			lifes = append(lifes, lt{hours(c.MergedAt.Sub(*c.FirstCommit)), model.Ref{Kind: model.RefChange, Ref: c.ID, URL: c.URL}})
		}
	}
	sort.Slice(lifes, func(i, j int) bool { return lifes[i].h < lifes[j].h })
	vals := make([]float64, len(lifes))
	var refs []model.Ref
	for i, l := range lifes {
		vals[i] = l.h
	}
	for i := len(lifes) - 1; i >= 0 && len(refs) < maxRefs; i-- {
		refs = append(refs, lifes[i].ref)
	}
	for _, p := range []float64{50, 90} {
		id := fmt.Sprintf("git.branch_lifetime_hours.p%d", int(p))
		if v, ok := percentile(append([]float64(nil), vals...), p); ok {
			ms.Set(id, v, "hours", len(vals), refs...)
			setNote(ms, id, "first commit → merge of pull/merge requests "+src)
		} else {
			ms.SetUnknown(id, "hours", "no merged pull/merge request with a known first commit in the window")
		}
	}

	// Each first-parent trunk commit integrates the work of one developer:
	// the change's author for a merge the host knows, else the commit's author.
	events := 0
	devs := map[string]bool{}
	for _, c := range ev.Commits {
		if !c.FirstParent || !ev.Window.Contains(c.Committer.When) {
			continue
		}
		who := strings.ToLower(c.Author.Email)
		bot := isBot(opt, c.Author)
		if ch, ok := byMerge[c.Hash]; ok && ch.Author != "" {
			who, bot = "login:"+strings.ToLower(ch.Author), opt.BotPattern.MatchString(ch.Author)
		}
		if bot {
			continue
		}
		devs[who] = true
		events++
	}
	ms.Set("git.integrations", float64(events), "integrations", events)
	setNote(ms, "git.integrations", src)
	ms.Set("git.integrating_developers", float64(len(devs)), "developers", len(devs))
	if len(devs) == 0 || wd == 0 {
		ms.SetUnknown("git.integrations_per_dev_day", unitOf("git.integrations_per_dev_day"), "no developer integrated into trunk in the window")
		return
	}
	ms.Set("git.integrations_per_dev_day", float64(events)/float64(len(devs)*wd), unitOf("git.integrations_per_dev_day"), events)
	setNote(ms, "git.integrations_per_dev_day", src)
}

func setNote(ms model.Measurements, id, note string) {
	m := ms[id]
	m.Note = note
	ms[id] = m
}
