package rules

import (
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestBuildMethodSharedBuildFile: build.method L3 holds for a build script
// that includes a shared build file declared as maintained centrally (a
// Makefile.common synced from the organisation's main repository), even
// without reusable CI parts; the reason cites the file and its header.
func TestBuildMethodSharedBuildFile(t *testing.T) {
	shared := []model.SharedBuildFile{{Path: "Makefile.common", IncludedBy: "Makefile",
		Marker: "!!! Open PRs only against the prometheus/prometheus/Makefile.common repository!"}}
	for _, tc := range []struct {
		name     string
		shared   []model.SharedBuildFile
		reusable []string
		want     string
		reason   string
	}{
		{"no shared build file, no reusable CI parts", nil, nil, "L2 measured", "no build script includes a shared build file declared as maintained centrally"},
		{"a centrally maintained Makefile.common", shared, nil, "unknown ≥3", "Makefile.common (included by Makefile; its header: \"!!! Open PRs only against the prometheus/prometheus/Makefile.common repository!\")"},
		{"a Gradle convention plugin", []model.SharedBuildFile{{Path: "build-logic/src/main/kotlin/acme.jvm-conventions.gradle.kts",
			Marker: "a Gradle convention plugin (precompiled script plugin) that module builds apply"}}, nil, "unknown ≥3",
			"build-logic/src/main/kotlin/acme.jvm-conventions.gradle.kts (a Gradle convention plugin (precompiled script plugin) that module builds apply)"},
		{"reusable CI parts still suffice", nil, []string{"org/ci/.github/workflows/build.yml@main"}, "unknown ≥3", "CI configuration shares reusable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{
				Counts:      map[model.Category]int{model.CatBuildScript: 2, model.CatCIConfig: 1},
				Files:       map[model.Category][]string{model.CatBuildScript: {"Makefile", "Makefile.common"}},
				SharedBuild: tc.shared,
			}}
			ev.Tree.Facts.CI.Reusable = tc.reusable
			dims, _, _ := judgeAll(t, ev, set())
			d := dims["build.method"]
			if g := got(d); g != tc.want {
				t.Errorf("build.method = %s, want %s; reasons:\n%v", g, tc.want, d.Reasons)
			}
			if r := strings.Join(d.Reasons, "\n"); !strings.Contains(r, tc.reason) {
				t.Errorf("reasons lack %q:\n%s", tc.reason, r)
			}
		})
	}
}
