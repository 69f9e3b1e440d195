package gitlab

import (
	"encoding/json"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

func TestNormalizeBaseURL(t *testing.T) {
	for _, tc := range []struct {
		in, web, api string
		bad          bool
	}{
		{in: "", web: "https://gitlab.com", api: "https://gitlab.com/api/v4/"},
		{in: "https://gitlab.com", web: "https://gitlab.com", api: "https://gitlab.com/api/v4/"},
		{in: "https://gl.example/", web: "https://gl.example", api: "https://gl.example/api/v4/"},
		{in: "https://gl.example/api/v4", web: "https://gl.example", api: "https://gl.example/api/v4/"},
		{in: "https://gl.example/api/v4/", web: "https://gl.example", api: "https://gl.example/api/v4/"},
		{in: " https://gl.example:8443/gitlab/api/v4// ", web: "https://gl.example:8443/gitlab", api: "https://gl.example:8443/gitlab/api/v4/"},
		{in: "http://10.0.0.1/gitlab", web: "http://10.0.0.1/gitlab", api: "http://10.0.0.1/gitlab/api/v4/"},
		{in: "gitlab.example.com", bad: true},
		{in: "ftp://gl.example", bad: true},
		{in: "https://user:pw@gl.example", bad: true},
		{in: "https://gl.example/?x=1", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			web, api, err := NormalizeBaseURL(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("accepted %q", tc.in)
				}
				return
			}
			if err != nil || web != tc.web || api != tc.api {
				t.Errorf("got %q %q %v, want %q %q", web, api, err, tc.web, tc.api)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, o := range map[string]Options{
		"no project":      {},
		"bad url":         {Project: "a/b", BaseURL: "gitlab.example"},
		"missing CA file": {Project: "a/b", CAFile: filepath.Join(dir, "absent.pem")},
		"CA without PEM":  {Project: "a/b", CAFile: notPEM},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A self-managed instance under a path, given with or without /api/v4 and
// trailing slashes.
func TestSelfManagedBaseURL(t *testing.T) {
	for _, suffix := range []string{"", "/", "/api/v4", "/api/v4/"} {
		t.Run("base"+suffix, func(t *testing.T) {
			h := newHarness(t, scenario(), gitlabfake.Options{Token: testToken, Prefix: "/gitlab"}, nil)
			c, err := New(withBase(h.c.opt, h.srv.BaseURL()+suffix))
			if err != nil {
				t.Fatal(err)
			}
			h.c = c
			ev, res, err := h.collect(t)
			if err != nil || res.Partial {
				t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
			}
			cmpEvidence(t, expected(t), ev)
		})
	}
}

func withBase(o Options, base string) Options { o.BaseURL = base; return o }

// A private CA: the fake serves HTTPS with a certificate no system pool
// trusts; CAFile makes it trusted.
func TestPrivateCA(t *testing.T) {
	h := newHarness(t, scenario(), gitlabfake.Options{Token: testToken, TLS: true}, nil)
	cert := h.srv.HTTPServer().Certificate()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("without the CA", func(t *testing.T) {
		ev, _, err := h.collect(t)
		if err == nil || len(ev.Have) != 0 {
			t.Fatalf("an untrusted certificate was accepted: err=%v have=%v", err, ev.Have)
		}
	})
	t.Run("with the CA", func(t *testing.T) {
		o := h.c.opt
		o.CAFile = caFile
		c, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		h.c = c
		ev, res, err := h.collect(t)
		if err != nil || res.Partial {
			t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
		}
		cmpEvidence(t, expected(t), ev)
	})
}

// The token travels in the PRIVATE-TOKEN header and nowhere else: not in
// logs (debug level), warnings, errors, evidence, nor the cache directory.
func TestTokenNeverAppears(t *testing.T) {
	dir := t.TempDir()
	d := scenario()
	d.NoApprovals = true
	h := newHarness(t, d, gitlabFakeOpts(), func(o *Options) { o.CacheDir = dir })
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`/test_report$`), Status: 500, Times: -1})
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`/merge_requests$`), Status: 429, Times: 1, RetryAfter: "2"})
	var texts []string
	for i := 0; i < 2; i++ {
		ev, res, err := h.collect(t)
		if err != nil {
			texts = append(texts, err.Error())
		}
		texts = append(texts, res.Warnings...)
		b, _ := json.Marshal(ev)
		texts = append(texts, string(b))
	}
	bad := &Options{Project: "acme/nope", Token: testToken, BaseURL: h.srv.BaseURL(), Logger: h.c.log, CacheDir: dir}
	c, err := New(*bad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Collect(t.Context(), &model.Evidence{Window: window}); err != nil {
		texts = append(texts, err.Error())
	}
	texts = append(texts, h.log.String())
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := os.ReadFile(p)
			texts = append(texts, string(b))
		}
		return nil
	})
	for _, s := range texts {
		if strings.Contains(s, testToken) || strings.Contains(s, "SECRET") {
			t.Fatalf("token leaked: %.300q", s)
		}
	}
	sent := 0
	for _, hd := range h.srv.Headers() {
		if hd.Get("Private-Token") == testToken {
			sent++
		}
	}
	if sent == 0 {
		t.Error("the token was never sent")
	}
}
