package measure

import (
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
	ms.Set(model.GitTrunkMerges, float64(merges), merges)
	setNote(ms, model.GitTrunkMerges, src)

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
		if c.FirstCommit != nil && !opt.BotPattern.MatchString(c.Author) {
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
	for _, id := range []model.MeasurementID{model.GitBranchLifetimeHoursP50, model.GitBranchLifetimeHoursP90} {
		p, _ := id.Percentile()
		if v, ok := percentile(append([]float64(nil), vals...), float64(p)); ok {
			ms.Set(id, v, len(vals), refs...)
			setNote(ms, id, "first commit → merge of pull/merge requests "+src)
		} else {
			ms.SetUnknown(id, "no merged pull/merge request with a known first commit in the window")
		}
	}

	// Each first-parent trunk commit integrates the work of one developer:
	// the change's author for a merge the host knows, else the commit's author.
	events := 0
	devs := map[string]bool{}
	log := newIntegrationLog()
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
		log.add(who, c.Committer.When)
		events++
	}
	ms.Set(model.GitIntegrations, float64(events), events)
	setNote(ms, model.GitIntegrations, src)
	log.set(ms, wd, src)
	ms.Set(model.GitIntegratingDevelopers, float64(len(devs)), len(devs))
	if len(devs) == 0 || wd == 0 {
		ms.SetUnknown(model.GitIntegrationsPerDevDay, "no developer integrated into trunk in the window")
		return
	}
	ms.Set(model.GitIntegrationsPerDevDay, float64(events)/float64(len(devs)*wd), events)
	setNote(ms, model.GitIntegrationsPerDevDay, src)
}

func setNote(ms model.Measurements, id model.MeasurementID, note string) {
	m := ms[string(id)]
	m.Note = note
	ms[string(id)] = m
}
