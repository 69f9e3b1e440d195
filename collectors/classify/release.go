package classify

import (
	"context"
	"slices"
	"strings"
)

// A platform that deploys from a Procfile (Heroku, Dokku, Scalingo and the
// buildpack platforms modelled on them) runs the `release:` process once per
// deployment, before the new version takes traffic. A release process that
// migrates the database applies migrations with every deployment, even when
// the deployment itself is done outside the repository.
type release struct {
	file string // the Procfile
	cmd  string // its release command
}

// procfileRelease returns the command of a Procfile's `release:` process.
func procfileRelease(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		name, cmd, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && strings.TrimSpace(name) == "release" {
			return strings.TrimSpace(cmd)
		}
	}
	return ""
}

// resolveRelease records the Procfiles whose release phase migrates, reading
// the script a release command runs (`bin/release`, `make release`) one
// level deep, as CI steps are followed.
func (cl *classifier) resolveRelease(ctx context.Context) {
	for _, r := range cl.release {
		text := r.cmd
		for _, line := range strings.FieldsFunc(r.cmd, func(c rune) bool { return c == ';' || c == '&' || c == '|' }) {
			in, ok := parseIndirect(strings.Fields(line))
			if !ok {
				continue
			}
			data := cl.fetchCI(ctx, in.file)
			switch {
			case data == nil:
			case in.target == "":
				text += "\n" + string(data)
			case strings.HasSuffix(in.file, "Makefile"):
				text += "\n" + makeRecipe(string(data), in.target, 3)
			default:
				text += "\n" + npmScript(data, in.target, 3)
			}
		}
		lt := strings.ToLower(text)
		// a migration tool's command, or the application's own subcommand
		// (`app migrate`, `python -m app db upgrade head`)
		if (textKinds(lt, nil)|runnerKinds(lt))&kMigration != 0 || saysMigrate(lt) {
			cl.mig.onRelease = append(cl.mig.onRelease, r.file)
		}
	}
	slices.Sort(cl.mig.onRelease)
}

// rollbackCommands run migrations down: a CI job that runs one tests the
// rollback scripts (the seed's data-change rollback L3: "upgrade and
// rollback scripts, tested").
var rollbackCommands = [...]string{"migrate down", "migration redo", "migration revert", "alembic downgrade",
	"db downgrade", "db:rollback", "db:migrate:redo", "db:migrate:down", "goose down", "goose redo", "flyway undo",
	"dbmate rollback", "dbmate down", "migration:revert", "migrate:rollback", "migrate:reset", "migrate:refresh",
	"migrate:down", "sqlx migrate revert", "atlas migrate down", "ecto.rollback", "sql-migrate down",
	"node-pg-migrate down", "liquibase rollback", "rollback-count", "rollbacktodate"}

// runsRollback reports whether a lower-case command runs migrations down.
func runsRollback(lr string) bool {
	for _, c := range rollbackCommands {
		if strings.Contains(lr, c) {
			return true
		}
	}
	return false
}

// noteRollback records file when one of a job's commands runs migrations down.
func (c *ciAcc) noteRollback(file string, runs []string) {
	for _, r := range runs {
		if runsRollback(strings.ToLower(r)) {
			c.rollback.add(file)
			return
		}
	}
}
