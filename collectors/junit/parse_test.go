package junit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

const surefire = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.OrderTest" time="1.5" tests="4" failures="1" errors="0" skipped="1">
  <properties><property name="java.version" value="21"/></properties>
  <testcase name="creates" classname="com.acme.OrderTest" time="0.5"/>
  <testcase name="rejects" classname="com.acme.OrderTest" time="0.4">
    <failure message="boom" type="AssertionError">stack &lt;here&gt;</failure>
  </testcase>
  <testcase name="later" classname="com.acme.OrderTest" time="0"><skipped/></testcase>
  <testcase name="racy" classname="com.acme.OrderTest" time="0.6">
    <flakyFailure message="timeout" type="java.util.concurrent.TimeoutException"><stackTrace>x</stackTrace></flakyFailure>
    <system-out>noise</system-out>
  </testcase>
  <testcase name="broken" classname="com.acme.OrderTest" time="0.1">
    <error message="npe"/>
    <rerunError message="npe again"/>
  </testcase>
</testsuite>`

const gradleRetry = `<testsuites>
 <testsuite name="com.acme.PaymentIT" time="3">
  <testcase name="pays" classname="com.acme.PaymentIT" time="1"><failure>first try</failure></testcase>
  <testcase name="pays" classname="com.acme.PaymentIT" time="1"/>
  <testcase name="refunds" classname="com.acme.PaymentIT" time="1"/>
 </testsuite>
 <testsuite name="checkout e2e">
  <testcase name="buys" classname="Checkout" time="2.5"/>
 </testsuite>
</testsuites>`

func TestParse(t *testing.T) {
	tests := []struct {
		name, xml, path string
		want            *File
	}{
		{"surefire reruns and flaky", surefire, "target/surefire-reports/TEST-com.acme.OrderTest.xml", &File{
			Total: 5, Passed: 2, Failed: 1, Errored: 1, Skipped: 1, Duration: 1.5, Retried: 2, Flaky: 1,
			FlakyTests: []string{"com.acme.OrderTest.racy"},
			Suites:     []Suite{{Name: "com.acme.OrderTest", Total: 5, Failed: 2, Skipped: 1, Duration: 1.5}},
			Layers:     map[string]int{"unit": 5},
		}},
		{"gradle repeated cases count once", gradleRetry, "build/test-results/test/x.xml", &File{
			Total: 3, Passed: 3, Duration: 5.5, Retried: 1, Flaky: 1,
			FlakyTests: []string{"com.acme.PaymentIT.pays"},
			Suites: []Suite{{Name: "com.acme.PaymentIT", Total: 2, Duration: 3},
				{Name: "checkout e2e", Total: 1, Duration: 2.5}},
			Layers: map[string]int{"integration": 2, "e2e": 1},
		}},
		{"bare testcases under testsuites", `<testsuites><testcase name="a" time="1,5"/></testsuites>`, "x.xml", &File{
			Total: 1, Passed: 1, Duration: 1.5, Suites: []Suite{{Total: 1, Duration: 1.5}}, Layers: map[string]int{"unknown": 1},
		}},
		{"empty suite", `<testsuite name="none" tests="0"/>`, "x.xml", &File{
			Suites: []Suite{{Name: "none"}}, Layers: map[string]int{},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.xml), tt.path)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Path = tt.path
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"truncated":    `<testsuite name="a"><testcase name="x">`,
		"not junit":    `<html><body/></html>`,
		"empty":        ``,
		"mismatched":   `<testsuite><testcase></testsuite>`,
		"garbage":      "\x00\x01PK",
		"bad entity":   `<testsuite name="&bogus;"/>`,
		"two roots ok": `<testsuite/><testsuite/>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(doc), "f.xml")
			if name == "two roots ok" {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestLayer(t *testing.T) {
	tests := []struct{ suite, path, want string }{
		{"com.acme.OrderIT", "", LayerIntegration},
		{"OrderIntegrationTest", "", LayerIntegration},
		{"CheckoutE2ETest", "", LayerE2E},
		{"com.acme.OrderTest", "build/test-results/integrationTest/TEST-x.xml", LayerIntegration},
		{"com.acme.OrderTest", "target/failsafe-reports/TEST-x.xml", LayerIntegration},
		{"com.acme.OrderTest", "build/test-results/test/TEST-x.xml", LayerUnit},
		{"load scenarios", "", LayerPerformance},
		{"pkg/foo", "report.xml", LayerUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.suite+"|"+tt.path, func(t *testing.T) {
			if got := Layer(tt.suite, tt.path); got != tt.want {
				t.Errorf("Layer = %q, want %q", got, tt.want)
			}
		})
	}
}

func write(t *testing.T, dir, rel, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "build/test-results/test/TEST-a.xml", surefire)
	write(t, dir, "build/test-results/integrationTest/TEST-b.xml", gradleRetry)
	write(t, dir, "build/test-results/test/TEST-bad.xml", `<testsuite><testcase>`)
	write(t, dir, "build/test-results/test/big.xml", strings.Repeat(" ", 2000)+surefire)
	write(t, dir, "build/other/TEST-c.xml", surefire)
	c, err := New(Options{Patterns: []string{"build/test-results/**/*.xml"}, Dir: dir, MaxFileBytes: 1900})
	if err != nil {
		t.Fatal(err)
	}
	var ev model.Evidence
	res, err := c.Collect(context.Background(), &ev)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Partial || len(res.Warnings) != 2 {
		t.Fatalf("want 2 warnings and partial, got %v %q", res.Partial, res.Warnings)
	}
	for i, f := range []string{"TEST-bad.xml", "big.xml"} {
		if !strings.Contains(res.Warnings[i], f) {
			t.Errorf("warning %d %q does not name %s", i, res.Warnings[i], f)
		}
	}
	if !ev.Has(model.KindTestReports) || len(ev.TestReports) != 1 {
		t.Fatalf("want one report marked, got %d %v", len(ev.TestReports), ev.Have)
	}
	r := ev.TestReports[0]
	got := []int{r.Total, r.Passed, r.Failed, r.Errored, r.Skipped, r.Detail.Files, r.Detail.Retried, r.Detail.Flaky}
	if d := cmp.Diff([]int{8, 5, 1, 1, 1, 2, 3, 2}, got); d != "" {
		t.Errorf("counts -want +got:\n%s", d)
	}
	if d := cmp.Diff(map[string]int{"unit": 5, "integration": 2, "e2e": 1}, r.Detail.Layers); d != "" {
		t.Errorf("layers -want +got:\n%s", d)
	}
}

func TestCollectNoFiles(t *testing.T) {
	c, err := New(Options{Patterns: []string{"nothing/**/*.xml"}, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var ev model.Evidence
	res, err := c.Collect(context.Background(), &ev)
	if err != nil || !res.Partial || len(res.Warnings) != 1 || ev.Has(model.KindTestReports) {
		t.Fatalf("got %v %v %q %v", err, res.Partial, res.Warnings, ev.Have)
	}
	if _, err := New(Options{Patterns: []string{"a/[/*.xml"}}); err == nil {
		t.Error("want a bad pattern refused")
	}
}

func TestGlob(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a/x.xml", "a/b/c/y.xml", "a/b/z.txt", "q.xml"} {
		write(t, dir, p, "")
	}
	tests := []struct {
		pat  string
		want []string
	}{
		{"a/**/*.xml", []string{"a/b/c/y.xml", "a/x.xml"}},
		{"**/*.xml", []string{"a/b/c/y.xml", "a/x.xml", "q.xml"}},
		{"a/*.xml", []string{"a/x.xml"}},
		{"a/**", []string{"a/b/c/y.xml", "a/b/z.txt", "a/x.xml"}},
		{"missing/**/*.xml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.pat, func(t *testing.T) {
			got, err := Glob(dir, tt.pat)
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, g := range got {
				r, _ := filepath.Rel(dir, g)
				rel = append(rel, filepath.ToSlash(r))
			}
			if d := cmp.Diff(tt.want, rel); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}
