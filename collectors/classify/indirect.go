package classify

import (
	"context"
	"encoding/json"
	"path"
	"regexp"
	"strings"
)

// A CI step often runs `make deploy`, `npm run release` or
// `./scripts/publish.sh`: the job does what the Makefile target, the
// package.json script or the script file runs. indirect records such a
// step; resolveIndirect reads the target from the tree and adds what it
// runs to the job's kinds (a deploy step running `make migrate`, whose
// target runs a migration tool, applies migrations).
type indirect struct {
	job    int
	file   string // Makefile, package.json or the script
	target string // the make target or npm script; "" for a script file
}

// maxIndirect caps the steps followed per tree.
const maxIndirect = 200

// noteIndirect records the make, npm and script steps of job i's commands.
func (c *ciAcc) noteIndirect(i int, runs []string) {
	c.noteRollback(c.jobs[i].File, runs)
	for _, r := range runs {
		for _, line := range strings.FieldsFunc(r, func(r rune) bool { return r == '\n' || r == ';' || r == '&' || r == '|' }) {
			if len(c.indirect) >= maxIndirect {
				return
			}
			if in, ok := parseIndirect(strings.Fields(line)); ok {
				in.job = i
				c.indirect = append(c.indirect, in)
			}
		}
	}
}

func parseIndirect(f []string) (indirect, bool) {
	for len(f) > 0 && (f[0] == "sudo" || f[0] == "exec" || f[0] == "env" || strings.Contains(f[0], "=") && !strings.HasPrefix(f[0], "-")) {
		f = f[1:]
	}
	if len(f) == 0 {
		return indirect{}, false
	}
	switch cmd := f[0]; {
	case cmd == "make" || cmd == "gmake":
		dir := "."
		for i := 1; i+1 < len(f); i++ {
			if f[i] == "-C" {
				dir = f[i+1]
			}
		}
		for i := 1; i < len(f); i++ {
			a := f[i]
			if f[i-1] == "-C" || f[i-1] == "-f" || strings.HasPrefix(a, "-") || strings.Contains(a, "=") || strings.Contains(a, "$") {
				continue
			}
			return indirect{file: path.Join(dir, "Makefile"), target: a}, true
		}
	case cmd == "npm" || cmd == "yarn" || cmd == "pnpm" || cmd == "bun":
		t := targets(f[1:], 2)
		if len(t) == 2 && (t[0] == "run" || t[0] == "run-script") {
			return indirect{file: "package.json", target: t[1]}, true
		}
		if len(t) >= 1 && cmd == "npm" {
			// npm's own script aliases: `npm test` runs scripts.test.
			switch t[0] {
			case "test", "t", "tst":
				return indirect{file: "package.json", target: "test"}, true
			case "start", "stop", "restart":
				return indirect{file: "package.json", target: t[0]}, true
			}
		}
		if len(t) >= 1 && cmd != "npm" && t[0] != "run" && t[0] != "install" && t[0] != "add" && t[0] != "exec" && t[0] != "dlx" {
			return indirect{file: "package.json", target: t[0]}, true // yarn release
		}
	case cmd == "bash" || cmd == "sh":
		if len(f) > 1 && !strings.HasPrefix(f[1], "-") {
			return indirect{file: path.Clean(f[1])}, true
		}
	case isToolWrapper(cmd):
		// ./gradlew, ./mvnw: the build tool's launcher, whose tasks
		// runnerKinds reads; its own text (shellcheck pragmas, "test -x")
		// says nothing of the job
	case cmd == "node" || cmd == "python" || cmd == "python3" || cmd == "ruby" || cmd == "bun" || cmd == "tsx" || cmd == "ts-node":
		// node scripts/check-db.js: the script file does what it runs
		if len(f) > 1 && !strings.HasPrefix(f[1], "-") && scriptFile(f[1]) {
			return indirect{file: path.Clean(f[1])}, true
		}
	case strings.HasPrefix(cmd, "./") || strings.HasPrefix(cmd, "scripts/") || strings.HasPrefix(cmd, "script/") || strings.HasPrefix(cmd, "hack/") ||
		strings.HasPrefix(cmd, "bin/"):
		return indirect{file: path.Clean(cmd)}, true
	}
	return indirect{}, false
}

// scriptFile reports a path to a script of the repository (scripts/x.js,
// tools/seed.py), not a module name (`python -m x`) or an inline program.
func scriptFile(p string) bool {
	switch path.Ext(p) {
	case ".js", ".mjs", ".cjs", ".ts", ".mts", ".py", ".rb":
		return !strings.ContainsAny(p, "$`'\"")
	}
	return false
}

// isToolWrapper reports whether cmd runs a build tool's wrapper script.
func isToolWrapper(cmd string) bool {
	switch path.Base(cmd) {
	case "gradlew", "gradlew.bat", "mvnw", "mvnw.cmd", "sbtx", "millw", "bazelisk":
		return true
	}
	return false
}

// resolveIndirect adds what the recorded steps run to their jobs' kinds.
func (cl *classifier) resolveIndirect(ctx context.Context) {
	c := cl.ci
	read := map[string][]byte{}
	for _, in := range c.indirect {
		data, ok := read[in.file]
		if !ok {
			data = cl.fetchCI(ctx, in.file)
			read[in.file] = data
		}
		if data == nil {
			continue
		}
		var text string
		switch {
		case path.Base(in.file) == "Makefile":
			text = makeRecipe(string(data), in.target, 3)
		case path.Base(in.file) == "package.json":
			text = npmScript(data, in.target, 3)
		default:
			text = string(data)
		}
		if text == "" {
			continue
		}
		if in.target != "" {
			// A target or script that runs a script file (`bash
			// scripts/test.sh`) does what that file runs: one level more.
			for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' || r == '&' || r == '|' }) {
				if sub, ok := parseIndirect(strings.Fields(line)); ok && sub.target == "" {
					b, seen := read[sub.file]
					if !seen {
						b = cl.fetchCI(ctx, sub.file)
						read[sub.file] = b
					}
					text += "\n" + string(b)
				}
			}
		}
		lt := strings.ToLower(text)
		if runsRollback(lt) {
			c.rollback.add(c.jobs[in.job].File)
		}
		k := textKinds(lt, c.tool) | runnerKinds(lt)
		if k&^c.jobKinds[in.job] != 0 {
			c.setKinds(in.job, c.jobKinds[in.job]|k)
		}
	}
}

var makeCallRE = regexp.MustCompile(`\$\(MAKE\)\s+([A-Za-z0-9_.\-/]+)|\bmake\s+([A-Za-z0-9_.\-/]+)`)

// makeRecipe returns the recipe of a Makefile target with those of its
// prerequisites and of the targets it makes, depth levels deep.
func makeRecipe(mk, target string, depth int) string {
	if depth == 0 {
		return ""
	}
	var b strings.Builder
	lines := strings.Split(mk, "\n")
	for i, l := range lines {
		head, deps, ok := strings.Cut(l, ":")
		if !ok || strings.HasPrefix(l, "\t") || strings.HasPrefix(deps, "=") || !containsWord(strings.Fields(head), target) {
			continue
		}
		if j := strings.IndexByte(deps, ';'); j >= 0 {
			b.WriteString(deps[j+1:] + "\n")
			deps = deps[:j]
		}
		for j := i + 1; j < len(lines) && strings.HasPrefix(lines[j], "\t"); j++ {
			b.WriteString(lines[j] + "\n")
		}
		for _, d := range strings.Fields(deps) {
			if d != target && !strings.ContainsAny(d, "$%/.") {
				b.WriteString(makeRecipe(mk, d, depth-1))
			}
		}
		break
	}
	out := b.String()
	for _, m := range makeCallRE.FindAllStringSubmatch(out, 8) {
		t := m[1] + m[2]
		if t != target {
			out += makeRecipe(mk, t, depth-1)
		}
	}
	return out
}

// npmScript returns a package.json script with the scripts it runs
// (npm run x, pre/post hooks), depth levels deep.
func npmScript(data []byte, name string, depth int) string {
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if json.Unmarshal(data, &pkg) != nil {
		return ""
	}
	var walk func(n string, d int) string
	walk = func(n string, d int) string {
		s, ok := pkg.Scripts[n]
		if !ok || d == 0 {
			return ""
		}
		out := pkg.Scripts["pre"+n] + "\n" + s + "\n" + pkg.Scripts["post"+n] + "\n"
		for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' || r == ';' || r == '|' }) {
			f := strings.Fields(line)
			switch {
			case len(f) >= 3 && (f[0] == "npm" || f[0] == "pnpm" || f[0] == "yarn") && f[1] == "run" && f[2] != n:
				out += walk(f[2], d-1)
			case len(f) >= 2 && (f[0] == "pnpm" || f[0] == "yarn") && f[1] != n && pkg.Scripts[f[1]] != "":
				out += walk(f[1], d-1) // pnpm build: the script's shorthand
			case len(f) >= 2 && (f[0] == "npm-run-all" || f[0] == "run-s" || f[0] == "run-p"):
				for _, a := range f[1:] {
					if !strings.HasPrefix(a, "-") && a != n {
						out += walk(a, d-1)
					}
				}
			}
		}
		return out
	}
	return walk(name, depth)
}

func containsWord(l []string, w string) bool {
	for _, x := range l {
		if x == w {
			return true
		}
	}
	return false
}
