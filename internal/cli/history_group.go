package cli

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

// groupSummary is the latest audits of the targets that share one value of
// a label (history --by LABEL): per practice the lowest level in the group,
// its mean over the targets where it is known, and how many leave it
// unknown; the mean lowest practice level now and at the audits before.
type groupSummary struct {
	Label       string                   `json:"label"`
	Value       string                   `json:"value"`
	Targets     int                      `json:"targets"`
	Lowest      *float64                 `json:"lowest_mean"`
	Before      *float64                 `json:"lowest_mean_before,omitempty"`
	Practices   map[string]groupPractice `json:"practices"`
	practiceIDs []string
}

type groupPractice struct {
	Min     *int     `json:"min"`
	Mean    *float64 `json:"mean"`
	Unknown int      `json:"unknown"`
}

// groups aggregates the latest audits by label (targets without it form
// the group "(none)"); before gives each target's audit before its latest
// (nil when none).
func groups(ctx context.Context, st *store.Store, snaps []store.Snapshot, label string) ([]groupSummary, error) {
	type acc struct {
		g                          groupSummary
		sums, known                map[string]int
		lowSum, lowN, befSum, befN int
	}
	by := map[string]*acc{}
	for _, s := range snaps {
		v, ok := s.Result.Labels[label]
		if !ok {
			v = "(none)"
		}
		a := by[v]
		if a == nil {
			a = &acc{g: groupSummary{Label: label, Value: v, Practices: map[string]groupPractice{}},
				sums: map[string]int{}, known: map[string]int{}}
			by[v] = a
		}
		a.g.Targets++
		for _, p := range s.Result.Practices {
			gp, seen := a.g.Practices[p.ID]
			if !seen {
				a.g.practiceIDs = append(a.g.practiceIDs, p.ID)
			}
			if p.Level == nil {
				gp.Unknown++
			} else {
				a.sums[p.ID] += *p.Level
				a.known[p.ID]++
				if gp.Min == nil || *p.Level < *gp.Min {
					gp.Min = model.IntPtr(*p.Level)
				}
			}
			a.g.Practices[p.ID] = gp
		}
		if low, ok := lowestKnown(s.Result.Practices); ok {
			a.lowSum, a.lowN = a.lowSum+low, a.lowN+1
		}
		hist, err := st.History(ctx, s.Target, 2)
		if err != nil {
			return nil, err
		}
		if len(hist) == 2 {
			if low, ok := lowestKnown(hist[1].Result.Practices); ok {
				a.befSum, a.befN = a.befSum+low, a.befN+1
			}
		}
	}
	var out []groupSummary
	for _, v := range slices.Sorted(maps.Keys(by)) {
		a := by[v]
		for id, gp := range a.g.Practices {
			if n := a.known[id]; n > 0 {
				m := float64(a.sums[id]) / float64(n)
				gp.Mean = &m
			}
			a.g.Practices[id] = gp
		}
		if a.lowN > 0 {
			m := float64(a.lowSum) / float64(a.lowN)
			a.g.Lowest = &m
		}
		if a.befN > 0 {
			m := float64(a.befSum) / float64(a.befN)
			a.g.Before = &m
		}
		out = append(out, a.g)
	}
	return out, nil
}

// lowestKnown is the lowest known practice level; ok is false when every
// practice is unknown.
func lowestKnown(ps []model.PracticeResult) (int, bool) {
	low, ok := 0, false
	for _, p := range ps {
		if p.Level != nil && (!ok || *p.Level < low) {
			low, ok = *p.Level, true
		}
	}
	return low, ok
}

// historyGroups prints one line per label value: the targets, the mean
// lowest level now and before, and per practice "min/mean" (unknowns
// counted apart as "+Nu").
func historyGroups(buf *bytes.Buffer, gs []groupSummary) error {
	if len(gs) == 0 {
		buf.WriteString("the store holds no audits yet\n")
		return nil
	}
	var ids []string
	for _, g := range gs {
		for _, id := range g.practiceIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	tw := tabwriter.NewWriter(buf, 0, 2, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tTARGETS\tLOWEST (MEAN)\tBEFORE\t%s\n", strings.ToUpper(oneLine(gs[0].Label)), strings.Join(abbrev(ids), "\t"))
	f := func(p *float64) string {
		if p == nil {
			return "–"
		}
		return strconv.FormatFloat(*p, 'f', 1, 64)
	}
	for _, g := range gs {
		row := []string{oneLine(g.Value), strconv.Itoa(g.Targets), f(g.Lowest), f(g.Before)}
		for _, id := range ids {
			gp, ok := g.Practices[id]
			cell := "–"
			if ok && gp.Min != nil {
				cell = strconv.Itoa(*gp.Min) + "/" + f(gp.Mean)
			}
			if ok && gp.Unknown > 0 {
				cell += "+" + strconv.Itoa(gp.Unknown) + "u"
			}
			row = append(row, cell)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	buf.WriteString("\nper practice: lowest level in the group / mean over its targets; +Nu: targets where it is unknown\n")
	return nil
}
