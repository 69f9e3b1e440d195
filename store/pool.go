package store

import (
	"database/sql"
	"time"
)

// Pool bounds a store's connection pool. Zero fields leave the
// database/sql defaults (unlimited open connections, 2 idle, no idle
// timeout).
type Pool struct {
	MaxOpen     int           // connections open at once; further callers wait
	MaxIdle     int           // connections kept open when idle
	MaxIdleTime time.Duration // an idle connection older than this is closed
}

// SetPool bounds the connection pool, so that the file handles of SQLite
// (or the sessions of PostgreSQL) stay bounded however many callers read
// at once. Call it right after opening, e.g. in a long-running server.
func (s *Store) SetPool(p Pool) {
	if p.MaxOpen > 0 {
		s.db.SetMaxOpenConns(p.MaxOpen)
	}
	if p.MaxIdle > 0 {
		s.db.SetMaxIdleConns(p.MaxIdle)
	}
	if p.MaxIdleTime > 0 {
		s.db.SetConnMaxIdleTime(p.MaxIdleTime)
	}
}

// Stats returns the connection pool's statistics.
func (s *Store) Stats() sql.DBStats { return s.db.Stats() }
