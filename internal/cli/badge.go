package cli

import (
	"bytes"
	"errors"

	"github.com/spf13/cobra"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

func (a *app) badgeCmd() *cobra.Command {
	var sf readStoreFlags
	var practice, output, from string
	cmd := &cobra.Command{
		Use:   "badge [TARGET]",
		Short: "Write an SVG badge of a practice's level (or the lowest practice's) from the last audit",
		Long: "badge draws a small SVG badge, locally, from the target's last audit in the store (or --report FILE):\n" +
			"the lowest practice level by default, or --practice ID. Attested and unknown levels are shown as such.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var target *model.TargetResult
			switch {
			case from != "":
				rep, err := readReportFile(from)
				if err != nil {
					return usageErr("--report %s: %w", from, err)
				}
				for i := range rep.Targets {
					if len(args) == 0 || rep.Targets[i].Name == args[0] {
						target = &rep.Targets[i]
						break
					}
				}
				if target == nil {
					return usageErr("--report %s has no target %q", from, firstNonEmpty(args...))
				}
			case len(args) == 1:
				st, err := a.openReadStore(ctx, sf)
				if err != nil {
					return err
				}
				if st == nil {
					return usageErr("badge needs a store or --report FILE")
				}
				defer st.Close()
				r, _, err := st.Latest(ctx, args[0])
				if errors.Is(err, store.ErrNotFound) {
					return usageErr("the store holds no audit of %q (see `cdaudit history`)", args[0])
				}
				if err != nil {
					return err
				}
				target = r
			default:
				return usageErr("name a TARGET (see `cdaudit history`) or give --report FILE")
			}
			var buf bytes.Buffer
			if err := report.RenderBadge(&buf, *target, practice); err != nil {
				return usageErr("%w", err)
			}
			return a.writeOutput("-o", firstNonEmpty(output, "-"), buf.Bytes())
		},
	}
	addReadStoreFlags(cmd.Flags(), &sf)
	cmd.Flags().StringVar(&practice, "practice", "", "practice id (default: the lowest practice)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the SVG to FILE (default stdout)")
	cmd.Flags().StringVar(&from, "report", "", "take the target from this JSON report instead of the store")
	return cmd
}
