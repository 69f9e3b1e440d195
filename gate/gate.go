// Package gate is cdaudit's regression gate: it compares an audit with a
// baseline (the target's last audit in the store, or a committed baseline
// file) and with required minimum levels, and explains every failure —
// which practice or dimension fell, from what to what, on what basis, and
// which cited measurements changed.
//
// The package is pure: it reads and writes baselines only through the
// io.Reader and io.Writer it is given.
//
// Import rules: model only; no I/O (no os, net, database or slog).
package gate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Requirement is a required minimum level of a practice ("ci=3") or of one
// of its dimensions ("version-control.branching=3").
type Requirement struct {
	Practice  string `json:"practice" yaml:"practice"`
	Dimension string `json:"dimension,omitempty" yaml:"dimension,omitempty"`
	Level     int    `json:"level" yaml:"level"`
}

// Key returns "practice" or "practice.dimension".
func (r Requirement) Key() string {
	if r.Dimension == "" {
		return r.Practice
	}
	return r.Practice + "." + r.Dimension
}

// String returns the requirement as written on the command line.
func (r Requirement) String() string { return r.Key() + "=" + strconv.Itoa(r.Level) }

// RequirementError says what is wrong with one requirement.
type RequirementError struct {
	Input string // the requirement as given
	Msg   string
}

func (e *RequirementError) Error() string {
	return fmt.Sprintf("requirement %q: %s", e.Input, e.Msg)
}

// ParseRequirements reads comma-separated requirements such as
// "ci=3,version-control.branching=3" and validates their ids against cat.
// Ids are case-insensitive; empty items are skipped. An empty string gives
// no requirements.
func ParseRequirements(s string, cat *model.Catalogue) ([]Requirement, error) {
	var reqs []Requirement
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, lv, ok := strings.Cut(item, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		lv = strings.TrimSpace(lv)
		if !ok || key == "" || lv == "" {
			return nil, &RequirementError{Input: item, Msg: "want PRACTICE=LEVEL or PRACTICE.DIMENSION=LEVEL, e.g. ci=3 or version-control.branching=3"}
		}
		n, err := strconv.Atoi(lv)
		if err != nil {
			return nil, &RequirementError{Input: item, Msg: fmt.Sprintf("level %q is not a whole number from 1 to 5", lv)}
		}
		p, d, _ := strings.Cut(key, ".")
		reqs = append(reqs, Requirement{Practice: strings.TrimSpace(p), Dimension: strings.TrimSpace(d), Level: n})
	}
	if err := ValidateRequirements(reqs, cat); err != nil {
		return nil, err
	}
	return reqs, nil
}

// ValidateRequirements checks requirements (from the command line or a
// config) against the catalogue: known practice and dimension ids, levels
// 1–5, nothing required twice.
func ValidateRequirements(reqs []Requirement, cat *model.Catalogue) error {
	if cat == nil {
		return fmt.Errorf("requirements: no level catalogue to check ids against")
	}
	seen := map[string]Requirement{}
	for _, r := range reqs {
		in := r.String()
		if r.Level < 1 || r.Level > 5 {
			return &RequirementError{Input: in, Msg: fmt.Sprintf("level %d is out of range: levels run from 1 to 5", r.Level)}
		}
		p, ok := cat.Practice(r.Practice)
		if !ok {
			ids := make([]string, len(cat.Practices))
			for i, p := range cat.Practices {
				ids[i] = p.ID
			}
			return &RequirementError{Input: in, Msg: fmt.Sprintf("unknown practice %q%s (practices: %s)",
				r.Practice, suggest(r.Practice, ids), list(ids))}
		}
		if r.Dimension != "" {
			if _, ok := p.Dimension(r.Dimension); !ok {
				ids := make([]string, len(p.Dimensions))
				for i, d := range p.Dimensions {
					ids[i] = d.ID
				}
				return &RequirementError{Input: in, Msg: fmt.Sprintf("practice %q has no dimension %q%s (its dimensions: %s)",
					r.Practice, r.Dimension, suggest(r.Dimension, ids), list(ids))}
			}
		}
		if prev, dup := seen[r.Key()]; dup {
			return &RequirementError{Input: in, Msg: fmt.Sprintf("%s is required twice (%s and %s)", r.Key(), prev, r)}
		}
		seen[r.Key()] = r
	}
	return nil
}

func list(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// suggest returns `; did you mean "x"?` for the closest id within edit
// distance 2, or "".
func suggest(s string, ids []string) string {
	best, bestD := "", 3
	for _, id := range ids {
		if d := editDistance(s, id); d < bestD || (d == bestD && id < best) {
			best, bestD = id, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// UnknownPolicy says whether an unknown level fails the gate.
type UnknownPolicy string

// Unknown policies.
const (
	// UnknownIgnore (the default) lets unknown levels pass: missing data is
	// not a regression. They are listed in Result.Ignored.
	UnknownIgnore UnknownPolicy = "ignore"
	// UnknownFail fails the gate when a level that the baseline had, or
	// that is required, is unknown now.
	UnknownFail UnknownPolicy = "fail"
)

// ParseUnknownPolicy reads "ignore" (or "") and "fail".
func ParseUnknownPolicy(s string) (UnknownPolicy, error) {
	switch UnknownPolicy(strings.ToLower(strings.TrimSpace(s))) {
	case "", UnknownIgnore:
		return UnknownIgnore, nil
	case UnknownFail:
		return UnknownFail, nil
	}
	return "", fmt.Errorf("unknown-level policy %q: want ignore or fail", s)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
