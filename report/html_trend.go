package report

import (
	"slices"
	"strconv"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// htmlTrends shows practice levels and key measurements over the earlier
// audits of a target and this one.
type htmlTrends struct {
	Audits       int
	Since        string
	Practices    []trendCard
	Measurements []trendCard
}

// trendCard is one sparkline with where it started and where it is now.
type trendCard struct {
	Name, ID, From, To, Class string
	Spark                     sparkline
}

// sortedHistory orders earlier audits oldest first (stable, so equal times
// keep the caller's order).
func sortedHistory(h []model.HistoryPoint) []model.HistoryPoint {
	h = slices.Clone(h)
	slices.SortStableFunc(h, func(a, b model.HistoryPoint) int { return a.At.Compare(b.At) })
	return h
}

func levelPoint(at time.Time, l *int) sparkPoint {
	if l == nil {
		return sparkPoint{At: at, Text: "unknown", Class: "lu"}
	}
	return sparkPoint{At: at, Value: float64(*l), Known: true, Text: "L" + strconv.Itoa(*l), Class: "l" + strconv.Itoa(min(max(*l, 1), 5))}
}

func buildTrends(tr *model.TargetResult, now time.Time, hist []model.HistoryPoint, nm names) *htmlTrends {
	t := &htmlTrends{Audits: len(hist) + 1, Since: hist[0].At.UTC().Format(time.DateOnly)}
	for _, p := range tr.Practices {
		var pts []sparkPoint
		for _, h := range hist {
			if l, ok := h.Levels[p.ID]; ok {
				pts = append(pts, levelPoint(h.At, l))
			}
		}
		pts = append(pts, levelPoint(now, p.Level))
		name := oneLine(nm.practice(p.ID))
		c := trendCard{Name: name, ID: oneLine(p.ID), From: pts[0].Text, To: pts[len(pts)-1].Text,
			Spark: buildSparkline(name+" level over "+strconv.Itoa(len(pts))+" audits", pts, true)}
		c.Class = trendClass(pts, true)
		t.Practices = append(t.Practices, c)
	}
	for _, m := range trendMeasurements(tr) {
		var pts []sparkPoint
		for _, h := range hist {
			if v, ok := h.Measurements[m.id]; ok {
				pts = append(pts, sparkPoint{At: h.At, Value: v, Known: true, Text: oneLine(formatValue(v, m.unit))})
			}
		}
		if len(pts) == 0 {
			continue // no earlier value: nothing to compare
		}
		cur := sparkPoint{At: now, Text: "unknown"}
		if m.known {
			cur = sparkPoint{At: now, Value: m.value, Known: true, Text: oneLine(formatValue(m.value, m.unit))}
		}
		pts = append(pts, cur)
		c := trendCard{Name: m.name, ID: m.id, From: pts[0].Text, To: cur.Text,
			Spark: buildSparkline(m.name+" over "+strconv.Itoa(len(pts))+" audits", pts, false)}
		c.Class = trendClass(pts, false)
		t.Measurements = append(t.Measurements, c)
	}
	return t
}

// trendClass compares the first and the last known point: for levels, up is
// good; for measurements no direction is judged.
func trendClass(pts []sparkPoint, levels bool) string {
	if !levels {
		return "same"
	}
	first, last := pts[0], pts[len(pts)-1]
	switch {
	case !first.Known || !last.Known:
		return "other"
	case last.Value > first.Value:
		return "up"
	case last.Value < first.Value:
		return "down"
	}
	return "same"
}

// trendMeasurement is a measurement shown in the trends: the key
// measurements, then the DORA keys.
type trendMeasurement struct {
	id, name, unit string
	value          float64
	known          bool
}

func trendMeasurements(tr *model.TargetResult) []trendMeasurement {
	var out []trendMeasurement
	seen := map[string]bool{}
	for _, id := range keyMeasurements() {
		m := tr.Measurements[id]
		out = append(out, trendMeasurement{id: id, name: id, unit: m.Unit, value: m.Value, known: m.Known})
		seen[id] = true
	}
	for _, k := range doraKeys(tr.DORA) {
		id := k.key.Measurement
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		m := trendMeasurement{id: id, name: k.name, unit: k.key.Unit}
		if k.key.Value != nil {
			m.value, m.known = *k.key.Value, true
		}
		out = append(out, m)
	}
	return out
}
