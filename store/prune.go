package store

import (
	"context"
	"fmt"
	"time"
)

// Retention says which saved results Prune keeps. A result is removed when
// it is older than MaxAge (if MaxAge > 0) or not among its target's KeepLast
// newest (if KeepLast > 0). The newest result of every target is always
// kept, so a gate always has a baseline. The zero value keeps everything.
type Retention struct {
	MaxAge   time.Duration
	KeepLast int
}

// Prune removes saved results beyond the retention in one transaction,
// then the audits left without results, and returns how many target
// results it removed.
func (s *Store) Prune(ctx context.Context, r Retention) (int, error) {
	if r.MaxAge < 0 || r.KeepLast < 0 {
		return 0, fmt.Errorf("store: negative retention (max age %s, keep last %d)", r.MaxAge, r.KeepLast)
	}
	if r.MaxAge == 0 && r.KeepLast == 0 {
		return 0, nil
	}
	// cutoff 0 (before every audit) disables the age rule, a huge KeepLast
	// the count rule.
	var cutoff int64
	if r.MaxAge > 0 {
		cutoff = s.now().Add(-r.MaxAge).UnixNano()
	}
	keep := int64(r.KeepLast)
	if keep == 0 {
		keep = 1 << 62
	}
	if err := s.writable("pruning"); err != nil {
		return 0, err
	}
	var n int64
	err := s.retryBusy(ctx, func() error {
		var err error
		n, err = s.pruneTx(ctx, keep, cutoff)
		return err
	})
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.log.Info("store pruned", "store", s.loc.display, "results_removed", n,
			"max_age", r.MaxAge.String(), "keep_last", r.KeepLast)
	}
	return int(n), nil
}

// pruneTx is one attempt at pruning: one transaction.
func (s *Store) pruneTx(ctx context.Context, keep, cutoff int64) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap("starting to prune", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.q(`DELETE FROM target_results WHERE id IN (
  SELECT id FROM (
    SELECT id, at_ns, ROW_NUMBER() OVER (PARTITION BY target ORDER BY at_ns DESC, id DESC) AS rn
    FROM target_results
  ) ranked
  WHERE rn > 1 AND (rn > ? OR at_ns < ?)
)`), keep, cutoff)
	if err != nil {
		return 0, s.wrap("pruning results", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, s.wrap("pruning results", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM audits
  WHERE NOT EXISTS (SELECT 1 FROM target_results t WHERE t.audit_id = audits.id)
    AND (target_count > 0 OR generated_at_ns < ?)`), cutoff); err != nil {
		return 0, s.wrap("pruning audits", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, s.wrap("committing the pruning", err)
	}
	return n, nil
}
