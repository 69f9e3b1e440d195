package cli

import (
	"github.com/cdaudit/cdaudit/internal/fsx"
)

// writeOutput writes data where the user asked with flag: "-" is stdout;
// a file is written by fsx.WriteFile (regular files replaced atomically,
// links followed, devices and FIFOs written as streams, directories
// refused). Nothing the user named is ever replaced by something else.
func (a *app) writeOutput(flag, path string, data []byte) error {
	if path == "-" {
		_, err := a.env.Stdout.Write(data)
		return err
	}
	if err := fsx.WriteFile(path, data, 0o644); err != nil {
		return usageErr("%s %s: %w", flag, path, err)
	}
	return nil
}
