package config

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Label names Prometheus reserves or rejects, and keys written twice, are
// refused at load with the place of the offending key.
func TestParseRefusesLabelNamesAndDuplicateKeys(t *testing.T) {
	tests := []struct {
		name, text string
		want       Error
	}{
		{"le", "targets:\n  - name: a\n    path: .\n    labels:\n      team: x\n      le: y\n",
			Error{Line: 6, Column: 7, Msg: `label name "le" is reserved by Prometheus (histogram buckets, summary quantiles)`}},
		{"quantile", "targets:\n  - {name: a, path: ., labels: {quantile: x}}\n",
			Error{Line: 2, Column: 33, Msg: `label name "quantile" is reserved by Prometheus (histogram buckets, summary quantiles)`}},
		{"double underscore", "targets:\n  - {name: a, path: ., labels: {__name__: x}}\n",
			Error{Line: 2, Column: 33, Msg: `label name "__name__": names starting with __ are reserved by Prometheus`}},
		{"invalid name", "targets:\n  - {name: a, path: ., labels: {team-name: x}}\n",
			Error{Line: 2, Column: 33, Msg: `label name "team-name" must match ^[a-zA-Z_][a-zA-Z0-9_]*$`}},
		{"leading digit", "targets:\n  - {name: a, path: ., labels: {1team: x}}\n",
			Error{Line: 2, Column: 33, Msg: `label name "1team" must match ^[a-zA-Z_][a-zA-Z0-9_]*$`}},
		{"label value not a string", "targets:\n  - {name: a, path: ., labels: {team: [x]}}\n",
			Error{Line: 2, Column: 39, Msg: `label team: expected a string`}},
		{"duplicate top key", "since: 90d\nstore: a.db\nsince: 30d\n",
			Error{Line: 3, Column: 1, Msg: `key "since" appears twice (first on line 1)`}},
		{"duplicate threshold", "thresholds:\n  branching:\n    l3_max_lifetime_hours: 1\n    l3_max_lifetime_hours: 2\n",
			Error{Line: 4, Column: 5, Msg: `key "l3_max_lifetime_hours" appears twice (first on line 3)`}},
		{"duplicate target key", "targets:\n  - name: a\n    path: .\n    name: b\n",
			Error{Line: 4, Column: 5, Msg: `key "name" appears twice (first on line 2)`}},
		{"duplicate label", "targets:\n  - name: a\n    path: .\n    labels:\n      team: x\n      team: y\n",
			Error{Line: 6, Column: 7, Msg: `key "team" appears twice (first on line 5)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("audit.yaml", []byte(tt.text), cat(t))
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("err = %v (%T), want a *config.Error", err, err)
			}
			tt.want.File = "audit.yaml"
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
