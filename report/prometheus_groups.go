package report

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Families that aggregate the fleet by target label (the labels of the
// configuration, as cdaudit_target_info carries them): per label and value,
// how many audited targets carry it and, per practice, the lowest and the
// mean of their known levels. Deferred targets are left out.
const (
	groupTargetsName  = "cdaudit_group_targets"
	groupMinLevelName = "cdaudit_group_practice_level_min"
	groupMeanName     = "cdaudit_group_practice_level_mean"
)

func groupFamilies() []PrometheusFamily {
	lv := []string{"label", "value"}
	lvp := []string{"label", "value", "practice"}
	return []PrometheusFamily{
		{groupTargetsName, "gauge", "Audited targets that carry a label value (from the configuration).", lv},
		{groupMinLevelName, "gauge", "Lowest known level of a practice among the targets that carry a label value.", lvp},
		{groupMeanName, "gauge", "Mean known level of a practice over the targets that carry a label value.", lvp},
	}
}

// groups emits the label aggregates of the latest audits.
func (e *promEmitter) groups(audits []Audit) {
	type acc struct {
		targets         int
		min, sum, known map[string]int
	}
	by := map[[2]string]*acc{}
	var keys [][2]string
	for _, a := range audits {
		t := a.Result
		if t.IsDeferred() {
			continue
		}
		for name, value := range promLabels(t.Labels) {
			k := [2]string{name, value}
			g := by[k]
			if g == nil {
				g = &acc{min: map[string]int{}, sum: map[string]int{}, known: map[string]int{}}
				by[k] = g
				keys = append(keys, k)
			}
			g.targets++
			for _, p := range t.Practices {
				if p.Level == nil {
					continue
				}
				if m, ok := g.min[p.ID]; !ok || *p.Level < m {
					g.min[p.ID] = *p.Level
				}
				g.sum[p.ID] += *p.Level
				g.known[p.ID]++
			}
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if a[0] != b[0] {
			return strings.Compare(a[0], b[0])
		}
		return strings.Compare(a[1], b[1])
	})
	for _, k := range keys {
		g := by[k]
		e.emit(groupTargetsName, float64(g.targets), time.Time{}, k[0], k[1])
		for _, id := range slices.Sorted(maps.Keys(g.known)) {
			e.emit(groupMinLevelName, float64(g.min[id]), time.Time{}, k[0], k[1], id)
			e.emit(groupMeanName, float64(g.sum[id])/float64(g.known[id]), time.Time{}, k[0], k[1], id)
		}
	}
}
