package store

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Dialect names the SQL database behind a store.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// urlScheme matches a URL scheme at the start of a DSN ("mysql:", "https:"),
// never a Windows drive letter ("C:").
var urlScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]+:`)

// location is a parsed store DSN.
type location struct {
	dialect Dialect
	// path is the absolute SQLite file path.
	path string
	// pg is the parsed PostgreSQL configuration; display is the DSN with
	// its password redacted, addrs the host:port pairs it names.
	pg      *pgx.ConnConfig
	display string
	addrs   []string
}

// DialectOf returns the dialect a DSN selects: PostgreSQL for a
// postgres:// or postgresql:// URL, SQLite for anything else.
func DialectOf(dsn string) Dialect {
	l := strings.ToLower(dsn)
	if strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// parseDSN reads a store DSN: a file path, "sqlite:PATH", or a PostgreSQL URL.
func parseDSN(dsn string, connectTimeout time.Duration) (location, error) {
	if strings.TrimSpace(dsn) == "" {
		return location{}, fmt.Errorf("empty store location: give a file path, sqlite:PATH or a postgres:// URL")
	}
	if DialectOf(dsn) == Postgres {
		return parsePostgres(dsn, connectTimeout)
	}
	if m := urlScheme.FindString(dsn); m != "" && !strings.EqualFold(m, "sqlite:") && !strings.EqualFold(m, "file:") {
		// mysql://u:pw@host/db is not a file name: taking it for one would
		// create directories named after the credentials.
		return location{}, fmt.Errorf("store URL scheme %q is not supported: give a file path, sqlite:PATH or a postgres:// URL", strings.TrimSuffix(m, ":"))
	}
	p := dsn
	if strings.HasPrefix(strings.ToLower(p), "sqlite:") {
		p = p[len("sqlite:"):]
		p = strings.TrimPrefix(p, "//")
	}
	if p == "" {
		return location{}, fmt.Errorf("store %q names no file", dsn)
	}
	if p == ":memory:" || strings.HasPrefix(p, "file:") {
		return location{}, fmt.Errorf("store %q: give a file path (in-memory and URI forms are not supported)", dsn)
	}
	if strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return location{}, fmt.Errorf("store %q: %w", dsn, err)
		}
		p = filepath.Join(home, p[2:])
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return location{}, fmt.Errorf("store %q: %w", dsn, err)
	}
	return location{dialect: SQLite, path: abs, display: abs}, nil
}

func parsePostgres(dsn string, connectTimeout time.Duration) (location, error) {
	if i := strings.Index(dsn, "://"); i > 0 {
		dsn = strings.ToLower(dsn[:i]) + dsn[i:] // pgx wants the scheme in lower case
	}
	display := redactURL(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the connection string: say only
		// what kind of error it is, with the redacted DSN.
		return location{}, fmt.Errorf("store %s: invalid PostgreSQL URL: %s", display, scrub(err.Error(), dsn))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	addrs := []string{net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))}
	for _, fb := range cfg.Fallbacks {
		a := net.JoinHostPort(fb.Host, strconv.Itoa(int(fb.Port)))
		if a != addrs[len(addrs)-1] {
			addrs = append(addrs, a)
		}
	}
	return location{dialect: Postgres, pg: cfg, display: display, addrs: addrs}, nil
}

// redactURL returns a URL with its password replaced by "xxxxx"; a string
// that does not parse as a URL is reduced to its scheme.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.Index(s, "://"); i >= 0 {
			return s[:i+3] + "…"
		}
		return "(unparsable URL)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// scrub removes the password of a PostgreSQL URL from a message.
func scrub(msg, dsn string) string {
	pw := ""
	if u, err := url.Parse(dsn); err == nil {
		if p, ok := u.User.Password(); ok {
			pw = p
		}
		if p := u.Query().Get("password"); p != "" {
			pw = p
		}
	}
	if len(pw) >= 3 {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
		msg = strings.ReplaceAll(msg, url.QueryEscape(pw), "xxxxx")
		msg = strings.ReplaceAll(msg, url.PathEscape(pw), "xxxxx")
	}
	if strings.Contains(msg, dsn) {
		msg = strings.ReplaceAll(msg, dsn, redactURL(dsn))
	}
	return msg
}

// sqliteDSN is the modernc driver's DSN for a file path: a file: URI (so
// that any character may appear in the path) with the pragmas every
// connection needs. busy_timeout is set on every connection (the driver
// runs it first); every transaction begins IMMEDIATE, taking the writer
// lock before it reads anything, so that it never has to upgrade a read
// lock (which SQLite refuses at once, busy_timeout or not). WAL mode is
// kept in the file and set once on opening (see useWAL), not here.
func sqliteDSN(path string, busy time.Duration) string {
	u := url.URL{Path: path}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// FULL costs one fsync per audit and keeps the latest committed audit
	// across a power cut too, not only across a crash.
	q.Add("_pragma", "synchronous(FULL)")
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// sqliteReadOnlyDSN is the DSN of a read-only connection: SQLite's
// mode=ro (never creates or writes the file) and query_only; immutable
// when the file cannot change while open (no -shm can be made beside it).
func sqliteReadOnlyDSN(path string, busy time.Duration, immutable bool) string {
	u := url.URL{Path: path}
	q := url.Values{}
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "query_only(1)")
	return "file:" + u.EscapedPath() + "?" + q.Encode()
}

// DefaultPath returns the default SQLite store:
// $XDG_DATA_HOME/cdaudit/history.db, or ~/.local/share/cdaudit/history.db
// when XDG_DATA_HOME is unset or not absolute.
func DefaultPath() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "cdaudit", "history.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("default store location: %w", err)
	}
	return filepath.Join(home, ".local", "share", "cdaudit", "history.db"), nil
}

// rebind turns ? placeholders into PostgreSQL's $1, $2…
func rebind(d Dialect, q string) string {
	if d != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
