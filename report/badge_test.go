package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func dim(id string, level *int, basis model.Basis) model.DimensionResult {
	return model.DimensionResult{ID: id, Level: level, Basis: basis, MeasuredLevel: level}
}

// practiceOf derives a practice's level from its dimensions as the rules do.
func practiceOf(id string, dims ...model.DimensionResult) model.PracticeResult {
	p := model.PracticeResult{ID: id, Dimensions: dims}
	lowest, all := 0, true
	for _, d := range dims {
		if d.Level == nil {
			all = false
			continue
		}
		if lowest == 0 || *d.Level < lowest {
			lowest = *d.Level
		}
	}
	switch {
	case all && lowest > 0:
		p.Level = model.IntPtr(lowest)
	case lowest > 0:
		p.UpperBound = model.IntPtr(lowest)
	}
	return p
}

// attestedTarget has ci at level 3 only because of an attestation (evidence
// alone shows 2) and build at a measured 4.
func attestedTarget() model.TargetResult {
	att := dim("feedback", model.IntPtr(3), model.BasisAttested)
	att.MeasuredLevel = model.IntPtr(2)
	att.Attestation = &model.Attestation{Level: 3, By: "Alice"}
	return model.TargetResult{Name: "acme/attested", Practices: []model.PracticeResult{
		practiceOf("ci", dim("service", model.IntPtr(4), model.BasisMeasured), att),
		practiceOf("build", dim("method", model.IntPtr(4), model.BasisMeasured)),
	}}
}

func TestLowestLevel(t *testing.T) {
	i := model.IntPtr
	lb := func(l int) model.DimensionResult {
		return model.DimensionResult{ID: "x", Basis: model.BasisUnknown, LowerBound: i(l)}
	}
	unk := model.DimensionResult{ID: "u", Basis: model.BasisUnknown}
	tests := []struct {
		name string
		ps   []model.PracticeResult
		want string
		ids  []string
	}{
		{"none", nil, "unknown", nil},
		{"all known", []model.PracticeResult{practiceOf("a", dim("d", i(3), "")), practiceOf("b", dim("d", i(2), "")), practiceOf("c", dim("d", i(2), ""))}, "L2", []string{"b", "c"}},
		{"unknown but proven above the lowest", []model.PracticeResult{practiceOf("a", dim("d", i(2), "")), practiceOf("b", dim("d", i(4), ""), lb(3))}, "L2", []string{"a"}},
		{"unknown may be lower", []model.PracticeResult{practiceOf("a", dim("d", i(3), "")), practiceOf("b", dim("d", i(4), ""), lb(2))}, "≤3 unknown", []string{"a"}},
		{"bound from the unknown one", []model.PracticeResult{practiceOf("a", dim("d", i(3), "")), practiceOf("b", dim("d", i(2), ""), unk)}, "≤2 unknown", []string{"b"}},
		{"level 1 is the bottom", []model.PracticeResult{practiceOf("a", dim("d", i(1), "")), practiceOf("b", unk)}, "L1", []string{"a"}},
		{"nothing known", []model.PracticeResult{practiceOf("a", unk), practiceOf("b")}, "unknown", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := lowestLevel(tc.ps)
			if got := levelChip(s.level()).Text; got != tc.want {
				t.Errorf("lowest = %q, want %q", got, tc.want)
			}
			if diff := cmp.Diff(tc.ids, s.Practices); diff != "" {
				t.Errorf("practices (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderBadge(t *testing.T) {
	hostileID := `x"><script>alert(1)</script>`
	hostile := model.TargetResult{Name: "h", Practices: []model.PracticeResult{
		practiceOf(hostileID, dim("d", model.IntPtr(5), model.BasisMeasured))}}
	tests := []struct {
		golden   string
		target   model.TargetResult
		practice string
		want     string // aria-label
	}{
		{"badge-measured", sampleMeasured().Targets[0], "", "CD maturity: L1 · evidence L2"},
		{"badge-measured-ci", sampleMeasured().Targets[0], "ci", "ci: L2"},
		{"badge-attested", attestedTarget(), "", "CD maturity: L3 (attested) · evidence unknown"},
		{"badge-attested-build", attestedTarget(), "build", "build: L4"},
		{"badge-bound", sampleUnknowns().Targets[0], "version-control", "version-control: ≤2 unknown"},
		{"badge-unknown", sampleUnknowns().Targets[0], "metrics", "metrics: unknown"},
		{"badge-failed", sampleFailed().Targets[0], "", "CD maturity: unknown"},
		{"badge-hostile", hostile, hostileID, "x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: L5"},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := RenderBadge(&buf, tc.target, tc.practice); err != nil {
				t.Fatal(err)
			}
			svg := buf.String()
			if !strings.Contains(svg, `aria-label="`+tc.want+`"`) {
				t.Errorf("badge lacks aria-label %q:\n%s", tc.want, svg)
			}
			checkXML(t, svg)
			if strings.Contains(svg, "<script") {
				t.Error("badge contains a script element")
			}
			golden(t, tc.golden, buf.Bytes())
		})
	}
}

// checkXML parses s as XML, so every text was escaped.
func checkXML(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	elements := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("badge is not well-formed XML: %v\n%s", err, s)
		}
		if se, ok := tok.(xml.StartElement); ok {
			elements++
			for _, a := range se.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("<%s> has %s", se.Name.Local, a.Name.Local)
				}
			}
		}
	}
	if elements == 0 {
		t.Error("badge has no elements")
	}
}

func TestRenderBadgeErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderBadge(&buf, sampleMeasured().Targets[0], "no-such-practice"); !errors.Is(err, ErrUnknownPractice) {
		t.Errorf("unknown practice: error = %v", err)
	}
	if err := RenderBadge(failingWriter{}, sampleMeasured().Targets[0], ""); !errors.Is(err, errDiskFull) {
		t.Errorf("write error = %v, want disk full", err)
	}
	// A control character in a label must not make the SVG invalid XML.
	tr := model.TargetResult{Practices: []model.PracticeResult{practiceOf("a\x1b\x00b", dim("d", model.IntPtr(2), ""))}}
	if err := RenderBadge(&buf, tr, "a\x1b\x00b"); err != nil {
		t.Fatal(err)
	}
	checkXML(t, buf.String())
}

func TestTextWidth(t *testing.T) {
	// shields.io measures "build" as 27 px and "passing" as 41 px in 11 px Verdana.
	for _, tc := range []struct {
		s    string
		want float64
	}{{"build", 26.7}, {"passing", 41.7}, {"", 0}, {"中文", 22}} {
		if got := textWidth(tc.s); got < tc.want-0.5 || got > tc.want+0.5 {
			t.Errorf("textWidth(%q) = %.1f, want about %.1f", tc.s, got, tc.want)
		}
	}
	if textWidth("WWW") <= textWidth("iii") {
		t.Error("W is not wider than i")
	}
}
