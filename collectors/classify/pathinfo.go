package classify

import (
	"path"
	"strings"
)

// dirFlag marks what a directory's path segments say about the files in it.
type dirFlag uint64

const (
	fVendor       dirFlag = 1 << iota // vendor/, node_modules/, third_party/
	fTestRoot                         // test/, tests/, __tests__/, spec/
	fE2E                              // e2e/, cypress/, playwright/, selenium/, acceptance/
	fIntegration                      // integration/, it/, api-tests/, contract/, pact/
	fPerf                             // perf/, load-tests/, k6/, jmeter/, gatling/, bench/
	fSecTest                          // security-tests/, zap/, pentest/, fuzz/
	fSecurity                         // security/ (a security test only under a test root)
	fTestData                         // testdata/, fixtures/, factories/, seeds/
	fTestSupport                      // testutil/, mocks/, fakes/, testenv/
	fDocs                             // docs/, doc/, documentation/
	fGenerated                        // generated/, gen/, dist/
	fK8s                              // k8s/, kube*/, deploy*/, manifests/, charts/, overlays/, base/…
	fHelm                             // charts/, chart/, helm/
	fOverlays                         // overlays/
	fDeployCtx                        // infra/, ops/, terraform/, ansible/… (where environment dirs live)
	fMigrations                       // migrations/, migrate/, changelog/…
	fAnsible                          // ansible/, playbooks/, roles/, inventories/
	fCFN                              // cloudformation/, cfn/
	fBDD                              // step_definitions/, features/
	fSystemUI                         // system/, features/ under a test root (UI tests)
	fAPIUnderTest                     // api/, requests/, http/ under a test root (interface tests)
	fExamples                         // examples/, samples/
	fTestTree                         // only test code lives below (e2e/, benchmarks/, integration-tests/…)
)

// dirInfo is what the classifier derives from one directory path.
type dirInfo struct {
	lower  string // the directory, lower case ("" at the root)
	flags  dirFlag
	last   string // last segment (lower case)
	parent string // segment before it
	env    string // environment the directory stands for ("" if none)
}

// fileInfo is one path of the tree, pre-split.
type fileInfo struct {
	path     string // as given (case kept; used to read the file)
	origBase string // base name, case kept
	dir      string // directory, lower case ("" at the root)
	base     string // base name, lower case
	ext      string // extension of base, lower case, with the dot
	stem     string // base without ext
	plain    bool   // an ordinary source file: code extension, no dot file or dot directory
	d        *dirInfo
}

// splitPath returns the directory (case kept, "" at the root) and base of p.
func splitPath(p string) (dir, base string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

// newFileInfo splits p; dir gives the dirInfo of its directory (as given).
func newFileInfo(p string, dir func(string) *dirInfo) fileInfo {
	od, ob := splitPath(p)
	f := fileInfo{path: p, origBase: ob, base: lowerASCII(ob)}
	f.d = dir(od)
	f.dir = f.d.lower
	f.ext = path.Ext(f.base)
	f.stem = strings.TrimSuffix(f.base, f.ext)
	f.plain = codeExt(f.ext) && f.base != "" && f.base[0] != '.' && (f.dir == "" || f.dir[0] != '.')
	return f
}

// freshDir analyses a directory without a cache.
func freshDir(dir string) *dirInfo { return analyzeDir(lowerASCII(dir)) }

// lowerASCII lower-cases ASCII letters, returning s itself when it has none.
func lowerASCII(s string) string {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		const hi = 0x8080808080808080
		if w&hi != 0 || (w+0x3f3f3f3f3f3f3f3f)&^(w+0x2525252525252525)&hi != 0 {
			return strings.ToLower(s)
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c-'A' < 26 || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// dirOf returns the directory part of a lower-cased path.
func dirOf(lower string) string {
	if i := strings.LastIndexByte(lower, '/'); i >= 0 {
		return lower[:i]
	}
	return ""
}

// analyzeDir computes the dirInfo of a lower-cased directory path.
func analyzeDir(dir string) *dirInfo {
	d := &dirInfo{lower: dir}
	if dir == "" {
		return d
	}
	var prev string
	var fl dirFlag
	rest := dir
	for rest != "" {
		seg := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			seg, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		sf := segFlags(seg, prev, fl)
		// environment named by the directory
		if envContainer(prev) && !genericEnvName(seg) {
			d.env = seg
		} else if d.env == "" && envWord(seg) && fl&(fK8s|fDeployCtx|fHelm|fOverlays|fAnsible|fCFN) != 0 && fl&(fTestRoot|fTestData|fVendor) == 0 {
			d.env = seg
		} else if (prev == "config" || prev == "configs") && envWord(seg) && fl&(fTestRoot|fTestData|fVendor) == 0 {
			d.env = seg
		}
		fl |= sf
		d.parent, d.last = d.last, seg
		prev = seg
	}
	d.flags = fl
	return d
}

// segFlags returns the flags one directory segment sets. prev is the
// segment before it, sofar the flags of the segments before it.
func segFlags(seg, prev string, sofar dirFlag) dirFlag {
	switch seg {
	case "vendor", "node_modules", "third_party", "third-party", "bower_components", "jspm_packages", ".yarn", "pods", "_vendor":
		return fVendor
	case "test", "tests", "__tests__", "__test__", "spec", "specs", "t", "unittest", "unittests", "unit", "unit-tests", "unit_tests":
		return fTestRoot
	case "e2e", "e2e-tests", "e2e_tests", "e2etests", "e2e-test", "end-to-end", "end2end", "cypress", "playwright",
		"selenium", "ui-tests", "ui_tests", "uitests", "ui-test", "acceptance", "acceptance-tests", "acceptance_tests",
		"system-tests", "system_tests", "systemtests", "functional-tests", "functional_tests", "functionaltests",
		"smoke-tests", "smoke_tests", "webdriver", "wdio", "nightwatch", "puppeteer", "testcafe":
		return fE2E | fTestTree
	case "integration", "integration-tests", "integration_tests", "integrationtests", "integration-test",
		"integration_test", "integrationtest", "itest", "itests", "api-tests", "api_tests", "apitests", "api-test",
		"contract-tests", "contract_tests", "contract", "pact", "pacts", "component-tests", "component_tests":
		if (seg == "integration" || seg == "contract") && prev != "" && sofar&fTestRoot == 0 {
			return fIntegration // production code can live here too
		}
		return fIntegration | fTestTree
	case "it":
		if prev == "src" || sofar&fTestRoot != 0 {
			return fIntegration | fTestTree
		}
	case "perf", "performance", "perf-tests", "perf_tests", "performance-tests", "performance_tests",
		"load", "load-tests", "load_tests", "loadtest", "loadtests", "load-test", "loadtesting", "stress",
		"stress-tests", "k6", "jmeter", "gatling", "locust", "bench", "benchmark", "benchmarks", "benches", "jmh",
		"soak", "artillery":
		switch seg {
		case "load", "stress", "soak":
			if sofar&fTestRoot == 0 {
				return 0
			}
			return fPerf
		case "perf", "performance":
			if prev != "" && sofar&fTestRoot == 0 {
				return fPerf // production code can live here too
			}
		}
		return fPerf | fTestTree
	case "security-tests", "security_tests", "securitytests", "security-test", ".zap", "zap", "pentest",
		"pentests", "dast", "fuzz", "fuzzing", "fuzz_targets", "fuzzers":
		return fSecTest | fTestTree
	case "security":
		return fSecurity
	case "testdata", "test-data", "test_data", "fixtures", "fixture", "__fixtures__", "test-fixtures",
		"test_fixtures", "testfixtures", "factories", "seeds", "seeders", "seed", "golden", "__snapshots__":
		return fTestData
	case "testutil", "testutils", "testhelper", "testhelpers", "test_helpers", "test-helpers", "testsupport",
		"testing", "mocks", "mock", "__mocks__", "fakes", "fake", "stubs", "testlib", "testenv":
		return fTestSupport
	case "docs", "doc", "documentation", "website", "docs-src", "_docs":
		return fDocs
	case "generated", "__generated__", "gen", "autogen", "dist", "zz_generated", ".next", ".nuxt":
		return fGenerated
	case "k8s", "kubernetes", "manifests", "manifest", "kustomize", "argocd", "argo", "gitops", "flux",
		"clusters", "openshift", "ocp", "istio", "base", "bases", "templates", "apps":
		if seg == "apps" && sofar&fK8s == 0 {
			return 0
		}
		if (seg == "base" || seg == "bases" || seg == "templates") && sofar&(fK8s|fHelm|fDeployCtx) == 0 {
			return 0
		}
		return fK8s
	case "charts", "chart", "helm", "helm-charts", "helmcharts":
		return fK8s | fHelm
	case "overlays":
		return fK8s | fOverlays
	case "infra", "infrastructure", "ops", "devops", "terraform", "tf", "pulumi", "iac", "platform", "live", "cdk":
		if seg == "platform" || seg == "live" {
			if sofar&fDeployCtx == 0 {
				return 0
			}
		}
		return fDeployCtx
	case "migrations", "migration", "migrate", "db_migrations", "db-migrations", "dbmigrations",
		"schema_migrations", "changelog", "changelogs", "changesets", "alembic", "flyway", "liquibase":
		if seg == "changesets" && prev != "db" {
			return 0
		}
		return fMigrations
	case "ansible", "playbooks", "roles", "inventories", "inventory", "group_vars", "host_vars":
		if seg == "roles" || seg == "inventory" {
			return fAnsible
		}
		return fAnsible | fDeployCtx
	case "cloudformation", "cfn", "cloud-formation":
		return fCFN | fDeployCtx
	case "step_definitions", "step-definitions", "stepdefinitions", "steps":
		if seg == "steps" && sofar&(fBDD|fTestRoot) == 0 {
			return 0
		}
		return fBDD
	case "features", "feature":
		if sofar&fTestRoot != 0 {
			return fSystemUI | fBDD
		}
		return fBDD
	case "system":
		if sofar&fTestRoot != 0 {
			return fSystemUI
		}
	case "api", "requests", "request", "http":
		// tests grouped by the interface they drive: tests/api,
		// spec/requests, tests/http (curl's pytest suite against servers)
		if sofar&fTestRoot != 0 {
			return fAPIUnderTest
		}
	case "examples", "example", "samples", "sample", "demo", "demos", "playground", "playgrounds":
		return fExamples
	}
	switch {
	case strings.HasPrefix(seg, "kube"), strings.HasPrefix(seg, "deploy"), strings.HasPrefix(seg, "k8s"):
		return fK8s | fDeployCtx
	case strings.HasPrefix(seg, "test") && strings.Contains(seg, "util"):
		return fTestSupport
	case strings.HasSuffix(seg, ".tests") || strings.HasSuffix(seg, ".test") || strings.HasSuffix(seg, ".unittests"):
		return fTestRoot // .NET test projects (MyApp.Tests)
	case strings.HasSuffix(seg, ".integrationtests"):
		return fTestRoot | fIntegration
	case strings.HasSuffix(seg, "-e2e") || strings.HasSuffix(seg, "_e2e") || strings.HasPrefix(seg, "e2e-") || strings.HasPrefix(seg, "e2e_"):
		return fE2E | fTestTree
	case strings.HasSuffix(seg, "-integration-tests") || strings.HasSuffix(seg, "_integration_tests") || strings.HasSuffix(seg, "-it"):
		return fIntegration | fTestTree
	}
	return 0
}

// has reports whether f's directory carries any of the flags.
func (f *fileInfo) has(fl dirFlag) bool { return f.d.flags&fl != 0 }

// inDir reports whether f lies (at any depth) below the directory prefix
// (lower case, no trailing slash).
func (f *fileInfo) inDir(prefix string) bool {
	return strings.HasPrefix(f.dir, prefix) && (len(f.dir) == len(prefix) || f.dir[len(prefix)] == '/')
}

// yamlExt reports a YAML extension.
func (f *fileInfo) yaml() bool { return f.ext == ".yml" || f.ext == ".yaml" }
