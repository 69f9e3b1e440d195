// Command benchrun runs the git collector once on a repository and prints
// how long it took and what it found. scripts/bench-git.sh runs it under
// /usr/bin/time to measure wall time and peak memory.
//
// Import rules: collectors/git, model and the standard library.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/collectors/git"
	"github.com/cdaudit/cdaudit/model"
)

func main() {
	since := flag.String("since", "1970-01-01", "window start (YYYY-MM-DD)")
	until := flag.String("until", "", "window end (YYYY-MM-DD), default now")
	days := flag.Int("days", 0, "window of this many days before -until (overrides -since)")
	noGraph := flag.Bool("no-commit-graph", false, "ignore the commit-graph file")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile")
	memprofile := flag.String("memprofile", "", "write an allocation profile")
	heapprofile := flag.String("heapprofile", "", "write a profile of the memory held at the end")
	verbose := flag.Bool("v", false, "debug log")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchrun [flags] REPO")
		os.Exit(2)
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
	}
	if err := run(flag.Arg(0), *since, *until, *days, *noGraph, *cpuprofile, *heapprofile, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
	if *memprofile != "" {
		runtime.GC()
		f, err := os.Create(*memprofile)
		if err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
}

func run(repo, since, until string, days int, noGraph bool, cpuprofile, heapprofile string, verbose bool) error {
	w := model.Window{Until: time.Now().UTC()}
	if until != "" {
		t, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return err
		}
		w.Until = t
	}
	if days > 0 {
		w.Since = w.Until.AddDate(0, 0, -days)
	} else {
		t, err := time.Parse(time.DateOnly, since)
		if err != nil {
			return err
		}
		w.Since = t
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	opt := git.Options{IgnoreCommitGraph: noGraph}
	if verbose {
		opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	ev := &model.Evidence{Window: w}
	start := time.Now()
	res, err := git.New(repo, opt).Collect(context.Background(), ev)
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	if heapprofile != "" {
		runtime.GC()
		if f, err := os.Create(heapprofile); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	files := 0
	for _, c := range ev.Commits {
		files += len(c.Files)
	}
	tree := 0
	if ev.Tree != nil {
		tree = ev.Tree.FileCount
	}
	if verbose {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(os.Stderr, "heap: alloc total %d MB, sys %d MB, heap inuse %d MB, gc cycles %d\n",
			ms.TotalAlloc>>20, ms.Sys>>20, ms.HeapInuse>>20, ms.NumGC)
		if b, err := os.ReadFile("/proc/self/status"); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(l, "Rss") || strings.HasPrefix(l, "VmHWM") {
					fmt.Fprintln(os.Stderr, l)
				}
			}
		}
	}
	fmt.Printf("elapsed=%.3f commits=%d merges=%d branches=%d tags=%d files=%d tree=%d partial=%v warnings=%d have=%d\n",
		elapsed.Seconds(), len(ev.Commits), len(ev.Merges), len(ev.Branches), len(ev.Tags), files, tree,
		res.Partial, len(res.Warnings), len(ev.Have))
	return nil
}
