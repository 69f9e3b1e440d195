package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSourceKeys(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		keys    []string
		want    map[string]string
		wantErr string
	}{
		{"a source's key alone makes a target", "targets:\n  - fakeci: acme/app\n", []string{"fakeci"},
			map[string]string{"fakeci": "acme/app"}, ""},
		{"beside a path", "targets:\n  - path: .\n    fakeci: ' acme/app '\n", []string{"fakeci"},
			map[string]string{"fakeci": "acme/app"}, ""},
		{"unknown without the source", "targets:\n  - fakeci: acme/app\n", nil, nil, "unknown key"},
		{"empty value", "targets:\n  - fakeci: ''\n", []string{"fakeci"}, nil, "fakeci: expected a non-empty string"},
		{"not a string", "targets:\n  - fakeci: [a]\n", []string{"fakeci"}, nil, "fakeci: expected a non-empty string"},
		{"a built-in key is not taken over", "targets:\n  - github: acme/app\n", []string{"github"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("t.yaml", []byte(tt.yaml), nil, tt.keys...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.Targets[0].Sources); diff != "" {
				t.Errorf("Sources (-want +got):\n%s", diff)
			}
			if c.Targets[0].Name == "" {
				t.Error("the target has no name")
			}
		})
	}
}
