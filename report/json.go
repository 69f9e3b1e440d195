package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cdaudit/cdaudit/model"
)

//go:embed schema/report.v1.json
var schemaJSON []byte

// schemaID is the $id of the embedded schema.
const schemaID = "https://github.com/cdaudit/cdaudit/report/schema/report.v1.json"

// Schema returns the JSON Schema (draft 2020-12) of the JSON report, a copy
// the caller may keep.
func Schema() []byte { return bytes.Clone(schemaJSON) }

// renderJSON writes the model's own JSON encoding, indented by two spaces.
func renderJSON(w io.Writer, r *model.Report, _ Options) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// SchemaError is returned by Validate when a document is well-formed JSON
// that does not match the schema.
type SchemaError struct {
	Err error // the validator's error, listing every failing location
}

func (e *SchemaError) Error() string {
	return "report does not match " + model.ReportSchema + ": " + e.Err.Error()
}

// Unwrap returns the validator's error.
func (e *SchemaError) Unwrap() error { return e.Err }

// Validate checks that data is a JSON report matching the embedded schema.
// It returns a *SchemaError for a mismatch, another error for bad JSON.
func Validate(data []byte) error {
	sch, err := compileSchema()
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("validate report: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return &SchemaError{Err: err}
	}
	return nil
}

// compileSchema compiles the embedded schema, asserting formats
// (date-time).
func compileSchema() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded report schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(schemaID, doc); err != nil {
		return nil, fmt.Errorf("embedded report schema: %w", err)
	}
	sch, err := c.Compile(schemaID)
	if err != nil {
		return nil, fmt.Errorf("embedded report schema: %w", err)
	}
	return sch, nil
}
