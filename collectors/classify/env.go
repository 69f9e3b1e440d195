package classify

import "strings"

// envWord reports whether w (lower case) is a word teams use to name an
// environment. File names such as values-<x>.yaml or .env.<x> count as
// per-environment config only when <x> holds such a word.
func envWord(w string) bool {
	switch w {
	case "prod", "production", "prd", "live",
		"staging", "stage", "stg", "preprod", "pre", "preproduction",
		"uat", "qa", "qas", "test", "tst", "testing", "sit", "acceptance", "acc",
		"dev", "develop", "development", "sandbox", "demo", "canary",
		"review", "preview", "perf", "local", "int", "integration", "dr", "nonprod":
		return true
	}
	return false
}

// hasEnvWord reports whether s, split at '-', '_' and '.', holds an
// environment word ("prod", "eu-prod", "staging_2").
func hasEnvWord(s string) bool {
	for s != "" {
		i := strings.IndexAny(s, "-_.")
		w := s
		if i >= 0 {
			w, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if envWord(w) {
			return true
		}
	}
	return false
}

// envContainer reports whether a directory named seg holds one
// sub-directory (or file) per environment.
func envContainer(seg string) bool {
	switch seg {
	case "overlays", "environments", "envs", "env", "environment", "inventories":
		return true
	}
	return false
}

// genericEnvName reports names found inside environment containers that
// are not environments (shared bases, templates, docs).
func genericEnvName(s string) bool {
	switch s {
	case "", "base", "bases", "_base", "common", "shared", "components", "component",
		"default", "defaults", "modules", "module", "templates", "template", "all",
		"global", "lib", "scripts", "files", "vars", "readme", "index", "main",
		"variables", "outputs", "providers", "versions", "locals", "backend",
		"kustomization", "values", "example", "examples", "sample", "samples",
		"docs", "doc", "group_vars", "host_vars", "bin", "lib64", "include", "share", "src":
		return true
	}
	return false
}

// configExt reports extensions of files that hold configuration.
func configExt(ext string) bool {
	switch ext {
	case ".yml", ".yaml", ".json", ".json5", ".toml", ".ini", ".env", ".properties",
		".tfvars", ".hcl", ".rb", ".py", ".js", ".ts", ".cjs", ".mjs", ".exs", ".conf", ".cfg", ".xml", ".sh":
		return true
	}
	return false
}

// cleanEnvName returns a usable environment name from CI configuration, or
// "" when the name is only a variable or an expression.
func cleanEnvName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || strings.Contains(s, "${{") || strings.HasPrefix(s, "$") || strings.HasPrefix(s, "%") {
		return ""
	}
	if len(s) > 200 {
		return ""
	}
	return s
}

// fileEnv returns the environment a file name declares (values-prod.yaml →
// "prod") and whether the file is per-environment config at all.
func fileEnv(f *fileInfo) (env string, perEnv bool) {
	stem := f.stem
	switch {
	case strings.HasPrefix(f.base, ".env"):
		rest := strings.TrimPrefix(f.base, ".env")
		switch rest {
		case "", ".example", ".sample", ".template", ".dist", ".defaults", ".default", ".tmpl", ".local.example":
			return "", true
		}
		if strings.HasPrefix(rest, ".") {
			x := strings.TrimSuffix(rest[1:], ".example")
			if hasEnvWord(x) {
				return x, true
			}
			return "", true
		}
		return "", false
	case f.ext == ".env":
		switch stem {
		case "example", "sample", "template", "default", "defaults":
			return "", true
		}
		if hasEnvWord(stem) {
			return stem, true
		}
		return "", false
	case f.ext == ".tfvars":
		x := strings.TrimSuffix(stem, ".auto")
		if hasEnvWord(x) {
			return x, true
		}
		return "", false
	}
	if f.ext == ".yaml" || f.ext == ".yml" || f.ext == ".json" || f.ext == ".properties" || f.ext == ".toml" {
		for _, pre := range [...]string{"values-", "values.", "values_", "application-", "appsettings.", "docker-compose.", "docker-compose-", "compose.", "compose-", "config.", "config-", "settings.", "settings-", "secrets."} {
			if x, ok := strings.CutPrefix(stem, pre); ok {
				if hasEnvWord(x) {
					return x, true
				}
				return "", false
			}
		}
		if x, ok := strings.CutPrefix(stem, "pulumi."); ok && (f.ext == ".yaml" || f.ext == ".yml") {
			if !genericEnvName(x) {
				return x, true
			}
		}
	}
	// config/<env>.ext, settings/<env>.py, config/environments/<env>.rb, conf/<env>.ini
	switch f.d.last {
	case "config", "configs", "conf", "settings", "environments", "envs", "env", "environment":
		if configExt(f.ext) && envWord(stem) {
			return stem, true
		}
	}
	return "", false
}
