package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		resp, err := http.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
	return 0, ""
}

func TestServeScrapedByPromtool(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	repo := trunkBased(t)
	if code, _, stderr := runWithStore(t, db, "audit", repo, "--since", "2026-03-02", "--until", "2026-03-30", "--quiet"); code != 0 {
		t.Fatalf("audit: %d %s", code, stderr)
	}
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		var out, errb bytes.Buffer
		done <- Main(ctx, Env{Args: []string{"serve", "--listen", addr, "--quiet"}, Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string {
				if k == "CDAUDIT_STORE" {
					return db
				}
				return ""
			}})
	}()
	code, body := get(t, "http://"+addr+"/metrics")
	if code != 200 || !strings.Contains(body, `cdaudit_practice_level{`) || !strings.Contains(body, "trunk.git") {
		t.Errorf("/metrics: %d\n%.400s", code, body)
	}
	if promtool, err := exec.LookPath("promtool"); err == nil {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(body)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	} else {
		t.Log("promtool not installed: exposition not linted")
	}
	if code, body := get(t, "http://"+addr+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d %s", code, body)
	}
	if code, body := get(t, "http://"+addr+"/"); code != 200 || !strings.Contains(body, "<html") || !strings.Contains(body, "trunk.git") {
		t.Errorf("/: %d %.200s", code, body)
	}
	cancel()
	select {
	case c := <-done:
		if c != 0 {
			t.Errorf("serve exited %d after a clean shutdown", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancellation")
	}
}
