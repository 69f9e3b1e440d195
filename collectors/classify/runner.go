package classify

import "strings"

// runnerKinds classifies the targets given to task runners and build tools
// (make test, npm run lint, ./gradlew build, mvn verify…) in a lower-cased
// script.
func runnerKinds(script string) kindSet {
	var k kindSet
	for _, line := range strings.FieldsFunc(script, func(r rune) bool { return r == '\n' || r == ';' || r == '|' || r == '&' || r == '(' || r == ')' }) {
		k |= commandKinds(strings.Fields(line))
	}
	return k
}

func commandKinds(fields []string) kindSet {
	// skip sudo, env assignments, "exec", "time"
	for len(fields) > 0 && (fields[0] == "sudo" || fields[0] == "exec" || fields[0] == "time" || fields[0] == "env" || strings.Contains(fields[0], "=") && !strings.HasPrefix(fields[0], "-")) {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return 0
	}
	cmd := fields[0]
	if i := strings.LastIndexByte(cmd, '/'); i >= 0 {
		cmd = cmd[i+1:]
	}
	args := fields[1:]
	switch cmd {
	case "make", "gmake", "just", "task", "mage", "rake", "invoke", "inv", "earthly", "nx", "turbo":
		if len(args) == 0 || allFlags(args) {
			if cmd == "make" || cmd == "gmake" {
				return kBuild
			}
			return 0
		}
		var k kindSet
		for _, a := range targets(args, 4) {
			if (cmd == "make" || cmd == "gmake") && (a == "check" || a == "all") {
				if a == "check" {
					k |= kTest
				} else {
					k |= kBuild
				}
				continue
			}
			k |= wordsKinds(a)
		}
		return k
	case "bundle":
		if len(args) >= 2 && args[0] == "exec" {
			return commandKinds(args[1:])
		}
	case "npm", "yarn", "pnpm", "bun", "npx":
		t := targets(args, 3)
		if len(t) > 0 && (t[0] == "run" || t[0] == "run-script") {
			t = t[1:]
		}
		if len(t) == 0 {
			return 0
		}
		switch t[0] {
		case "ci", "install", "i", "add", "exec", "dlx", "x", "config", "cache", "set", "version":
			return 0
		case "t":
			return kTest
		case "publish":
			return kRelease
		}
		return wordsKinds(t[0])
	case "tox":
		for i, a := range args {
			if a == "-e" && i+1 < len(args) {
				if k := wordsKinds(args[i+1]); k != 0 {
					return k
				}
				return kTest
			}
		}
		return kTest
	case "nox":
		for i, a := range args {
			if a == "-s" && i+1 < len(args) {
				return wordsKinds(args[i+1])
			}
		}
		return kTest
	case "mvn", "mvnw", "mvnd":
		return mavenKinds(args)
	case "gradle", "gradlew", "gradlew.bat":
		return gradleKinds(args)
	case "sbt":
		var k kindSet
		for _, a := range targets(args, 4) {
			k |= wordsKinds(a)
		}
		return k
	case "cargo":
		if t := targets(args, 1); len(t) > 0 {
			switch t[0] {
			case "test", "nextest", "bench":
				return kTest
			case "build":
				return kBuild
			case "clippy", "fmt":
				return kLint
			case "audit", "deny":
				return kSecurity
			case "publish":
				return kRelease
			}
		}
	case "go":
		if t := targets(args, 1); len(t) > 0 {
			switch t[0] {
			case "test":
				return kTest
			case "build":
				return kBuild
			case "vet":
				return kLint
			}
		}
	}
	return 0
}

// targets returns up to n arguments that are not flags.
func targets(args []string, n int) []string {
	var out []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
			continue
		}
		out = append(out, strings.Trim(a, `"'`))
		if len(out) == n {
			break
		}
	}
	return out
}

func allFlags(args []string) bool {
	return len(targets(args, 1)) == 0
}

func mavenKinds(args []string) kindSet {
	var k kindSet
	skipTests := false
	for _, a := range args {
		if strings.Contains(a, "skiptests") || strings.Contains(a, "maven.test.skip") {
			skipTests = true
		}
	}
	for _, a := range targets(args, 8) {
		switch {
		case a == "compile":
			k |= kBuild
		case a == "test" || a == "integration-test":
			k |= kTest
		case a == "package" || a == "verify" || a == "install":
			k |= kBuild | kTest
		case a == "deploy":
			k |= kBuild | kTest | kPackage
		case strings.Contains(a, "sonar") || strings.Contains(a, "checkstyle") || strings.Contains(a, "spotbugs") || strings.Contains(a, "pmd") || strings.Contains(a, "spotless"):
			k |= kLint
		case strings.Contains(a, "dependency-check"):
			k |= kSecurity
		case strings.Contains(a, "flyway") || strings.Contains(a, "liquibase"):
			k |= kMigration
		case strings.Contains(a, "jib:build") || strings.Contains(a, "docker:push"):
			k |= kPackage
		case strings.Contains(a, "release:"):
			k |= kRelease
		}
	}
	if skipTests {
		k &^= kTest
	}
	return k
}

func gradleKinds(args []string) kindSet {
	var k kindSet
	skipTests, checkOnly := false, false
	for i, a := range args {
		if a == "-x" && i+1 < len(args) && strings.Contains(args[i+1], "test") {
			skipTests = true
		}
	}
	for _, a := range targets(args, 8) {
		a = strings.TrimPrefix(a, ":")
		if j := strings.LastIndexByte(a, ':'); j >= 0 {
			a = a[j+1:]
		}
		switch a {
		case "build":
			k |= kBuild | kTest
		case "check":
			// the verification lifecycle: tests, and the static checks the
			// build applies; with the tests left out (-x test) only those
			k |= kTest
			checkOnly = true
		case "spotlesscheck", "ktlintcheck", "detekt", "lint", "lintdebug", "lintrelease", "apicheck",
			"checkstylemain", "checkstyletest", "pmdmain", "pmdtest", "spotbugsmain", "spotbugstest", "animalsniffermain":
			k |= kLint
		case "assemble", "jar", "bootjar", "shadowjar", "installdist", "distzip", "bootbuildimage":
			k |= kBuild
		case "jib", "publish", "publishtomavenlocal":
			k |= kPackage
		default:
			k |= wordsKinds(a)
		}
	}
	if skipTests {
		k &^= kTest
		if checkOnly {
			k |= kLint
		}
	}
	return k
}

// runsJVMLifecycle reports whether a job's commands run a Maven lifecycle
// phase (validate … deploy) or Gradle's build or check: the lint plugins the
// build declares (Checkstyle, Spotless, PMD…) run with them.
func runsJVMLifecycle(runs []string) bool {
	for _, r := range runs {
		for _, line := range strings.FieldsFunc(strings.ToLower(r), func(c rune) bool { return c == '\n' || c == ';' || c == '&' || c == '|' }) {
			f := strings.Fields(line)
			for len(f) > 0 && (f[0] == "sudo" || f[0] == "env" || strings.Contains(f[0], "=") && !strings.HasPrefix(f[0], "-")) {
				f = f[1:]
			}
			if len(f) == 0 {
				continue
			}
			cmd := f[0][strings.LastIndexByte(f[0], '/')+1:]
			for _, a := range targets(f[1:], 8) {
				switch {
				case (cmd == "mvn" || cmd == "mvnw") && (a == "validate" || a == "verify" || a == "package" || a == "install" || a == "deploy"):
					return true
				case (cmd == "gradle" || cmd == "gradlew") && (a == "build" || a == "check"):
					return true
				}
			}
		}
	}
	return false
}
