package classify

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// A platform that deploys from a Procfile (Heroku, Dokku, Scalingo and the
// buildpack platforms modelled on them) runs the `release:` process once per
// deployment, before the new version takes traffic. A release process that
// migrates the database applies migrations with every deployment, even when
// the deployment itself is done outside the repository.

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

// A container that migrates as it starts (CMD or ENTRYPOINT running
// `prisma migrate deploy`, `rails db:prepare`, `manage.py migrate`, or a
// docker-entrypoint.sh that does) applies migrations with every deployment
// of its image too.

// dockerStart returns the root Dockerfile's start command: its ENTRYPOINT
// and CMD (the last of each), exec or shell form, as one command line.
func dockerStart(data []byte) string {
	var entry, cmd string
	for _, line := range strings.Split(string(data), "\n") {
		kw, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch strings.ToUpper(kw) {
		case "ENTRYPOINT":
			entry = execForm(rest)
		case "CMD":
			cmd = execForm(rest)
		}
	}
	return strings.TrimSpace(entry + " " + cmd)
}

// execForm turns ["pnpm", "start-docker"] into `pnpm start-docker`; a
// shell form is returned as it is.
func execForm(s string) string {
	s = strings.TrimSpace(s)
	var args []string
	if strings.HasPrefix(s, "[") && json.Unmarshal([]byte(s), &args) == nil {
		return strings.Join(args, " ")
	}
	return s
}

// resolveRelease records the files whose release phase or start command
// migrates, following the script, make target or npm script it runs and the
// script files those run, two levels deep, as CI steps are followed. They
// are read only when the tree has migrations to apply: the Procfiles, and
// the root Dockerfile.
func (cl *classifier) resolveRelease(ctx context.Context) {
	if cl.mig.files == 0 || cl.r == nil {
		return
	}
	for _, p := range cl.paths {
		base := p[strings.LastIndexByte(p, '/')+1:] // compared without allocating
		var cmd string
		switch {
		case strings.EqualFold(base, "procfile"):
			cmd = procfileRelease(cl.fetchCI(ctx, p))
		case (strings.EqualFold(base, "dockerfile") || strings.EqualFold(base, "containerfile")) && !strings.Contains(p, "/"):
			cmd = dockerStart(cl.fetchCI(ctx, p))
		default:
			continue
		}
		if cmd == "" {
			continue
		}
		lt := strings.ToLower(cl.followCommands(ctx, cmd, 2))
		// a migration tool's command, or the application's own subcommand
		// (`app migrate`, `python -m app db upgrade head`)
		if (textKinds(lt, nil)|runnerKinds(lt))&kMigration != 0 || saysMigrate(lt) {
			cl.mig.onRelease = append(cl.mig.onRelease, p)
		}
	}
	slices.Sort(cl.mig.onRelease)
}

// followCommands returns cmd with what its make, npm and script steps run,
// depth levels deep.
func (cl *classifier) followCommands(ctx context.Context, cmd string, depth int) string {
	text := cmd
	if depth == 0 {
		return text
	}
	for _, line := range strings.FieldsFunc(cmd, func(c rune) bool { return c == ';' || c == '&' || c == '|' || c == '\n' }) {
		in, ok := parseIndirect(strings.Fields(line))
		if !ok {
			continue
		}
		data := cl.fetchCI(ctx, in.file)
		var sub string
		switch {
		case data == nil:
		case in.target == "":
			sub = string(data)
		case strings.HasSuffix(in.file, "Makefile"):
			sub = makeRecipe(string(data), in.target, 3)
		default:
			sub = npmScript(data, in.target, 3)
		}
		if sub != "" {
			text += "\n" + cl.followCommands(ctx, sub, depth-1)
		}
	}
	return text
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
