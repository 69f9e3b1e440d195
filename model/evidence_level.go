package model

import "sort"

// EvidenceLevel is the level evidence alone proves over the dimensions that
// evidence can judge (automatic_max ≥ 2): the lowest measured level among
// them, attestations left out. Dimensions whose every level above 1 needs a
// person's statement are left out too, so a headline is not pinned at L1 by
// what nobody can measure; the model-wide practice level still counts them.
type EvidenceLevel struct {
	// Level is the lowest measured level when it is certain, else nil.
	Level *int `json:"level"`
	// LowerBound is, when Level is nil, the level every judged dimension has
	// at least proven; UpperBound the lowest measured level.
	LowerBound *int `json:"level_lower_bound,omitempty"`
	UpperBound *int `json:"level_upper_bound,omitempty"`
	// Dimensions counts the dimensions evidence can judge; Unknown how many
	// of them evidence left unknown.
	Dimensions int `json:"dimensions"`
	Unknown    int `json:"unknown"`
	// HeldBy names the dimensions ("practice.dimension") at the lowest
	// level (or bound): what holds the evidence level down.
	HeldBy []string `json:"held_by,omitempty"`
}

// EvidenceLevelOf computes the evidence level of a target's practices.
func EvidenceLevelOf(ps []PracticeResult) EvidenceLevel {
	var e EvidenceLevel
	low, lowIDs := 0, []string(nil)
	floor, unknownIDs := 0, map[int][]string{}
	for _, p := range ps {
		for _, d := range p.Dimensions {
			if d.AutomaticMax < 2 {
				continue
			}
			e.Dimensions++
			id := p.ID + "." + d.ID
			if d.MeasuredLevel == nil {
				e.Unknown++
				lb := max(1, deref(d.LowerBound))
				if floor == 0 || lb < floor {
					floor = lb
				}
				unknownIDs[lb] = append(unknownIDs[lb], id)
				continue
			}
			switch m := *d.MeasuredLevel; {
			case low == 0 || m < low:
				low, lowIDs = m, []string{id}
			case m == low:
				lowIDs = append(lowIDs, id)
			}
		}
	}
	switch {
	case e.Dimensions == 0:
	case low > 0 && (floor == 0 || low <= floor):
		// Every unknown dimension has proven at least the lowest measured
		// level: the minimum is certain.
		e.Level, e.HeldBy = IntPtr(low), lowIDs
	case low > 0:
		e.UpperBound, e.LowerBound, e.HeldBy = IntPtr(low), IntPtr(floor), lowIDs
	default:
		e.LowerBound, e.HeldBy = IntPtr(floor), unknownIDs[floor]
	}
	sort.Strings(e.HeldBy)
	return e
}

// Value is the evidence level as a Level: known and measured, or unknown
// with its bounds.
func (e EvidenceLevel) Value() Level {
	if e.Level != nil {
		return KnownLevel(*e.Level, BasisMeasured)
	}
	return Level{Lo: deref(e.LowerBound), Hi: deref(e.UpperBound), Basis: BasisUnknown}
}
