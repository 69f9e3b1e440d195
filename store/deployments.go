package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Deployment statuses RecordDeployment accepts.
var recordStatuses = []string{"success", "failure", "error"}

// ErrBadDeployment is returned (wrapped) for a deployment record that
// RecordDeployment refuses.
var ErrBadDeployment = errors.New("bad deployment record")

// CheckDeployment validates a deployment to record: a target, an
// environment, a commit of 7 to 64 hex digits, a status of success,
// failure or error, and a time.
func CheckDeployment(target string, d model.Deployment) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadDeployment, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.TrimSpace(target) == "":
		return bad("no target name")
	case strings.TrimSpace(d.Environment) == "":
		return bad("no environment")
	case !isCommit(d.SHA):
		return bad("commit %q: want 7 to 64 hex digits", d.SHA)
	case d.CreatedAt.IsZero():
		return bad("no time")
	}
	for _, s := range recordStatuses {
		if d.Status == s {
			return nil
		}
	}
	return bad("status %q: want one of %s", d.Status, strings.Join(recordStatuses, ", "))
}

func isCommit(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, c := range strings.ToLower(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// RecordDeployment keeps a deployment of target (see CheckDeployment) and
// returns its id; the next audit of target counts it.
func (s *Store) RecordDeployment(ctx context.Context, target string, d model.Deployment) (int64, error) {
	if err := CheckDeployment(target, d); err != nil {
		return 0, err
	}
	if err := s.writable("recording a deployment"); err != nil {
		return 0, err
	}
	var id int64
	err := s.retryBusy(ctx, func() error {
		return s.db.QueryRowContext(ctx, s.q(`INSERT INTO deployments
  (target, environment, sha, ref, status, url, at_ns, recorded_at_ns)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			clean(target), clean(d.Environment), strings.ToLower(d.SHA), clean(d.Ref), d.Status, clean(d.URL),
			d.CreatedAt.UnixNano(), s.now().UnixNano()).Scan(&id)
	})
	if err != nil {
		return 0, s.wrap("recording a deployment", err)
	}
	return id, nil
}

// Deployments returns target's recorded deployments at or after since,
// oldest first, as model.Deployment with Source model.DeploySourceRecorded
// and ids "recorded-N". A zero since returns all.
func (s *Store) Deployments(ctx context.Context, target string, since time.Time) ([]model.Deployment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, environment, sha, ref, status, url, at_ns
  FROM deployments WHERE target = ? AND at_ns >= ? ORDER BY at_ns, id`), clean(target), sinceNS(since))
	if err != nil {
		return nil, s.wrap(fmt.Sprintf("reading deployments of %q", target), err)
	}
	defer rows.Close()
	var out []model.Deployment
	for rows.Next() {
		var id, at int64
		var d model.Deployment
		if err := rows.Scan(&id, &d.Environment, &d.SHA, &d.Ref, &d.Status, &d.URL, &at); err != nil {
			return nil, s.wrap(fmt.Sprintf("reading deployments of %q", target), err)
		}
		d.ID, d.Source, d.CreatedAt = "recorded-"+strconv.FormatInt(id, 10), model.DeploySourceRecorded, fromNS(at)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(fmt.Sprintf("reading deployments of %q", target), err)
	}
	return out, nil
}

func sinceNS(t time.Time) int64 {
	if t.IsZero() {
		return -1 << 63
	}
	return t.UnixNano()
}
