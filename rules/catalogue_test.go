package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/measure"
	"github.com/cdaudit/cdaudit/model"
)

// measurementIDConsts maps the names of model's MeasurementID constants to
// their ids, read from model/measurement_ids.go.
func measurementIDConsts(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "model", "measurement_ids.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == len(vs.Names) {
			for i, name := range vs.Names {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
					out[name.Name], _ = strconv.Unquote(lit.Value)
				}
			}
		}
		return true
	})
	if len(out) == 0 {
		t.Fatal("no measurement id constants found")
	}
	return out
}

var idLiteral = regexp.MustCompile(`^(git|ci|change|deploy|dora|test|coverage|protection)\.[a-z0-9_.]+$`)

// TestRulesReadProducedMeasurements: the rules name measurements only by
// model's typed ids, never by a string literal, and every id they name is
// one that measure.Compute produces.
func TestRulesReadProducedMeasurements(t *testing.T) {
	consts := measurementIDConsts(t)
	produced := map[string]bool{}
	all := []model.Kind{model.KindCommits, model.KindMerges, model.KindBranches, model.KindTags,
		model.KindTree, model.KindCommitFiles, model.KindChanges, model.KindRuns, model.KindJobs,
		model.KindTestReports, model.KindDeployments, model.KindEnvironments, model.KindReleases,
		model.KindProtection}
	for _, ev := range []*model.Evidence{{}, {Have: map[model.Kind]bool{}}} {
		ev.Mark(all...)
		for id := range measure.Compute(ev, measure.Options{}) {
			produced[id] = true
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(x.Value); err == nil && x.Kind == token.STRING && idLiteral.MatchString(s) {
					t.Errorf("%s: measurement id %q as a string literal; use model's MeasurementID constant", fset.Position(x.Pos()), s)
				}
			case *ast.SelectorExpr:
				if pkg, ok := x.X.(*ast.Ident); ok && pkg.Name == "model" {
					if id, ok := consts[x.Sel.Name]; ok {
						read++
						if !produced[id] {
							t.Errorf("%s: the rules read %s (%s), which no code produces", fset.Position(x.Pos()), x.Sel.Name, id)
						}
					}
				}
			}
			return true
		})
	}
	if read < 20 {
		t.Errorf("found only %d measurement reads in the rules; is the scan broken?", read)
	}
}
