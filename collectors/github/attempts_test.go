package github

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestMarkSuperseded(t *testing.T) {
	j := func(name string, attempt int) model.Job { return model.Job{Name: name, Attempt: attempt} }
	tests := []struct {
		name string
		in   []model.Job
		want []bool // Retried, in order
	}{
		{"one attempt", []model.Job{j("build", 1), j("test", 1)}, []bool{false, false}},
		{"failed job re-run", []model.Job{j("build", 1), j("test", 1), j("test", 2)}, []bool{false, true, false}},
		{"whole run re-run twice", []model.Job{j("test", 3), j("test", 1), j("test", 2), j("lint", 2), j("lint", 1)},
			[]bool{false, true, true, false, true}},
		{"no attempt numbers", []model.Job{j("test", 0), j("test", 0)}, []bool{false, false}},
		{"none", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			markSuperseded(tc.in)
			var got []bool
			for _, x := range tc.in {
				got = append(got, x.Retried)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Retried (-want +got):\n%s", d)
			}
		})
	}
}

// TestJobsOfEveryAttempt: the jobs of a re-run are read with filter=all, so
// the failed first attempt of a job that passed on re-run is kept (and is
// what makes it flaky).
func TestJobsOfEveryAttempt(t *testing.T) {
	srv := startScenario(t)
	ev, _, err := newEnv(t).collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range srv.Hits() {
		if strings.HasSuffix(h.Path, "/jobs") && !strings.Contains(h.Query, "filter=all") {
			t.Errorf("jobs listed without filter=all: %s?%s", h.Path, h.Query)
		}
	}
	type att struct {
		ID, Conclusion string
		Attempt        int
		Retried        bool
	}
	var got []att
	for _, r := range ev.Runs {
		if r.ID == "103" {
			for _, j := range r.Jobs {
				got = append(got, att{j.ID, j.Conclusion, j.Attempt, j.Retried})
			}
		}
	}
	want := []att{{"1004", "failure", 1, true}, {"1005", "success", 2, false}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("jobs of the re-run run 103 (-want +got):\n%s", d)
	}
}
