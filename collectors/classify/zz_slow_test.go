package classify

import (
	"os"
	"testing"
	"time"
)

func FuzzSlowFinder(f *testing.F) {
	for _, s := range []string{"on: push\njobs: {a: {steps: [{run: make}]}}", "a: &a [*a]", "include: [{local: '**'}]",
		"stages: [a]\nx: {extends: [x]}", "apiVersion: v1\nkind: Pod\n---\nkind: Rollout"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				os.WriteFile("/tmp/slow-input.bin", content, 0o644)
			}
		}()
		classifyContent(t, content)
		close(done)
	})
}
