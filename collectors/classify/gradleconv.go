package classify

import (
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Gradle keeps a multi-module build's shared logic in convention plugins:
// the build's buildSrc directory, or precompiled script plugins
// (src/main/kotlin/NAME.gradle.kts) of an included build named for build
// logic (build-logic, gradle/plugins, *-conventions). Each module's build applies them by id, so the build scripts
// are structured, shared, reused at module level and maintained in one
// place — the seed's build.method L3 in Gradle's own terms. Paths tell it;
// no contents are read.

// maxConventions caps the convention plugins reported.
const maxConventions = 3

// gradleConventions returns the tree's Gradle convention plugins.
func gradleConventions(paths []string) []model.SharedBuildFile {
	var out []model.SharedBuildFile
	for _, p := range paths {
		if len(out) == maxConventions {
			break
		}
		if !strings.Contains(p, "src/main/") {
			continue // the cheap test first: most paths are not build logic
		}
		if m := gradleConvention(p); m != "" {
			out = append(out, model.SharedBuildFile{Path: p, Marker: m})
		}
	}
	return out
}

// gradleConvention says why p is a convention plugin ("" when it is not).
func gradleConvention(p string) string {
	lp := lowerASCII(p)
	if strings.Contains(lp, "/src/test/") || strings.Contains(lp, "/src/functionaltest/") {
		return ""
	}
	script := strings.HasSuffix(lp, ".gradle.kts") || strings.HasSuffix(lp, ".gradle")
	if i := strings.Index(lp, "/src/main/"); i >= 0 && script && buildLogicDir(lp[:i]) {
		rest := lp[i+len("/src/main/"):]
		if strings.HasPrefix(rest, "kotlin/") || strings.HasPrefix(rest, "groovy/") {
			return "a Gradle convention plugin (precompiled script plugin) that module builds apply"
		}
	}
	if strings.HasPrefix(lp, "buildsrc/src/main/") || strings.Contains(lp, "/buildsrc/src/main/") {
		switch {
		case script, strings.HasSuffix(lp, ".kt"), strings.HasSuffix(lp, ".groovy"), strings.HasSuffix(lp, ".java"):
			return "Gradle buildSrc: build logic shared by every module of the build"
		}
	}
	return ""
}

// buildLogicDir reports whether dir is named as a build's own logic
// (build-logic, gradle/plugins, build-conventions…): a Gradle plugin that is
// the repository's product lives in a directory named for the product.
func buildLogicDir(dir string) bool {
	for _, w := range [...]string{"build-logic", "buildlogic", "build_logic", "convention", "gradle/plugins", "gradle/build"} {
		if strings.Contains(dir, w) {
			return true
		}
	}
	return false
}
