package measure

import (
	"regexp"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// squashSuffixRE is the " (#123)" GitHub appends to a squash-merged
// subject: the pull request's own number, not an issue it refers to.
var squashSuffixRE = regexp.MustCompile(`\s\(#(\d+)\)\s*$`)

// CommitReferencesIssue reports whether a commit message references an
// issue. The squash suffix " (#N)" of the subject is the change's own
// number and does not count by itself; with host records (links not nil)
// the change N counts when it has linked or closing issues.
func CommitReferencesIssue(msg string, re *regexp.Regexp, links map[string]bool) bool {
	subject, body, _ := strings.Cut(msg, "\n")
	own := ""
	if m := squashSuffixRE.FindStringSubmatchIndex(subject); m != nil {
		own = subject[m[2]:m[3]]
		subject = subject[:m[0]]
	}
	if ReferencesIssue(subject+"\n"+body, re) {
		return true
	}
	return own != "" && links[own]
}

// changeIssueLinks maps the ids of collected pull/merge requests to
// whether they have linked or closing issues (or name one in the title
// or branch); nil without host records.
func changeIssueLinks(ev *model.Evidence) map[string]bool {
	if !ev.Has(model.KindChanges) {
		return nil
	}
	out := make(map[string]bool, len(ev.Changes))
	for _, c := range ev.Changes {
		out[c.ID] = len(c.LinkedIssues) > 0
	}
	return out
}
