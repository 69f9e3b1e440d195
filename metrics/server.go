package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultListen is where `cdaudit serve` listens unless told otherwise:
// loopback only, so exposing it is a deliberate choice.
const DefaultListen = "127.0.0.1:9317"

// Timeouts of the handler and the server.
const (
	DefaultHealthTimeout = 5 * time.Second
	shutdownTimeout      = 5 * time.Second
)

// MaxScrapesInFlight is how many /metrics requests are served at once;
// promhttp answers 503 beyond it.
const MaxScrapesInFlight = 32

// HandlerOptions configure NewHandler.
type HandlerOptions struct {
	// Gatherer is what /metrics exposes: the registry the Collector is
	// registered on. Required.
	Gatherer prometheus.Gatherer
	// Health reports whether the store answers, e.g.
	// func(ctx context.Context) error { _, err := st.Targets(ctx); return err }.
	// nil: /healthz always answers 200.
	Health func(ctx context.Context) error
	// HTML writes the latest report as an HTML page for /; nil serves a
	// small index linking /metrics and /healthz instead.
	HTML func(ctx context.Context, w io.Writer) error
	// Version returns a token that changes whenever the store does, e.g.
	// (*store.Store).ChangeToken. With it, / is rendered (and gzipped) once
	// per change and /metrics gathered once per change, both served from
	// memory in between; nil renders and gathers on every request.
	Version func(ctx context.Context) (string, error)
	// CheckEvery is how often Version is called at most (≤ 0:
	// DefaultCheckEvery): a new audit shows within that delay.
	CheckEvery time.Duration
	// MaxReads bounds the renders and gathers reading the store at once
	// (≤ 0: DefaultMaxReads).
	MaxReads int
	// HealthTimeout bounds one Health call (≤ 0: DefaultHealthTimeout).
	HealthTimeout time.Duration
	// Logger receives request errors; nil discards them.
	Logger *slog.Logger
}

// NewHandler returns the handler of `cdaudit serve`: GET /metrics (the
// gatherer, in whatever exposition format the scraper negotiates), GET
// /healthz (200 "ok" when Health succeeds, else 503) and GET / (the HTML
// report). Other paths are 404, other methods 405.
func NewHandler(opt HandlerOptions) (http.Handler, error) {
	if opt.Gatherer == nil {
		return nil, errors.New("metrics handler: no gatherer")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.HealthTimeout <= 0 {
		opt.HealthTimeout = DefaultHealthTimeout
	}
	if opt.CheckEvery <= 0 {
		opt.CheckEvery = DefaultCheckEvery
	}
	if opt.MaxReads <= 0 {
		opt.MaxReads = DefaultMaxReads
	}
	lim := make(limiter, opt.MaxReads)
	var tk *tokens
	gatherer := opt.Gatherer
	if opt.Version != nil {
		tk = &tokens{read: opt.Version, every: opt.CheckEvery, now: time.Now}
		gatherer = &cachedGatherer{g: opt.Gatherer, tokens: tk, lim: lim}
	}
	pages := &pageCache{render: opt.HTML, tokens: tk, lim: lim}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{
		ErrorLog:            printlnLogger{opt.Logger},
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: MaxScrapesInFlight,
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		noCache(w)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if opt.Health != nil {
			ctx, cancel := context.WithTimeout(r.Context(), opt.HealthTimeout)
			defer cancel()
			if err := opt.Health(ctx); err != nil {
				opt.Logger.Warn("health check failed", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, "store unavailable\n")
				return
			}
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if opt.HTML == nil {
			noCache(w)
			io.WriteString(w, indexPage)
			return
		}
		// The page is rendered fully first: a failure is then a clean 500,
		// not half a page.
		p, err := pages.get(r.Context())
		if err != nil {
			opt.Logger.Error("rendering the HTML report", "err", err)
			noCache(w)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "the report could not be rendered; see the server log\n")
			return
		}
		servePage(w, r, p)
	})
	return mux, nil
}

const indexPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>cdaudit</title></head>
<body><h1>cdaudit</h1><ul><li><a href="metrics">metrics</a></li><li><a href="healthz">healthz</a></li></ul></body></html>
`

func noCache(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

// printlnLogger adapts a slog.Logger to promhttp's error log.
type printlnLogger struct{ l *slog.Logger }

func (p printlnLogger) Println(v ...any) { p.l.Error(fmt.Sprint(v...)) }

// Serve listens on addr (DefaultListen when empty) and serves h until ctx
// is done, then shuts down gracefully.
func Serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	if addr == "" {
		addr = DefaultListen
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return ServeListener(ctx, ln, h, logger)
}

// ServeListener serves h on ln until ctx is done, then shuts down: new
// connections are refused and requests in flight get shutdownTimeout to
// finish. It returns nil after a shutdown on ctx, the server's error
// otherwise; it leaves no goroutine behind either way.
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		srv.Close()
		return fmt.Errorf("shutting down %s: %w", ln.Addr(), err)
	}
	return nil
}
