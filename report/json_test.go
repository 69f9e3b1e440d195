package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cdaudit/cdaudit/model"
)

func renderJSONBytes(t *testing.T, r *model.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, FormatJSON, Options{Catalogue: fixtureCatalogue()}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONValidatesAndRoundTrips(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			b := renderJSONBytes(t, s.r)
			if err := Validate(b); err != nil {
				t.Fatalf("sample does not validate: %v", err)
			}
			var back model.Report
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			// Measurement ids live in the map keys, not in the values.
			if diff := cmp.Diff(s.r, &back, cmpopts.IgnoreFields(model.Measurement{}, "ID")); diff != "" {
				t.Errorf("round trip differs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJSONIsModelEncoding checks that the renderer adds nothing to the
// model's own encoding.
func TestJSONIsModelEncoding(t *testing.T) {
	r := sampleUnknowns()
	want, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got := renderJSONBytes(t, r)
	if diff := cmp.Diff(string(want)+"\n", string(got)); diff != "" {
		t.Error(diff)
	}
}

func TestValidateRejects(t *testing.T) {
	base := renderJSONBytes(t, sampleUnknowns())
	// edit decodes the valid sample, changes it and encodes it again.
	edit := func(f func(doc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(base, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	target := func(doc map[string]any) map[string]any {
		return doc["targets"].([]any)[0].(map[string]any)
	}
	practice := func(doc map[string]any, i int) map[string]any {
		return target(doc)["practices"].([]any)[i].(map[string]any)
	}
	dim := func(doc map[string]any, p, d int) map[string]any {
		return practice(doc, p)["dimensions"].([]any)[d].(map[string]any)
	}
	tests := []struct {
		name string
		doc  []byte
	}{
		{"wrong schema id", edit(func(d map[string]any) { d["schema"] = "cdaudit.report/v2" })},
		{"unknown top-level field", edit(func(d map[string]any) { d["extra"] = 1 })},
		{"generated_at not a date-time", edit(func(d map[string]any) { d["generated_at"] = "yesterday" })},
		{"missing window", edit(func(d map[string]any) { delete(d, "window") })},
		{"source status outside enum", edit(func(d map[string]any) {
			target(d)["sources"].([]any)[0].(map[string]any)["status"] = "fine"
		})},
		{"negative request count", edit(func(d map[string]any) {
			target(d)["sources"].([]any)[1].(map[string]any)["requests"].(map[string]any)["errors"] = -1
		})},
		{"measurement value a string", edit(func(d map[string]any) {
			target(d)["measurements"].(map[string]any)["git.commits"].(map[string]any)["value"] = "57"
		})},
		{"measurement without value", edit(func(d map[string]any) {
			delete(target(d)["measurements"].(map[string]any)["git.commits"].(map[string]any), "value")
		})},
		{"practice level 6", edit(func(d map[string]any) { practice(d, 2)["level"] = 6 })},
		{"practice level 0", edit(func(d map[string]any) { practice(d, 2)["level"] = 0 })},
		{"fractional level", edit(func(d map[string]any) { practice(d, 2)["level"] = 2.5 })},
		{"basis outside enum", edit(func(d map[string]any) { dim(d, 2, 0)["basis"] = "guessed" })},
		{"unknown basis with a level", edit(func(d map[string]any) { dim(d, 0, 2)["level"] = 3 })},
		{"measured basis without a level", edit(func(d map[string]any) { dim(d, 2, 0)["level"] = nil })},
		{"attested without attestation", edit(func(d map[string]any) { delete(dim(d, 0, 0), "attestation") })},
		{"evidence ref without kind", edit(func(d map[string]any) {
			delete(dim(d, 2, 0)["evidence"].([]any)[0].(map[string]any), "kind")
		})},
		{"unknown dimension field", edit(func(d map[string]any) { dim(d, 2, 0)["confidence"] = 0.9 })},
		{"dora cluster outside enum", edit(func(d map[string]any) {
			target(d)["dora"].(map[string]any)["lead_time_for_changes"].(map[string]any)["cluster"] = "great"
		})},
		{"dora key missing", edit(func(d map[string]any) {
			delete(target(d)["dora"].(map[string]any), "change_failure_rate")
		})},
		{"label not a string", edit(func(d map[string]any) { target(d)["labels"] = map[string]any{"n": 1} })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.doc)
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Fatalf("Validate = %v, want a *SchemaError", err)
			}
		})
	}
	t.Run("not JSON", func(t *testing.T) {
		err := Validate([]byte(`{"schema":`))
		var se *SchemaError
		if err == nil || errors.As(err, &se) {
			t.Fatalf("Validate = %v, want a parse error", err)
		}
	})
}

func TestSchemaIsCopy(t *testing.T) {
	s := Schema()
	if !strings.Contains(string(s), `"cdaudit.report/v1"`) {
		t.Fatal("schema lacks its id")
	}
	s[0] = 'x'
	if Schema()[0] != '{' {
		t.Fatal("Schema returned the embedded slice")
	}
}

// TestSchemaCoversModel checks that every JSON field of the result types is
// described in the schema, so that a field added to the model is not
// forgotten here.
func TestSchemaCoversModel(t *testing.T) {
	var doc struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		def string
		v   any
	}{
		{"", model.Report{}},
		{"window", model.Window{}},
		{"target", model.TargetResult{}},
		{"source", model.SourceStatus{}},
		{"requests", model.RequestStats{}},
		{"measurement", model.Measurement{}},
		{"ref", model.Ref{}},
		{"practice", model.PracticeResult{}},
		{"dimension", model.DimensionResult{}},
		{"attestation", model.Attestation{}},
		{"dora", model.DORA{}},
		{"doraKey", model.DORAKey{}},
	} {
		props := doc.Properties
		if tc.def != "" {
			props = doc.Defs[tc.def].Properties
		}
		for _, f := range jsonFields(t, tc.v) {
			if _, ok := props[f]; !ok {
				t.Errorf("schema %q lacks field %q", tc.def, f)
			}
		}
	}
}

// jsonFields lists the JSON field names of a struct type, omitempty ones
// included, by encoding a value with every field filled in.
func jsonFields(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(fill(v))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// fill returns a copy of v with every field set to a non-zero value, so
// that omitempty fields are encoded too.
func fill(v any) any {
	rv := reflect.New(reflect.TypeOf(v)).Elem()
	fillValue(rv, 0)
	return rv.Interface()
}

func fillValue(v reflect.Value, depth int) {
	if depth > 6 {
		return
	}
	if v.Type() == reflect.TypeOf(time.Time{}) {
		v.Set(reflect.ValueOf(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Float64, reflect.Float32:
		v.SetFloat(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillValue(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillValue(s.Index(0), depth+1)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fillValue(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		fillValue(e, depth+1)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillValue(v.Field(i), depth+1)
			}
		}
	}
}

// TestDocExampleValidates keeps the example in docs/report-json.md valid.
func TestDocExampleValidates(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "report-json.md"))
	if err != nil {
		t.Skipf("docs not found: %v", err)
	}
	doc := string(b)
	start := strings.Index(doc, "```json\n")
	if start < 0 {
		t.Fatal("no json example in docs/report-json.md")
	}
	rest := doc[start+len("```json\n"):]
	end := strings.Index(rest, "```")
	if err := Validate([]byte(rest[:end])); err != nil {
		t.Errorf("docs example: %v", err)
	}
}

// TestDocCoversSchema checks that docs/report-json.md names every property
// of the schema.
func TestDocCoversSchema(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "report-json.md"))
	if err != nil {
		t.Skipf("docs not found: %v", err)
	}
	var sch any
	if err := json.Unmarshal(Schema(), &sch); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name := range props {
					if !strings.Contains(string(b), "`"+name+"`") {
						t.Errorf("docs/report-json.md does not document %q", name)
					}
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(sch)
}
