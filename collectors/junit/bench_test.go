package junit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// writeCorpus writes files JUnit files of cases test cases each (every 50th
// failing, every 200th a surefire flaky pass) below dir.
func writeCorpus(b *testing.B, dir string, files, cases int) {
	b.Helper()
	var sb strings.Builder
	for f := range files {
		sb.Reset()
		fmt.Fprintf(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"com.acme.pkg%d.Service%dTest\" tests=\"%d\" time=\"12.5\">\n", f%40, f, cases)
		for c := range cases {
			fmt.Fprintf(&sb, "  <testcase name=\"case%d\" classname=\"com.acme.pkg%d.Service%dTest\" time=\"0.012\">", c, f%40, f)
			switch {
			case c%50 == 7:
				sb.WriteString("<failure message=\"expected 1 but was 2\" type=\"AssertionError\">at com.acme.X(X.java:12)</failure>")
			case c%200 == 11:
				sb.WriteString("<flakyFailure message=\"timeout\"><stackTrace>at x</stackTrace></flakyFailure>")
			}
			sb.WriteString("</testcase>\n")
		}
		sb.WriteString("</testsuite>\n")
		sub := filepath.Join(dir, "build", "test-results", fmt.Sprintf("mod%d", f%20))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("TEST-%d.xml", f)), []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead10kFiles: 10,000 files, 1,000,000 test cases; target ≤ 10 s
// and ≤ 300 MB. peak-heap-MB samples the live heap during the read.
func BenchmarkRead10kFiles(b *testing.B) {
	dir := b.TempDir()
	writeCorpus(b, dir, benchFiles, 100)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var peak uint64
	for range b.N {
		done := make(chan struct{})
		go func() { // sample the heap while the files are read
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				default:
				}
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak {
					peak = ms.HeapInuse
				}
				runtime.Gosched()
				<-timeAfter()
			}
		}()
		rep, warns, err := Read(context.Background(), Options{Patterns: []string{"build/test-results/**/*.xml"}, Dir: dir})
		close(done)
		if err != nil || len(warns) > 0 || rep.Total != benchFiles*100 {
			b.Fatalf("err %v warns %d total %v", err, len(warns), rep)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func timeAfter() <-chan time.Time { return time.After(20 * time.Millisecond) }

// benchFiles is 10,000; JUNIT_BENCH_FILES lowers it for profiling.
var benchFiles = func() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("JUNIT_BENCH_FILES"), &n); err == nil && n > 0 {
		return n
	}
	return 10_000
}()
