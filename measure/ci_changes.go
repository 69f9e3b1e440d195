package measure

import (
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// changeIDs are the change measurements and their units.
var changeIDs = []model.MeasurementID{
	model.ChangeCount,
	model.ChangeLifetimeHoursP50,
	model.ChangeLifetimeHoursP90,
	model.ChangeFirstCommitToMergeHoursP50,
	model.ChangeSizeLinesP50,
	model.ChangeReviewRatio,
	model.ChangeIssueLinkRatio,
	model.ChangeWithTestsRatio,
}

// mergedChanges returns the changes merged in the window into the default
// branch (a change whose target is unknown counts).
func mergedChanges(ev *model.Evidence) []model.Change {
	var out []model.Change
	for _, c := range ev.Changes {
		if !c.Merged() || !ev.Window.Contains(*c.MergedAt) {
			continue
		}
		if c.TargetBranch != "" && ev.DefaultBranch != "" && c.TargetBranch != ev.DefaultBranch {
			continue
		}
		out = append(out, c)
	}
	return out
}

// changeMeasures: pull/merge request measurements over the changes merged
// into trunk in the window.
func changeMeasures(ev *model.Evidence, opt Options, ms model.Measurements) {
	if !ev.Has(model.KindChanges) {
		for _, x := range changeIDs {
			ms.SetUnknown(x, whyNoChanges)
		}
		return
	}
	merged := mergedChanges(ev)
	var refs []model.Ref
	for i := len(merged) - 1; i >= 0; i-- {
		refs = addRef(refs, changeRef(merged[i]))
	}
	ms.Set(model.ChangeCount, float64(len(merged)), len(merged), refs...)

	const none = "no change merged into trunk in the window"
	var life, first, size []ciSample
	var detailed, approved, humans, linked, code, tested int
	var unreviewed, unlinked, untested []model.Ref
	for _, c := range merged {
		ref := changeRef(c)
		if h := c.MergedAt.Sub(c.CreatedAt).Hours(); h >= 0 {
			life = append(life, ciSample{h, ref})
		}
		if c.FirstCommit != nil {
			if h := c.MergedAt.Sub(*c.FirstCommit).Hours(); h >= 0 {
				first = append(first, ciSample{h, ref})
			}
		}
		if c.DetailsKnown || c.Additions+c.Deletions > 0 {
			size = append(size, ciSample{float64(c.Additions + c.Deletions), ref})
		}
		if c.DetailsKnown && !c.ApprovalsUnknown { // approvals the host would not tell are not zero
			detailed++
			if c.Approvals > 0 {
				approved++
			} else {
				unreviewed = addRef(unreviewed, ref)
			}
		}
		if opt.BotPattern.MatchString(c.Author) {
			continue // bots neither link issues nor write tests
		}
		humans++
		if len(c.LinkedIssues) > 0 || ReferencesIssue(c.Title, opt.IssuePattern) || ReferencesIssue(c.SourceBranch, opt.IssuePattern) {
			linked++
		} else {
			unlinked = addRef(unlinked, ref)
		}
		if !c.DetailsKnown {
			continue
		}
		hasCode, hasTest := false, false
		for _, f := range c.Files {
			if vocab.IsTestPath(f) {
				hasTest = true
			} else if vocab.IsCodePath(f) {
				hasCode = true
			}
		}
		if hasCode {
			code++
			if hasTest {
				tested++
			} else {
				untested = addRef(untested, ref)
			}
		}
	}
	pick := func(why string) string {
		if len(merged) == 0 {
			return none
		}
		return why
	}
	setPctiles(ms, life, none, model.ChangeLifetimeHoursP50, model.ChangeLifetimeHoursP90)
	setPctiles(ms, first, pick("no merged change with a known first commit"), model.ChangeFirstCommitToMergeHoursP50)
	setPctiles(ms, size, pick("no merged change with known size"), model.ChangeSizeLinesP50)
	setRatio(ms, model.ChangeReviewRatio, approved, detailed,
		pick("no merged change with review details in the window"), unreviewed)
	setRatio(ms, model.ChangeIssueLinkRatio, linked, humans,
		pick("every change merged in the window was authored by a bot"), unlinked)
	setRatio(ms, model.ChangeWithTestsRatio, tested, code,
		pick("no merged change with a known file list touched production code"), untested)
	if bots := len(merged) - humans; bots > 0 {
		note := strconv.Itoa(bots) + " bot-authored change(s) left out"
		addNote(ms, model.ChangeIssueLinkRatio, note)
		addNote(ms, model.ChangeWithTestsRatio, note)
	}
}

// protectionMeasures: what the host enforces on the default branch.
func protectionMeasures(ev *model.Evidence, ms model.Measurements) {
	ids := []model.MeasurementID{
		model.ProtectionRequiredApprovals,
		model.ProtectionRequiredChecks,
		model.ProtectionRequirePR,
		model.ProtectionRequireChecks,
	}
	if !ev.Has(model.KindProtection) {
		for _, x := range ids {
			ms.SetUnknown(x, whyNoProtection)
		}
		return
	}
	p := model.Protection{Branch: ev.DefaultBranch}
	if ev.Protection != nil && ev.Protection.Protected {
		p = *ev.Protection
	}
	ref := model.Ref{Kind: model.RefSetting, Ref: "protection:" + p.Branch}
	if p.Source != "" {
		ref.Ref += " (" + p.Source + ")"
	}
	b := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	if p.ApprovalsUnknown {
		ms.SetUnknown(model.ProtectionRequiredApprovals, "the host did not say how many approvals it requires (approval rules need a paid GitLab tier)")
	} else {
		ms.Set(model.ProtectionRequiredApprovals, float64(p.RequiredApprovals), 1, ref)
	}
	ms.Set(model.ProtectionRequiredChecks, float64(len(p.RequiredChecks)), 1, ref)
	ms.Set(model.ProtectionRequirePR, b(p.RequirePR), 1, ref)
	ms.Set(model.ProtectionRequireChecks, b(len(p.RequiredChecks) > 0 || p.PipelineMustSucceed), 1, ref)
	if !p.Protected {
		for _, x := range ids {
			addNote(ms, x, "the default branch is not protected")
		}
		return
	}
	if n := len(p.RequiredChecks); n > 0 {
		names := p.RequiredChecks
		if n > 10 {
			names = append(names[:10:10], "…")
		}
		addNote(ms, model.ProtectionRequiredChecks, strings.Join(names, ", "))
	}
	if p.PipelineMustSucceed {
		addNote(ms, model.ProtectionRequireChecks, "pipelines must succeed")
	}
}
