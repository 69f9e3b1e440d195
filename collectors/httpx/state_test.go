package httpx

import (
	"os"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

func TestState(t *testing.T) {
	dir := t.TempDir()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	w := model.Window{Since: day(1), Until: day(10)}
	s, err := LoadState(dir, "api.github.com", "o/r")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Watermark("pulls", w, "h1"); ok {
		t.Fatal("empty state has a watermark")
	}
	s.SetWatermark("pulls", day(10), w, "h1")
	if err := s.Put("pulls", []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}

	s2, err := LoadState(dir, "api.github.com", "o/r")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if !s2.Get("pulls", &got) || len(got) != 2 {
		t.Fatalf("blob lost: %v", got)
	}
	tests := []struct {
		name   string
		window model.Window
		hash   string
		ok     bool
	}{
		{"same window", w, "h1", true},
		{"moved forward", model.Window{Since: day(2), Until: day(11)}, "h1", true},
		{"reaches further back", model.Window{Since: day(1).Add(-time.Hour), Until: day(10)}, "h1", false},
		{"config changed", w, "h2", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, ok := s2.Watermark("pulls", tc.window, tc.hash)
			if ok != tc.ok {
				t.Fatalf("ok %v, want %v", ok, tc.ok)
			}
			if ok && !m.At.Equal(day(10)) {
				t.Errorf("At %v", m.At)
			}
		})
	}

	// Another repository has its own file; a damaged file is an empty state.
	s3, _ := LoadState(dir, "api.github.com", "o/other")
	if len(s3.Endpoints) != 0 {
		t.Error("states shared between repositories")
	}
	if err := os.WriteFile(s2.Path(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s4, err := LoadState(dir, "api.github.com", "o/r")
	if err != nil || len(s4.Endpoints) != 0 {
		t.Fatalf("damaged state: %v %v", s4.Endpoints, err)
	}
	s4.Forget("pulls")

	if HashConfig("a", 1) == HashConfig("a", 2) {
		t.Error("HashConfig ignores values")
	}
	mem, _ := LoadState("", "h", "r")
	if mem.Save() != nil || mem.Path() != "" {
		t.Error("in-memory state")
	}
}
