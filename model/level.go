package model

import "strconv"

// Level is what a result proves of one practice's or dimension's level: a
// known level (Known, Lo == Hi == the level) or an unknown one bounded below
// by the level proven so far (Lo) and above by the lowest known dimension
// (Hi); 0 is "no bound". Basis says where a known level comes from.
type Level struct {
	Known  bool
	Lo, Hi int
	Basis  Basis
}

// KnownLevel is a known level n with its basis.
func KnownLevel(n int, basis Basis) Level { return Level{Known: true, Lo: n, Hi: n, Basis: basis} }

// DimensionLevel is what a dimension result proves: its level (measured
// unless attested), else unknown with its lower bound.
func DimensionLevel(d DimensionResult) Level {
	if d.Level == nil {
		return Level{Lo: deref(d.LowerBound), Basis: BasisUnknown}
	}
	basis := d.Basis
	if basis == "" || basis == BasisUnknown {
		basis = BasisMeasured
	}
	return KnownLevel(*d.Level, basis)
}

// PracticeLevel is what a practice result proves. A known level is attested
// when a dimension at that (lowest) level is attested. An unknown one is
// bounded above by the lowest known dimension (or the result's UpperBound)
// and below by the lowest level or lower bound of its dimensions when every
// dimension has one.
func PracticeLevel(p PracticeResult) Level {
	if p.Level != nil {
		basis := BasisMeasured
		for _, d := range p.Dimensions {
			if d.Level != nil && *d.Level == *p.Level && d.Basis == BasisAttested {
				basis = BasisAttested
			}
		}
		return KnownLevel(*p.Level, basis)
	}
	l := Level{Hi: deref(p.UpperBound), Basis: BasisUnknown}
	lo, all := 0, len(p.Dimensions) > 0
	for _, d := range p.Dimensions {
		v := d.Level
		if v == nil {
			v = d.LowerBound
		}
		if d.Level != nil && (l.Hi == 0 || *d.Level < l.Hi) {
			l.Hi = *d.Level
		}
		if v == nil {
			all = false
			continue
		}
		if lo == 0 || *v < lo {
			lo = *v
		}
	}
	if all {
		l.Lo = lo
	}
	return l
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// Value returns the level and whether it is known.
func (l Level) Value() (int, bool) { return l.Lo, l.Known }

// Floor is the level proven at least: the level, else the lower bound,
// never below 1, the bottom of the scale.
func (l Level) Floor() int { return max(1, l.Lo) }

// Below reports whether the level is certainly below n: known below n, or
// unknown with an upper bound below n.
func (l Level) Below(n int) bool { return l.Hi > 0 && l.Hi < n }

// AtLeast reports whether the level is certainly n or more.
func (l Level) AtLeast(n int) bool { return l.Lo > 0 && l.Lo >= n }

// Compare orders levels by what they prove: by the level or lower bound,
// then a known level above an unknown one, then by the upper bound (no
// upper bound above any). It returns -1, 0 or +1.
func (l Level) Compare(o Level) int {
	hi := func(x Level) int {
		if x.Hi == 0 {
			return 6
		}
		return x.Hi
	}
	switch {
	case l.Lo != o.Lo:
		return sign(l.Lo - o.Lo)
	case l.Known != o.Known:
		if l.Known {
			return 1
		}
		return -1
	}
	return sign(hi(l) - hi(o))
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// String is the level as reports write it: "3", "unknown (≤ 2)" (an upper
// bound), "unknown (≥ 2)" (a lower bound only) or "unknown".
func (l Level) String() string {
	switch {
	case l.Known:
		return strconv.Itoa(l.Lo)
	case l.Hi > 0:
		return "unknown (≤ " + strconv.Itoa(l.Hi) + ")"
	case l.Lo > 0:
		return "unknown (≥ " + strconv.Itoa(l.Lo) + ")"
	}
	return "unknown"
}

// Short is the level for narrow tables: "3", "≤2", "≥2?" or "?".
func (l Level) Short() string {
	switch {
	case l.Known:
		return strconv.Itoa(l.Lo)
	case l.Hi > 0:
		return "≤" + strconv.Itoa(l.Hi)
	case l.Lo > 0:
		return "≥" + strconv.Itoa(l.Lo) + "?"
	}
	return "?"
}

// Chip is the level as a label: "L3", "≤2 unknown", "≥2 unknown" or
// "unknown".
func (l Level) Chip() string {
	switch {
	case l.Known:
		return "L" + strconv.Itoa(l.Lo)
	case l.Hi > 0:
		return "≤" + strconv.Itoa(l.Hi) + " unknown"
	case l.Lo > 0:
		return "≥" + strconv.Itoa(l.Lo) + " unknown"
	}
	return "unknown"
}
