package measure

import (
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// changeIDs are the change measurements and their units.
var changeIDs = [][2]string{
	{"change.count", "changes"},
	{"change.lifetime_hours.p50", "hours"},
	{"change.lifetime_hours.p90", "hours"},
	{"change.first_commit_to_merge_hours.p50", "hours"},
	{"change.size_lines.p50", "lines"},
	{"change.review_ratio", "ratio"},
	{"change.issue_link_ratio", "ratio"},
	{"change.with_tests_ratio", "ratio"},
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
			ms.SetUnknown(x[0], x[1], whyNoChanges)
		}
		return
	}
	merged := mergedChanges(ev)
	var refs []model.Ref
	for i := len(merged) - 1; i >= 0; i-- {
		refs = addRef(refs, changeRef(merged[i]))
	}
	ms.Set("change.count", float64(len(merged)), "changes", len(merged), refs...)

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
			if IsTestPath(f) {
				hasTest = true
			} else if IsCodePath(f) {
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
	setPctiles(ms, "change.lifetime_hours", "hours", life, none, 50, 90)
	setPctiles(ms, "change.first_commit_to_merge_hours", "hours", first,
		pick("no merged change with a known first commit"), 50)
	setPctiles(ms, "change.size_lines", "lines", size, pick("no merged change with known size"), 50)
	setRatio(ms, "change.review_ratio", approved, detailed,
		pick("no merged change with review details in the window"), unreviewed)
	setRatio(ms, "change.issue_link_ratio", linked, humans,
		pick("every change merged in the window was authored by a bot"), unlinked)
	setRatio(ms, "change.with_tests_ratio", tested, code,
		pick("no merged change with a known file list touched production code"), untested)
	if bots := len(merged) - humans; bots > 0 {
		note := strconv.Itoa(bots) + " bot-authored change(s) left out"
		addNote(ms, "change.issue_link_ratio", note)
		addNote(ms, "change.with_tests_ratio", note)
	}
}

// protectionMeasures: what the host enforces on the default branch.
func protectionMeasures(ev *model.Evidence, ms model.Measurements) {
	ids := [][2]string{
		{"protection.required_approvals", "approvals"},
		{"protection.required_checks", "checks"},
		{"protection.require_pr", "bool"},
		{"protection.require_checks", "bool"},
	}
	if !ev.Has(model.KindProtection) {
		for _, x := range ids {
			ms.SetUnknown(x[0], x[1], whyNoProtection)
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
		ms.SetUnknown("protection.required_approvals", "approvals", "the host did not say how many approvals it requires (approval rules need a paid GitLab tier)")
	} else {
		ms.Set("protection.required_approvals", float64(p.RequiredApprovals), "approvals", 1, ref)
	}
	ms.Set("protection.required_checks", float64(len(p.RequiredChecks)), "checks", 1, ref)
	ms.Set("protection.require_pr", b(p.RequirePR), "bool", 1, ref)
	ms.Set("protection.require_checks", b(len(p.RequiredChecks) > 0 || p.PipelineMustSucceed), "bool", 1, ref)
	if !p.Protected {
		for _, x := range ids {
			addNote(ms, x[0], "the default branch is not protected")
		}
		return
	}
	if n := len(p.RequiredChecks); n > 0 {
		names := p.RequiredChecks
		if n > 10 {
			names = append(names[:10:10], "…")
		}
		addNote(ms, "protection.required_checks", strings.Join(names, ", "))
	}
	if p.PipelineMustSucceed {
		addNote(ms, "protection.require_checks", "pipelines must succeed")
	}
}
