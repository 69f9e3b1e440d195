package git

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	format "github.com/go-git/go-git/v5/plumbing/format/config"
)

// repoFormat is what the repository's config says about how objects are
// stored: their hash, and whether some were left out (a partial clone).
type repoFormat struct {
	objectFormat string // "" or "sha1" for SHA-1
	// partial describes a partial clone ("filter blob:none from remote
	// origin"); "" when the repository is complete.
	partial string
}

// readFormat reads commonDir/config and lists the promisor packs. A config
// go-git cannot parse counts as the default (git itself would reject a
// repository it cannot read).
func readFormat(commonDir string) repoFormat {
	var f repoFormat
	cfg := format.New()
	if b, err := os.Open(filepath.Join(commonDir, "config")); err == nil {
		if err := format.NewDecoder(b).Decode(cfg); err != nil {
			cfg = format.New()
		}
		_ = b.Close()
	}
	ext := cfg.Section("extensions")
	f.objectFormat = strings.ToLower(strings.TrimSpace(ext.Option("objectformat")))

	remote := strings.TrimSpace(ext.Option("partialclone"))
	var filters []string
	for _, s := range cfg.Section("remote").Subsections {
		filter := s.Option("partialclonefilter")
		if !s.IsName(remote) && !strings.EqualFold(s.Option("promisor"), "true") && filter == "" {
			continue
		}
		if remote == "" {
			remote = s.Name
		}
		if filter != "" {
			filters = append(filters, filter)
		}
	}
	promisorPacks, _ := filepath.Glob(filepath.Join(commonDir, "objects", "pack", "pack-*.promisor"))
	if remote == "" && len(promisorPacks) == 0 {
		return f
	}
	what := "unknown filter"
	if len(filters) > 0 {
		what = "filter " + strings.Join(filters, ", ")
	}
	if remote != "" {
		what += " from remote " + remote
	}
	f.partial = what
	return f
}

// check refuses object formats the readers cannot handle: they, like
// go-git v5 (whose hash size is chosen when it is built), read 20-byte
// SHA-1 object names only.
func (f repoFormat) check() error {
	switch f.objectFormat {
	case "", "sha1":
		return nil
	case "sha256":
		return fmt.Errorf("SHA-256 %w (extensions.objectformat = sha256)", ErrUnsupportedObjectFormat)
	}
	return fmt.Errorf("%w: %q (extensions.objectformat)", ErrUnsupportedObjectFormat, f.objectFormat)
}
