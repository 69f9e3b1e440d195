package git

import (
	"regexp"
	"strings"
)

var mergeMsgRE = []*regexp.Regexp{
	// git merge, GitLab ("… into 'main'", then "See merge request g/p!1").
	regexp.MustCompile(`^Merge (?:remote-tracking )?branch(?:es)? '([^']+)'`),
	// GitHub.
	regexp.MustCompile(`^Merge pull request #\d+ from ([^\s]+)`),
	// Bitbucket.
	regexp.MustCompile(`^Merged in ([^\s]+)(?: \(pull request #\d+\))?`),
	// git merge of a branch named without quotes ("Merge branch foo").
	regexp.MustCompile(`^Merge (?:remote-tracking )?branch ([^\s']+)`),
}

// mergeBranch returns the merged branch's name as a merge commit message
// tells it, or "" when it does not.
func mergeBranch(msg string) string {
	first, _, _ := strings.Cut(msg, "\n")
	first = strings.TrimSpace(first)
	for i, re := range mergeMsgRE {
		m := re.FindStringSubmatch(first)
		if m == nil {
			continue
		}
		name := m[1]
		switch {
		case i == 1: // owner/branch
			if _, rest, ok := strings.Cut(name, "/"); ok {
				name = rest
			}
		case strings.HasPrefix(first, "Merge remote-tracking branch"): // origin/branch
			if _, rest, ok := strings.Cut(name, "/"); ok {
				name = rest
			}
		}
		return name
	}
	return ""
}
