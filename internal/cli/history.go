package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

func (a *app) historyCmd() *cobra.Command {
	var sf readStoreFlags
	var limit int
	var format, by string
	cmd := &cobra.Command{
		Use:   "history [TARGET]",
		Short: "List past audits from the store, and the level changes between them",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if format != "text" && format != "json" {
				return usageErr("--format %q: want text or json", format)
			}
			if limit < 1 {
				return usageErr("--limit %d: want at least 1", limit)
			}
			st, err := a.openReadStore(ctx, sf)
			if err != nil {
				return err
			}
			if st == nil {
				return usageErr("history needs a store")
			}
			defer st.Close()
			var buf bytes.Buffer
			if by != "" && len(args) > 0 {
				return usageErr("--by aggregates every target's latest audit: give it without TARGET")
			}
			if by != "" {
				snaps, err := st.LatestAll(ctx)
				if err != nil {
					return err
				}
				gs, err := groups(ctx, st, snaps, by)
				if err != nil {
					return err
				}
				if format == "json" {
					err = writeJSON(&buf, struct {
						Groups []groupSummary `json:"groups"`
					}{gs})
				} else {
					err = historyGroups(&buf, gs)
				}
				if err != nil {
					return err
				}
			} else if len(args) == 0 {
				snaps, err := st.LatestAll(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					err = writeJSON(&buf, summaries(snaps))
				} else {
					err = historyTargets(&buf, snaps)
				}
				if err != nil {
					return err
				}
			} else {
				snaps, err := st.History(ctx, args[0], limit)
				if err != nil {
					return err
				}
				if len(snaps) == 0 {
					return usageErr("the store holds no audit of %q (see `cdaudit history`)", args[0])
				}
				if format == "json" {
					err = writeJSON(&buf, struct {
						Audits  []snapshotSummary `json:"audits"`
						Changes []levelChange     `json:"changes"`
					}{summaries(snaps), changes(snaps)})
				} else {
					err = historyTarget(&buf, snaps)
				}
				if err != nil {
					return err
				}
			}
			_, err = a.env.Stdout.Write(buf.Bytes())
			return err
		},
	}
	addReadStoreFlags(cmd.Flags(), &sf)
	cmd.Flags().IntVar(&limit, "limit", 30, "how many audits to show")
	cmd.Flags().StringVar(&by, "by", "", "aggregate every target's latest audit by this `LABEL` (team, system…)")
	cmd.Flags().StringVarP(&format, "format", "f", "text", "text or json")
	return cmd
}

type snapshotSummary struct {
	ID        int64             `json:"id"`
	At        string            `json:"at"`
	Target    string            `json:"target"`
	Practices map[string]*int   `json:"practices"`
	Sources   map[string]string `json:"sources"`
}

func summaries(snaps []store.Snapshot) []snapshotSummary {
	var out []snapshotSummary
	for _, s := range snaps {
		ps := map[string]*int{}
		for _, p := range s.Result.Practices {
			ps[p.ID] = p.Level
		}
		src := map[string]string{}
		for _, so := range s.Result.Sources {
			src[so.Kind] = so.Status
		}
		out = append(out, snapshotSummary{ID: s.ID, At: s.At.Format("2006-01-02T15:04:05Z"), Target: s.Target, Practices: ps, Sources: src})
	}
	return out
}

func writeJSON(buf *bytes.Buffer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	buf.Write(append(b, '\n'))
	return nil
}

// historyTargets lists every target's latest audit.
func historyTargets(buf *bytes.Buffer, snaps []store.Snapshot) error {
	if len(snaps) == 0 {
		buf.WriteString("the store holds no audits yet\n")
		return nil
	}
	tw := tabwriter.NewWriter(buf, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tLAST AUDIT\tLOWEST PRACTICE\tSOURCES")
	for _, s := range snaps {
		low := "?"
		var lowest *model.PracticeResult
		for i, p := range s.Result.Practices {
			if p.Level != nil && (lowest == nil || *p.Level < *lowest.Level) {
				lowest = &s.Result.Practices[i]
			}
		}
		if lowest != nil {
			low = fmt.Sprintf("%d %s", *lowest.Level, lowest.ID)
		}
		var src []string
		for _, so := range s.Result.Sources {
			src = append(src, so.Kind+":"+so.Status)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", oneLine(s.Target), s.At.Format("2006-01-02 15:04"), low, strings.Join(src, " "))
	}
	return tw.Flush()
}

// historyTarget lists one target's audits, newest first, then the changes.
func historyTarget(buf *bytes.Buffer, snaps []store.Snapshot) error {
	tw := tabwriter.NewWriter(buf, 0, 2, 1, ' ', 0)
	var ids []string
	for _, p := range snaps[0].Result.Practices {
		ids = append(ids, p.ID)
	}
	fmt.Fprintf(tw, "AUDIT\tAT\t%s\n", strings.Join(abbrev(ids), "\t"))
	for _, s := range snaps {
		row := []string{fmt.Sprint(s.ID), s.At.Format("2006-01-02 15:04")}
		byID := map[string]model.PracticeResult{}
		for _, p := range s.Result.Practices {
			byID[p.ID] = p
		}
		for _, id := range ids {
			row = append(row, model.PracticeLevel(byID[id]).Short())
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	ch := changes(snaps)
	if len(ch) == 0 {
		buf.WriteString("\nno level changed between these audits\n")
		return nil
	}
	buf.WriteString("\nlevel changes:\n")
	for _, c := range ch {
		fmt.Fprintf(buf, "  %s  %-40s %s → %s\n", c.At, c.Key, c.From, c.To)
	}
	return nil
}

func abbrev(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		parts := strings.Split(id, "-")
		s := ""
		for _, p := range parts {
			if len(p) > 0 {
				s += p[:min(4, len(p))]
			}
		}
		out[i] = s
	}
	return out
}

type levelChange struct {
	At   string `json:"at"`
	Key  string `json:"key"`
	From string `json:"from"`
	To   string `json:"to"`
}

// changes lists practice and dimension level changes between consecutive
// audits (snaps newest first), newest first.
func changes(snaps []store.Snapshot) []levelChange {
	var out []levelChange
	for i := 0; i+1 < len(snaps); i++ {
		cur, prev := levels(snaps[i].Result), levels(snaps[i+1].Result)
		var keys []string
		for k := range cur {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := prev[k]; ok && p != cur[k] {
				out = append(out, levelChange{At: snaps[i].At.Format("2006-01-02 15:04"), Key: k, From: p, To: cur[k]})
			}
		}
	}
	return out
}

func levels(r model.TargetResult) map[string]string {
	m := map[string]string{}
	for _, p := range r.Practices {
		m[p.ID] = model.PracticeLevel(p).Short()
		for _, d := range p.Dimensions {
			v := model.DimensionLevel(d).Short()
			if d.Basis == model.BasisAttested {
				v += " (attested)"
			}
			m[p.ID+"."+d.ID] = v
		}
	}
	return m
}
