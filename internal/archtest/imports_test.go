package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/cdaudit/cdaudit"

// rule is what one package's non-test code may import.
type rule struct {
	// may lists the module's packages it may import directly, relative to
	// the module ("model", "collectors/httpx"); "*" allows any but those in
	// not and the test-only packages.
	may []string
	// not lists import paths it must not have; "x/..." is x and below.
	not []string
	// ext, when not nil, lists the only third-party imports allowed
	// ("x/..." is x and below); the standard library is not limited by it.
	ext []string
}

var (
	// noIO: a package that computes from values only.
	noIO = []string{"os", "os/exec", "net/...", "database/sql/...", "syscall", "log/slog"}
	// noNet: a package that reads local files but never the network.
	noNet = []string{"net/...", "os/exec"}
	// hostCollector: what a collector of a Git host or CI server may use.
	hostCollector = []string{"collectors", "collectors/classify", "collectors/httpx", "collectors/junit", "model", "model/vocab"}
	// testOnly: packages only tests may import (fakes of hosts, fixtures).
	testOnly = []string{"collectors/github/githubfake", "collectors/gitlab/gitlabfake",
		"collectors/jenkins/jenkinsfake", "collectors/argocd/argocdfake", "internal/gittest"}
	none = []string{}
)

// rules is the one table of import rules; every package of the module has
// a row, and its package comment says the same in words.
var rules = map[string]rule{
	"model":       {may: none, not: noIO, ext: []string{"go.yaml.in/yaml/v3"}},
	"model/vocab": {may: []string{"model"}, not: noIO, ext: none},
	"measure":     {may: []string{"model", "model/vocab"}, not: noIO, ext: none},
	"rules":       {may: []string{"model", "model/vocab"}, not: noIO, ext: []string{"go.yaml.in/yaml/v3"}},
	"gate":        {may: []string{"model"}, not: noIO},
	"report":      {may: []string{"model", "model/vocab"}, not: []string{"net/http/...", "database/sql/...", "os/exec"}},
	"store":       {may: []string{"model"}, not: []string{"net/http/...", "os/exec"}},
	"metrics":     {may: []string{"model", "report", "store"}, not: []string{"os/exec", "database/sql/..."}},
	"audit":       {may: []string{"collectors", "measure", "model", "model/vocab", "rules"}, not: []string{"net/http/...", "database/sql/...", "os/exec"}},
	"config":      {may: []string{"measure", "model", "model/vocab", "rules"}, not: noNet},
	"attest":      {may: []string{"internal/sshsig", "model"}, not: noNet},

	"collectors":           {may: []string{"model", "collectors/httpx"}, not: noIO},
	"collectors/classify":  {may: []string{"model", "model/vocab"}, not: noNet},
	"collectors/httpx":     {may: []string{"model"}, not: []string{"os/exec"}},
	"collectors/junit":     {may: []string{"collectors", "model", "model/vocab"}, not: noNet},
	"collectors/github":    {may: hostCollector, not: []string{"os/exec"}},
	"collectors/gitlab":    {may: hostCollector, not: []string{"os/exec"}},
	"collectors/jenkins":   {may: hostCollector, not: []string{"os/exec"}},
	"collectors/argocd":    {may: hostCollector, not: []string{"os/exec"}},
	"collectors/incidents": {may: hostCollector, not: []string{"os/exec"}},
	"collectors/git": {may: []string{"collectors", "collectors/classify", "model", "model/vocab",
		"collectors/git/internal/odb", "collectors/git/internal/pqueue"}, not: noNet},
	"collectors/git/internal/odb": {may: []string{"collectors/git/internal/pqueue"},
		not: append([]string{"log/slog"}, noNet...), ext: []string{"github.com/go-git/go-git/v5/plumbing/..."}},
	"collectors/git/internal/pqueue":   {may: none, not: noIO, ext: none},
	"collectors/git/internal/synth":    {may: none, not: noIO, ext: none},
	"collectors/git/internal/benchgen": {may: []string{"collectors/git/internal/synth"}, ext: none},
	"collectors/git/internal/benchrun": {may: []string{"collectors/git", "model"}, ext: none},

	"collectors/github/githubfake":   {may: none},
	"collectors/gitlab/gitlabfake":   {may: none},
	"collectors/jenkins/jenkinsfake": {may: none},
	"collectors/argocd/argocdfake":   {may: none},

	"internal/cli":     {may: []string{"*"}},
	"cmd/cdaudit":      {may: []string{"internal/cli"}},
	"internal/fsx":     {may: none, not: []string{"net/http/...", "os/exec"}, ext: none},
	"internal/sshsig":  {may: none, not: noNet, ext: []string{"golang.org/x/crypto/..."}},
	"internal/gittest": {may: none, ext: none},

	// Test-only packages: no code outside their tests.
	"internal/archtest":    {may: none, ext: none},
	"internal/parity":      {may: none, ext: none},
	"internal/releasetest": {may: none, ext: none},
	"deploy/kubernetes":    {may: none, ext: none},
}

type pkg struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	Imports    []string
}

// listPackages runs go list on the whole module.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Dir,Standard,GoFiles,Imports", "./...")
	cmd.Dir = strings.TrimSpace(string(root))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, stderr.Bytes())
	}
	var pkgs []pkg
	for d := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := d.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}

// matches reports whether path is one of pats ("x/..." is x and below).
func matches(path string, pats []string) bool {
	for _, p := range pats {
		if base, ok := strings.CutSuffix(p, "/..."); ok {
			if path == base || strings.HasPrefix(path, base+"/") {
				return true
			}
		} else if path == p {
			return true
		}
	}
	return false
}

// violations returns what p imports against r, one line each.
func violations(rel string, imports []string, r rule) []string {
	var bad []string
	for _, imp := range imports {
		own, mine := strings.CutPrefix(imp, module+"/")
		switch {
		case mine && matches(own, testOnly):
			bad = append(bad, imp+" (test-only package)")
		case mine && !slices.Contains(r.may, "*") && !slices.Contains(r.may, own):
			bad = append(bad, imp+" (not in its rule's list)")
		case matches(imp, r.not):
			bad = append(bad, imp+" (forbidden)")
		case !mine && r.ext != nil && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") && !matches(imp, r.ext):
			bad = append(bad, imp+" (third-party package not allowed)")
		}
	}
	return bad
}

// TestImportRules fails when a package imports what its rule forbids, or
// has no rule (a misspelt row leaves its package without one). Rows for
// packages not written yet are harmless.
func TestImportRules(t *testing.T) {
	for _, p := range listPackages(t) {
		rel, ok := strings.CutPrefix(p.ImportPath, module+"/")
		if !ok {
			continue // the module root has no package
		}
		t.Run(rel, func(t *testing.T) {
			r, ok := rules[rel]
			if !ok {
				t.Fatalf("no import rule for %s: add a row to internal/archtest/imports_test.go and an \"Import rules:\" paragraph to its package comment", rel)
			}
			for _, v := range violations(rel, p.Imports, r) {
				t.Errorf("%s imports %s; its rule (internal/archtest, and its package comment) forbids it", rel, v)
			}
		})
	}
}

// TestPackageCommentsStateImportRules checks that every package comment has
// an "Import rules:" paragraph naming each package of the module it may
// import.
func TestPackageCommentsStateImportRules(t *testing.T) {
	for _, p := range listPackages(t) {
		rel, ok := strings.CutPrefix(p.ImportPath, module+"/")
		if !ok {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			var doc string
			for _, f := range p.GoFiles {
				af, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, f), nil, parser.PackageClauseOnly|parser.ParseComments)
				if err != nil {
					t.Fatal(err)
				}
				if af.Doc != nil {
					doc += af.Doc.Text()
				}
			}
			_, para, ok := strings.Cut(doc, "Import rules:")
			if !ok {
				t.Fatalf("the package comment of %s has no \"Import rules:\" paragraph", rel)
			}
			para, _, _ = strings.Cut(para, "\n\n")
			para = strings.Join(strings.Fields(para), " ")
			for _, m := range rules[rel].may {
				if m != "*" && !strings.Contains(para, m) {
					t.Errorf("the import rules in the comment of %s do not name %s, which its rule allows: %q", rel, m, para)
				}
			}
		})
	}
}

func TestViolations(t *testing.T) {
	r := rule{may: []string{"model"}, not: []string{"net/...", "os"}, ext: []string{"go.yaml.in/yaml/v3"}}
	for _, tc := range []struct {
		name    string
		imports []string
		bad     int
	}{
		{"allowed", []string{"fmt", module + "/model", "go.yaml.in/yaml/v3", "strings"}, 0},
		{"another cdaudit package", []string{module + "/store"}, 1},
		{"a fake", []string{module + "/collectors/github/githubfake"}, 1},
		{"forbidden subtree", []string{"net/http", "net", "os"}, 3},
		{"third party", []string{"github.com/spf13/cobra"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := violations("x", tc.imports, r); len(got) != tc.bad {
				t.Errorf("violations(%q) = %q, want %d", tc.imports, got, tc.bad)
			}
		})
	}
	if got := violations("cli", []string{module + "/store", module + "/internal/gittest"}, rule{may: []string{"*"}}); len(got) != 1 {
		t.Errorf("\"*\" allowed a test-only package or refused another: %q", got)
	}
}
