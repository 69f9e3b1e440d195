// Package collectors defines what every evidence collector implements. Each
// source (git, github, gitlab, …) lives in a package of its own below this
// one and exports a Descriptor (what it provides, with which priority, its
// flag, config key and rate-limit dialect); internal/cli keeps the one
// explicit list of them, and the audit picks the providers of each evidence
// kind from it (Choose).
//
// Import rules: model and collectors/httpx (for the Dialect type only); no
// I/O (the collectors below it do that).
package collectors

import (
	"context"

	"github.com/cdaudit/cdaudit/model"
)

// Collector fills the evidence of one target from one source. It marks the
// evidence kinds it collected completely (model.Evidence.Mark) and returns an
// error when it could not finish; what it filled before the error is kept,
// unmarked kinds are treated as unknown.
type Collector interface {
	// Kind names the source: "git", "github", "gitlab".
	Kind() string
	// Collect adds this source's evidence to ev. It must honour ctx.
	Collect(ctx context.Context, ev *model.Evidence) (Result, error)
}

// Result is what a collector reports about its own run besides the evidence.
type Result struct {
	// Partial is set when the collector finished but some evidence kinds could
	// not be had (their kinds stay unmarked).
	Partial  bool
	Warnings []string
	Requests *model.RequestStats
}
