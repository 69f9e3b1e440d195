package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// The fleet page: when a report holds several targets, one section shows
// them all — a targets × practices heatmap (sortable and filterable by
// label with the page's script, complete without it), the distribution of
// levels per practice, the weakest dimensions across the fleet and, when
// targets carry a team label, each team's levels and their trend since the
// audits before.

// maxWeakest is how many dimensions the fleet's weakest list shows.
const maxWeakest = 10

// teamLabel is the label whose values group the fleet's targets by team.
const teamLabel = "team"

type htmlFleet struct {
	Practices    []fleetCol
	Rows         []fleetRow
	Labels       []string // "key=value" choices of the filter
	Distribution []fleetDist
	Weakest      []fleetWeak
	Teams        []fleetTeam
	Deferred     int
	Failed       int
}

type fleetCol struct{ ID, Name string }

type fleetRow struct {
	Anchor, Name string
	Labels       string // "key=value" pairs separated by ";", for the filter
	Status       string // "", "failed" or "deferred"
	Lowest       fleetCell
	Cells        []fleetCell
}

// fleetCell is a level chip and its sort key (the level, 0 when unknown).
type fleetCell struct {
	htmlLevel
	Sort int
}

type fleetDist struct {
	Practice fleetCol
	Counts   [6]int // [0] unknown, [1..5] the levels
}

type fleetWeak struct {
	Practice, Dimension, Name string
	Mean                      string
	Low, Known                int // targets at level 1–2, targets with a known level
}

type fleetTeam struct {
	Team             string
	Targets          int
	Lowest           string // the mean lowest practice level of its targets now
	Before, Trend    string // the same over the audits before, and ▲ ▼ = (empty without history)
	TrendClass       string
	LowestByPractice []fleetCell
}

// buildFleet makes the fleet section of a report with several targets
// (nil otherwise); hist holds each target's earlier audits.
func buildFleet(r *model.Report, anchors []string, nm names, hist map[string][]model.HistoryPoint) *htmlFleet {
	if len(r.Targets) < 2 {
		return nil
	}
	f := &htmlFleet{}
	seen := map[string]bool{}
	labels := map[string]bool{}
	for _, t := range r.Targets {
		for _, p := range t.Practices {
			if !seen[p.ID] {
				seen[p.ID] = true
				f.Practices = append(f.Practices, fleetCol{ID: p.ID, Name: oneLine(nm.practice(p.ID))})
			}
		}
	}
	col := map[string]int{}
	for i, c := range f.Practices {
		col[c.ID] = i
		f.Distribution = append(f.Distribution, fleetDist{Practice: c})
	}
	type dimAcc struct{ sum, known, low int }
	dims := map[[2]string]*dimAcc{}
	var dimOrder [][2]string
	for i := range r.Targets {
		t := &r.Targets[i]
		row := fleetRow{Anchor: anchors[i], Name: oneLine(t.Name), Cells: make([]fleetCell, len(f.Practices))}
		var pairs []string
		for _, k := range slices.Sorted(maps.Keys(t.Labels)) {
			kv := oneLine(k) + "=" + oneLine(t.Labels[k])
			pairs, labels[kv] = append(pairs, kv), true
		}
		row.Labels = strings.Join(pairs, ";")
		switch {
		case t.IsDeferred():
			row.Status, f.Deferred = model.TargetDeferred, f.Deferred+1
		case t.Error != "":
			row.Status, f.Failed = "failed", f.Failed+1
		}
		for j := range row.Cells {
			row.Cells[j] = fleetCell{htmlLevel: htmlLevel{Text: "–", Class: "lu"}}
		}
		if len(t.Practices) > 0 {
			row.Lowest = cellOf(lowestLevel(t.Practices).level())
		} else {
			row.Lowest = fleetCell{htmlLevel: htmlLevel{Text: "–", Class: "lu"}}
		}
		for _, p := range t.Practices {
			j := col[p.ID]
			row.Cells[j] = cellOf(model.PracticeLevel(p))
			f.Distribution[j].Counts[row.Cells[j].Sort]++
			for _, d := range p.Dimensions {
				key := [2]string{p.ID, d.ID}
				a := dims[key]
				if a == nil {
					a = &dimAcc{}
					dims[key] = a
					dimOrder = append(dimOrder, key)
				}
				if d.Level != nil {
					a.sum, a.known = a.sum+*d.Level, a.known+1
					if *d.Level <= 2 {
						a.low++
					}
				}
			}
		}
		f.Rows = append(f.Rows, row)
	}
	f.Labels = slices.Sorted(maps.Keys(labels))
	for _, k := range dimOrder {
		a := dims[k]
		if a.known == 0 {
			continue
		}
		f.Weakest = append(f.Weakest, fleetWeak{Practice: k[0], Dimension: k[1], Name: oneLine(nm.dimension(k[0], k[1])),
			Mean: strconv.FormatFloat(float64(a.sum)/float64(a.known), 'f', 1, 64), Low: a.low, Known: a.known})
	}
	slices.SortStableFunc(f.Weakest, func(a, b fleetWeak) int {
		return cmp.Or(cmp.Compare(a.Mean, b.Mean), cmp.Compare(b.Low, a.Low))
	})
	f.Weakest = f.Weakest[:min(len(f.Weakest), maxWeakest)]
	f.Teams = buildTeams(r, f, col, hist)
	return f
}

func cellOf(l model.Level) fleetCell {
	c := fleetCell{htmlLevel: levelChip(l)}
	if n, ok := l.Value(); ok && n >= 1 && n <= 5 {
		c.Sort = n
	}
	return c
}

// buildTeams groups the audited targets by their team label: the mean of
// their lowest practice levels now and at each target's audit before, and
// the lowest level of each practice within the team.
func buildTeams(r *model.Report, f *htmlFleet, col map[string]int, hist map[string][]model.HistoryPoint) []fleetTeam {
	type acc struct {
		n, nowSum, nowN, beforeSum, beforeN int
		lowest                              []fleetCell
	}
	teams := map[string]*acc{}
	for i, t := range r.Targets {
		team, ok := t.Labels[teamLabel]
		if !ok || len(t.Practices) == 0 {
			continue
		}
		a := teams[team]
		if a == nil {
			a = &acc{lowest: make([]fleetCell, len(f.Practices))}
			teams[team] = a
		}
		a.n++
		if c := f.Rows[i].Lowest; c.Sort > 0 {
			a.nowSum, a.nowN = a.nowSum+c.Sort, a.nowN+1
		}
		for j, c := range f.Rows[i].Cells {
			if l := a.lowest[j]; l.Class == "" || (c.Sort > 0 && (l.Sort == 0 || c.Sort < l.Sort)) {
				a.lowest[j] = c
			}
		}
		if h := sortedHistory(hist[t.Name]); len(h) > 0 {
			if n, ok := lowestOfPoint(h[len(h)-1], t.Practices); ok {
				a.beforeSum, a.beforeN = a.beforeSum+n, a.beforeN+1
			}
		}
	}
	var out []fleetTeam
	for _, name := range slices.Sorted(maps.Keys(teams)) {
		a := teams[name]
		ft := fleetTeam{Team: oneLine(name), Targets: a.n, Lowest: "–", LowestByPractice: a.lowest}
		if a.nowN > 0 {
			now := float64(a.nowSum) / float64(a.nowN)
			ft.Lowest = strconv.FormatFloat(now, 'f', 1, 64)
			if a.beforeN > 0 {
				before := float64(a.beforeSum) / float64(a.beforeN)
				ft.Before = strconv.FormatFloat(before, 'f', 1, 64)
				switch d := now - before; {
				case d > 0.05:
					ft.Trend, ft.TrendClass = fmt.Sprintf("▲ %+.1f", d), "up"
				case d < -0.05:
					ft.Trend, ft.TrendClass = fmt.Sprintf("▼ %+.1f", d), "down"
				default:
					ft.Trend, ft.TrendClass = "=", "same"
				}
			}
		}
		out = append(out, ft)
	}
	return out
}

// lowestOfPoint is the lowest practice level an earlier audit recorded
// for the practices of ps; ok is false when it recorded none of them.
func lowestOfPoint(p model.HistoryPoint, ps []model.PracticeResult) (int, bool) {
	low, ok := 0, false
	for _, pr := range ps {
		if v := p.Levels[pr.ID]; v != nil && (!ok || *v < low) {
			low, ok = *v, true
		}
	}
	return low, ok
}
