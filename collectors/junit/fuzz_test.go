package junit

import (
	"bytes"
	"testing"
)

// FuzzParse: any input gives a tally or an error, never a panic, and a tally
// is consistent (outcomes add up to the total, flaky within retried).
func FuzzParse(f *testing.F) {
	f.Add([]byte(surefire))
	f.Add([]byte(gradleRetry))
	f.Add([]byte(`<testsuites><testcase name="a"/></testsuites>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Parse(bytes.NewReader(b), "fuzz.xml")
		if err != nil {
			return
		}
		if got.Passed+got.Failed+got.Errored+got.Skipped != got.Total {
			t.Fatalf("outcomes %+v do not add up", got)
		}
		if got.Flaky > got.Retried || got.Retried > got.Total {
			t.Fatalf("flaky %d retried %d total %d", got.Flaky, got.Retried, got.Total)
		}
		n := 0
		for _, v := range got.Layers {
			n += v
		}
		if n != got.Total {
			t.Fatalf("layers %v do not add up to %d", got.Layers, got.Total)
		}
	})
}
