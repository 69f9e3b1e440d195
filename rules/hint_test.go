package rules

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

func TestSourceHint(t *testing.T) {
	providers := map[model.Kind][]string{
		model.KindRuns:    {"GitHub", "GitLab", "Jenkins"},
		model.KindChanges: {"GitHub"},
	}
	tests := []struct {
		name      string
		miss      []model.Kind
		providers map[model.Kind][]string
		want      string
	}{
		{"several sources", []model.Kind{model.KindRuns}, providers, " (needs a GitHub, GitLab or Jenkins source)"},
		{"one source", []model.Kind{model.KindChanges}, providers, " (needs a GitHub source)"},
		{"first kind with a source", []model.Kind{model.KindTree, model.KindChanges}, providers, " (needs a GitHub source)"},
		{"history", []model.Kind{model.KindHistory}, nil, " (needs the audit history store)"},
		{"no source known", []model.Kind{model.KindRuns}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sourceHint(tt.miss, tt.providers); got != tt.want {
				t.Errorf("sourceHint = %q, want %q", got, tt.want)
			}
		})
	}
}
