package measure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// MinVersionTags is the smallest sample of tags the version-number rule is
// judged on: the window's tags, topped up with the newest older tags that
// still stood at the window's end. A naming rule is a convention of the
// repository, not an event of the window, so tags made before it show it
// as well.
const MinVersionTags = 10

// VersionScheme names the scheme of a version tag: its prefix and the
// separator of its numeric parts, e.g. "curl-N_N" for curl-8_21_0 or "vN.N"
// for v1.2.3 and v1.2. ok is false when the tag holds no numeric version of
// at least two parts.
//
// A version tag is a prefix (empty, "v", "curl-", "plugin-legacy@"…), two
// or more numbers joined by one separator (".", "_" or "-"), and an
// optional pre-release or build suffix ("-rc.1", "a1", "+build.5"). Tags
// of one scheme follow one rule whatever their number of parts and suffix.
func VersionScheme(tag string) (scheme string, ok bool) {
	for i := 0; i < len(tag); i++ {
		if !isDigit(tag[i]) || i > 0 && isDigit(tag[i-1]) {
			continue
		}
		if sep, ok := versionAt(tag, i); ok {
			return tag[:i] + "N" + string(sep) + "N", true
		}
	}
	return "", false
}

// versionAt reads a version starting at tag[i] and returns its separator.
func versionAt(tag string, i int) (byte, bool) {
	j := digits(tag, i)
	if j >= len(tag) {
		return 0, false
	}
	sep := tag[j]
	if sep != '.' && sep != '_' && sep != '-' {
		return 0, false
	}
	parts := 1
	for j < len(tag) && tag[j] == sep && j+1 < len(tag) && isDigit(tag[j+1]) {
		j = digits(tag, j+1)
		parts++
	}
	if parts < 2 || !versionSuffix(tag[j:]) {
		return 0, false
	}
	return sep, true
}

// versionSuffix accepts "", "-rc.1", "+build.5", ".post1", "a1", "b", "rc2".
func versionSuffix(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == '-' || s[0] == '+' || s[0] == '.' {
		s = s[1:]
	} else if !isLetter(s[0]) {
		return false
	}
	if s == "" {
		return false
	}
	for k := 0; k < len(s); k++ {
		c := s[k]
		if !isDigit(c) && !isLetter(c) && c != '.' && c != '-' && c != '+' && c != '_' {
			return false
		}
	}
	return true
}

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// versionRule measures git.tags_semver_ratio: the share of the sampled
// tags that follow one of the repository's version schemes — a scheme that
// at least two of the tags standing at the window's end follow (one per
// package in a monorepo: v8.2.2 beside plugin-legacy@8.2.3). The note names
// the schemes.
func versionRule(ev *model.Evidence, ms model.Measurements) {
	var standing []model.Tag
	for _, t := range ev.Tags {
		if !t.Committed.After(ev.Window.Until) {
			standing = append(standing, t)
		}
	}
	if len(standing) == 0 {
		if len(ev.Tags) > 0 {
			ms.SetUnknown(model.GitTagsSemverRatio, "no tags stood at the window's end")
		} else {
			ms.SetUnknown(model.GitTagsSemverRatio, "no tags")
		}
		return
	}
	sort.SliceStable(standing, func(a, b int) bool { return standing[a].Committed.After(standing[b].Committed) })
	count := map[string]int{}
	example := map[string]string{}
	keyOf := make([]string, len(standing))
	for i, t := range standing {
		s, ok := VersionScheme(t.Name)
		if !ok {
			continue
		}
		k := s
		keyOf[i] = k
		count[k]++
		if example[k] == "" {
			example[k] = t.Name
		}
	}
	n, fit := 0, 0
	used := map[string]int{}
	for i, t := range standing {
		if n >= MinVersionTags && !ev.Window.Contains(t.Committed) {
			break
		}
		n++
		if k := keyOf[i]; k != "" && count[k] >= 2 {
			fit++
			used[k]++
		}
	}
	keys := make([]string, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		return used[keys[a]] > used[keys[b]] || used[keys[a]] == used[keys[b]] && keys[a] < keys[b]
	})
	var names []string
	for _, k := range keys {
		names = append(names, fmt.Sprintf("%s (e.g. %s, %d)", k, example[k], used[k]))
	}
	r, _ := ratio(fit, n)
	m := model.Measurement{ID: string(model.GitTagsSemverRatio), Value: r, Known: true, Unit: model.GitTagsSemverRatio.Unit(), N: n}
	if len(names) > 0 {
		m.Note = "version schemes: " + strings.Join(names, ", ")
	} else {
		m.Note = "no tag follows a recurring version scheme"
	}
	ms[string(model.GitTagsSemverRatio)] = m
}
