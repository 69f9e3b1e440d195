// Package junit reads JUnit XML test reports from files (the format of
// Maven surefire/failsafe, Gradle, pytest, go-junit-report, Jest and most
// test runners) into the host-neutral model: test counts, pass ratio,
// durations, retried and flaky tests (surefire rerunFailure/flakyFailure
// elements, Gradle retries as repeated test cases) and per-layer counts told
// by suite names and file paths.
//
// Files are decoded with a streaming encoding/xml decoder, several at a time;
// failure messages and captured output are skipped, never held. A malformed,
// non-JUnit or oversized file gives a warning naming the file and is left
// out; the other files go on.
//
// Import rules: collectors, model and model/vocab; it reads local files, never
// the network.
package junit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"sync"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

const maxNames = model.MaxFlakyNames

// DefaultMaxFileBytes is the default size above which a file is skipped.
const DefaultMaxFileBytes = 256 << 20

// Options configures a Collector.
type Options struct {
	// Patterns are globs of report files ("build/test-results/**/*.xml"),
	// relative to Dir unless absolute.
	Patterns []string
	// Dir is the directory relative patterns start from ("" : the current one).
	Dir string
	// MaxFileBytes skips larger files with a warning (0: DefaultMaxFileBytes).
	MaxFileBytes int64
	// Workers is the number of files parsed at once (0: 2).
	Workers int
	// Logger receives warnings; nil discards.
	Logger *slog.Logger
}

// Collector reads JUnit XML files as one test report.
type Collector struct{ opt Options }

// New checks the options; it reads nothing.
func New(opt Options) (*Collector, error) {
	if len(opt.Patterns) == 0 {
		return nil, errors.New("junit: no file pattern given")
	}
	for _, p := range opt.Patterns {
		if err := CheckPattern(p); err != nil {
			return nil, fmt.Errorf("junit: %w", err)
		}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Collector{opt: opt}, nil
}

// Kind names the source.
func (c *Collector) Kind() string { return "junit" }

// Collect reads the files and appends one test report (RunID "junit") to
// ev. No matching file leaves test reports unmarked with a warning; files
// that cannot be read are left out with a warning each (Result.Partial).
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (collectors.Result, error) {
	var res collectors.Result
	rep, warns, err := Read(ctx, c.opt)
	for _, w := range warns {
		c.opt.Logger.Warn(w)
	}
	res.Warnings = append(res.Warnings, warns...)
	if err != nil {
		res.Partial = true
		return res, err
	}
	if rep == nil {
		res.Partial = true
		return res, nil
	}
	ev.TestReports = append(ev.TestReports, *rep)
	ev.Mark(model.KindTestReports)
	res.Partial = len(warns) > 0
	return res, nil
}

// Read expands the patterns and tallies every file into one report; nil
// when no file could be read. Warnings name each file left out.
func Read(ctx context.Context, opt Options) (*model.TestReport, []string, error) {
	var files []string
	seen := map[string]bool{}
	for _, p := range opt.Patterns {
		m, err := Glob(opt.Dir, p)
		if err != nil {
			return nil, nil, fmt.Errorf("junit: %w", err)
		}
		for _, f := range m {
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		return nil, []string{fmt.Sprintf("junit: no file matches %q: test reports not collected", opt.Patterns)}, nil
	}
	max := opt.MaxFileBytes
	if max <= 0 {
		max = DefaultMaxFileBytes
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = 2
	}
	results := make([]*File, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = parseFile(files[i], max)
			}
		}()
	}
	var ctxErr error
	for i := range files {
		if ctxErr = ctx.Err(); ctxErr != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if ctxErr != nil {
		return nil, nil, ctxErr
	}
	var warns []string
	var ok []*File
	for i, f := range results {
		if errs[i] != nil {
			warns = append(warns, fmt.Sprintf("junit: %s left out: %v", files[i], errs[i]))
			continue
		}
		ok = append(ok, f)
	}
	if len(ok) == 0 {
		return nil, warns, nil
	}
	return Merge(ok), warns, nil
}

func parseFile(path string, max int64) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%d bytes, over the limit of %d", st.Size(), max)
	}
	return Parse(newReader(fh), path)
}

// Merge tallies files into one report; suites of the same name are summed.
func Merge(files []*File) *model.TestReport {
	rep := &model.TestReport{RunID: "junit"}
	det := &model.TestDetail{Source: "junit", Files: len(files), Layers: map[string]int{}}
	suites := map[string]*model.TestSuite{}
	for _, f := range files {
		rep.Total += f.Total
		rep.Passed += f.Passed
		rep.Failed += f.Failed
		rep.Errored += f.Errored
		rep.Skipped += f.Skipped
		rep.Duration += f.Duration
		det.Retried += f.Retried
		det.Flaky += f.Flaky
		for _, n := range f.FlakyTests {
			if len(det.FlakyTests) < maxNames {
				det.FlakyTests = append(det.FlakyTests, n)
			}
		}
		for l, n := range f.Layers {
			det.Layers[l] += n
		}
		for _, s := range f.Suites {
			m := suites[s.Name]
			if m == nil {
				m = &model.TestSuite{Name: s.Name}
				suites[s.Name] = m
			}
			m.Total += s.Total
			m.Failed += s.Failed
			m.Skipped += s.Skipped
			m.Duration += s.Duration
		}
	}
	for _, s := range suites {
		rep.Suites = append(rep.Suites, *s)
	}
	sort.Slice(rep.Suites, func(i, j int) bool { return rep.Suites[i].Name < rep.Suites[j].Name })
	if len(det.Layers) == 0 {
		det.Layers = nil
	}
	rep.Detail = det
	return rep
}
