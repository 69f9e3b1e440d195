package audit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

// budgeted is a hand-written collector with a booking that fits or not.
type budgeted struct {
	fake
	refuse  error
	log     *[]string
	collect *int
}

func (b budgeted) Reserve() error {
	*b.log = append(*b.log, "reserve "+b.kind)
	return b.refuse
}

func (b budgeted) Settle() { *b.log = append(*b.log, "settle "+b.kind) }

func (b budgeted) Collect(ctx context.Context, ev *model.Evidence) (collectors.Result, error) {
	*b.collect++
	return b.fake.Collect(ctx, ev)
}

func TestRunDefersWhatDoesNotFit(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{Window: model.Window{Since: now.AddDate(0, 0, -90), Until: now}, Catalogue: model.MustCatalogue(),
		Rules: rules.Defaults(), Now: func() time.Time { return now }}
	tooMuch := errors.New("the request budget of api.github.com has 3 requests left and this audit needs about 60")
	tests := []struct {
		name         string
		refuse       error
		wantLog      []string
		wantStatus   string
		wantDeferred string
		wantCollects int
	}{
		{"fits", nil, []string{"reserve gitlab", "reserve github", "settle gitlab", "settle github"}, "", "", 2},
		{"does not fit", tooMuch, []string{"reserve gitlab", "reserve github", "settle gitlab"}, model.TargetDeferred,
			"github: " + tooMuch.Error(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log []string
			n := 0
			cols := []collectors.Collector{
				fake{kind: "git", mark: []model.Kind{model.KindCommits}},
				budgeted{fake: fake{kind: "gitlab"}, log: &log, collect: &n},
				budgeted{fake: fake{kind: "github"}, refuse: tt.refuse, log: &log, collect: &n},
			}
			res, err := Run(context.Background(), Target{Name: "t", Collectors: cols}, opt)
			if err != nil {
				t.Fatalf("err = %v; a deferred target is not an error", err)
			}
			if n != tt.wantCollects {
				t.Errorf("%d budgeted collections, want %d", n, tt.wantCollects)
			}
			if diff := cmp.Diff(tt.wantLog, log); diff != "" {
				t.Errorf("bookings (-want +got):\n%s", diff)
			}
			if res.Status != tt.wantStatus || res.Deferred != tt.wantDeferred || res.Error != "" {
				t.Errorf("status %q deferred %q error %q, want %q %q and no error", res.Status, res.Deferred, res.Error,
					tt.wantStatus, tt.wantDeferred)
			}
			if tt.wantStatus == model.TargetDeferred && (len(res.Sources) != 0 || len(res.Practices) != 0) {
				t.Errorf("a deferred target collected or judged: %d sources, %d practices", len(res.Sources), len(res.Practices))
			}
		})
	}
}
