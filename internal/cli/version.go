package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print cdaudit's version and the revision it was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi, _ := debug.ReadBuildInfo()
			_, err := fmt.Fprintln(a.env.Stdout, versionLine(a.env.Version, bi))
			return err
		},
	}
}

// versionLine is "cdaudit VERSION (revision REV, TIME[, modified]) GOVERSION".
// VERSION is the one stamped at link time (-X main.version, as GoReleaser
// does), else the module version from build info (set by go install
// module@version), else "(devel)"; the revision comes from the VCS stamp of a
// build in a checkout. bi may be nil.
func versionLine(stamped string, bi *debug.BuildInfo) string {
	version := stamped
	if bi == nil {
		return "cdaudit " + firstNonEmpty(version, "(unknown)")
	}
	if version == "" || version == "dev" {
		version = firstNonEmpty(bi.Main.Version, "(devel)")
	}
	s := map[string]string{}
	for _, kv := range bi.Settings {
		s[kv.Key] = kv.Value
	}
	var vcs []string
	if rev := s["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		vcs = append(vcs, "revision "+rev)
	}
	if t := s["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if s["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	line := "cdaudit " + version
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	if bi.GoVersion != "" {
		line += " " + bi.GoVersion
	}
	return line
}
