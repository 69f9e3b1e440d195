package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGradleConventions: buildSrc and the precompiled script plugins of an
// included build for build logic are shared, centrally maintained build
// scripts; a plugin that is the product, and test sources, are not.
func TestGradleConventions(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"build-logic/src/main/kotlin/okhttp.jvm-conventions.gradle.kts", true},
		{"gradle/plugins/src/main/groovy/java-conventions.gradle", true},
		{"build-conventions/src/main/kotlin/publish.gradle.kts", true},
		{"buildSrc/src/main/kotlin/Deps.kt", true},
		{"buildSrc/build.gradle.kts", false},
		{"build-logic/src/test/kotlin/x.gradle.kts", false},
		{"src/main/kotlin/my-product-plugin.gradle.kts", false},
		{"plugin/src/main/kotlin/com.acme.lint.gradle.kts", false},
		{"build-logic/src/main/kotlin/AlpnVersions.kt", false},
	} {
		if got := gradleConvention(tc.path) != ""; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.path, got, tc.want)
		}
	}
	tf := classifyFiles(t, map[string]string{
		"settings.gradle.kts": "includeBuild(\"build-logic\")\n",
		"build-logic/src/main/kotlin/acme.jvm-conventions.gradle.kts": "plugins { `java-library` }\n",
		"core/build.gradle.kts": "plugins { id(\"acme.jvm-conventions\") }\n",
	})
	var got []string
	for _, f := range tf.SharedBuild {
		got = append(got, f.Path)
	}
	if d := cmp.Diff([]string{"build-logic/src/main/kotlin/acme.jvm-conventions.gradle.kts"}, got); d != "" {
		t.Errorf("SharedBuild (-want +got):\n%s", d)
	}
}
