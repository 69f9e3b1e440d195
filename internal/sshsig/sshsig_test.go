package sshsig

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

const ns = "cdaudit-attestation"

func needSSHKeygen(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen not installed")
	}
	return p
}

func run(t *testing.T, dir string, stdin []byte, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// keygen makes a key with ssh-keygen and returns the private key path.
func keygen(t *testing.T, dir, typ string) string {
	t.Helper()
	key := filepath.Join(dir, "id_"+typ)
	run(t, dir, nil, needSSHKeygen(t), "-q", "-t", typ, "-N", "", "-C", "test", "-f", key)
	return key
}

func readPub(t *testing.T, path string) ssh.PublicKey {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, _, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVerifySSHKeygenSignatures(t *testing.T) {
	msg := []byte("practice: ci\nlevel: 4\n")
	for _, typ := range []string{"ed25519", "ecdsa", "rsa"} {
		t.Run(typ, func(t *testing.T) {
			dir := t.TempDir()
			key := keygen(t, dir, typ)
			file := filepath.Join(dir, "att.yaml")
			if err := os.WriteFile(file, msg, 0o600); err != nil {
				t.Fatal(err)
			}
			run(t, dir, nil, "ssh-keygen", "-Y", "sign", "-n", ns, "-f", key, file)
			sig, err := os.ReadFile(file + ".sig")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Verify(sig, msg, ns)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if want := readPub(t, key+".pub"); !bytes.Equal(got.Key.Marshal(), want.Marshal()) {
				t.Errorf("key %s, want %s", ssh.FingerprintSHA256(got.Key), ssh.FingerprintSHA256(want))
			}
			if _, err := Verify(sig, append(msg, 'x'), ns); !errors.Is(err, ErrBadSignature) {
				t.Errorf("tampered message: err %v, want ErrBadSignature", err)
			}
			if _, err := Verify(sig, msg, "git"); !errors.Is(err, ErrNamespace) {
				t.Errorf("other namespace: err %v, want ErrNamespace", err)
			}
		})
	}
}

func goSigners(t *testing.T) map[string]ssh.Signer {
	t.Helper()
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]ssh.Signer{}
	for name, k := range map[string]any{"ed25519": ed, "ecdsa": ec, "rsa": rk} {
		s, err := ssh.NewSignerFromKey(k)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = s
	}
	return out
}

// Signatures made here verify with ssh-keygen -Y verify (interop) and here.
func TestGoSignaturesVerifyWithSSHKeygen(t *testing.T) {
	needSSHKeygen(t)
	msg := []byte("practice: testing\nlevel: 3\n")
	for name, s := range goSigners(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			sig, err := Sign(s, ns, msg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Verify(sig, msg, ns); err != nil {
				t.Fatalf("Verify own signature: %v", err)
			}
			allowed := "jane@example.com namespaces=\"" + ns + "\" " + string(ssh.MarshalAuthorizedKey(s.PublicKey()))
			for f, b := range map[string][]byte{"allowed": []byte(allowed), "msg.sig": sig} {
				if err := os.WriteFile(filepath.Join(dir, f), b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			run(t, dir, msg, "ssh-keygen", "-Y", "verify", "-f", "allowed", "-I", "jane@example.com", "-n", ns, "-s", "msg.sig")
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	s := goSigners(t)["ed25519"]
	good, err := Sign(s, ns, []byte("m"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := unarmor(good)
	if err != nil {
		t.Fatal(err)
	}
	badVersion := append([]byte(nil), raw...)
	badVersion[9] = 2 // the low byte of the version after "SSHSIG"
	for _, tc := range []struct {
		name string
		sig  []byte
	}{
		{"empty", nil},
		{"no armor", []byte("U1NIU0lH")},
		{"no end", []byte(beginArmor + "\nU1NIU0lH\n")},
		{"bad base64", []byte(beginArmor + "\n!!!\n" + endArmor)},
		{"no magic", armor([]byte("NOTSIG...."))},
		{"truncated", armor(raw[:20])},
		{"version 2", armor(badVersion)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(tc.sig, []byte("m"), ns); !errors.Is(err, ErrMalformed) {
				t.Errorf("err %v, want ErrMalformed", err)
			}
		})
	}
}

func TestArmorRoundTrip(t *testing.T) {
	raw := bytes.Repeat([]byte{0xAB}, 200)
	a := armor(raw)
	for _, line := range strings.Split(strings.TrimSpace(string(a)), "\n") {
		if len(line) > 70 && !strings.HasPrefix(line, "-----") {
			t.Errorf("line longer than 70: %q", line)
		}
	}
	got, err := unarmor(bytes.ReplaceAll(a, []byte("\n"), []byte("\r\n")))
	if err != nil || !bytes.Equal(got, raw) {
		t.Errorf("unarmor: %v", err)
	}
}

func TestAllowedSigners(t *testing.T) {
	signers := goSigners(t)
	ed, ec := signers["ed25519"].PublicKey(), signers["ecdsa"].PublicKey()
	key := func(k ssh.PublicKey) string { return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) }
	file := "# who may attest\n\n" +
		"jane@example.com,*@ops.example.com namespaces=\"" + ns + ",git\" " + key(ed) + " cdaudit-practices=ci\n" +
		"bob@example.com valid-after=\"20240101\",valid-before=\"20250101Z\" " + key(ec) + "\n" +
		"*,!mallory@example.com " + key(signers["rsa"].PublicKey()) + "\n"
	as, err := ParseAllowedSigners(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 3 || as[0].Comment != "cdaudit-practices=ci" || as[0].Line != 3 {
		t.Fatalf("parsed %+v", as)
	}
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, principal, namespace string
		key                        ssh.PublicKey
		at                         time.Time
		want                       bool
	}{
		{"listed", "jane@example.com", ns, ed, at, true},
		{"wildcard principal", "ann@ops.example.com", ns, ed, at, true},
		{"other principal", "bob@example.com", ns, ed, at, false},
		{"namespace not allowed", "jane@example.com", "file", ed, at, false},
		{"within validity", "bob@example.com", "anything", ec, at, true},
		{"before valid-after", "bob@example.com", ns, ec, at.AddDate(-1, 0, 0), false},
		{"after valid-before", "bob@example.com", ns, ec, at.AddDate(1, 0, 0), false},
		{"any principal", "zed@example.com", ns, signers["rsa"].PublicKey(), at, true},
		{"negated principal", "mallory@example.com", ns, signers["rsa"].PublicKey(), at, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := len(as.Match(tc.principal, tc.namespace, tc.key, tc.at)) > 0; got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAllowedSignersErrors(t *testing.T) {
	k := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(goSigners(t)["ed25519"].PublicKey())))
	for _, tc := range []struct{ name, line, want string }{
		{"no key", "jane@example.com", "no key"},
		{"unknown option", "jane@example.com cdaudit-practices=\"ci\" " + k, "unknown option"},
		{"cert authority", "jane@example.com cert-authority " + k, "cert-authority"},
		{"bad time", "jane@example.com valid-after=\"2024\" " + k, "valid-after"},
		{"bad key", "jane@example.com ssh-ed25519 AAAA", "key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAllowedSigners(strings.NewReader("\n" + tc.line + "\n"))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "line 2:") {
				t.Errorf("err %v, want line 2 … %q", err, tc.want)
			}
		})
	}
}
