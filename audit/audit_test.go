package audit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

// fake is a hand-written collector.
type fake struct {
	kind    string
	mark    []model.Kind
	partial bool
	err     error
}

func (f fake) Kind() string { return f.kind }

func (f fake) Collect(_ context.Context, ev *model.Evidence) (collectors.Result, error) {
	ev.Mark(f.mark...)
	return collectors.Result{Partial: f.partial, Warnings: []string{f.kind + " says hi"}}, f.err
}

func TestRunRecordsEachSource(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{Window: model.Window{Since: now.AddDate(0, 0, -90), Until: now}, Catalogue: model.MustCatalogue(),
		Rules: rules.Defaults(), Now: func() time.Time { return now }}
	boom := errors.New("boom")
	tests := []struct {
		name     string
		cols     []collectors.Collector
		statuses []string
		wantErr  bool
	}{
		{"all ok", []collectors.Collector{fake{kind: "git", mark: []model.Kind{model.KindCommits}}}, []string{"ok"}, false},
		{"one fails, one partial", []collectors.Collector{fake{kind: "git", err: boom}, fake{kind: "github", partial: true}},
			[]string{"failed", "partial"}, false},
		{"partial with an error", []collectors.Collector{fake{kind: "github", partial: true, err: boom}}, []string{"partial"}, false},
		{"everything fails", []collectors.Collector{fake{kind: "git", err: boom}, fake{kind: "gitlab", err: boom}},
			[]string{"failed", "failed"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), Target{Name: "t", Collectors: tt.cols}, opt)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && (!errors.Is(err, ErrNothingCollected) || !errors.Is(err, boom) || res.Error == "") {
				t.Errorf("err = %v (result error %q): want ErrNothingCollected wrapping the cause", err, res.Error)
			}
			var got []string
			for _, s := range res.Sources {
				got = append(got, s.Status)
				if s.Status == "failed" && s.Error == "" {
					t.Errorf("%s failed without an error", s.Kind)
				}
			}
			if len(got) != len(tt.statuses) {
				t.Fatalf("statuses %v, want %v", got, tt.statuses)
			}
			for i := range got {
				if got[i] != tt.statuses[i] {
					t.Errorf("statuses %v, want %v", got, tt.statuses)
				}
			}
			if len(res.Practices) != 14 {
				t.Errorf("%d practices judged, want 14 even on failure", len(res.Practices))
			}
		})
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Target{Name: "t", Collectors: []collectors.Collector{fake{kind: "git"}}}, Options{Catalogue: model.MustCatalogue()})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
