package collectors

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func provides(prio int, kinds ...model.Kind) []Provision {
	out := make([]Provision, len(kinds))
	for i, k := range kinds {
		out[i] = Provision{Kind: k, Priority: prio}
	}
	return out
}

var (
	local = Descriptor{Name: "git", Title: "local Git", Provides: provides(PriorityLocal,
		model.KindCommits, model.KindBranches, model.KindTags, model.KindTree)}
	host = Descriptor{Name: "github", Title: "GitHub", Provides: provides(PriorityHost,
		model.KindCommits, model.KindBranches, model.KindTags, model.KindTree, model.KindRuns, model.KindChanges)}
	ci = Descriptor{Name: "jenkins", Title: "Jenkins", Provides: provides(PriorityHost, model.KindRuns)}
	// weak provides commits below every other source.
	weak = Descriptor{Name: "weak", Provides: provides(1, model.KindCommits, model.KindIncidents)}
)

func TestChoose(t *testing.T) {
	tests := []struct {
		name    string
		present []Descriptor
		want    map[string][]model.Kind
	}{
		{"host alone provides history", []Descriptor{host},
			map[string][]model.Kind{"github": host.Kinds()}},
		{"local clone first for history, host for the rest", []Descriptor{host, local},
			map[string][]model.Kind{"git": local.Kinds(), "github": {model.KindRuns, model.KindChanges}}},
		{"equal priorities share a kind", []Descriptor{host, ci},
			map[string][]model.Kind{"github": host.Kinds(), "jenkins": {model.KindRuns}}},
		{"lower priority loses, keeps its own", []Descriptor{weak, local},
			map[string][]model.Kind{"git": local.Kinds(), "weak": {model.KindIncidents}}},
		{"a source left with nothing", []Descriptor{local, Descriptor{Name: "tags", Provides: provides(1, model.KindTags)}},
			map[string][]model.Kind{"git": local.Kinds(), "tags": {}}},
		{"none", nil, map[string][]model.Kind{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Choose(tt.present)); diff != "" {
				t.Errorf("Choose (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProviders(t *testing.T) {
	got := Providers([]Descriptor{weak, host, ci, local})
	want := map[model.Kind][]string{
		model.KindCommits:   {"local Git", "GitHub", "weak"},
		model.KindRuns:      {"GitHub", "Jenkins"},
		model.KindChanges:   {"GitHub"},
		model.KindIncidents: {"weak"},
	}
	// History kinds: local Git has the higher priority.
	for _, k := range []model.Kind{model.KindBranches, model.KindTags, model.KindTree} {
		want[k] = []string{"local Git", "GitHub"}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Providers (-want +got):\n%s", diff)
	}
}

func TestLookup(t *testing.T) {
	if d, ok := Lookup([]Descriptor{host, ci}, "jenkins"); !ok || d.Name != "jenkins" {
		t.Errorf("Lookup(jenkins) = %v, %v", d.Name, ok)
	}
	if _, ok := Lookup([]Descriptor{host}, "gitlab"); ok {
		t.Error("Lookup found a source not in the list")
	}
}
