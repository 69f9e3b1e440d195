package measure

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// semverRE is Semantic Versioning 2.0.0 with an optional leading "v".
var semverRE = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// IsSemver reports whether a tag name is a semantic version (optional "v").
func IsSemver(tag string) bool { return semverRE.MatchString(tag) }

var revertRE = regexp.MustCompile(`(?m)^Revert "|This reverts commit [0-9a-f]{7,40}`)

// IsRevert reports whether a commit message is a revert.
func IsRevert(msg string) bool {
	if !strings.Contains(msg, "Revert \"") && !strings.Contains(msg, "This reverts commit ") {
		return false
	}
	return revertRE.MatchString(msg)
}

// mayReferenceIssue is a cheap test that the default issue pattern can
// match: a '#' or '-' followed by a digit somewhere in text.
func mayReferenceIssue(text string) bool {
	for i := 0; i+1 < len(text); i++ {
		if (text[i] == '#' || text[i] == '-') && text[i+1] >= '0' && text[i+1] <= '9' {
			return true
		}
	}
	return false
}

const maxRefs = 10

// notIssueKeys are prefixes of KEY-123 look-alikes that name standards and
// encodings, not issues (UTF-8, SHA-256, ISO-8601, CVE-2024-…).
var notIssueKeys = map[string]bool{"UTF": true, "SHA": true, "ISO": true, "CVE": true, "RFC": true, "AES": true,
	"HTTP": true, "TLS": true, "SSL": true, "MD": true, "ES": true, "ECMA": true, "IPV": true, "GPL": true, "LGPL": true,
	"AGPL": true, "BSD": true, "CC": true, "FIPS": true, "PEP": true, "JSR": true, "RSA": true, "CWE": true, "GHSA": true,
	"UTC": true, "GMT": true, "WIN": true, "X": true}

var keyPrefixRE = regexp.MustCompile(`([A-Z][A-Z0-9]*)-\d+`)

// ReferencesIssue reports whether text references an issue: some match of re
// that is not a standard's name such as UTF-8 or SHA-256.
func ReferencesIssue(text string, re *regexp.Regexp) bool {
	if re == DefaultIssuePattern && !mayReferenceIssue(text) {
		return false
	}
	for _, m := range re.FindAllString(text, -1) {
		if k := keyPrefixRE.FindStringSubmatch(m); k != nil && notIssueKeys[k[1]] {
			continue
		}
		return true
	}
	return false
}

func commitRef(c model.Commit) model.Ref {
	return model.Ref{Kind: model.RefCommit, Ref: c.Hash, URL: c.URL}
}

// computeGit derives the git measurements (docs/measurements.md).
func computeGit(ev *model.Evidence, opt Options, ms model.Measurements) {
	w := ev.Window
	wd := workingDays(w.Since, w.Until)
	ms.Set(model.GitWorkingDays, float64(wd), wd)

	const noCommits = "trunk commits were not collected"
	if !ev.Has(model.KindCommits) {
		for _, id := range []model.MeasurementID{model.GitCommits, model.GitAuthors, model.GitIssueRefRatio, model.GitRevertCommits,
			model.GitBotCommitRatio, model.GitDevCommitDayRatioP50} {
			ms.SetUnknown(id, noCommits)
		}
	} else {
		gitCommits(ev, opt, ms, wd)
	}
	if !ev.Has(model.KindMerges) && ev.Has(model.KindCommits, model.KindChanges) {
		gitMergesFromChanges(ev, opt, ms, wd)
	} else if !ev.Has(model.KindMerges) || !ev.Has(model.KindCommits) {
		for _, id := range []model.MeasurementID{model.GitTrunkMerges, model.GitBranchLifetimeHoursP50, model.GitBranchLifetimeHoursP90,
			model.GitIntegrations, model.GitIntegrationsPerDevDay, model.GitMergedChangeRatio, model.GitTeamIntegrationDayRatio, model.GitCoreDevelopers,
			model.GitCoreDevIntegrationDayRatioP50, model.GitCoreDevIntegrationsPerDayP50} {
			ms.SetUnknown(id, "trunk merges were not collected")
		}
	} else {
		gitMerges(ev, opt, ms, wd)
	}
	if !ev.Has(model.KindTags) {
		ms.SetUnknown(model.GitTags, "tags were not collected")
		ms.SetUnknown(model.GitTagsSemverRatio, "tags were not collected")
	} else {
		gitTags(ev, ms)
	}
	if _, merged := ms.Get(model.GitTrunkMerges); !ev.Has(model.KindBranches) || !merged {
		ms.SetUnknown(model.GitOpenBranches, "branches were not collected")
		ms.SetUnknown(model.GitStaleBranchRatio, "branches were not collected")
	} else {
		gitBranches(ev, opt, ms)
	}
	if !ev.Has(model.KindCommitFiles) {
		ms.SetUnknown(model.GitChangesWithTestsRatio, "the paths changed by trunk commits were not collected")
	} else {
		gitChangeTests(ev, ms)
	}
	if ev.Has(model.KindCommits) {
		gitCommitTests(ev, ms)
	} else {
		ms.SetUnknown(model.GitCommitsWithTestsRatio, noCommits)
	}
}

func gitCommits(ev *model.Evidence, opt Options, ms model.Measurements, wd int) {
	var n, humans, refsN, reverts, nbots int
	links := changeIssueLinks(ev)
	authors := map[string]bool{}
	devDays := map[string]map[string]bool{} // dev → author-local dates on working days
	var refd, revRefs []model.Ref
	bots := &botMemo{opt: opt, seen: map[model.Signature]bool{}}
	for _, c := range ev.Commits {
		if c.IsMerge() || !ev.InWindow(c) {
			continue
		}
		n++
		email := strings.ToLower(c.Author.Email)
		authors[email] = true
		if IsRevert(c.Message) {
			reverts++
			if len(revRefs) < maxRefs {
				revRefs = append(revRefs, commitRef(c))
			}
		}
		if bots.is(c.Author) {
			nbots++ // bot commits are left out of the issue-reference ratio
			continue
		}
		humans++
		if CommitReferencesIssue(c.Message, opt.IssuePattern, links) {
			refsN++
			if len(refd) < maxRefs {
				refd = append(refd, commitRef(c))
			}
		}
		at := c.Author.When
		if wdy := at.Weekday(); wdy == time.Saturday || wdy == time.Sunday {
			continue
		}
		if devDays[email] == nil {
			devDays[email] = map[string]bool{}
		}
		devDays[email][at.Format("2006-01-02")] = true
	}
	ms.Set(model.GitCommits, float64(n), n)
	ms.Set(model.GitAuthors, float64(len(authors)), len(authors))
	if r, ok := ratio(refsN, humans); ok {
		ms.Set(model.GitIssueRefRatio, r, humans, refd...)
		if nbots > 0 {
			addNote(ms, model.GitIssueRefRatio, fmt.Sprintf("%d bot commit(s) left out", nbots))
		}
	} else if n > 0 {
		ms.SetUnknown(model.GitIssueRefRatio, "every commit in the window was made by a bot")
	} else {
		ms.SetUnknown(model.GitIssueRefRatio, "no commits in the window")
	}
	ms.Set(model.GitRevertCommits, float64(reverts), n, revRefs...)
	if r, ok := ratio(nbots, n); ok {
		ms.Set(model.GitBotCommitRatio, r, n)
	} else {
		ms.SetUnknown(model.GitBotCommitRatio, "no commits in the window")
	}
	var per []float64
	for _, days := range devDays {
		if wd > 0 {
			per = append(per, float64(len(days))/float64(wd))
		}
	}
	if p, ok := percentile(per, 50); ok {
		ms.Set(model.GitDevCommitDayRatioP50, p, len(per))
	} else {
		ms.SetUnknown(model.GitDevCommitDayRatioP50, "no developer commits on working days in the window")
	}
}

func isBot(opt Options, s model.Signature) bool {
	return opt.BotPattern.MatchString(s.Name) || opt.BotPattern.MatchString(s.Email)
}

// botMemo remembers isBot per identity: histories have few authors and many
// commits.
type botMemo struct {
	opt  Options
	seen map[model.Signature]bool
}

func (b *botMemo) is(s model.Signature) bool {
	key := model.Signature{Name: s.Name, Email: s.Email}
	v, ok := b.seen[key]
	if !ok {
		v = isBot(b.opt, key)
		b.seen[key] = v
	}
	return v
}

// squashWindow is how close to its merge a branch's only commit may be
// authored for the branch to count as squashed at merge time.
const squashWindow = 5 * time.Minute

// squashedAtMerge reports whether a merge brought a single commit authored
// at merge time: a squash-and-merge (GitLab's squash with a merge commit),
// whose branch's real lifetime the clone does not keep.
func squashedAtMerge(m model.Merge) bool {
	return m.BroughtCount == 1 && m.Committed.Sub(m.FirstAuthored) < squashWindow
}

// botsOnly reports whether every author of a merged branch is a bot.
func botsOnly(opt Options, authors []string) bool {
	for _, a := range authors {
		if !opt.BotPattern.MatchString(a) {
			return false
		}
	}
	return len(authors) > 0
}

func gitMerges(ev *model.Evidence, opt Options, ms model.Measurements, wd int) {
	type lt struct {
		h   float64
		ref model.Ref
	}
	var lifes []lt
	merges, squashed := 0, 0
	for _, m := range ev.Merges {
		if !ev.Window.Contains(m.Committed) {
			continue
		}
		merges++
		if m.FirstAuthored.IsZero() || botsOnly(opt, m.Authors) {
			// A bot's branch is not the team's branching habit.
			continue
		}
		if squashedAtMerge(m) {
			squashed++
			continue
		}
		lifes = append(lifes, lt{hours(m.Committed.Sub(m.FirstAuthored)), model.Ref{Kind: model.RefCommit, Ref: m.Hash}})
	}
	defer func() {
		if squashed > 0 {
			for _, id := range []model.MeasurementID{model.GitBranchLifetimeHoursP50, model.GitBranchLifetimeHoursP90} {
				if m := ms[string(id)]; m.Known {
					setNote(ms, id, fmt.Sprintf("%d merge(s) left out: a single commit squashed at merge time shows no branch lifetime", squashed))
				}
			}
		}
	}()
	ms.Set(model.GitTrunkMerges, float64(merges), merges)
	sort.Slice(lifes, func(i, j int) bool { return lifes[i].h < lifes[j].h })
	vals := make([]float64, len(lifes))
	for i, l := range lifes {
		vals[i] = l.h
	}
	// Evidence: the longest-lived branches.
	var refs []model.Ref
	for i := len(lifes) - 1; i >= 0 && len(refs) < maxRefs; i-- {
		refs = append(refs, lifes[i].ref)
	}
	for _, id := range []model.MeasurementID{model.GitBranchLifetimeHoursP50, model.GitBranchLifetimeHoursP90} {
		p, _ := id.Percentile()
		if v, ok := percentile(append([]float64(nil), vals...), float64(p)); ok {
			ms.Set(id, v, len(vals), refs...)
		} else {
			ms.SetUnknown(id, "no merged branches in the window")
		}
	}

	// Integrations: each first-parent trunk commit in the window integrates
	// the work of its (non-bot) authors: a direct commit its author, a merge
	// the distinct authors of the commits it brought in.
	mergeAuthors := map[string][]string{}
	for _, m := range ev.Merges {
		mergeAuthors[m.Hash] = m.Authors
	}
	events, humanChanges, humanMerges := 0, 0, 0
	devs := map[string]bool{}
	log := newIntegrationLog()
	bots := &botMemo{opt: opt, seen: map[model.Signature]bool{}}
	for _, c := range ev.Commits {
		if !c.FirstParent || !ev.Window.Contains(c.Committer.When) {
			continue
		}
		var who []string
		merge := c.IsMerge()
		if merge {
			for _, a := range mergeAuthors[c.Hash] {
				if !opt.BotPattern.MatchString(a) {
					who = append(who, a)
				}
			}
		} else if !bots.is(c.Author) {
			who = []string{strings.ToLower(c.Author.Email)}
		}
		for _, a := range who {
			devs[a] = true
			log.add(a, c.Committer.When)
		}
		events += len(who)
		if len(who) > 0 {
			humanChanges++
			if merge {
				humanMerges++
			}
		}
	}
	if r, ok := ratio(humanMerges, humanChanges); ok {
		ms.Set(model.GitMergedChangeRatio, r, humanChanges)
	} else {
		ms.SetUnknown(model.GitMergedChangeRatio, "no developer changed trunk in the window")
	}
	ms.Set(model.GitIntegrations, float64(events), events)
	ms.Set(model.GitIntegratingDevelopers, float64(len(devs)), len(devs))
	log.set(ms, wd, "")
	if len(devs) == 0 || wd == 0 {
		ms.SetUnknown(model.GitIntegrationsPerDevDay,
			"no developer integrated into trunk in the window")
		return
	}
	ms.Set(model.GitIntegrationsPerDevDay, float64(events)/float64(len(devs)*wd), events)
}

func gitTags(ev *model.Evidence, ms model.Measurements) {
	n, tagged := 0, 0
	var refs []model.Ref
	for _, t := range ev.Tags {
		// A tag counts when it was made: its tagger time, else (a
		// lightweight tag) its commit's.
		if !ev.Window.Contains(t.When()) {
			continue
		}
		if t.Tagged != nil {
			tagged++
		}
		n++
		if len(refs) < maxRefs {
			refs = append(refs, model.Ref{Kind: model.RefTag, Ref: t.Name})
		}
	}
	ms.Set(model.GitTags, float64(n), n, refs...)
	if n > 0 {
		setNote(ms, model.GitTags, fmt.Sprintf("dated by tagger time (%d annotated), else by their commit's time (%d)",
			tagged, n-tagged))
	}
	versionRule(ev, ms)
}

func gitBranches(ev *model.Evidence, opt Options, ms model.Measurements) {
	cut := ev.Window.Until.AddDate(0, 0, -opt.StaleAfterDays)
	stale := 0
	var refs []model.Ref
	for _, b := range ev.Branches {
		if b.LastCommit.Before(cut) {
			stale++
			if len(refs) < maxRefs {
				refs = append(refs, model.Ref{Kind: model.RefBranch, Ref: b.Name})
			}
		}
	}
	ms.Set(model.GitOpenBranches, float64(len(ev.Branches)), len(ev.Branches))
	ms.Set(model.GitStaleBranches, float64(stale), len(ev.Branches), refs...)
	m, _ := ms.Get(model.GitTrunkMerges)
	den := len(ev.Branches) + int(m)
	r, _ := ratio(stale, den) // no branches at all: none stale
	ms.Set(model.GitStaleBranchRatio, r, den, refs...)
}

// touches reports whether paths touch production code and tests.
func touches(files []string) (code, test bool) {
	for _, f := range files {
		if vocab.IsTestPath(f) {
			test = true
		} else if vocab.IsCodePath(f) {
			code = true
		}
	}
	return code, test
}

// gitChangeTests: the share of code-changing trunk changes (first-parent
// commits; a merge's diff is the change it brought) that carry tests.
func gitChangeTests(ev *model.Evidence, ms model.Measurements) {
	var changes, changesT int
	var miss []model.Ref
	for _, c := range ev.Commits {
		if !c.FirstParent || !ev.Window.Contains(c.Committer.When) {
			continue
		}
		code, test := touches(c.Files)
		if !code {
			continue
		}
		changes++
		if test {
			changesT++
		} else if len(miss) < maxRefs {
			miss = append(miss, commitRef(c))
		}
	}
	if r, ok := ratio(changesT, changes); ok {
		ms.Set(model.GitChangesWithTestsRatio, r, changes, miss...)
	} else {
		ms.SetUnknown(model.GitChangesWithTestsRatio, "no trunk change touched production code in the window")
	}
}

// gitCommitTests: the share of code-changing non-merge commits (direct or
// brought in by merges) with tests in the same commit, over the commits
// whose changed paths were read.
func gitCommitTests(ev *model.Evidence, ms model.Measurements) {
	var commits, commitsT, unread int
	for _, c := range ev.Commits {
		if c.IsMerge() || !ev.InWindow(c) {
			continue
		}
		if c.Files == nil {
			unread++
			continue
		}
		code, test := touches(c.Files)
		if !code {
			continue
		}
		commits++
		if test {
			commitsT++
		}
	}
	r, ok := ratio(commitsT, commits)
	switch {
	case !ok && unread > 0:
		ms.SetUnknown(model.GitCommitsWithTestsRatio, "the paths changed by the commits in the window were not read")
	case !ok:
		ms.SetUnknown(model.GitCommitsWithTestsRatio, "no commit touched production code in the window")
	default:
		ms.Set(model.GitCommitsWithTestsRatio, r, commits)
		if unread > 0 {
			setNote(ms, model.GitCommitsWithTestsRatio, fmt.Sprintf("over the newest commits whose paths were read; %d older ones were not", unread))
		}
	}
}
