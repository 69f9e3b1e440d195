package cli

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPastWindowNamesTrunkThen: an audit of a past window reads trunk as
// of its end and names it (git's newest first-parent commit before then);
// an --until before the first commit is a one-line error, exit 2.
func TestPastWindowNamesTrunkThen(t *testing.T) {
	repo := longLived(t)
	until := start.AddDate(0, 1, 10)
	r, _ := runJSON(t, "audit", repo, "--since", "30d", "--until", until.Format(time.DateOnly), "--format", "json",
		"--quiet", "--no-store")
	out, err := exec.Command("git", "-C", repo, "log", "--first-parent", "--format=%H %ct", "main").Output()
	if err != nil {
		t.Fatal(err)
	}
	var want string
	var wantAt int64
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(l)
		ct, _ := strconv.ParseInt(f[1], 10, 64)
		if ct < until.Unix() {
			want, wantAt = f[0], ct
			break
		}
	}
	tr := r.Targets[0].Trunk
	if tr == nil || tr.Commit != want || tr.Committed.Unix() != wantAt {
		t.Errorf("trunk %+v, git says %s at %d", tr, want, wantAt)
	}
	code, _, errs := runCLI(t, "audit", repo, "--since", "30d", "--until", start.AddDate(-1, 0, 0).Format(time.DateOnly),
		"--quiet", "--no-store")
	if code != 2 || !strings.Contains(errs, "before the first commit") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Errorf("exit %d, stderr %q; want 2 and one line", code, errs)
	}
}

// TestAsOf: --as-of DATE audits the same window as --until DATE; naming two
// different ends is a one-line error.
func TestAsOf(t *testing.T) {
	repo := longLived(t)
	day := start.AddDate(0, 1, 10).Format(time.DateOnly)
	a, _ := runJSON(t, "audit", repo, "--since", "30d", "--as-of", day, "--format", "json", "--quiet", "--no-store")
	b, _ := runJSON(t, "audit", repo, "--since", "30d", "--until", day, "--format", "json", "--quiet", "--no-store")
	if a.Window != b.Window || a.Targets[0].Trunk == nil || *a.Targets[0].Trunk != *b.Targets[0].Trunk {
		t.Errorf("--as-of window %v trunk %v; --until window %v trunk %v", a.Window, a.Targets[0].Trunk, b.Window, b.Targets[0].Trunk)
	}
	code, _, errs := runCLI(t, "audit", repo, "--as-of", day, "--until", start.Format(time.DateOnly), "--quiet", "--no-store")
	if code != 2 || !strings.Contains(errs, "two window ends") {
		t.Errorf("exit %d, stderr %q; want 2 naming both ends", code, errs)
	}
}
