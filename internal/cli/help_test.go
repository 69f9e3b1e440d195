package cli

import (
	"regexp"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestFlagPlaceholders: pflag takes the first back-quoted word of a usage
// string as the value's placeholder in --help; it must be a placeholder
// (FILE, DIR) or the type name, never a stray quoted command.
func TestFlagPlaceholders(t *testing.T) {
	placeholder := regexp.MustCompile(`^([A-Z][A-Z0-9_.]*|string|strings|stringArray|int|duration|float64|uint|)$`)
	a := &app{env: Env{Getenv: func(string) string { return "" }}}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			name, _ := pflag.UnquoteUsage(f)
			if !placeholder.MatchString(name) {
				t.Errorf("%s --%s: --help shows the placeholder %q", c.CommandPath(), f.Name, name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(a.rootCmd())
}
