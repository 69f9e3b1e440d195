package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/metrics"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

func (a *app) serveCmd() *cobra.Command {
	f := &auditFlags{}
	var listen string
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "serve [PATH]",
		Short: "Serve /metrics (Prometheus), /healthz and the latest HTML report from the store; re-audit on a schedule",
		Long: "serve exposes the latest audit of every target in the store: /metrics for Prometheus, /healthz, and / (the\n" +
			"HTML report). With --every it also re-audits PATH or the targets of --config on that schedule.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			path := firstNonEmpty(args...) // the optional PATH
			if every < 0 || every > 0 && every < time.Minute {
				return usageErr("--every %s: want 0 (only serve) or at least 1m", every)
			}
			if every == 0 && f.store.retention != "" {
				return usageErr("--retention prunes after each scheduled audit: give --every, or prune with `cdaudit audit --retention`")
			}
			cfgStore, err := configStore(f.configFile, sourceKeys(f.hosts.srcs)) // the config may name the store
			if err != nil {
				return err
			}
			if every > 0 {
				if _, err := a.resolve(f, path, time.Now()); err != nil {
					return err
				}
			}
			st, err := a.openStoreMode(ctx, f.store, cfgStore, every == 0) // read-only without --every
			if err != nil {
				return err
			}
			if st == nil {
				return usageErr("serve needs a store")
			}
			defer st.Close()
			// However many clients, the server holds a few store connections.
			st.SetPool(store.Pool{MaxOpen: serveMaxConns, MaxIdle: serveMaxConns, MaxIdleTime: time.Minute})
			reg := prometheus.NewRegistry()
			if _, err := metrics.Register(reg, st, 10*time.Second, a.log); err != nil {
				return err
			}
			h, err := metrics.NewHandler(metrics.HandlerOptions{
				Gatherer: reg,
				Health:   func(ctx context.Context) error { _, err := st.Targets(ctx); return err },
				HTML:     func(ctx context.Context, w io.Writer) error { return a.latestHTML(ctx, st, w, f.lang) },
				Version:  st.ChangeToken,    // / and /metrics are rebuilt once per store change
				MaxReads: serveMaxConns - 1, // one connection stays free for /healthz and the schedule
				Logger:   a.log,
			})
			if err != nil {
				return err
			}
			if every > 0 {
				sched := &metrics.Scheduler{Every: every, Logger: a.log, Audit: func(ctx context.Context) error {
					// Each run audits the window ending now, not the one at start-up.
					now := time.Now()
					p, err := a.resolve(f, path, now)
					if err == nil {
						err = a.expand(ctx, p, f) // new repositories join each run
					}
					if errors.Is(err, errEmptyShard) {
						return nil
					} else if err != nil {
						return err
					}
					rep, failures := a.collectAll(ctx, p, st, now)
					if len(failures) == len(p.targets) {
						return fmt.Errorf("scheduled audit: nothing collected: %v", failures[0])
					}
					a.warnFailed(failures)
					rep.Catalogue = model.CatalogueVersion()
					return a.save(ctx, st, rep, firstNonEmpty(f.store.retention, p.cfg.Retention))
				}}
				go func() {
					if err := sched.Run(ctx); err != nil && ctx.Err() == nil {
						a.log.Error("the audit schedule stopped", "err", err)
					}
				}()
			}
			var lc net.ListenConfig
			ln, err := lc.Listen(ctx, "tcp", listen)
			if err != nil {
				return usageErr("serve: %w", err)
			}
			mode := "read-only"
			if every > 0 {
				mode = "re-auditing every " + every.String()
			}
			a.said("serving http://%s (/metrics, /healthz, /) from the store %s, %s", ln.Addr(), st.Location(), mode)
			if err := metrics.ServeListener(ctx, ln, h, a.log); err != nil {
				return usageErr("serve: %w", err)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", metrics.DefaultListen, "address to listen on")
	fl.DurationVar(&every, "every", 0, "re-audit on this schedule (e.g. 24h); 0 only serves the store")
	// serve always needs its store: every target flag but --no-store.
	all := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	f.addTargetFlags(all, a.sources())
	all.VisitAll(func(fl *pflag.Flag) {
		if fl.Name != "no-store" {
			cmd.Flags().AddFlag(fl)
		}
	})
	f.format = "text"
	return cmd
}

// serveMaxConns bounds the store connections of `cdaudit serve`.
const serveMaxConns = 4

// latestHTML renders the latest audit of every target, with trends.
func (a *app) latestHTML(ctx context.Context, st *store.Store, w io.Writer, lang string) error {
	snaps, err := st.LatestAll(ctx)
	if err != nil {
		return err
	}
	cat, err := model.LoadCatalogue()
	if err != nil {
		return err
	}
	rep := &model.Report{Schema: model.ReportSchema, Version: a.env.Version}
	hist := map[string][]model.HistoryPoint{}
	for _, s := range snaps {
		rep.Targets = append(rep.Targets, s.Result)
		if s.At.After(rep.GeneratedAt) {
			rep.GeneratedAt, rep.Window = s.At, s.Window
		}
		if pts, err := a.history(ctx, st, s.Target); err == nil && len(pts) > 1 {
			hist[s.Target] = pts[:len(pts)-1] // the last point is this audit itself
		}
	}
	return report.Render(w, rep, report.FormatHTML, report.Options{Catalogue: cat, Lang: lang, History: hist})
}
