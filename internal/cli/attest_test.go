package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

func dimension(r *model.Report, practice, dim string) model.DimensionResult {
	for _, p := range r.Targets[0].Practices {
		for _, d := range p.Dimensions {
			if p.ID == practice && d.ID == dim {
				return d
			}
		}
	}
	return model.DimensionResult{}
}

// `cdaudit attest` signs a file an audit then verifies; a tampered file is
// left out with a warning naming it; config attestations count only when
// unsigned ones are allowed.
func TestAttestCommandAndAudit(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	repo := trunkBased(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "id")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	pub, _ := os.ReadFile(key + ".pub")
	f := strings.Fields(string(pub))
	allowed := filepath.Join(dir, "allowed_signers")
	os.WriteFile(allowed, []byte("jane@example.com namespaces=\"cdaudit-attestation\" "+f[0]+" "+f[1]+" cdaudit-practices=build\n"), 0o644)
	atts := filepath.Join(dir, "atts")

	code, _, stderr := runCLI(t, "attest", "build.ownership", "--level", "3", "--by", "jane@example.com",
		"--evidence", "https://wiki.example.com/build", "--date", "2026-03-01", "--expires", "1y", "--key", key, "--dir", atts)
	if code != 0 || !strings.Contains(stderr, "signed by jane@example.com with key SHA256:") {
		t.Fatalf("attest: exit %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "attest", "build.method", "--level", "5", "--by", "jane@example.com",
		"--evidence", "https://wiki.example.com/build", "--key", key, "--dir", atts)
	if code != 0 {
		t.Fatalf("attest: exit %d: %s", code, stderr)
	}
	method := filepath.Join(atts, "build.method.yaml")
	b, _ := os.ReadFile(method)
	os.WriteFile(method, []byte(strings.Replace(string(b), "level: 5", "level: 4", 1)), 0o644)

	args := []string{"audit", repo, "--since", "2026-03-02", "--until", "2026-03-30", "--format", "json",
		"--attestations", atts, "--allowed-signers", allowed}
	r, stderr := runJSON(t, args...)
	d := dimension(r, "build", "ownership")
	if d.Basis != model.BasisAttested || d.Attestation == nil || !strings.HasPrefix(d.Attestation.Key, "SHA256:") ||
		d.Attestation.By != "jane@example.com" || d.Attestation.Date.Format("2006-01-02") != "2026-03-01" {
		t.Errorf("build.ownership: %s %+v", d.Basis, d.Attestation)
	}
	if !strings.Contains(stderr, "build.method.yaml ignored: signature does not verify") {
		t.Errorf("no warning naming the tampered file on stderr: %s", stderr)
	}
	if w := strings.Join(r.Targets[0].Warnings, "\n"); !strings.Contains(w, "build.method.yaml ignored") {
		t.Errorf("report warnings lack the tampered file: %s", w)
	}

	cfg := filepath.Join(dir, "cdaudit.yaml")
	os.WriteFile(cfg, []byte("attestations:\n  - {practice: build, dimension: method, level: 5, by: bob@example.com,\n"+
		"     evidence: https://wiki.example.com, date: 2026-03-01, expires: 2027-03-01}\n"), 0o644)
	for _, tc := range []struct {
		allow bool
		want  model.Basis
	}{{false, model.BasisMeasured}, {true, model.BasisAttested}} {
		a := append(append([]string(nil), args...), "--config", cfg, "--quiet")
		if tc.allow {
			a = append(a, "--allow-unsigned-attestations")
		}
		r, _ := runJSON(t, a...)
		if d := dimension(r, "build", "method"); d.Basis != tc.want {
			t.Errorf("allow unsigned %v: basis %s, want %s (%q)", tc.allow, d.Basis, tc.want, d.Reasons)
		}
	}
}

func TestAttestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	enc := filepath.Join(dir, "enc")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "pw", "-f", enc).CombinedOutput(); err != nil {
		t.Skipf("ssh-keygen: %v %s", err, out)
	}
	base := []string{"--by", "j@example.com", "--evidence", "https://x", "--dir", dir}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no dimension", append([]string{"attest", "build", "--level", "3"}, base...), "PRACTICE.DIMENSION"},
		{"unknown dimension", append([]string{"attest", "build.nope", "--level", "3"}, base...), "unknown dimension"},
		{"bad level", append([]string{"attest", "build.ownership", "--level", "9"}, base...), "level 9"},
		{"bad expiry", append([]string{"attest", "build.ownership", "--level", "3", "--expires", "soon"}, base...), "--expires"},
		{"encrypted key", append([]string{"attest", "build.ownership", "--level", "3", "--key", enc}, base...), "ssh-keygen -Y sign -n cdaudit-attestation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != ExitError || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("exit %d, stderr %q, want one line with %q", code, stderr, tc.want)
			}
		})
	}
	code, _, stderr := runCLI(t, append([]string{"attest", "build.ownership", "--level", "3"}, base...)...)
	if code != 0 || !strings.Contains(stderr, "wrote unsigned") || !strings.Contains(stderr, "ssh-keygen -Y sign") {
		t.Errorf("unsigned: exit %d %s", code, stderr)
	}
}
