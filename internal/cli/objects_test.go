package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com", "GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// A blobless clone audits with exit 0, its git source partial and the
// partial clone said; no dimension comes out lower than on the full
// clone: what the missing blobs would tell is unknown.
func TestBloblessCloneIsPartialNotLower(t *testing.T) {
	src := trunkBased(t)
	git(t, src, "config", "uploadpack.allowFilter", "true")
	clone := filepath.Join(t.TempDir(), "blobless.git")
	git(t, src, "clone", "-q", "--bare", "--filter=blob:none", "file://"+src, clone)
	args := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--format", "json", "--quiet"}
	full, _ := runJSON(t, append([]string{"audit", src}, args...)...)
	part, _ := runJSON(t, append([]string{"audit", clone}, args...)...)

	src0 := part.Targets[0].Sources[0]
	if src0.Status != model.StatusPartial || !strings.Contains(strings.Join(src0.Warnings, " "), ".github/workflows/ci.yml") {
		t.Errorf("git source %s with warnings %q: want partial, naming the unread workflow", src0.Status, src0.Warnings)
	}
	if w := strings.Join(part.Targets[0].Warnings, " "); !strings.Contains(w, "partial clone (filter blob:none") {
		t.Errorf("warnings %q do not say it is a partial clone", w)
	}
	unknown := 0
	for _, p := range full.Targets[0].Practices {
		for _, d := range p.Dimensions {
			pd := dim(part, p.ID, d.ID)
			switch {
			case pd.Level == nil:
				if d.Level != nil {
					unknown++
				}
			case d.Level == nil || *pd.Level != *d.Level:
				t.Errorf("%s.%s: %s on the blobless clone, %s on the full one (%s)", p.ID, d.ID, levelOf(pd), levelOf(d),
					strings.Join(pd.Reasons, " | "))
			}
		}
	}
	if unknown == 0 {
		t.Error("no dimension became unknown: the tree's unread files were taken as absent")
	}
}

func TestSHA256RepositoryIsRefused(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "--object-format=sha256", "-b", "main")
	git(t, dir, "commit", "-q", "--allow-empty", "-m", "one")
	code, stdout, stderr := runCLI(t, "audit", dir, "--quiet")
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if code != ExitError || stdout != "" || len(lines) != 1 || !strings.Contains(stderr, "SHA-256 object format is not supported") {
		t.Errorf("exit %d, stdout %.100q, stderr %q: want exit 2 and one line", code, stdout, stderr)
	}
}
