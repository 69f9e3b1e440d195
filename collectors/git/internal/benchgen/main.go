// Command benchgen writes a git fast-import stream for a large synthetic
// repository (see package synth). scripts/bench-git.sh pipes it into
// `git fast-import`, then deletes the refs under refs/tmp/.
//
// Import rules: collectors/git/internal/synth and the standard library.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/cdaudit/cdaudit/collectors/git/internal/synth"
)

func main() {
	var cfg synth.Config
	flag.IntVar(&cfg.Commits, "commits", 50000, "approximate number of commits")
	flag.IntVar(&cfg.Files, "files", 2000, "files in the tree")
	flag.IntVar(&cfg.TagEvery, "tag-every", 12, "tag every n-th trunk commit")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	flag.IntVar(&cfg.Skew, "skew", 1, "chance in 1000 of a commit an hour older than its parent")
	flag.Parse()
	st, err := synth.Write(os.Stdout, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "benchgen: %d commits, %d branches, %d tags\n", st.Commits, st.Branches, st.Tags)
}
