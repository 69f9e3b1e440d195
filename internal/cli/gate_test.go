package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sameName copies a repository to DIR/app.git with the origin URL of
// acme/app, so that two histories are audited as the same target.
func sameName(t *testing.T, repo string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "app.git")
	if out, err := exec.Command("git", "clone", "-q", "--mirror", repo, dst).CombinedOutput(); err != nil {
		t.Fatalf("clone: %v %s", err, out)
	}
	if out, err := exec.Command("git", "-C", dst, "remote", "set-url", "origin", "https://git.example.com/acme/app.git").CombinedOutput(); err != nil {
		t.Fatalf("set-url: %v %s", err, out)
	}
	return dst
}

func runWithStore(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := Env{Args: args, Stdout: &out, Stderr: &errb, Version: "test", Getenv: func(k string) string {
		if k == "CDAUDIT_STORE" {
			return db
		}
		return ""
	}}
	code := Main(context.Background(), env)
	return code, out.String(), errb.String()
}

func TestGateBaselineFileAndStore(t *testing.T) {
	good, bad := sameName(t, trunkBased(t)), sameName(t, longLived(t))
	db := filepath.Join(t.TempDir(), "history.db")
	base := filepath.Join(t.TempDir(), "baseline.json")
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--quiet"}

	if code, _, stderr := runWithStore(t, db, append([]string{"baseline", good, "--output", base}, win...)...); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	// The same history holds against its own baseline.
	code, out, stderr := runWithStore(t, db, append([]string{"check", good, "--baseline", base}, win...)...)
	if code != 0 || !strings.Contains(out, "gate holds") {
		t.Fatalf("check of the baseline's own history: exit %d\n%s\n%s", code, out, stderr)
	}
	// A long-lived-branch history regresses: exit 1, naming the fallen dimension.
	summary := filepath.Join(t.TempDir(), "summary.md")
	code, out, stderr = runWithStore(t, db, append([]string{"check", bad, "--baseline", base, "--summary", summary}, win...)...)
	if code != ExitGateFailed {
		t.Fatalf("check of a regressed history: exit %d, want 1\n%s\n%s", code, out, stderr)
	}
	if !strings.Contains(out, "ci.frequency fell from 3") {
		t.Errorf("verdict does not name the fallen dimension:\n%s", out)
	}
	if b, err := os.ReadFile(summary); err != nil || !strings.Contains(string(b), "gate FAILED") || !strings.Contains(string(b), "| ") {
		t.Errorf("summary lacks the verdict or the Markdown report: %v\n%.300s", err, b)
	}
	// Without --baseline the store's last audit is the baseline: the regressed
	// history was saved by the last check, so the good one now improves on it…
	if code, out, _ = runWithStore(t, db, append([]string{"check", good}, win...)...); code != 0 {
		t.Errorf("improvement failed the gate:\n%s", out)
	}
	// …and a required minimum still fails.
	code, out, _ = runWithStore(t, db, append([]string{"check", good, "--require", "ci.frequency=4"}, win...)...)
	if code != ExitGateFailed || !strings.Contains(out, "ci.frequency") {
		t.Errorf("required minimum: exit %d\n%s", code, out)
	}
	// Bad requirement ids and baselines are usage errors.
	if code, _, stderr = runWithStore(t, db, append([]string{"check", good, "--require", "cii=3"}, win...)...); code != ExitError {
		t.Errorf("bad requirement: exit %d %s", code, stderr)
	}
	os.WriteFile(base, []byte(`{"schema":"cdaudit.report/v0","targets":[]}`), 0o644)
	if code, _, stderr = runWithStore(t, db, append([]string{"check", good, "--baseline", base}, win...)...); code != ExitError || !strings.Contains(stderr, "schema") {
		t.Errorf("baseline of another schema: exit %d %s", code, stderr)
	}

	// history lists the audits and the level changes.
	code, out, stderr = runWithStore(t, db, "history", "app.git")
	if code != 0 || !strings.Contains(out, "level changes:") || !strings.Contains(out, "version-control.branching") {
		t.Errorf("history: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ = runWithStore(t, db, "history"); code != 0 || !strings.Contains(out, "app.git") {
		t.Errorf("history of all targets: exit %d\n%s", code, out)
	}
	// badge from the store.
	code, out, stderr = runWithStore(t, db, "badge", "app.git")
	if code != 0 || !strings.HasPrefix(out, "<svg") {
		t.Errorf("badge: exit %d %s\n%.200s", code, stderr, out)
	}
}

func TestAuditTextfileAndHTML(t *testing.T) {
	repo := trunkBased(t)
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	code, _, stderr := runCLI(t, "audit", repo, "--since", "2026-03-02", "--until", "2026-03-30", "--quiet",
		"--format", "html", "--output", html, "--textfile", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	prom, err := os.ReadFile(filepath.Join(dir, "cdaudit.prom"))
	if err != nil || !strings.Contains(string(prom), "cdaudit_practice_level") {
		t.Errorf("textfile: %v\n%.300s", err, prom)
	}
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), "<html") {
		t.Errorf("html: %v", err)
	}
	if promtool, err := exec.LookPath("promtool"); err == nil {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = bytes.NewReader(prom)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	}
}

func TestConfigWithSeveralTargets(t *testing.T) {
	dir := t.TempDir()
	good, bad := trunkBased(t), longLived(t)
	cfg := filepath.Join(dir, "audit.yaml")
	os.WriteFile(cfg, []byte("since: 2026-03-02\nuntil: 2026-03-30\nconcurrency: 2\ntargets:\n"+
		"  - {name: good, path: "+good+", labels: {team: a}}\n"+
		"  - {name: missing, path: "+filepath.Join(dir, "nope")+"}\n"+
		"  - {name: bad, path: "+bad+", labels: {team: b}}\n"), 0o644)
	db := filepath.Join(dir, "h.db")
	code, out, stderr := runWithStore(t, db, "audit", "--config", cfg, "--format", "json", "--quiet")
	if code != 0 {
		t.Fatalf("one failed target must not fail the audit: exit %d %s", code, stderr)
	}
	for _, want := range []string{`"name": "good"`, `"name": "missing"`, `"name": "bad"`, `"status": "failed"`} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	code, out, _ = runWithStore(t, db, "history")
	if code != 0 || !strings.Contains(out, "good") || !strings.Contains(out, "bad") {
		t.Errorf("history after a multi-target audit:\n%s", out)
	}
	// A config that names no targets is bad input.
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("since: 30d\n"), 0o644)
	if code, _, stderr = runWithStore(t, db, "audit", "--config", empty); code != ExitError || !strings.Contains(stderr, "names no targets") {
		t.Errorf("config without targets: exit %d %s", code, stderr)
	}
	// An unreachable PostgreSQL and a refusing Pushgateway are errors (exit 2).
	if code, _, stderr = runCLI(t, "audit", good, "--store", "postgres://u:secret@127.0.0.1:1/db?connect_timeout=1", "--quiet"); code != ExitError || strings.Contains(stderr, "secret") {
		t.Errorf("unreachable store: exit %d %s", code, stderr)
	}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "pushgateway says no", http.StatusBadRequest)
	}))
	defer gw.Close()
	code, _, stderr = runWithStore(t, db, "audit", good, "--push", gw.URL, "--quiet")
	if code != ExitError || !strings.Contains(stderr, "--push") {
		t.Errorf("refusing pushgateway: exit %d %s", code, stderr)
	}
	if code, out, _ = runWithStore(t, db, "history", "good"); code != 0 {
		t.Errorf("an earlier audit was lost after a refused push:\n%s", out)
	}
}
