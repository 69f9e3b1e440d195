package classify

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// migKind says what a migration file is.
type migKind uint8

const (
	migNone    migKind = iota // not a migration script (or a tool's config)
	migUp                     // an up / deploy script
	migDown                   // a down / undo / revert script
	migContent                // an up script whose contents tell whether it has a down
	migOther                  // a migration file without a version (changelog, repeatable, snapshot)
)

// migCand is a migration file found by path.
type migCand struct {
	tool    string
	kind    migKind
	version string
	dir     string // directory, case kept
}

// markers collects files whose presence changes how other paths read
// (sqitch.plan, atlas.sum, go.mod, Cargo.toml). It is filled before the
// main pass.
type markers struct {
	sqitchDirs map[string]bool // lower-case dirs holding sqitch.plan
	atlasDirs  map[string]bool // lower-case dirs holding atlas.sum
	goMod      bool
	cargo      bool
}

func scanMarkers(paths []string) markers {
	var m markers
	for _, p := range paths {
		if len(p) < 6 {
			continue
		}
		switch p[len(p)-1] {
		case 'n', 'm', 'd', 'l':
		default:
			continue
		}
		lp := lowerASCII(p)
		switch {
		case strings.HasSuffix(lp, "sqitch.plan") && (len(lp) == 11 || lp[len(lp)-12] == '/'):
			if m.sqitchDirs == nil {
				m.sqitchDirs = map[string]bool{}
			}
			m.sqitchDirs[dirOf(lp)] = true
		case strings.HasSuffix(lp, "atlas.sum") && (len(lp) == 9 || lp[len(lp)-10] == '/'):
			if m.atlasDirs == nil {
				m.atlasDirs = map[string]bool{}
			}
			m.atlasDirs[dirOf(lp)] = true
		case lp == "go.mod" || strings.HasSuffix(lp, "/go.mod"):
			m.goMod = true
		case lp == "cargo.toml" || strings.HasSuffix(lp, "/cargo.toml"):
			m.cargo = true
		}
	}
	return m
}

var (
	// read-only patterns
	reMigrateUpDown = regexp.MustCompile(`^(\d+)_.*\.(up|down)\.sql$`)
	reFlyway        = regexp.MustCompile(`^([vu])(\d+(?:[._]\d+)*)__.+\.(sql|java|kt|scala|groovy)$`)
	reDjango        = regexp.MustCompile(`^\d{4}_\w+\.py$`)
	reEF            = regexp.MustCompile(`^\d{14}_\w+\.cs$`)
	reLeadDigits    = regexp.MustCompile(`^\d+`)
)

// migrationPath recognises migration files and migration tool config.
func migrationPath(f *fileInfo, pr *pathResult, mk *markers) {
	b := f.base
	origDir := ""
	if i := strings.LastIndexByte(f.path, '/'); i >= 0 {
		origDir = f.path[:i]
	}
	set := func(tool string, k migKind, version string) {
		pr.add(cMigration)
		pr.mig = migCand{tool: tool, kind: k, version: version, dir: origDir}
		if k == migContent {
			pr.want = wantMigration
		}
		if tool != "" {
			pr.tool(tool)
		}
	}
	if f.has(fTestData | fDocs) {
		return
	}
	// tool configuration
	switch b {
	case "flyway.conf", "flyway.toml":
		set("flyway", migNone, "")
		return
	case "liquibase.properties":
		set("liquibase", migNone, "")
		return
	case "alembic.ini":
		set("alembic", migNone, "")
		return
	case "sqitch.plan", "sqitch.conf":
		set("sqitch", migNone, "")
		return
	case "atlas.hcl", "atlas.sum":
		set("atlas", migNone, "")
		return
	case "migration_lock.toml":
		set("prisma", migNone, "")
		return
	case "schema.prisma":
		pr.tool("prisma")
		return
	case ".sequelizerc":
		pr.tool("sequelize")
		return
	case "dbconfig.yml":
		if f.dir == "" || f.dir == "db" {
			pr.tool("sql-migrate")
		}
		return
	}
	if strings.HasPrefix(b, "knexfile.") {
		pr.tool("knex")
		return
	}
	if strings.HasPrefix(b, "ormconfig.") {
		pr.tool("typeorm")
		return
	}
	if docExt(f.ext) || !f.has(fMigrations) && f.ext != ".sql" && f.ext != ".xml" && f.ext != ".json" && !f.yaml() {
		return
	}
	// golang-migrate (and sqlx) NNN_name.up.sql / .down.sql
	if !strings.HasSuffix(b, "p.sql") && !strings.HasSuffix(b, "n.sql") {
		// cheap guard: only *.up.sql / *.down.sql can match below
	} else if m := reMigrateUpDown.FindStringSubmatch(b); m != nil {
		tool := "golang-migrate"
		if mk.cargo && !mk.goMod {
			tool = "sqlx"
		}
		k := migUp
		if m[2] == "down" {
			k = migDown
		}
		set(tool, k, strings.TrimLeft(m[1], "0"))
		return
	}
	// Flyway V1__x.sql / U1__x.sql / R__x.sql
	if (b[0] != 'v' && b[0] != 'u') || !strings.Contains(b, "__") {
		// cheap guard: Flyway names start with V or U and hold "__"
	} else if m := reFlyway.FindStringSubmatch(b); m != nil {
		k := migUp
		if m[1] == "u" {
			k = migDown
		}
		set("flyway", k, strings.ReplaceAll(m[2], "_", "."))
		return
	}
	if strings.HasPrefix(b, "r__") && f.ext == ".sql" {
		set("flyway", migOther, "")
		return
	}
	// Diesel: migrations/<version>/up.sql, down.sql
	if (b == "up.sql" || b == "down.sql") && f.d.parent == "migrations" {
		k := migUp
		if b == "down.sql" {
			k = migDown
		}
		set("diesel", k, f.d.last)
		pr.mig.dir = path.Dir(origDir)
		return
	}
	// Prisma: migrations/<version>/migration.sql (no down)
	if b == "migration.sql" && f.d.parent == "migrations" {
		set("prisma", migUp, f.d.last)
		pr.mig.dir = path.Dir(origDir)
		return
	}
	// sqitch: deploy/, revert/, verify/ beside sqitch.plan
	if f.ext == ".sql" && (f.d.last == "deploy" || f.d.last == "revert" || f.d.last == "verify") && mk.sqitchDirs[dirOf(f.dir)] {
		k := map[string]migKind{"deploy": migUp, "revert": migDown, "verify": migOther}[f.d.last]
		set("sqitch", k, f.stem)
		pr.mig.dir = path.Dir(origDir)
		return
	}
	// Liquibase changelogs
	if (f.ext == ".xml" || f.yaml() || f.ext == ".json" || f.ext == ".sql") &&
		(strings.Contains(f.dir, "liquibase") || strings.Contains(f.base, "liquibase") || strings.Contains(f.dir, "db/changelog") || strings.HasPrefix(b, "db.changelog") ||
			(strings.Contains(b, "changelog") && f.ext == ".xml")) {
		set("liquibase", migOther, "")
		return
	}
	// Alembic: <alembic|migrations>/versions/*.py
	if f.ext == ".py" && f.d.last == "versions" && (f.d.parent == "alembic" || f.d.parent == "migrations" || strings.Contains(f.dir, "alembic")) && b != "__init__.py" {
		set("alembic", migContent, f.stem)
		return
	}
	// Django: <app>/migrations/NNNN_name.py
	if f.ext == ".py" && f.d.last == "migrations" && reDjango.MatchString(b) {
		set("django", migContent, f.stem)
		return
	}
	// Rails: db/migrate/*.rb
	if f.ext == ".rb" && strings.HasSuffix("/"+f.dir, "/db/migrate") {
		set("rails", migContent, reLeadDigits.FindString(b))
		return
	}
	// Ecto: priv/repo/migrations/*.exs
	if f.ext == ".exs" && strings.Contains(f.dir, "priv/repo/migrations") {
		set("ecto", migContent, reLeadDigits.FindString(b))
		return
	}
	// Laravel / Doctrine
	if f.ext == ".php" && (strings.HasSuffix(f.dir, "database/migrations") || f.has(fMigrations) && strings.HasPrefix(b, "version")) {
		tool := "laravel"
		if strings.HasPrefix(b, "version") {
			tool = "doctrine"
		}
		set(tool, migContent, f.stem)
		return
	}
	// Entity Framework Core
	if f.ext == ".cs" && f.d.last == "migrations" {
		if reEF.MatchString(b) && !strings.HasSuffix(b, ".designer.cs") {
			set("ef-core", migContent, f.stem[:14])
		} else {
			set("ef-core", migOther, "")
		}
		return
	}
	if !f.has(fMigrations) || len(b) == 0 || b[0] < '0' || b[0] > '9' {
		return
	}
	v := reLeadDigits.FindString(b)
	switch {
	case f.ext == ".sql" && mk.atlasDirs[f.dir]:
		set("atlas", migUp, v)
	case f.ext == ".sql":
		set("", migContent, v) // goose, dbmate, sql-migrate or plain
	case jsExt(f.ext):
		set("", migContent, f.stem) // knex, sequelize, typeorm, node-pg-migrate…
	case f.ext == ".go":
		set("", migContent, v) // goose Go migrations
	}
}

// migAcc accumulates migration facts.
type migAcc struct {
	tools   map[string]bool
	dirs    map[string]bool
	files   int
	up      map[string]bool
	down    map[string]bool
	reverse bool
	jsTool  string // migration library named in package.json
	// onRelease: Procfiles whose release phase migrates (release.go)
	onRelease []string
}

func (m *migAcc) init() {
	if m.dirs == nil {
		m.dirs, m.up, m.down, m.tools = map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
}

func (m *migAcc) addPath(c migCand) {
	m.init()
	if c.tool != "" {
		m.tools[c.tool] = true
	}
	if c.kind == migNone {
		return
	}
	m.files++
	m.dirs[c.dir] = true
	key := c.tool + "\x00" + c.dir + "\x00" + c.version
	switch c.kind {
	case migUp:
		m.up[key] = true
	case migDown:
		m.down[key] = true
	case migOther:
		if c.tool == "liquibase" {
			m.reverse = true
		}
	}
}

// addContent records a migration whose contents were read: tool names the
// tool the contents revealed (or ""), hasDown whether it can be reverted.
func (m *migAcc) addContent(c migCand, tool string, hasDown, byDesign bool) {
	m.init()
	if tool != "" {
		c.tool = tool
		m.tools[tool] = true
	}
	key := c.tool + "\x00" + c.dir + "\x00" + c.version
	m.up[key] = true
	if hasDown {
		m.down[key] = true
	}
	if byDesign {
		m.reverse = true
	}
}

func (m *migAcc) facts() model.MigrationFacts {
	var f model.MigrationFacts
	f.Files = m.files
	f.Reversal = m.reverse
	f.OnRelease = m.onRelease
	for t := range m.tools {
		f.Tools = append(f.Tools, t)
	}
	slices.Sort(f.Tools)
	for d := range m.dirs {
		if d == "" {
			d = "."
		}
		f.Dirs = append(f.Dirs, d)
	}
	slices.Sort(f.Dirs)
	if len(f.Dirs) > model.MaxCategoryPaths {
		f.Dirs = f.Dirs[:model.MaxCategoryPaths]
	}
	for k := range m.up {
		if m.down[k] {
			f.UpDown++
		} else {
			f.UpOnly++
		}
	}
	return f
}
