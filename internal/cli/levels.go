package cli

import (
	"bytes"

	"github.com/spf13/cobra"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
)

func (a *app) levelsCmd() *cobra.Command {
	var lang, format string
	cmd := &cobra.Command{
		Use:   "levels",
		Short: "Print the level catalogue: 14 practices, 52 dimensions, 5 levels each",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if lang != "en" && lang != "zh" {
				return usageErr("--lang %q: want en or zh", lang)
			}
			f, err := report.ParseFormat(format)
			if err != nil || (f != report.FormatText && f != report.FormatJSON && f != report.FormatMarkdown) {
				return usageErr("--format %q: want text, json or markdown", format)
			}
			cat, err := model.LoadCatalogue()
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := report.RenderCatalogue(&buf, cat, f, lang); err != nil {
				return err
			}
			_, err = a.env.Stdout.Write(buf.Bytes())
			return err
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the criteria: en or zh")
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text, json or markdown")
	return cmd
}
