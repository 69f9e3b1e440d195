package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"text", FormatText, false},
		{"JSON", FormatJSON, false},
		{" markdown ", FormatMarkdown, false},
		{"md", FormatMarkdown, false},
		{"html", FormatHTML, false},
		{" HTML ", FormatHTML, false},
		{"prometheus", FormatPrometheus, false},
		{" Prometheus ", FormatPrometheus, false},
		{"", "", true},
		{"xml", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFormat(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrUnknownFormat) {
					t.Fatalf("ParseFormat(%q) error = %v, want ErrUnknownFormat", tc.in, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseFormat(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestFormatsMatchRenderers(t *testing.T) {
	fs := Formats()
	if len(fs) != len(renderers()) {
		t.Fatalf("Formats() = %v, renderers has %d", fs, len(renderers()))
	}
	for _, f := range fs {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, nil, FormatText, Options{}); err == nil {
		t.Error("nil report rendered")
	}
	if err := Render(&buf, sampleMeasured(), "xml", Options{}); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown format: %v", err)
	}
	if err := RenderCatalogue(&buf, fixtureCatalogue(), "html", "en"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown catalogue format: %v", err)
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestRenderReportsWriteErrors(t *testing.T) {
	for _, f := range Formats() {
		if err := Render(failingWriter{}, sampleMeasured(), f, Options{Catalogue: fixtureCatalogue()}); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: error = %v, want disk full", f, err)
		}
		if _, ok := catalogueRenderers()[f]; ok {
			if err := RenderCatalogue(failingWriter{}, fixtureCatalogue(), f, "en"); !errors.Is(err, errDiskFull) {
				t.Errorf("catalogue %s: error = %v, want disk full", f, err)
			}
		}
	}
}

// TestRenderDefaultCatalogue renders with the embedded catalogue (whatever
// its state) and with an empty one: names fall back to ids.
func TestRenderDefaultCatalogue(t *testing.T) {
	for _, cat := range []*model.Catalogue{nil, {}} {
		for _, f := range Formats() {
			var buf bytes.Buffer
			if err := Render(&buf, sampleUnknowns(), f, Options{Catalogue: cat}); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if !strings.Contains(buf.String(), "version-control") {
				t.Errorf("%s: practice id missing", f)
			}
		}
	}
}

func TestRenderEmptyReport(t *testing.T) {
	r := &model.Report{Schema: model.ReportSchema, GeneratedAt: fixedGenerated, Window: fixedWindow}
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := Render(&buf, r, f, Options{}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if f == FormatJSON {
			if err := Validate(buf.Bytes()); err != nil {
				t.Errorf("empty report does not validate: %v", err)
			}
		}
	}
}

func TestHeldBack(t *testing.T) {
	l := model.IntPtr
	dim := func(id string, level *int) model.DimensionResult { return model.DimensionResult{ID: id, Level: level} }
	tests := []struct {
		name string
		dims []model.DimensionResult
		want string
	}{
		{"none", nil, ""},
		{"all five", []model.DimensionResult{dim("a", l(5)), dim("b", l(5))}, ""},
		{"lowest", []model.DimensionResult{dim("a", l(4)), dim("b", l(2)), dim("c", l(3))}, "b"},
		{"first of ties", []model.DimensionResult{dim("a", l(3)), dim("b", l(2)), dim("c", l(2))}, "b"},
		// The dimension that caps the practice, not the first unknown one.
		{"the lowest known caps", []model.DimensionResult{dim("a", nil), dim("b", l(1))}, "b"},
		{"unknown when none is known", []model.DimensionResult{dim("a", nil), dim("b", nil)}, "a"},
		{"unknown beside level 5", []model.DimensionResult{dim("a", l(5)), dim("b", nil)}, "b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := heldBack(model.PracticeResult{Dimensions: tc.dims})
			if got := map[bool]string{true: d.ID}[ok]; got != tc.want {
				t.Errorf("heldBack = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{412, "count", "412"},
		{0.8, "ratio", "80 %"},
		{12.0 / 13.0, "ratio", "92.3 %"},
		{18.5, "h", "18.5 h"},
		{70.249, "h", "70.25 h"},
		{-0.001, "", "-0.001"},
		{-0.0000001, "", "-1e-07"},
		{300, "seconds", "5 min"},
		{3, "per day", "3 per day"},
		{45, "percent", "45 %"},
	}
	for _, tc := range tests {
		if got := formatValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("formatValue(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}

func TestShortHash(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0123456789abcdef0123456789abcdef01234567", "0123456789ab"},
		{"0123456789ab", "0123456789ab"},
		{"refs/heads/a-very-long-branch", "refs/heads/a-very-long-branch"},
	}
	for _, tc := range tests {
		if got := shortHash(tc.in); got != tc.want {
			t.Errorf("shortHash(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\nb\tc", "a b c"},
		{"\x1b[2Jx", `\x1b[2Jx`},
		{"bidi\u202e", `bidi\u202e`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"keep \uFFFD", "keep \uFFFD"},
		{"中文", "中文"},
	}
	for _, tc := range tests {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWidthTruncateWrap(t *testing.T) {
	if got := width("ab中文\x1b[31m"); got != 6 {
		t.Errorf("width = %d, want 6", got)
	}
	if got := truncate("abcdef", 4); got != "abc…" {
		t.Errorf("truncate = %q", got)
	}
	if got := truncate("中文中文", 5); got != "中文…" {
		t.Errorf("truncate CJK = %q", got)
	}
	tests := []struct {
		in   string
		w    int
		want []string
	}{
		{"", 10, []string{""}},
		{"one two three four", 10, []string{"one two", "three four"}},
		{"abcdefghijklmnopqrstuvwxyz", 10, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
		{"x abcdefghijklmnop", 10, []string{"x", "abcdefghij", "klmnop"}},
		{"中文中文中文中文", 10, []string{"中文中文中", "文中文"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, wrap(tc.in, tc.w)); diff != "" {
			t.Errorf("wrap(%q, %d) (-want +got):\n%s", tc.in, tc.w, diff)
		}
	}
}
