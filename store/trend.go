package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/cdaudit/cdaudit/model"
)

// Points turns snapshots (in any order) into history points, oldest first:
// the effective level of every practice ("ci") and dimension
// ("ci.frequency"), nil when unknown, and the known values of the given
// measurements (all known measurements when none are given).
func Points(snaps []Snapshot, measurements ...string) []model.HistoryPoint {
	want := map[string]bool{}
	for _, m := range measurements {
		want[m] = true
	}
	out := make([]model.HistoryPoint, 0, len(snaps))
	for _, sn := range snaps {
		hp := model.HistoryPoint{At: sn.At, Levels: map[string]*int{}, Measurements: map[string]float64{}}
		for _, p := range sn.Result.Practices {
			hp.Levels[p.ID] = copyInt(p.Level)
			for _, d := range p.Dimensions {
				hp.Levels[p.ID+"."+d.ID] = copyInt(d.Level)
			}
		}
		for id, m := range sn.Result.Measurements {
			if m.Known && (len(want) == 0 || want[id]) {
				hp.Measurements[id] = m.Value
			}
		}
		out = append(out, hp)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// KeyMeasurements returns the ids of a result's DORA measurements, the
// usual choice for trends.
func KeyMeasurements(r *model.TargetResult) []string {
	if r == nil || r.DORA == nil {
		return nil
	}
	var out []string
	for _, k := range []model.DORAKey{r.DORA.DeploymentFrequency, r.DORA.LeadTime, r.DORA.ChangeFailureRate, r.DORA.RecoveryTime} {
		if k.Measurement != "" {
			out = append(out, k.Measurement)
		}
	}
	return out
}

// Trend is Points for target's limit newest audits (limit ≤ 0: all), read
// from the normalised rows without decoding the saved results.
func (s *Store) Trend(ctx context.Context, target string, limit int, measurements ...string) ([]model.HistoryPoint, error) {
	sub := `SELECT id FROM target_results WHERE target = ? ORDER BY at_ns DESC, id DESC`
	args := []any{clean(target)}
	if limit > 0 {
		sub += ` LIMIT ?`
		args = append(args, limit)
	}
	what := fmt.Sprintf("trend of %q", target)
	points := map[int64]*model.HistoryPoint{}
	var order []int64

	rows, err := s.db.QueryContext(ctx, s.q(`SELECT t.id, t.at_ns, l.practice, l.dimension, l.level
  FROM target_results t LEFT JOIN levels l ON l.target_result_id = t.id
  WHERE t.id IN (`+sub+`) ORDER BY t.at_ns, t.id, l.seq`), args...)
	if err != nil {
		return nil, s.wrap(what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, at    int64
			prac, dim sql.NullString
			level     sql.NullInt64
		)
		if err := rows.Scan(&id, &at, &prac, &dim, &level); err != nil {
			return nil, s.wrap(what, err)
		}
		hp := points[id]
		if hp == nil {
			hp = &model.HistoryPoint{At: fromNS(at), Levels: map[string]*int{}, Measurements: map[string]float64{}}
			points[id] = hp
			order = append(order, id)
		}
		if !prac.Valid {
			continue
		}
		key := prac.String
		if dim.String != "" {
			key += "." + dim.String
		}
		var lv *int
		if level.Valid {
			lv = model.IntPtr(int(level.Int64))
		}
		hp.Levels[key] = lv
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(what, err)
	}
	rows.Close()

	want := map[string]bool{}
	for _, m := range measurements {
		want[m] = true
	}
	mrows, err := s.db.QueryContext(ctx, s.q(`SELECT target_result_id, measurement, value FROM measurements
  WHERE value IS NOT NULL AND target_result_id IN (`+sub+`)`), args...)
	if err != nil {
		return nil, s.wrap(what, err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var (
			id int64
			m  string
			v  float64
		)
		if err := mrows.Scan(&id, &m, &v); err != nil {
			return nil, s.wrap(what, err)
		}
		if hp := points[id]; hp != nil && (len(want) == 0 || want[m]) {
			hp.Measurements[m] = v
		}
	}
	if err := mrows.Err(); err != nil {
		return nil, s.wrap(what, err)
	}
	out := make([]model.HistoryPoint, 0, len(order))
	for _, id := range order {
		out = append(out, *points[id])
	}
	return out, nil
}

func copyInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
