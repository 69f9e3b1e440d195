package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

const snapshotCols = `t.audit_id, t.at_ns, t.target, t.result, a.window_since_ns, a.window_until_ns
  FROM target_results t JOIN audits a ON a.id = t.audit_id`

// Latest returns the newest saved result of target and when its audit was
// generated; the error wraps ErrNotFound when the target has none.
func (s *Store) Latest(ctx context.Context, target string) (*model.TargetResult, time.Time, error) {
	snaps, err := s.History(ctx, target, 1)
	if err != nil {
		return nil, time.Time{}, err
	}
	if len(snaps) == 0 {
		return nil, time.Time{}, fmt.Errorf("target %q: no audit: %w", target, ErrNotFound)
	}
	return &snaps[0].Result, snaps[0].At, nil
}

// LatestAll returns the newest saved result of every target, by target name.
func (s *Store) LatestAll(ctx context.Context) ([]Snapshot, error) {
	return s.snapshots(ctx, "latest results", `SELECT `+snapshotCols+`
  WHERE t.id = (SELECT t2.id FROM target_results t2 WHERE t2.target = t.target
                ORDER BY t2.at_ns DESC, t2.id DESC LIMIT 1)
  ORDER BY t.target`)
}

// History returns target's saved results, newest first; limit ≤ 0 means all.
func (s *Store) History(ctx context.Context, target string, limit int) ([]Snapshot, error) {
	query := `SELECT ` + snapshotCols + ` WHERE t.target = ? ORDER BY t.at_ns DESC, t.id DESC`
	args := []any{clean(target)}
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit)
	}
	return s.snapshots(ctx, fmt.Sprintf("history of %q", target), query, args...)
}

// Targets returns the names of all targets with saved results, sorted.
func (s *Store) Targets(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT target FROM target_results ORDER BY target`)
	if err != nil {
		return nil, s.wrap("listing targets", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, s.wrap("listing targets", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("listing targets", err)
	}
	return out, nil
}

// Report reassembles the whole report saved as audit id; the error wraps
// ErrNotFound when there is no such audit. Targets removed by Prune are
// missing from it.
func (s *Store) Report(ctx context.Context, id int64) (*model.Report, error) {
	var env string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT envelope FROM audits WHERE id = ?`), id).Scan(&env)
	if isNoRows(err) {
		return nil, fmt.Errorf("audit %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, s.wrap(fmt.Sprintf("reading audit %d", id), err)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(env), &r); err != nil {
		return nil, fmt.Errorf("store %s: audit %d: decoding report: %w", s.loc.display, id, err)
	}
	snaps, err := s.snapshots(ctx, fmt.Sprintf("reading audit %d", id),
		`SELECT `+snapshotCols+` WHERE t.audit_id = ? ORDER BY t.seq`, id)
	if err != nil {
		return nil, err
	}
	r.Targets = make([]model.TargetResult, len(snaps))
	for i := range snaps {
		r.Targets[i] = snaps[i].Result
	}
	return &r, nil
}

func (s *Store) snapshots(ctx context.Context, what, query string, args ...any) ([]Snapshot, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, s.wrap(what, err)
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var (
			sn           Snapshot
			at           int64
			result       string
			since, until sql.NullInt64
		)
		if err := rows.Scan(&sn.ID, &at, &sn.Target, &result, &since, &until); err != nil {
			return nil, s.wrap(what, err)
		}
		sn.At = fromNS(at)
		if since.Valid {
			sn.Window.Since = fromNS(since.Int64)
		}
		if until.Valid {
			sn.Window.Until = fromNS(until.Int64)
		}
		if err := json.Unmarshal([]byte(result), &sn.Result); err != nil {
			return nil, fmt.Errorf("store %s: audit %d, target %q: decoding result: %w", s.loc.display, sn.ID, sn.Target, err)
		}
		fixIDs(sn.Result.Measurements)
		out = append(out, sn)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(what, err)
	}
	return out, nil
}

// fixIDs restores measurement ids, which JSON carries only as map keys.
func fixIDs(ms model.Measurements) {
	for id, m := range ms {
		m.ID = id
		ms[id] = m
	}
}

func fromNS(ns int64) time.Time { return time.Unix(0, ns).UTC() }

// ChangeToken returns a short string that changes whenever a result is
// saved or pruned: the newest target-result id and the number of results.
// It is one cheap query, meant for caches that must notice a new audit
// (e.g. the report `cdaudit serve` keeps rendered) without reading it.
func (s *Store) ChangeToken(ctx context.Context) (string, error) {
	var maxID, n int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0), COUNT(*) FROM target_results`).Scan(&maxID, &n)
	if err != nil {
		return "", s.wrap("reading the change token", err)
	}
	return fmt.Sprintf("%d-%d", maxID, n), nil
}
