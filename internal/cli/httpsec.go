package cli

import (
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// readTokenFile reads a token file as ssh reads a private key: refused when
// group or others may access it, and an error when it holds no token.
func readTokenFile(file string) (string, error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "plan9" {
		fi, err := os.Stat(file)
		if err != nil {
			return "", usageErr("token file: %w", err)
		}
		if m := fi.Mode().Perm(); m&0o077 != 0 {
			return "", usageErr("token file %s is accessible by group or others (mode %04o): run chmod 600 %s", file, m, file)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", usageErr("token file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", usageErr("empty token file %s", file)
	}
	return tok, nil
}

// warnOnce remembers the warnings already given in this run.
type warnOnce struct{ seen sync.Map }

func (w *warnOnce) first(key string) bool {
	if w == nil {
		return true
	}
	_, dup := w.seen.LoadOrStore(key, true)
	return !dup
}

// checkAPIURL refuses an http:// API URL to a host other than loopback
// unless --insecure-http is given, which then costs one warning per URL.
// A URL that does not parse is left to the collector to report.
func (a *app) checkAPIURL(flag, raw string, h hostFlags) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if raw == "" || err != nil {
		return nil
	}
	if err := httpx.CheckCleartext(u, false); err == nil {
		return nil
	} else if !h.insecureHTTP {
		return usageErr("%s: %v or give --insecure-http", flag, err)
	}
	if h.warned.first(flag + " " + u.Host) {
		a.log.Warn("--insecure-http: the token travels unencrypted", "flag", flag, "host", u.Host)
	}
	return nil
}
