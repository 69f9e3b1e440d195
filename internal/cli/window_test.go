package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/store"
)

func TestParseWindowRange(t *testing.T) {
	now := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	tests := []struct {
		name, since, until string
		want               model.Window
		wantErr            string
	}{
		{"days", "90d", "", model.Window{Since: now.AddDate(0, 0, -90), Until: now}, ""},
		{"hours across days", "36h", "", model.Window{Since: now.Add(-36 * time.Hour), Until: now}, ""},
		{"from 1970", "1970-01-01", "1970-01-02",
			model.Window{Since: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)}, ""},
		{"years before 1970", "99999y", "", model.Window{}, `--since: "99999y" is out of range`},
		{"date before 1970", "1600-01-01", "", model.Window{}, `--since: "1600-01-01" is out of range`},
		{"RFC 3339 before 1970", "1969-12-31T23:59:59Z", "", model.Window{}, "out of range"},
		{"offset moves it before 1970", "1970-01-01T00:00:00+01:00", "", model.Window{}, "out of range"},
		{"days overflow", "9999999999d", "", model.Window{}, `"9999999999d" is out of range`},
		{"hours overflow", "9999999999999h", "", model.Window{}, "out of range"},
		{"digits beyond int", "99999999999999999999999w", "", model.Window{}, "out of range"},
		{"hours before 1970", "500000h", "", model.Window{}, "out of range"},
		{"until before 1970", "1d", "1960-01-01", model.Window{}, `--until: "1960-01-01" is out of range`},
		{"until past 9999", "1d", "9999-12-31T23:00:00-05:00", model.Window{}, "--until: \"9999-12-31T23:00:00-05:00\" is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWindow(tt.since, tt.until, now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q (window %v)", err, tt.wantErr, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("window (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRetention(t *testing.T) {
	tests := []struct {
		in      string
		want    store.Retention
		wantErr string
	}{
		{"keep:5", store.Retention{KeepLast: 5}, ""},
		{"keep:0", store.Retention{}, "at least 1"},
		{"keep:5abc", store.Retention{}, "keep:N"},
		{"keep:99999999999999999999", store.Retention{}, "keep:N"},
		{"0d", store.Retention{}, "zero"},
		{"9999999999d", store.Retention{}, "out of range"},
		{"99999y", store.Retention{}, "out of range"},
		{"2026-01-01", store.Retention{}, "want an age"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRetention(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q (got %+v)", err, tt.wantErr, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("retention (-want +got):\n%s", diff)
			}
		})
	}
	if got, err := parseRetention("90d"); err != nil || got.MaxAge < 89*24*time.Hour || got.MaxAge > 92*24*time.Hour {
		t.Errorf("90d: %+v, %v", got, err)
	}
}

// Dates and retentions out of range are refused before any work: no
// report, no store, one line, exit 2.
func TestRefusedBeforeWork(t *testing.T) {
	dir := t.TempDir()
	cfg := dir + "/old.yaml"
	if err := os.WriteFile(cfg, []byte("since: 1600-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"since years", []string{"audit", dir, "--since", "99999y"}, `"99999y" is out of range`},
		{"since 1600", []string{"audit", dir, "--since", "1600-01-01"}, `"1600-01-01" is out of range`},
		{"since overflow", []string{"check", dir, "--since", "9999999999d"}, "out of range"},
		{"config since", []string{"baseline", dir, "--config", cfg}, "(since/until of " + cfg + ")"},
		{"retention", []string{"audit", dir, "--retention", "9999999999d"}, "retention"},
		{"retention zero", []string{"audit", dir, "--retention", "0d"}, "zero"},
		{"every overflow", []string{"serve", "--every", "9999999999h"}, "--every"},
		{"every too short", []string{"serve", "--every", "1ns"}, "--every 1ns: want 0 (only serve) or at least 1m"},
		{"every negative", []string{"serve", "--every", "-1h"}, "--every -1h0m0s"},
		{"history limit", []string{"history", "--limit", "-1"}, "--limit -1: want at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tt.args, "--quiet")...)
			if code != ExitError || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stdout %.100q, stderr %q; want exit 2 and one line containing %q", code, stdout, stderr, tt.want)
			}
		})
	}
}
