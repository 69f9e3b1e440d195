package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// outcome is the verdict of one criterion: it holds, it fails, or the
// evidence it needs was not collected.
type outcome int

const (
	holds outcome = iota
	fails
	unknown
)

// step is the verdict on one level's criterion with the reason and the
// evidence behind it.
type step struct {
	level  int
	out    outcome
	reason string
	refs   []model.Ref
	// describes marks a cell that describes a shortfall (long cycles, many
	// conflicts): reports write it as a description of the level reached,
	// not as a finding that holds.
	describes bool
}

// describing marks s as the judgement of a cell that describes a level's
// shortfall rather than a capability.
func describing(s step) step {
	s.describes = true
	return s
}

func yes(level int, reason string, refs ...model.Ref) step {
	return step{level: level, out: holds, reason: reason, refs: refs}
}

func no(level int, reason string, refs ...model.Ref) step {
	return step{level: level, out: fails, reason: reason, refs: refs}
}

func unk(level int, reason string) step { return step{level: level, out: unknown, reason: reason} }

// when turns a condition into a step.
func when(level int, ok bool, ifYes, ifNo string, refs ...model.Ref) step {
	if ok {
		return yes(level, ifYes, refs...)
	}
	return no(level, ifNo, refs...)
}

// all holds when every part holds; fails when any part fails (the failing
// reasons are kept); otherwise it is unknown.
func allOf(level int, parts ...step) step {
	out := step{level: level, out: holds}
	var failed, unk, ok []string
	for _, p := range parts {
		switch p.out {
		case fails:
			failed = append(failed, p.reason)
			out.refs = append(out.refs, p.refs...)
		case unknown:
			unk = append(unk, p.reason)
		default:
			ok = append(ok, p.reason)
			out.refs = append(out.refs, p.refs...)
		}
	}
	switch {
	case len(failed) > 0:
		out.out, out.reason = fails, joinUnique(failed)
	case len(unk) > 0:
		out.out, out.reason = unknown, joinUnique(unk)
		out.refs = nil
	default:
		out.reason = joinUnique(ok)
	}
	return out
}

// any holds when one part holds (its reason is kept); it fails when every
// part fails; otherwise it is unknown.
func anyOf(level int, parts ...step) step {
	var failed, unk []string
	var refs []model.Ref
	for _, p := range parts {
		switch p.out {
		case holds:
			p.level = level
			return p
		case unknown:
			unk = append(unk, p.reason)
		default:
			failed = append(failed, p.reason)
			refs = append(refs, p.refs...)
		}
	}
	if len(unk) > 0 {
		return step{level: level, out: unknown, reason: joinUnique(append(unk, failed...))}
	}
	return step{level: level, out: fails, reason: joinUnique(failed), refs: refs}
}

// noCriterion is a level whose cell adds nothing to the level below (the
// seed's 无 or 同上): it holds whenever the level below does.
func noCriterion(level int) step {
	return yes(level, "the seed's cell adds no criterion at this level")
}

// measure-based steps.

// fmtVal writes a value in a reason: model.FormatValueBare, as reports do.
func fmtVal(v float64, unit string) string { return model.FormatValueBare(v, unit) }

func mref(id model.MeasurementID) model.Ref {
	return model.Ref{Kind: model.RefMeasure, Ref: string(id)}
}

// atLeast holds when measurement id is ≥ min.
func (j *judge) atLeast(level int, id model.MeasurementID, min float64, what string) step {
	return j.cmp(level, id, min, what, true)
}

// atMost holds when measurement id is ≤ max.
func (j *judge) atMost(level int, id model.MeasurementID, max float64, what string) step {
	return j.cmp(level, id, max, what, false)
}

func (j *judge) cmp(level int, id model.MeasurementID, bound float64, what string, ge bool) step {
	m, ok := j.ms[string(id)]
	if !ok || !m.Known {
		why := "not measured"
		if ok && m.Note != "" {
			why = m.Note
		}
		return unk(level, fmt.Sprintf("%s unknown (%s: %s)", what, id, why))
	}
	op, good := "≥", m.Value >= bound
	if !ge {
		op, good = "≤", m.Value <= bound
	}
	refs := append([]model.Ref{mref(id)}, m.Evidence...)
	if len(refs) > 6 {
		refs = refs[:6]
	}
	if good {
		return yes(level, fmt.Sprintf("%s is %s %s %s (%s, n=%d)", what, fmtVal(m.Value, m.Unit), op, fmtVal(bound, m.Unit), id, m.N), refs...)
	}
	neg := map[string]string{"≥": "<", "≤": ">"}[op]
	return no(level, fmt.Sprintf("%s is %s %s %s (%s, n=%d)", what, fmtVal(m.Value, m.Unit), neg, fmtVal(bound, m.Unit), id, m.N), refs...)
}

// value returns a known measurement.
func (j *judge) value(id model.MeasurementID) (float64, bool) { return j.ms.Get(id) }

// needs returns an unknown step when an evidence kind was not collected.
func (j *judge) needs(level int, kinds ...model.Kind) (step, bool) {
	if miss := j.ev.Missing(kinds...); len(miss) > 0 {
		names := make([]string, len(miss))
		for i, k := range miss {
			names[i] = string(k)
		}
		return unk(level, "evidence not collected: "+strings.Join(names, ", ")+sourceHint(miss, j.providers)), false
	}
	return j.unreadable(level, kinds)
}

// sourceHint names the sources that can provide the first missing kind
// that has any ("needs a GitHub, GitLab or Jenkins source"), from the
// sources' descriptors.
func sourceHint(miss []model.Kind, providers map[model.Kind][]string) string {
	for _, k := range miss {
		if k == model.KindHistory {
			return " (needs the audit history store)"
		}
		if names := providers[k]; len(names) > 0 {
			return " (needs a " + orList(names) + " source)"
		}
	}
	return ""
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// fileRefs returns file evidence refs for up to n paths of the categories.
func (j *judge) fileRefs(n int, cats ...model.Category) []model.Ref {
	var out []model.Ref
	if j.ev.Tree == nil {
		return nil
	}
	for _, c := range cats {
		for _, p := range j.ev.Tree.Facts.Paths(c) {
			if len(out) >= n {
				return out
			}
			out = append(out, model.Ref{Kind: model.RefFile, Ref: p})
		}
	}
	return out
}

// treeHas holds when the tree has files in any of the categories.
func (j *judge) treeHas(level int, what string, cats ...model.Category) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	n := 0
	var names []string
	for _, c := range cats {
		n += j.ev.Tree.Facts.Count(c)
		names = append(names, string(c))
	}
	if n > 0 {
		return yes(level, fmt.Sprintf("%s: %d file(s) in the tree (%s)", what, n, strings.Join(names, ", ")), j.fileRefs(4, cats...)...)
	}
	return no(level, fmt.Sprintf("no %s in the tree (looked for %s)", what, strings.Join(names, ", ")))
}

// treeCond holds when cond is true of the tree facts.
func (j *judge) treeCond(level int, cond func(f model.TreeFacts) bool, ifYes, ifNo string, refs ...model.Ref) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	return when(level, cond(j.ev.Tree.Facts), ifYes, ifNo, refs...)
}

// joinUnique joins reasons, dropping repeats.
func joinUnique(rs []string) string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return strings.Join(out, "; ")
}
