package report

import (
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// headline is what every format shows of a target at the top: the
// model-wide practice level (the lowest practice, every dimension counted)
// and, labelled apart, the evidence level (model.EvidenceLevel: what
// evidence alone proves over the dimensions evidence can judge).
type headline struct {
	overall  levelSummary
	evidence model.EvidenceLevel
}

func headlineOf(tr *model.TargetResult) headline {
	h := headline{overall: summarise(tr.Practices)}
	if tr.EvidenceLevel != nil {
		h.evidence = *tr.EvidenceLevel
	} else {
		// A report written before the field existed: the same figure.
		h.evidence = model.EvidenceLevelOf(tr.Practices)
	}
	return h
}

// overallText is the model-wide level: "L2", "L3 (attested; measured L2)",
// "≤2 unknown", "unknown".
func (h headline) overallText() string {
	s := levelChip(h.overall.level()).Text
	if h.overall.Attested {
		s += " (attested; measured " + h.overall.MeasuredText + ")"
	}
	return s
}

// evidenceText is the evidence level's chip: "L3", "≤3 unknown", "≥2
// unknown", "unknown".
func (h headline) evidenceText() string { return h.evidence.Value().Chip() }

// evidenceNote says what the evidence level covers and what holds it down.
func (h headline) evidenceNote() string {
	e := h.evidence
	s := "evidence alone, over the " + strconv.Itoa(e.Dimensions) + " dimensions evidence can judge"
	if e.Unknown > 0 {
		s += ", " + strconv.Itoa(e.Unknown) + " of them unknown"
	}
	if len(e.HeldBy) > 0 {
		ids := e.HeldBy
		more := ""
		if len(ids) > 4 {
			ids, more = ids[:4], " and "+strconv.Itoa(len(e.HeldBy)-4)+" more"
		}
		s += "; held down by " + strings.Join(ids, ", ") + more
	}
	return s
}

// sampleNote is " (n=12)", the sample size of a known measurement, to stand
// beside its figure; "" when the measurement is unknown or absent.
func sampleNote(tr *model.TargetResult, id string) string {
	if m, ok := tr.Measurements[id]; ok && m.Known {
		return " (n=" + strconv.Itoa(m.N) + ")"
	}
	return ""
}

// describesLevel reports whether the cell of level l describes a shortfall
// (every L1 cell; an L2 cell the rules marked so, such as "long cycles, big
// batches, many conflicts"), which reports write as a description of the
// level reached, never as a finding that holds.
func describesLevel(d model.DimensionResult, l int) bool {
	if l == 1 {
		return true
	}
	p := "L" + strconv.Itoa(l) + " describes the level reached"
	for _, r := range d.Reasons {
		if strings.HasPrefix(r, p) {
			return true
		}
	}
	return false
}
