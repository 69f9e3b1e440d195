package measure

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Why a production deployment counts as a failed change, in the order
// they are looked for; a deployment is counted once, for the first.
const (
	causeFailed   = "failed"
	causeRollback = "rolled back"
	causeHotfix   = "followed by a hotfix"
	causeIncident = "followed by an incident"
)

var causes = []string{causeFailed, causeRollback, causeHotfix, causeIncident}

// dlFailure is why one production deployment failed and when it recovered.
type dlFailure struct {
	cause    string
	start    time.Time
	end      *time.Time // recovered; nil while not
	noSample bool       // a later failure of a failed streak: the streak is one sample
	ref      model.Ref
}

// dlFailures: dora.change_failure_ratio and dora.recovery_hours.p50 (see
// docs/measurements-ci.md, "Change failure rate").
func dlFailures(ev *model.Evidence, opt Options, src dlSource, ms model.Measurements) {
	var prod []dlDeploy
	for _, d := range src.prod {
		if d.ok() || d.failed() {
			prod = append(prod, d)
		}
	}
	fail := make([]*dlFailure, len(prod))
	markDeployFailures(ev, opt, prod, fail)
	unlinked := 0
	if ev.Has(model.KindIncidents) {
		unlinked = markIncidents(ev, opt, prod, fail)
	}

	den, open := 0, 0
	count := map[string]int{}
	var refs []model.Ref
	var s []ciSample
	for i, d := range prod {
		if !ev.Window.Contains(d.created) {
			continue
		}
		den++
		f := fail[i]
		if f == nil {
			continue
		}
		count[f.cause]++
		refs = addRef(refs, d.ref)
		switch {
		case f.noSample:
		case f.end == nil:
			open++
		default:
			s = append(s, ciSample{f.end.Sub(f.start).Hours(), f.ref})
		}
	}
	num := 0
	var parts []string
	for _, c := range causes {
		if count[c] > 0 {
			num += count[c]
			parts = append(parts, strconv.Itoa(count[c])+" "+c)
		}
	}
	const id, rid = model.DORAChangeFailureRatio, model.DORARecoveryHoursP50
	setRatio(ms, id, num, den, "no production deployment finished in the window", refs)
	if len(parts) > 0 {
		addNote(ms, id, strings.Join(parts, ", ")+" (each deployment counted once)")
	}
	if !ev.Has(model.KindIncidents) {
		addNote(ms, id, "incidents not collected")
	} else if unlinked > 0 {
		addNote(ms, id, strconv.Itoa(unlinked)+" incident(s) followed no production deployment")
	}
	empty := "no production deployment in the window failed or caused a failure"
	if num > 0 {
		empty = "no failure of a production deployment has recovered"
	}
	setPctiles(ms, s, empty, rid)
	if open > 0 {
		addNote(ms, rid, strconv.Itoa(open)+" failure(s) not yet recovered at the window's end")
	}
}

// markDeployFailures walks each environment's production deployments in
// time order: a failed one is a failure until the next successful one; a
// successful one that rolls back (the host's flag, or an older commit than
// the previous one: earlier on the trunk, or deployed before) or is a
// hotfix (Options.HotfixPattern) makes the previous successful one a
// failure, recovered by it.
func markDeployFailures(ev *model.Evidence, opt Options, prod []dlDeploy, fail []*dlFailure) {
	var pos map[string]int
	if ev.Has(model.KindCommits) {
		_, pos = trunkChain(ev)
	}
	hot := hotfixTexts(ev)
	byEnv := map[string][]int{}
	for i, d := range prod {
		byEnv[d.env] = append(byEnv[d.env], i)
	}
	for _, env := range sortedKeys(byEnv) {
		lastOK, red := -1, -1
		deployed := map[string]bool{}
		for _, i := range byEnv[env] {
			d := prod[i]
			if d.failed() {
				fail[i] = &dlFailure{cause: causeFailed, start: d.at, ref: d.ref, noSample: red >= 0}
				if red < 0 {
					red = i
				}
				continue
			}
			if red >= 0 {
				for _, j := range byEnv[env] {
					if j >= red && j < i && fail[j] != nil && fail[j].cause == causeFailed && fail[j].end == nil {
						fail[j].end = &d.at
					}
				}
				red = -1
			}
			sha := strings.ToLower(d.sha)
			if lastOK >= 0 && fail[lastOK] == nil {
				prev := prod[lastOK]
				cause := ""
				switch {
				case isRollback(d, prev, pos, deployed):
					cause = causeRollback
				case isHotfix(d, opt, hot):
					cause = causeHotfix
				}
				if cause != "" {
					fail[lastOK] = &dlFailure{cause: cause, start: prev.at, end: &d.at, ref: prev.ref}
				}
			}
			if sha != "" {
				deployed[sha] = true
			}
			lastOK = i
		}
	}
}

func isRollback(d, prev dlDeploy, pos map[string]int, deployed map[string]bool) bool {
	sha, psha := strings.ToLower(d.sha), strings.ToLower(prev.sha)
	if d.rollback {
		return true
	}
	if sha == "" || sha == psha {
		return false
	}
	p, ok1 := pos[sha]
	q, ok2 := pos[psha]
	if ok1 && ok2 {
		return p < q
	}
	return deployed[sha]
}

// hotfixTexts maps a commit (lower-case hash) to the texts a hotfix is told
// by: its subject, and the title and branch of the change that merged it.
func hotfixTexts(ev *model.Evidence) map[string][]string {
	out := map[string][]string{}
	for _, c := range ev.Commits {
		subj, _, _ := strings.Cut(c.Message, "\n")
		h := strings.ToLower(c.Hash)
		out[h] = append(out[h], subj)
	}
	for _, c := range ev.Changes {
		if c.Merged() && c.MergeSHA != "" {
			h := strings.ToLower(c.MergeSHA)
			out[h] = append(out[h], c.Title, c.SourceBranch)
		}
	}
	return out
}

func isHotfix(d dlDeploy, opt Options, hot map[string][]string) bool {
	if d.name != "" && opt.HotfixPattern.MatchString(d.name) {
		return true
	}
	for _, t := range hot[strings.ToLower(d.sha)] {
		if t != "" && opt.HotfixPattern.MatchString(t) {
			return true
		}
	}
	return false
}

// markIncidents links each incident to the production deployment it
// followed and marks that one failed (unless it already is). It returns
// how many incidents followed none.
func markIncidents(ev *model.Evidence, opt Options, prod []dlDeploy, fail []*dlFailure) int {
	incs := slices.Clone(ev.Incidents)
	slices.SortStableFunc(incs, func(a, b model.Incident) int { return a.Opened.Compare(b.Opened) })
	unlinked := 0
	for _, inc := range incs {
		i := linkByRef(inc, prod)
		if i < 0 {
			i = linkByTime(inc, prod, opt.IncidentWindow)
		}
		if i < 0 {
			if ev.Window.Contains(inc.Opened) {
				unlinked++
			}
			continue
		}
		if fail[i] == nil {
			fail[i] = &dlFailure{cause: causeIncident, start: inc.Opened, end: inc.Resolved,
				ref: model.Ref{Kind: model.RefChange, Ref: inc.ID, URL: inc.URL}}
		}
	}
	return unlinked
}

// linkByRef returns the production deployment an incident names
// (a commit of 7+ hex digits, a tag or ref, a deployment id): the latest
// one before the incident was opened, else the first after; -1 for none.
func linkByRef(inc model.Incident, prod []dlDeploy) int {
	best := -1
	for i, d := range prod {
		if !namesDeploy(inc.Refs, d) {
			continue
		}
		switch {
		case !d.at.After(inc.Opened):
			best = i
		case best < 0:
			return i
		}
	}
	return best
}

func namesDeploy(refs []string, d dlDeploy) bool {
	sha := strings.ToLower(d.sha)
	for _, r := range refs {
		l := strings.ToLower(r)
		switch {
		case r == "":
		case len(l) >= 7 && isHex(l) && sha != "" && strings.HasPrefix(sha, l):
			return true
		case r == d.name || r == d.id:
			return true
		}
	}
	return false
}

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// linkByTime returns the latest successful production deployment at most
// window before the incident was opened, -1 for none.
func linkByTime(inc model.Incident, prod []dlDeploy, window time.Duration) int {
	best := -1
	for i, d := range prod {
		if d.ok() && !d.at.After(inc.Opened) && inc.Opened.Sub(d.at) <= window {
			best = i
		}
	}
	return best
}
