package attest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/ssh"

	"github.com/cdaudit/cdaudit/model"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func sshKeygen(t *testing.T, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	if out, err := exec.Command("ssh-keygen", args...).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func catalogue(t *testing.T) *model.Catalogue {
	t.Helper()
	c, err := model.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func goKey(t *testing.T, dir, name string) (string, ssh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSigner(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, s
}

func pubOf(t *testing.T, key string) string {
	t.Helper()
	b, err := os.ReadFile(key + ".pub")
	if err != nil {
		s, err := LoadSigner(key)
		if err != nil {
			t.Fatal(err)
		}
		b = ssh.MarshalAuthorizedKey(s.PublicKey())
	}
	f := strings.Fields(string(b))
	return f[0] + " " + f[1]
}

func build(level int, by string, expires string) File {
	return File{Practice: "build", Dimension: "ownership", Level: level, By: by, Date: "2026-05-01",
		Expires: expires, Evidence: "https://wiki.example.com/build"}
}

func writePlain(t *testing.T, path string, f File) {
	t.Helper()
	if _, err := Write(path, f, nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	atts := filepath.Join(dir, "attestations")
	jane := filepath.Join(dir, "jane")
	sshKeygen(t, "-q", "-t", "ed25519", "-N", "", "-C", "jane", "-f", jane)
	bobKey, bob := goKey(t, dir, "bob")
	_, mallory := goKey(t, dir, "mallory")
	allowed := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowed, []byte(
		"jane@example.com namespaces=\""+Namespace+"\" "+pubOf(t, jane)+" cdaudit-practices=build,test-layering.method\n"+
			"bob@example.com "+pubOf(t, bobKey)+" cdaudit-practices=test-automation\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// ssh-keygen signs.
	sshSigned := func(name string, f File, ns string) {
		p := filepath.Join(atts, name)
		writePlain(t, p, f)
		sshKeygen(t, "-Y", "sign", "-q", "-n", ns, "-f", jane, p)
	}
	goSigned := func(name string, f File, s ssh.Signer) {
		if _, err := Write(filepath.Join(atts, name), f, s, nil); err != nil {
			t.Fatal(err)
		}
	}
	sshSigned("a-good.yaml", build(3, "jane@example.com", "2027-01-01"), Namespace)
	goSigned("b-good-go.yml", File{Practice: "test-automation", Dimension: "design", Level: 3, By: "bob@example.com",
		Date: "2026-05-02", Expires: "2027-01-01", Evidence: "https://ci.example.com"}, bob)
	sshSigned("c-namespace.yaml", build(3, "jane@example.com", "2027-01-01"), "git")
	goSigned("d-wrong-key.yaml", build(3, "jane@example.com", "2027-01-01"), mallory)
	goSigned("e-not-allowed-practice.yaml", build(3, "bob@example.com", "2027-01-01"), bob)
	goSigned("f-claims-other-principal.yaml", build(3, "jane@example.com", "2027-01-01"), bob)
	sshSigned("g-tampered.yaml", build(2, "jane@example.com", "2027-01-01"), Namespace)
	tampered := filepath.Join(atts, "g-tampered.yaml")
	b, _ := os.ReadFile(tampered)
	if err := os.WriteFile(tampered, []byte(strings.Replace(string(b), "level: 2", "level: 5", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	sshSigned("h-expired.yaml", build(3, "jane@example.com", "2026-05-31"), Namespace)
	writePlain(t, filepath.Join(atts, "i-unsigned.yaml"), build(3, "jane@example.com", "2027-01-01"))
	if err := os.WriteFile(filepath.Join(atts, "j-garbage.yaml"), []byte("practice: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(atts, "README.md"), []byte("not an attestation"), 0o644); err != nil {
		t.Fatal(err)
	}

	got, warns, err := Load(Options{Dir: atts, AllowedSigners: allowed, Catalogue: catalogue(t), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	type brief struct{ File, By string }
	var gotBrief []brief
	for _, a := range got {
		if a.Unverified || !strings.HasPrefix(a.Key, "SHA256:") {
			t.Errorf("%s: unverified %v key %q", a.File, a.Unverified, a.Key)
		}
		gotBrief = append(gotBrief, brief{filepath.Base(a.File), a.By})
	}
	want := []brief{{"a-good.yaml", "jane@example.com"}, {"b-good-go.yml", "bob@example.com"}}
	if d := cmp.Diff(want, gotBrief); d != "" {
		t.Errorf("verified attestations (-want +got):\n%s", d)
	}
	wantWarn := map[string]string{
		"c-namespace.yaml":              "namespace",
		"d-wrong-key.yaml":              "does not allow to sign as jane@example.com",
		"e-not-allowed-practice.yaml":   "bob@example.com may not attest build.ownership",
		"f-claims-other-principal.yaml": "does not allow to sign as jane@example.com",
		"g-tampered.yaml":               "does not verify",
		"h-expired.yaml":                "expired on 2026-05-31",
		"i-unsigned.yaml":               "unsigned",
		"j-garbage.yaml":                "not an attestation",
	}
	if len(warns) != len(wantWarn) {
		t.Errorf("warnings %d, want %d:\n%s", len(warns), len(wantWarn), strings.Join(warns, "\n"))
	}
	for file, frag := range wantWarn {
		found := false
		for _, w := range warns {
			if strings.Contains(w, filepath.Join(atts, file)+" ignored") && strings.Contains(w, frag) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning naming %s with %q in:\n%s", file, frag, strings.Join(warns, "\n"))
		}
	}
	if a := got[0]; a.Level != 3 || !a.Date.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("first attestation %+v", a)
	}
}

// A signature made by Write verifies with ssh-keygen -Y verify against the
// same allowed_signers file (the cdaudit-practices comment included).
func TestWriteVerifiesWithSSHKeygen(t *testing.T) {
	dir := t.TempDir()
	key, s := goKey(t, dir, "k")
	allowed := filepath.Join(dir, "allowed_signers")
	if err := os.WriteFile(allowed, []byte("jane@example.com namespaces=\""+Namespace+"\" "+pubOf(t, key)+" cdaudit-practices=*\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "att", "build.ownership.yaml")
	if _, err := Write(path, build(3, "jane@example.com", "2027-01-01"), s, nil); err != nil {
		t.Fatal(err)
	}
	msg, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer msg.Close()
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", allowed, "-I", "jane@example.com", "-n", Namespace, "-s", path+".sig")
	cmd.Stdin = msg
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y verify: %v\n%s", err, out)
	}
}

func TestLoadEdges(t *testing.T) {
	dir := t.TempDir()
	if got, warns, err := Load(Options{Dir: filepath.Join(dir, "none"), AllowedSigners: filepath.Join(dir, "none2")}); err != nil || got != nil || warns != nil {
		t.Errorf("missing dir: %v %v %v", got, warns, err)
	}
	key, s := goKey(t, dir, "k")
	if _, err := Write(filepath.Join(dir, "a", "x.yaml"), build(3, "j", "2027-01-01"), s, nil); err != nil {
		t.Fatal(err)
	}
	_, warns, err := Load(Options{Dir: filepath.Join(dir, "a"), AllowedSigners: filepath.Join(dir, "missing"), Now: now})
	if err != nil || len(warns) != 1 || !strings.Contains(warns[0], "no allowed_signers file") {
		t.Errorf("no allowed_signers: %q %v", warns, err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("j cdaudit-practices=\"x\" "+pubOf(t, key)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(Options{Dir: filepath.Join(dir, "a"), AllowedSigners: bad}); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad allowed_signers: err %v", err)
	}
}

func TestWriteChecks(t *testing.T) {
	cat := catalogue(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		f    File
		want string
	}{
		{"level", build(6, "j", "2027-01-01"), "level 6"},
		{"by", build(3, "", "2027-01-01"), "`by`"},
		{"expires", build(3, "j", "2026-01-01"), "expires before"},
		{"date", build(3, "j", "soon"), "not a date"},
		{"dimension", File{Practice: "build", Dimension: "nope", Level: 3, By: "j", Date: "2026-01-01", Expires: "2027-01-01", Evidence: "u"}, "unknown dimension"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Write(filepath.Join(dir, tc.name+".yaml"), tc.f, nil, cat)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.name+".yaml")); err == nil {
				t.Error("an invalid attestation was written")
			}
		})
	}
}

func TestLoadSignerEncrypted(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "enc")
	sshKeygen(t, "-q", "-t", "ed25519", "-N", "secret", "-f", key)
	if _, err := LoadSigner(key); !errors.Is(err, ErrEncryptedKey) {
		t.Errorf("err %v, want ErrEncryptedKey", err)
	}
}
