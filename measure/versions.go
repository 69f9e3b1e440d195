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

// MinSequenceTags is the fewest tags standing at the window's end that must
// follow a sequence scheme (one prefix and a single increasing number,
// v1662 or build-4567) before it counts as the repository's version rule.
// A version of two or more numbers (v1.2.3) names a rule by itself, and two
// tags of one such scheme are enough; one number is also what one-off tags
// carry (backup-2, test1), so a sequence needs more tags, counting up.
const MinSequenceTags = 5

// MinSequenceOrder is the share of a sequence's tags, taken in the order
// they were made, whose number is greater than the number of the tag made
// just before: release numbers count up with time, though tags made
// seconds apart by parallel pipelines may land out of order.
const MinSequenceOrder = 0.9

// SequenceNumber reads a sequence tag: a prefix that does not end in a
// digit ("v", "r", "release-", "build-", or none) and one number of at
// most 6 digits without a leading zero, at the end of the tag (v1662,
// release-123, r42). ok is false for a version of two or more numbers
// (VersionScheme), a tag without a final number, and a longer number,
// rather a date or a time stamp (20240105, 1704412800).
func SequenceNumber(tag string) (prefix string, n int, ok bool) {
	i := len(tag)
	for i > 0 && isDigit(tag[i-1]) {
		i--
	}
	num := tag[i:]
	if num == "" || len(num) > 6 || len(num) > 1 && num[0] == '0' {
		return "", 0, false
	}
	if _, ok := VersionScheme(tag); ok {
		return "", 0, false
	}
	for k := 0; k < len(num); k++ {
		n = n*10 + int(num[k]-'0')
	}
	return tag[:i], n, true
}

// schemeKey names a scheme; a sequence's prefix may spell a version
// scheme (tag "vN.5"), so seq keeps the two apart.
type schemeKey struct {
	name string // "vN.N", "curl-N_N", "vN"
	seq  bool   // one increasing number (SequenceNumber)
}

// tagScheme is a scheme that tags of the repository follow.
type tagScheme struct {
	schemeKey
	tags    []model.Tag
	numbers []int // of a sequence, one per tag
}

// recurring says whether the scheme is a rule of the repository: at least
// two tags of a version scheme; at least MinSequenceTags of a sequence,
// whose numbers count up with the time the tags were made.
func (s *tagScheme) recurring() bool {
	if !s.seq {
		return len(s.tags) >= 2
	}
	if len(s.tags) < MinSequenceTags {
		return false
	}
	idx := make([]int, len(s.tags))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		ta, tb := s.tags[idx[a]].When(), s.tags[idx[b]].When()
		if !ta.Equal(tb) {
			return ta.Before(tb)
		}
		return s.numbers[idx[a]] < s.numbers[idx[b]]
	})
	up := 0
	for i := 1; i < len(idx); i++ {
		if s.numbers[idx[i]] > s.numbers[idx[i-1]] {
			up++
		}
	}
	return float64(up) >= MinSequenceOrder*float64(len(idx)-1)
}

// versionRule measures git.tags_semver_ratio: the share of the sampled
// tags that follow one of the repository's version schemes — a scheme of
// two or more numbers that at least two of the tags standing at the
// window's end follow (one per package in a monorepo: v8.2.2 beside
// plugin-legacy@8.2.3), or a sequence (v1662, build-4567) that at least
// MinSequenceTags of them follow, its numbers increasing with tag time.
// The note names the schemes.
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
	schemes := map[schemeKey]*tagScheme{}
	keyOf := make([]schemeKey, len(standing))
	for i, t := range standing {
		var k schemeKey
		n := 0
		if s, ok := VersionScheme(t.Name); ok {
			k.name = s
		} else if p, num, ok := SequenceNumber(t.Name); ok {
			k, n = schemeKey{p + "N", true}, num
		} else {
			continue
		}
		keyOf[i] = k
		s := schemes[k]
		if s == nil {
			s = &tagScheme{schemeKey: k}
			schemes[k] = s
		}
		s.tags = append(s.tags, t)
		s.numbers = append(s.numbers, n)
	}
	holds := map[schemeKey]bool{}
	for k, s := range schemes {
		holds[k] = s.recurring()
	}
	n, fit := 0, 0
	used := map[schemeKey]int{}
	for i, t := range standing {
		if n >= MinVersionTags && !ev.Window.Contains(t.Committed) {
			break
		}
		n++
		if k := keyOf[i]; holds[k] {
			fit++
			used[k]++
		}
	}
	keys := make([]schemeKey, 0, len(used))
	for k := range used {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		ka, kb := keys[a], keys[b]
		if used[ka] != used[kb] {
			return used[ka] > used[kb]
		}
		return ka.name < kb.name || ka.name == kb.name && !ka.seq
	})
	var names []string
	for _, k := range keys {
		s := schemes[k]
		names = append(names, fmt.Sprintf("%s (e.g. %s, %d)", s.name, s.tags[0].Name, used[k]))
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
