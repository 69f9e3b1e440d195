package cli

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVersionLine(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123"},
		{Key: "vcs.time", Value: "2026-06-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name, stamped string
		bi            *debug.BuildInfo
		want          string
	}{
		{"go install module@version", "dev", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}},
			"cdaudit v1.4.0 go1.26.8"},
		{"build in a checkout", "dev", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"cdaudit (devel) (revision 0123456789ab, 2026-06-01T10:00:00Z, modified) go1.26.8"},
		{"release build stamps the version", "1.4.0", &debug.BuildInfo{GoVersion: "go1.26.8", Settings: vcs[:3]},
			"cdaudit 1.4.0 (revision 0123456789ab, 2026-06-01T10:00:00Z) go1.26.8"},
		{"no module version", "", &debug.BuildInfo{}, "cdaudit (devel)"},
		{"no build info", "", nil, "cdaudit (unknown)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, versionLine(tc.stamped, tc.bi)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestVersionCommandIsNeverOnlyDev(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "cdaudit ") || strings.TrimSpace(out) == "cdaudit dev" || !strings.Contains(out, " go1.") {
		t.Errorf("exit %d: %q", code, out)
	}
}
