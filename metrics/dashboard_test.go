package metrics

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const dashboardPath = "../deploy/grafana/cdaudit-dashboard.json"

// dashboardQueries returns every PromQL expression of the dashboard: panel
// targets and template variable queries.
func dashboardQueries(t *testing.T) (map[string]any, []string) {
	t.Helper()
	b, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Fatal("the dashboard is not valid JSON")
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, k)
			}
		case []any:
			for _, c := range x {
				walk(c, key)
			}
		case string:
			if key == "expr" || key == "definition" {
				exprs = append(exprs, x)
			}
		}
	}
	walk(d, "")
	return d, exprs
}

func TestDashboard(t *testing.T) {
	d, exprs := dashboardQueries(t)
	if v, _ := d["schemaVersion"].(float64); v < 36 {
		t.Errorf("schemaVersion = %v", d["schemaVersion"])
	}
	inputs, _ := d["__inputs"].([]any)
	if len(inputs) != 1 || inputs[0].(map[string]any)["name"] != "DS_PROMETHEUS" {
		t.Errorf("__inputs = %v, want the DS_PROMETHEUS datasource input", inputs)
	}
	panels, _ := d["panels"].([]any)
	if len(panels) < 10 {
		t.Fatalf("%d panels", len(panels))
	}
	ids := map[float64]bool{}
	for _, p := range panels {
		p := p.(map[string]any)
		id, _ := p["id"].(float64)
		if ids[id] {
			t.Errorf("duplicate panel id %v", id)
		}
		ids[id] = true
		if p["type"] == "row" {
			continue
		}
		ds, _ := p["datasource"].(map[string]any)
		if ds["uid"] != "${DS_PROMETHEUS}" {
			t.Errorf("panel %q: datasource %v", p["title"], p["datasource"])
		}
		if ts, _ := p["targets"].([]any); len(ts) == 0 {
			t.Errorf("panel %q has no query", p["title"])
		}
	}
	if len(exprs) < 15 {
		t.Fatalf("only %d expressions found", len(exprs))
	}
	families := map[string][]string{}
	for _, f := range Families() {
		families[f.Name] = f.Labels
	}
	used := map[string]bool{}
	metricRE := regexp.MustCompile(`\bcdaudit_[a-z0-9_]+`)
	selectorRE := regexp.MustCompile(`\b(cdaudit_[a-z0-9_]+)\{([^}]*)\}`)
	matcherRE := regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)`)
	for _, e := range exprs {
		for _, name := range metricRE.FindAllString(e, -1) {
			used[name] = true
			if _, ok := families[name]; !ok {
				t.Errorf("expression uses %s, which cdaudit does not emit: %s", name, e)
			}
		}
		for _, sel := range selectorRE.FindAllStringSubmatch(e, -1) {
			for _, m := range matcherRE.FindAllStringSubmatch(sel[2], -1) {
				if labels, ok := families[sel[1]]; ok && sel[1] != "cdaudit_target_info" && !slices.Contains(labels, m[1]) {
					t.Errorf("%s has no label %s: %s", sel[1], m[1], e)
				}
			}
		}
	}
	for _, want := range []string{"cdaudit_practice_level", "cdaudit_dimension_level", "cdaudit_dora_cluster",
		"cdaudit_source_up", "cdaudit_api_requests_total", "cdaudit_target_info"} {
		if !used[want] {
			t.Errorf("no panel shows %s", want)
		}
	}
}

// TestDashboardPromQL has promtool parse every expression (as recording
// rules, with the template variables filled in) when it is on PATH.
func TestDashboardPromQL(t *testing.T) {
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH")
	}
	_, exprs := dashboardQueries(t)
	vars := strings.NewReplacer("$team", ".*", "$target", ".*", "$practice", ".*")
	var rules []map[string]string
	for i, e := range exprs {
		if strings.HasPrefix(e, "label_values(") {
			// label_values(selector, label) is Grafana's: check the selector.
			e = strings.TrimPrefix(e, "label_values(")
			e = e[:strings.LastIndex(e, ",")]
		}
		rules = append(rules, map[string]string{"record": fmt.Sprintf("cdaudit:dashboard_query_%d", i), "expr": vars.Replace(e)})
	}
	// JSON is YAML: promtool reads the rule file as is.
	b, err := json.Marshal(map[string]any{"groups": []any{map[string]any{"name": "dashboard", "rules": rules}}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(path, "check", "rules", file).CombinedOutput(); err != nil {
		t.Errorf("promtool check rules: %v\n%s", err, out)
	}
}

// TestDocsListEveryFamily checks docs/metrics.md has a table row for
// every family naming its labels.
func TestDocsListEveryFamily(t *testing.T) {
	b, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, f := range Families() {
		i := strings.Index(doc, "| `"+f.Name+"` |")
		if i < 0 {
			t.Errorf("docs/metrics.md does not document %s", f.Name)
			continue
		}
		line := doc[i:]
		line = line[:max(strings.IndexByte(line, '\n'), 0)]
		for _, l := range f.Labels {
			if !strings.Contains(line, l) {
				t.Errorf("docs/metrics.md: the line of %s does not name its label %s", f.Name, l)
			}
		}
	}
}
