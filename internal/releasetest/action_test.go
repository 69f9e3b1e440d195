package releasetest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func actionSteps(t *testing.T) map[string]string {
	t.Helper()
	var a action
	readYAML(t, "action.yml", &a)
	steps := map[string]string{}
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			t.Errorf("step %q uses %s: the action should only download the release", s.Name, s.Uses)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q puts an expression into its script (pass it through env)", s.Name)
		}
		if strings.Contains(s.Run, "go build") {
			t.Errorf("step %q compiles cdaudit", s.Name)
		}
		steps[s.Name] = s.Run
	}
	if a.Inputs["since"].Default != "" {
		t.Errorf("since defaults to %q: it would override the config's since:", a.Inputs["since"].Default)
	}
	return steps
}

// fakeCdaudit is a script standing in for the binary: it records its
// arguments.
const fakeCdaudit = "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$(dirname \"$0\")/args.txt\"\n"

func tarGz(t *testing.T, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range []struct{ name, body string }{{name, body}, {"LICENSE", "Apache-2.0\n"}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f.body))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// release serves a fake GitHub release v1.2.3 (and /latest redirecting to
// its tag); checksum is what checksums.txt claims for the linux/amd64 archive.
func release(t *testing.T, checksum func(archive []byte) string) *httptest.Server {
	t.Helper()
	archive := tarGz(t, "cdaudit", fakeCdaudit)
	name := "cdaudit_1.2.3_linux_amd64.tar.gz"
	sums := checksum(archive) + "  " + name + "\n" + strings.Repeat("0", 64) + "  cdaudit_1.2.3_darwin_arm64.tar.gz\n"
	mux := http.NewServeMux()
	mux.HandleFunc("/latest", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/tag/v1.2.3", http.StatusFound) })
	mux.HandleFunc("/tag/v1.2.3", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/download/v1.2.3/"+name, func(w http.ResponseWriter, r *http.Request) { w.Write(archive) })
	mux.HandleFunc("/download/v1.2.3/checksums.txt", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(sums)) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func sha(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func runStep(t *testing.T, script string, env map[string]string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestActionDownloadsAndRuns(t *testing.T) {
	steps := actionSteps(t)
	download, gate := steps["Download cdaudit"], steps["Run the gate"]
	if download == "" || gate == "" {
		t.Fatalf("steps %q: want Download cdaudit and Run the gate", steps)
	}
	srv := release(t, sha)
	for _, tc := range []struct {
		name, version, ref, since string
		wantSince                 bool
	}{
		{"pinned to a release tag", "", "v1.2.3", "", false},
		{"explicit version, since set", "v1.2.3", "main", "30d", true},
		{"latest", "", "main", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			env := map[string]string{"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": tmp,
				"CDAUDIT_DOWNLOAD_URL": srv.URL, "IN_VERSION": tc.version, "ACTION_REF": tc.ref}
			if out, err := runStep(t, download, env); err != nil {
				t.Fatalf("download: %v\n%s", err, out)
			}
			os.Remove(filepath.Join(tmp, "args.txt")) // the step ran `cdaudit version`
			env = map[string]string{"RUNNER_TEMP": tmp, "GITHUB_STEP_SUMMARY": filepath.Join(tmp, "summary.md"),
				"GITHUB_OUTPUT": filepath.Join(tmp, "out"), "IN_PATH": ".", "IN_SINCE": tc.since, "IN_UNKNOWN": "ignore",
				"IN_REQUIRE": "ci=3", "IN_GITHUB": "o/r", "IN_BASELINE": "", "IN_CONFIG": "", "IN_ARGS": "--quiet"}
			if out, err := runStep(t, gate, env); err != nil {
				t.Fatalf("gate: %v\n%s", err, out)
			}
			b, _ := os.ReadFile(filepath.Join(tmp, "args.txt"))
			args := strings.Fields(string(b))
			want := []string{"check", ".", "--unknown", "ignore", "--no-store", "--format", "json",
				"--output", filepath.Join(tmp, "cdaudit-report.json"), "--summary", filepath.Join(tmp, "summary.md")}
			if tc.wantSince {
				want = append(want, "--since", tc.since)
			}
			want = append(want, "--require", "ci=3", "--github", "o/r", "--quiet")
			if d := cmp.Diff(want, args); d != "" {
				t.Errorf("cdaudit arguments (-want +got):\n%s", d)
			}
			if o, _ := os.ReadFile(filepath.Join(tmp, "out")); !strings.Contains(string(o), "report="+filepath.Join(tmp, "cdaudit-report.json")) {
				t.Errorf("GITHUB_OUTPUT %q", o)
			}
		})
	}
}

func TestActionRefusesABadChecksum(t *testing.T) {
	download := actionSteps(t)["Download cdaudit"]
	for name, sum := range map[string]func([]byte) string{
		"wrong checksum": func(b []byte) string { return sha(append(b, 0)) },
		"not listed":     func([]byte) string { return "" },
	} {
		t.Run(name, func(t *testing.T) {
			srv := release(t, sum)
			tmp := t.TempDir()
			out, err := runStep(t, download, map[string]string{"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": tmp,
				"CDAUDIT_DOWNLOAD_URL": srv.URL, "IN_VERSION": "v1.2.3"})
			if err == nil || !strings.Contains(out, "checksum mismatch") {
				t.Errorf("err %v, output %q: want a checksum failure", err, out)
			}
			if _, err := os.Stat(filepath.Join(tmp, "cdaudit")); err == nil {
				t.Error("the binary was installed despite the checksum")
			}
		})
	}
}

func TestActionUnsupportedRunner(t *testing.T) {
	download := actionSteps(t)["Download cdaudit"]
	out, err := runStep(t, download, map[string]string{"RUNNER_OS": "Plan9", "RUNNER_ARCH": "X64", "RUNNER_TEMP": t.TempDir(),
		"CDAUDIT_DOWNLOAD_URL": "http://127.0.0.1:1", "IN_VERSION": "v1.2.3"})
	if err == nil || !strings.Contains(out, "unsupported runner OS Plan9") {
		t.Errorf("err %v, output %q", err, out)
	}
}
