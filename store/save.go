package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Save stores a whole report in one transaction and returns the audit's id.
// A report without a generation time is stamped with the time of saving.
func (s *Store) Save(ctx context.Context, r *model.Report) (int64, error) {
	if r == nil {
		return 0, errors.New("store: nil report")
	}
	if err := s.writable("saving an audit"); err != nil {
		return 0, err
	}
	env := *r
	env.Targets = []model.TargetResult{}
	if env.Schema == "" {
		env.Schema = model.ReportSchema
	}
	saved := s.now()
	if env.GeneratedAt.IsZero() {
		env.GeneratedAt = saved
	}
	envJSON, err := json.Marshal(env)
	if err != nil {
		return 0, fmt.Errorf("store: encoding report: %w", err)
	}
	results := make([][]byte, len(r.Targets))
	for i := range r.Targets {
		if results[i], err = json.Marshal(&r.Targets[i]); err != nil {
			return 0, fmt.Errorf("store: encoding result of target %q: %w", r.Targets[i].Name, err)
		}
	}

	var id int64
	err = s.retryBusy(ctx, func() error {
		var err error
		id, err = s.saveTx(ctx, r, &env, saved, string(envJSON), results)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.log.Debug("audit saved", "store", s.loc.display, "audit", id, "targets", len(r.Targets))
	return id, nil
}

// saveTx is one attempt at saving a report: one transaction.
func (s *Store) saveTx(ctx context.Context, r, env *model.Report, saved time.Time, envJSON string, results [][]byte) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap("starting to save an audit", err)
	}
	defer tx.Rollback()
	at := env.GeneratedAt.UnixNano()
	var id int64
	err = tx.QueryRowContext(ctx, s.q(`INSERT INTO audits
  (generated_at_ns, saved_at_ns, report_schema, version, window_since_ns, window_until_ns, target_count, envelope)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		at, saved.UnixNano(), clean(env.Schema), clean(env.Version),
		nsOrNull(env.Window.Since), nsOrNull(env.Window.Until), len(r.Targets), envJSON).Scan(&id)
	if err != nil {
		return 0, s.wrap("saving an audit", err)
	}
	for i := range r.Targets {
		if err := s.saveTarget(ctx, tx, id, i, at, &r.Targets[i], results[i]); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, s.wrap("committing an audit", err)
	}
	return id, nil
}

func (s *Store) saveTarget(ctx context.Context, tx *sql.Tx, audit int64, seq int, at int64, t *model.TargetResult, js []byte) error {
	what := fmt.Sprintf("saving target %q", t.Name)
	var trID int64
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO target_results (audit_id, seq, target, at_ns, error, result)
  VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), audit, seq, clean(t.Name), at, clean(t.Error), string(js)).Scan(&trID)
	if err != nil {
		return s.wrap(what, err)
	}

	ids := make([]string, 0, len(t.Measurements))
	for id := range t.Measurements {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) > 0 {
		st, err := tx.PrepareContext(ctx, s.q(`INSERT INTO measurements (target_result_id, measurement, value, unit, n, note)
  VALUES (?, ?, ?, ?, ?, ?)`))
		if err != nil {
			return s.wrap(what, err)
		}
		defer st.Close()
		seen := map[string]bool{}
		for _, id := range ids {
			m := t.Measurements[id]
			key := clean(id)
			if seen[key] {
				continue // two ids that differ only in invalid bytes
			}
			seen[key] = true
			var v any
			if m.Known {
				v = m.Value
			}
			if _, err := st.ExecContext(ctx, trID, key, v, clean(m.Unit), m.N, clean(m.Note)); err != nil {
				return s.wrap(what+": measurement "+id, err)
			}
		}
	}

	if len(t.Practices) > 0 {
		st, err := tx.PrepareContext(ctx, s.q(`INSERT INTO levels
  (target_result_id, seq, practice, dimension, level, basis, measured_level, lower_bound, upper_bound, automatic_max, needs_attestation)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
		if err != nil {
			return s.wrap(what, err)
		}
		defer st.Close()
		n := 0
		for _, p := range t.Practices {
			if _, err := st.ExecContext(ctx, trID, n, clean(p.ID), "", intOrNull(p.Level), "",
				nil, nil, intOrNull(p.UpperBound), nil, 0); err != nil {
				return s.wrap(what+": practice "+p.ID, err)
			}
			n++
			for _, d := range p.Dimensions {
				na := 0
				if d.NeedsAttestation {
					na = 1
				}
				if _, err := st.ExecContext(ctx, trID, n, clean(p.ID), clean(d.ID), intOrNull(d.Level), clean(string(d.Basis)),
					intOrNull(d.MeasuredLevel), intOrNull(d.LowerBound), nil, d.AutomaticMax, na); err != nil {
					return s.wrap(what+": dimension "+p.ID+"."+d.ID, err)
				}
				n++
			}
		}
	}

	for i, src := range t.Sources {
		req := make([]any, 7)
		if rq := src.Requests; rq != nil {
			req = []any{rq.Total, rq.Counted, rq.NotModified, rq.CacheHits, rq.Errors, rq.Retries, rq.RateLimited}
		}
		args := append([]any{trID, i, clean(src.Kind), clean(src.Name), clean(src.Status), clean(src.Error), finite(src.Duration)}, req...)
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO sources
  (target_result_id, seq, kind, name, status, error, duration_seconds, requests_total, requests_counted,
   requests_not_modified, requests_cache_hits, requests_errors, requests_retries, requests_rate_limited)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return s.wrap(what+": source "+src.Kind, err)
		}
	}
	return nil
}

// clean makes a string storable in every dialect: valid UTF-8, no NUL
// (PostgreSQL's text rejects both).
func clean(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	return strings.ReplaceAll(v, "\x00", "\uFFFD")
}

func nsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func intOrNull(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// finite replaces NaN and infinities, which JSON cannot carry either.
func finite(f float64) float64 {
	if f != f || f > 1e308 || f < -1e308 {
		return 0
	}
	return f
}
