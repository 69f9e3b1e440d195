package measure

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// trunkChain returns the first-parent trunk commits, oldest first, and each
// one's position (by lower-case hash). It follows first parents from the
// trunk tip; when that walk misses commits it orders them by committer time.
func trunkChain(ev *model.Evidence) ([]model.Commit, map[string]int) {
	fp := map[string]model.Commit{}
	var list []model.Commit
	for _, c := range ev.Commits {
		h := strings.ToLower(c.Hash)
		if _, dup := fp[h]; c.FirstParent && !dup {
			fp[h] = c
			list = append(list, c)
		}
	}
	tip := strings.ToLower(ev.TrunkTip)
	if _, ok := fp[tip]; !ok {
		isParent := map[string]bool{}
		for _, c := range list {
			if len(c.Parents) > 0 {
				isParent[strings.ToLower(c.Parents[0])] = true
			}
		}
		tip = ""
		for _, c := range list {
			h := strings.ToLower(c.Hash)
			if !isParent[h] && (tip == "" || c.Committer.When.After(fp[tip].Committer.When)) {
				tip = h
			}
		}
	}
	var chain []model.Commit
	visited := map[string]bool{}
	for h := tip; h != "" && !visited[h]; {
		c, ok := fp[h]
		if !ok {
			break
		}
		visited[h] = true
		chain = append(chain, c)
		h = ""
		if len(c.Parents) > 0 {
			h = strings.ToLower(c.Parents[0])
		}
	}
	if len(chain) == len(list) {
		slices.Reverse(chain)
	} else {
		chain = slices.Clone(list)
		slices.SortStableFunc(chain, func(a, b model.Commit) int { return a.Committer.When.Compare(b.Committer.When) })
	}
	pos := make(map[string]int, len(chain))
	for i, c := range chain {
		pos[strings.ToLower(c.Hash)] = i
	}
	return chain, pos
}

// dlLeadTime: dora.lead_time_hours.p50 (first commit → production) and
// dora.lead_time_from_merge_hours.p50 (merge → production). Each successful
// production deployment ships the first-parent trunk commits after the
// last one an earlier successful production deployment shipped, up to its
// own commit, and the commits those merges brought in.
func dlLeadTime(ev *model.Evidence, src dlSource, ms model.Measurements) {
	const id, mid = model.DORALeadTimeHoursP50, model.DORALeadTimeFromMergeHoursP50
	if !ev.Has(model.KindCommits) {
		ms.SetUnknown(id, whyNoCommits)
		ms.SetUnknown(mid, whyNoCommits)
		return
	}
	chain, pos := trunkChain(ev)
	byHash := map[string]model.Commit{}
	for _, c := range ev.Commits {
		byHash[strings.ToLower(c.Hash)] = c
	}
	brought := map[string][]string{}
	if ev.Has(model.KindMerges) {
		for _, m := range ev.Merges {
			brought[strings.ToLower(m.Hash)] = m.Brought
		}
	}
	changes := ev.Has(model.KindChanges)
	byMerge := map[string]model.Change{}
	for _, c := range ev.Changes {
		if c.Merged() && c.MergeSHA != "" {
			byMerge[strings.ToLower(c.MergeSHA)] = c
		}
	}

	mark := -1           // position of the newest commit shipped so far
	seenEarlier := false // a successful production deployment precedes
	baseline := false
	measured, unplaced := 0, 0
	counted := map[string]bool{}
	var s, sm []ciSample
	for _, d := range src.prod {
		if !d.ok() {
			continue
		}
		inWin := ev.Window.Contains(d.created)
		p, ok := pos[strings.ToLower(d.sha)]
		switch {
		case !ok && d.created.Before(ev.Window.Since):
			seenEarlier = true
			continue
		case !ok:
			if inWin {
				unplaced++
			}
			continue
		case p <= mark: // a redeployment or rollback ships nothing new
			continue
		}
		from := mark + 1
		mark = p
		first := !seenEarlier && from == 0
		seenEarlier = true
		if !inWin {
			continue
		}
		if first {
			baseline = true // what it shipped may have shipped before the evidence starts
			continue
		}
		measured++
		add := func(c model.Commit) {
			h := strings.ToLower(c.Hash)
			if counted[h] {
				return
			}
			counted[h] = true
			if lt := d.at.Sub(c.Author.When).Hours(); lt >= 0 {
				s = append(s, ciSample{lt, model.Ref{Kind: model.RefCommit, Ref: c.Hash, URL: c.URL}})
			}
		}
		for _, c := range chain[from : p+1] {
			add(c)
			for _, b := range brought[strings.ToLower(c.Hash)] {
				if bc, ok := byHash[strings.ToLower(b)]; ok {
					add(bc)
				}
			}
			if ch, ok := byMerge[strings.ToLower(c.Hash)]; ok {
				if lt := d.at.Sub(*ch.MergedAt).Hours(); lt >= 0 {
					sm = append(sm, ciSample{lt, changeRef(ch)})
				}
			}
		}
	}

	var notes []string
	if measured > 0 {
		notes = append(notes, strconv.Itoa(measured)+" production deployment(s) measured")
	}
	if baseline {
		notes = append(notes, "the first production deployment in the window is the baseline: what it shipped may have shipped earlier")
	}
	if unplaced > 0 {
		notes = append(notes, strconv.Itoa(unplaced)+" deployment(s) of commits off the trunk's first-parent chain left out")
	}
	empty := "no successful production deployment in the window shipped a known trunk commit"
	if baseline && measured == 0 {
		empty = "only one successful production deployment could be placed on trunk: it is the baseline"
	}
	setPctiles(ms, s, empty, id)
	lead := "from first commit (author time) to the production deployment that shipped it"
	if !ev.Has(model.KindMerges) {
		lead += "; merge records not collected: only first-parent commits counted"
	}
	if ms[string(id)].Known { // an unknown figure keeps just the reason it is unknown
		addNote(ms, id, lead)
		addNote(ms, id, strings.Join(notes, "; "))
	}
	if !changes {
		ms.SetUnknown(mid, whyNoChanges)
		return
	}
	setPctiles(ms, sm, "no merged change was shipped by a measured production deployment", mid)
	if ms[string(mid)].Known {
		addNote(ms, mid, "from merge to the production deployment that shipped it")
		addNote(ms, mid, strings.Join(notes, "; "))
	}
}

// DORA measurement ids the clusters read.
const (
	DORAFrequencyID = model.DeployProductionDaysPerWeek
	DORALeadTimeID  = model.DORALeadTimeHoursP50
	DORAFailureID   = model.DORAChangeFailureRatio
	DORARecoveryID  = model.DORARecoveryHoursP50
)

// DORA returns the four DORA keys and their DORA 2023 performance clusters
// (elite, high, medium, low) from measurements that Compute produced:
// deployment days per week ≥ 5 / ≥ 1 / ≥ 0.23 (once a month); lead time for
// changes < 1 day / < 1 week / < 1 month (30 days); change failure rate
// ≤ 5 % / ≤ 10 % / ≤ 15 %; failed-deployment recovery < 1 hour / < 1 day /
// < 1 week. A key whose measurement is unknown has no value and cluster "".
// DORA returns nil when none of the measurements is present.
func DORA(ms model.Measurements) *model.DORA {
	d := &model.DORA{}
	present := false
	key := func(id model.MeasurementID, band func(float64) string) model.DORAKey {
		k := model.DORAKey{Measurement: string(id), Unit: id.Unit()}
		m, ok := ms[string(id)]
		if !ok {
			k.Note = "not measured"
			return k
		}
		present = true
		k.Note = m.Note
		if m.Unit != "" {
			k.Unit = m.Unit
		}
		if m.Known {
			v := m.Value
			k.Value, k.Cluster = &v, band(v)
		}
		return k
	}
	d.DeploymentFrequency = key(DORAFrequencyID, func(v float64) string {
		return doraBand(v >= 5, v >= 1, v >= 0.23)
	})
	d.LeadTime = key(DORALeadTimeID, func(v float64) string {
		return doraBand(v < 24, v < 24*7, v < 24*30)
	})
	d.ChangeFailureRate = key(DORAFailureID, func(v float64) string {
		return doraBand(v <= 0.05, v <= 0.10, v <= 0.15)
	})
	d.RecoveryTime = key(DORARecoveryID, func(v float64) string {
		return doraBand(v < 1, v < 24, v < 24*7)
	})
	if !present {
		return nil
	}
	return d
}

func doraBand(elite, high, medium bool) string {
	switch {
	case elite:
		return "elite"
	case high:
		return "high"
	case medium:
		return "medium"
	}
	return "low"
}
