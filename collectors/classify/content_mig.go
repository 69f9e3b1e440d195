package classify

import (
	"bytes"
	"regexp"
	"strings"
)

var (
	// read-only patterns for migration contents
	reJSDown      = regexp.MustCompile(`(?m)(exports\.down\b|\bdown\s*[:=(]|async\s+down\b|function\s+down\b)`)
	reGooseGoDown = regexp.MustCompile(`AddMigration\w*\(\s*[\w.]+\s*,\s*([\w.]+)\s*\)`)
	reGoDownFunc  = regexp.MustCompile(`func\s+[Dd]own\w*\s*\(`)
	reRunPython   = regexp.MustCompile(`RunPython\(\s*[\w.]+\s*,\s*[\w.]+`)
	reRunSQL      = regexp.MustCompile(`RunSQL\(\s*[^,()]+,\s*\S`)
	rePHPDown     = regexp.MustCompile(`function\s+down\s*\([^)]*\)\s*(:\s*\w+\s*)?\{\s*([^}\s])`)
	reEFDown      = regexp.MustCompile(`void\s+Down\s*\([^)]*\)\s*\{\s*([^}\s])`)
)

// migrationContent inspects a migration file's contents and returns the
// tool they reveal, whether the migration can be reverted, and whether the
// tool derives the reversal by design.
func migrationContent(c migCand, data []byte, jsTool string, cargo bool) (tool string, hasDown, byDesign bool) {
	switch c.tool {
	case "alembic":
		return "", pythonFuncHasBody(data, "downgrade"), false
	case "django":
		// Django reverses schema operations itself; data migrations need a
		// reverse function.
		irreversible := (bytes.Contains(data, []byte("RunPython(")) && !reRunPython.Match(data) && !bytes.Contains(data, []byte("reverse_code"))) ||
			(bytes.Contains(data, []byte("RunSQL(")) && !reRunSQL.Match(data) && !bytes.Contains(data, []byte("reverse_sql")))
		return "", !irreversible, true
	case "rails":
		s := string(data)
		if strings.Contains(s, "IrreversibleMigration") {
			return "", false, false
		}
		if strings.Contains(s, "def down") || strings.Contains(s, "reversible do") {
			return "", true, false
		}
		if strings.Contains(s, "def change") {
			return "", true, true
		}
		return "", false, false
	case "ecto":
		s := string(data)
		if strings.Contains(s, "def down") {
			return "", true, false
		}
		if strings.Contains(s, "def change") {
			return "", true, true
		}
		return "", false, false
	case "laravel", "doctrine":
		return "", rePHPDown.Match(data), false
	case "ef-core":
		return "", reEFDown.Match(data), false
	}
	lower := bytes.ToLower(data)
	if looksSQL(lower) {
		switch {
		case bytes.Contains(lower, []byte("+goose up")):
			return "goose", sectionHasBody(lower, []byte("+goose down")), false
		case bytes.Contains(lower, []byte("migrate:up")):
			return "dbmate", sectionHasBody(lower, []byte("migrate:down")), false
		case bytes.Contains(lower, []byte("+migrate up")):
			return "sql-migrate", sectionHasBody(lower, []byte("+migrate down")), false
		}
		if cargo {
			return "sqlx", false, false
		}
		return "", false, false
	}
	if bytes.Contains(data, []byte("package ")) && bytes.Contains(data, []byte("func ")) {
		hasDown := reGoDownFunc.Match(data)
		if m := reGooseGoDown.FindSubmatch(data); m != nil && string(m[1]) != "nil" {
			hasDown = true
		}
		tool := ""
		if bytes.Contains(data, []byte("goose")) {
			tool = "goose"
		}
		return tool, hasDown, false
	}
	// JavaScript / TypeScript
	tool = jsTool
	switch {
	case bytes.Contains(data, []byte("MigrationInterface")):
		tool = "typeorm"
	case bytes.Contains(data, []byte("queryInterface")):
		tool = "sequelize"
	case bytes.Contains(data, []byte("pgm.")):
		tool = "node-pg-migrate"
	case bytes.Contains(data, []byte("knex")):
		tool = "knex"
	}
	return tool, reJSDown.Match(data), false
}

// looksSQL reports whether lower-cased contents read like SQL rather than
// a program.
func looksSQL(lower []byte) bool {
	for _, kw := range [...]string{"create ", "alter ", "insert ", "drop ", "update ", "-- +goose", "-- migrate:", "-- +migrate", "delete ", "comment on"} {
		if bytes.Contains(lower, []byte(kw)) {
			return !bytes.Contains(lower, []byte("func ")) && !bytes.Contains(lower, []byte("exports.")) && !bytes.Contains(lower, []byte("import "))
		}
	}
	return false
}

// sectionHasBody reports whether the marker occurs and a statement (a
// non-empty line that is not a comment) follows it.
func sectionHasBody(lower, marker []byte) bool {
	i := bytes.Index(lower, marker)
	if i < 0 {
		return false
	}
	rest := lower[i+len(marker):]
	for _, line := range bytes.Split(rest, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || bytes.HasPrefix(t, []byte("--")) || bytes.HasPrefix(t, []byte("#")) {
			continue
		}
		return true
	}
	return false
}

// pythonFuncHasBody reports whether def name(...) has a body other than
// pass, a docstring or comments.
func pythonFuncHasBody(data []byte, name string) bool {
	s := string(data)
	i := strings.Index(s, "def "+name)
	if i < 0 {
		return false
	}
	s = s[i:]
	nl := strings.IndexByte(s, '\n')
	if nl < 0 {
		return false
	}
	inDoc := false
	for _, line := range strings.Split(s[nl+1:], "\n") {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if len(line) > 0 && line[0] != ' ' && line[0] != '\t' {
			return false // next top-level statement: the body ended
		}
		if strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, `'''`) {
			if !(len(t) >= 6 && (strings.HasSuffix(t, `"""`) || strings.HasSuffix(t, `'''`))) {
				inDoc = !inDoc
			}
			continue
		}
		if inDoc {
			if strings.HasSuffix(t, `"""`) || strings.HasSuffix(t, `'''`) {
				inDoc = false
			}
			continue
		}
		if strings.HasPrefix(t, "#") || t == "pass" || t == "..." {
			continue
		}
		return true
	}
	return false
}
