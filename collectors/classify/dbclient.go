package classify

import (
	"bytes"
	"strings"
)

// Whether a product has a database at all decides how "no database change
// scripts in the tree" reads: not applicable for a product without one,
// unknown for one whose changes may live in code or elsewhere. The database
// clients its manifests depend on tell. They are recorded as tools named
// "db:<client>".

// dbNeedles are, per manifest, dependency strings of database clients and
// ORMs (lower case, matched as substrings of the manifest).
var dbNeedles = map[string][]string{
	"go.mod": {"github.com/jackc/pgx", "github.com/lib/pq", "github.com/go-sql-driver/mysql", "gorm.io/gorm",
		"github.com/jmoiron/sqlx", "modernc.org/sqlite", "github.com/mattn/go-sqlite3", "go.mongodb.org/mongo-driver",
		"entgo.io/ent", "github.com/uptrace/bun", "cloud.google.com/go/spanner", "github.com/gocql/gocql"},
	"python": {"psycopg", "sqlalchemy", "django", "pymysql", "mysqlclient", "asyncpg", "peewee", "pymongo",
		"sqlmodel", "tortoise-orm", "aiosqlite"},
	"gemfile": {"'pg'", "\"pg\"", "'mysql2'", "\"mysql2\"", "'sqlite3'", "\"sqlite3\"", "activerecord", "'rails'",
		"\"rails\"", "mongoid", "sequel"},
	"cargo.toml": {"diesel", "sqlx", "tokio-postgres", "sea-orm", "rusqlite", "mongodb", "\npostgres ="},
	"jvm": {"jdbc", "hibernate", "spring-boot-starter-data-jpa", "org.postgresql", "mysql-connector", "mongodb-driver",
		"org.jetbrains.exposed", "jooq", "mybatis"},
	"composer.json": {"doctrine/orm", "doctrine/dbal", "laravel/framework", "illuminate/database"},
}

// npmDBClients are the npm packages of database clients and ORMs.
var npmDBClients = map[string]bool{"pg": true, "mysql": true, "mysql2": true, "prisma": true, "@prisma/client": true,
	"typeorm": true, "sequelize": true, "knex": true, "mongoose": true, "mongodb": true, "better-sqlite3": true,
	"sqlite3": true, "drizzle-orm": true, "kysely": true, "@mikro-orm/core": true, "pg-promise": true}

// dbClients records the database clients a manifest (base name, lower
// case; not package.json) depends on.
func dbClients(base string, lower []byte, tool func(string)) {
	key := base
	switch {
	case base == "pom.xml" || strings.HasPrefix(base, "build.gradle"):
		key = "jvm"
	case strings.HasPrefix(base, "requirements") || base == "pyproject.toml" || base == "setup.cfg" || base == "pipfile":
		key = "python"
	}
	for _, n := range dbNeedles[key] {
		if bytes.Contains(lower, []byte(n)) {
			tool("db:" + strings.Trim(n[strings.LastIndexByte(n, '/')+1:], "'\"\n ="))
		}
	}
}
