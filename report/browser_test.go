//go:build unix

package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// pwn payloads would mark the page if they ever ran: the browser test
// looks for the mark in the DOM as well as for the elements they would
// have created.
const (
	pwnImg    = `<img src=x onerror="document.documentElement.setAttribute('data-pwned','img')">`
	pwnScript = `</script><script>document.documentElement.setAttribute('data-pwned','script')</script>`
	pwnSVG    = `"><svg onload="document.documentElement.setAttribute('data-pwned','svg')">`
)

// TestHTMLInChromium opens the hostile sample in headless Chromium (when
// it is installed) and checks that the page renders, that nothing is
// refused by the Content-Security-Policy or throws, that the page's own
// script ran, and that no payload from the repository ran or became an
// element.
func TestHTMLInChromium(t *testing.T) {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not on PATH")
	}
	r := sampleHostile()
	tr := &r.Targets[0]
	tr.Warnings = append(tr.Warnings, pwnImg, pwnScript, pwnSVG)
	tr.Practices[1].Dimensions[0].Reasons = append(tr.Practices[1].Dimensions[0].Reasons, pwnScript, pwnImg)
	tr.Practices[1].Dimensions[0].Evidence = append(tr.Practices[1].Dimensions[0].Evidence,
		model.Ref{Kind: model.RefBranch, Ref: pwnSVG, URL: "javascript:document.documentElement.setAttribute('data-pwned','href')"})
	page := renderHTMLString(t, r, Options{Catalogue: fixtureCatalogue(), History: hostileHistory()})

	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=2000", "--dump-dom", "file://"+path)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	// Chromium forks helpers: run it in its own process group and end the
	// whole group if it overruns.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(stderr.String(), 3000))
	}
	dom := stdout.String()
	log := stderr.String()

	for _, want := range []string{`<table class="practices">`, `class="radar-svg"`, `data-js="ready"`, "&lt;img src=x onerror="} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	lower := strings.ToLower(dom)
	for _, bad := range []string{"<img", "<iframe", "<svg onload", `href="javascript:`} {
		if strings.Contains(lower, bad) {
			t.Errorf("rendered DOM contains %q", bad)
		}
	}
	tags, _, _ := scanTags(t, dom)
	scripts := 0
	for _, tag := range tags {
		if tag.name == "script" {
			scripts++
		}
		for k, v := range tag.attrs {
			if k == "data-pwned" {
				t.Errorf("a payload ran: <%s data-pwned=%q>", tag.name, v)
			}
			if strings.HasPrefix(k, "on") {
				t.Errorf("rendered <%s> has event handler %s=%q", tag.name, k, v)
			}
		}
	}
	if scripts != 1 {
		t.Errorf("rendered DOM has %d script elements, want 1", scripts)
	}
	for _, bad := range []string{"Uncaught", "Refused to", "Content Security Policy", "Content-Security-Policy"} {
		if strings.Contains(log, bad) {
			t.Errorf("browser log reports %q:\n%s", bad, tail(log, 3000))
		}
	}
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
