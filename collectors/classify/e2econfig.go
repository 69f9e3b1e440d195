package classify

import (
	"bytes"
	"encoding/json"
	"path"
	"regexp"
	"strings"
)

// An end-to-end test runner's configuration says which test files it runs:
// Playwright's testDir/testMatch, and the include/testMatch/testRegex of a
// Vitest or Jest configuration named for end-to-end tests
// (vitest.config.e2e.ts, jest-e2e.json). Test files it selects are
// end-to-end tests wherever they live (vite's playground/*/__tests__/*.spec.ts
// are not told apart from unit tests by their paths). Only explicit
// selections count: a runner's defaults would claim every test file.

// e2eRunnerConfig reports configuration files of an end-to-end test runner
// whose test selection is read (base is lower case).
func e2eRunnerConfig(base string) bool {
	if strings.HasPrefix(base, "playwright.config.") {
		return true
	}
	if !strings.HasPrefix(base, "vitest") && !strings.HasPrefix(base, "jest") {
		return false
	}
	ext := path.Ext(base)
	if !jsExt(ext) && ext != ".json" {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.TrimSuffix(base, ext), func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		if w == "e2e" || w == "end2end" {
			return true
		}
	}
	return false
}

// e2eSelect is what one end-to-end runner configuration selects.
type e2eSelect struct {
	include []*regexp.Regexp
	exclude []*regexp.Regexp
}

func (s *e2eSelect) matches(p string) bool {
	hit := false
	for _, re := range s.include {
		if re.MatchString(p) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	for _, re := range s.exclude {
		if re.MatchString(p) {
			return false
		}
	}
	return true
}

// held is a path whose categories wait for the end-to-end runner configs.
type held struct {
	p    string
	cats catSet
}

// e2eTest moves a unit test an end-to-end runner configuration selects to
// the end-to-end layer.
func (cl *classifier) e2eTest(p string, cats catSet) catSet {
	for _, sel := range cl.e2e {
		if sel.matches(p) {
			cats &^= 1 << cTestUnit
			cats.add(cTestE2E)
			return cats
		}
	}
	return cats
}

// maxE2ESelect caps the patterns kept per configuration.
const maxE2ESelect = 32

// e2eConfig reads the test selection of the runner configuration at p.
func e2eConfig(p string, data []byte) *e2eSelect {
	dir, base := splitPath(p)
	base = lowerASCII(base)
	text := string(data)
	if strings.HasPrefix(base, "vitest") {
		// Vitest's options live under test: { … }
		if i := jsKey(text, "test", 0); i >= 0 {
			if v, ok := jsBlock(text, i); ok {
				text = v
			}
		}
	}
	text = blankKey(text, "coverage") // coverage include lists sources, not tests
	s := &e2eSelect{}
	add := func(list *[]*regexp.Regexp, re *regexp.Regexp) {
		if re != nil && len(*list) < maxE2ESelect {
			*list = append(*list, re)
		}
	}
	testDir := ""
	if i := jsKey(text, "testDir", 0); i >= 0 {
		if l := jsStrings(text, i); len(l) > 0 {
			testDir = cleanRel(dir, l[0])
		}
	}
	for _, k := range [...]string{"include", "testMatch"} {
		for i := jsKey(text, k, 0); i >= 0; i = jsKey(text, k, i) {
			for _, g := range jsStrings(text, i) {
				if strings.HasPrefix(g, "!") || extglob(g) {
					continue
				}
				root := dir
				if k == "testMatch" && testDir != "" && !strings.HasPrefix(g, "**") {
					root = testDir
				}
				g = strings.TrimPrefix(g, "<rootDir>/")
				add(&s.include, globRegexp(cleanRel(root, g)))
			}
		}
	}
	for i := jsKey(text, "testRegex", 0); i >= 0; i = jsKey(text, "testRegex", i) {
		for _, r := range jsStrings(text, i) {
			if re, err := regexp.Compile(r); err == nil && len(r) <= 512 {
				add(&s.include, re)
			}
		}
	}
	if testDir != "" && len(s.include) == 0 {
		add(&s.include, globRegexp(testDir+"/**"))
	}
	for _, k := range [...]string{"exclude", "testIgnore", "testPathIgnorePatterns"} {
		for i := jsKey(text, k, 0); i >= 0; i = jsKey(text, k, i) {
			for _, g := range jsStrings(text, i) {
				if !extglob(g) && !strings.HasPrefix(g, "!") {
					add(&s.exclude, globRegexp(cleanRel(dir, strings.TrimPrefix(g, "<rootDir>/"))))
				}
			}
		}
	}
	if len(s.include) == 0 {
		return nil
	}
	return s
}

// cleanRel joins a pattern relative to a configuration's directory.
func cleanRel(dir, p string) string {
	p = strings.TrimPrefix(p, "./")
	if dir == "" {
		return strings.TrimSuffix(p, "/")
	}
	return strings.TrimSuffix(dir+"/"+p, "/")
}

// extglob reports patterns using extended globs (?(…), +(…), @(…)), which
// globRegexp does not read.
func extglob(g string) bool {
	for _, x := range [...]string{"?(", "+(", "@(", "!(", "*("} {
		if strings.Contains(g, x) {
			return true
		}
	}
	return false
}

// jsKey returns the index just after `key:` (the key bare or quoted, as a
// whole word) at or after from, or -1.
func jsKey(s, key string, from int) int {
	for from < len(s) {
		i := strings.Index(s[from:], key)
		if i < 0 {
			return -1
		}
		i += from
		j := i + len(key)
		from = j
		if i > 0 && isIdent(s[i-1]) {
			continue
		}
		if j < len(s) && (s[j] == '"' || s[j] == '\'') {
			j++
		}
		if j < len(s) && isIdent(s[j]) {
			continue
		}
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j < len(s) && s[j] == ':' {
			return j + 1
		}
	}
	return -1
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// skipSpace moves past white space.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// jsString reads the string literal starting at s[i] (a quote), returning
// its text and the index after it.
func jsString(s string, i int) (string, int) {
	q := s[i]
	var b strings.Builder
	for i++; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == q:
			return b.String(), i + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), i
}

// jsStrings returns the string literals of the value at s[i:]: one string,
// or every string inside a bracketed array (at any depth).
func jsStrings(s string, i int) []string {
	i = skipSpace(s, i)
	if i >= len(s) {
		return nil
	}
	switch s[i] {
	case '"', '\'', '`':
		v, _ := jsString(s, i)
		return []string{v}
	case '[':
	default:
		return nil
	}
	var out []string
	depth := 0
	for ; i < len(s) && len(out) < maxE2ESelect; i++ {
		switch c := s[i]; c {
		case '"', '\'', '`':
			v, j := jsString(s, i)
			out = append(out, v)
			i = j - 1
		case '[', '(', '{':
			depth++
		case ']', ')', '}':
			depth--
			if depth == 0 {
				return out
			}
		}
	}
	return out
}

// jsBlock returns the braced object value at s[i:], strings respected.
func jsBlock(s string, i int) (string, bool) {
	i = skipSpace(s, i)
	if i >= len(s) || s[i] != '{' {
		return "", false
	}
	start, depth := i, 0
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\'', '`':
			_, j := jsString(s, i)
			i = j - 1
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[start : i+1], true
			}
		}
	}
	return s[start:], true
}

// blankKey removes the object values of key from s.
func blankKey(s, key string) string {
	for from := 0; ; {
		i := jsKey(s, key, from)
		if i < 0 {
			return s
		}
		v, ok := jsBlock(s, i)
		if !ok {
			from = i
			continue
		}
		j := strings.Index(s[i:], v) + i
		s = s[:j] + s[j+len(v):]
		from = j
	}
}

// playwrightFilters reads the package.json scripts that run `playwright test
// FILTER…`: Playwright runs the test files whose path matches a filter, so
// those are end-to-end tests (mdn/yari: "test:headless": "playwright test
// headless" runs testing/tests/headless.*.spec.ts). A script without
// filters runs the configuration's selection, read from the config itself.
func playwrightFilters(pkgPath string, data []byte) *e2eSelect {
	if !bytes.Contains(data, []byte("playwright test")) {
		return nil // the cheap test first: most manifests run no Playwright
	}
	var p struct {
		Scripts map[string]any `json:"scripts"`
	}
	if json.Unmarshal(data, &p) != nil {
		return nil
	}
	dir, _ := splitPath(pkgPath)
	var sel e2eSelect
	for _, v := range p.Scripts {
		cmd, _ := v.(string)
		for _, line := range strings.FieldsFunc(cmd, func(r rune) bool { return r == '&' || r == ';' || r == '|' }) {
			f := strings.Fields(line)
			for i := 0; i+1 < len(f); i++ {
				if f[i] != "playwright" || f[i+1] != "test" {
					continue
				}
				for j := i + 2; j < len(f); j++ {
					a := f[j]
					if strings.HasPrefix(a, "-") {
						if !strings.Contains(a, "=") && j+1 < len(f) && playwrightValueFlag(a) {
							j++ // the flag's value
						}
						continue
					}
					prefix := ""
					if dir != "" {
						prefix = regexp.QuoteMeta(dir + "/")
					}
					// a test file by Playwright's default testMatch
					if re, err := regexp.Compile("^" + prefix + ".*" + regexp.QuoteMeta(strings.Trim(a, `"'`)) + `.*\.(spec|test)\.[cm]?[jt]sx?$`); err == nil {
						sel.include = append(sel.include, re)
					}
				}
			}
		}
	}
	if len(sel.include) == 0 {
		return nil
	}
	return &sel
}

// playwrightValueFlag reports the `playwright test` flags that take a value.
func playwrightValueFlag(f string) bool {
	switch f {
	case "-c", "--config", "--project", "-g", "--grep", "--grep-invert", "--reporter", "-j", "--workers",
		"--retries", "--repeat-each", "--timeout", "--shard", "--max-failures", "--output", "--trace":
		return true
	}
	return false
}
