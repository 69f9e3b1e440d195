// Command cdaudit audits repositories against the continuous-delivery level
// tables of the CAICT DevOps capability maturity model. main only parses,
// wires and turns the outcome into an exit code: 0 done, 1 gate failed,
// 2 bad input or failure.
//
// Import rules: internal/cli only.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/cdaudit/cdaudit/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.Env{Args: os.Args[1:], Stdout: os.Stdout, Stderr: os.Stderr, Version: version, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
