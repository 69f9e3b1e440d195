package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/cdaudit/cdaudit/model"
)

// ErrSchemaMismatch is returned (wrapped in a *SchemaMismatchError) for a
// baseline that is not a report of the schema this cdaudit reads.
var ErrSchemaMismatch = errors.New("baseline schema mismatch")

// SchemaMismatchError says that a baseline has another schema.
type SchemaMismatchError struct {
	Got  string // "" when the file has no schema field
	Want string
}

func (e *SchemaMismatchError) Error() string {
	if e.Got == "" {
		return fmt.Sprintf("baseline is not a cdaudit report: it has no \"schema\" field (want %q)", e.Want)
	}
	return fmt.Sprintf("baseline has schema %q, but this cdaudit reads %q: write a new baseline with `cdaudit baseline`",
		e.Got, e.Want)
}

// Is matches ErrSchemaMismatch.
func (e *SchemaMismatchError) Is(target error) bool { return target == ErrSchemaMismatch }

// MaxBaselineSize bounds what ReadBaseline reads.
const MaxBaselineSize = 256 << 20

// WriteBaseline writes r as a baseline file: the report's JSON, indented,
// schema "cdaudit.report/v1".
func WriteBaseline(w io.Writer, r *model.Report) error {
	if r == nil {
		return errors.New("baseline: no report")
	}
	out := *r
	if out.Schema == "" {
		out.Schema = model.ReportSchema
	}
	if out.Schema != model.ReportSchema {
		return &SchemaMismatchError{Got: out.Schema, Want: model.ReportSchema}
	}
	b, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return fmt.Errorf("baseline: encoding: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("baseline: writing: %w", err)
	}
	return nil
}

// ReadBaseline reads a baseline file (a report JSON). Another schema gives
// a *SchemaMismatchError; broken JSON an error with its line and column.
func ReadBaseline(r io.Reader) (*model.Report, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBaselineSize+1))
	if err != nil {
		return nil, fmt.Errorf("baseline: reading: %w", err)
	}
	if len(b) > MaxBaselineSize {
		return nil, fmt.Errorf("baseline: larger than %d MiB", MaxBaselineSize>>20)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errors.New("baseline is empty: write one with `cdaudit baseline`")
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, jsonErr(b, err)
	}
	if head.Schema != model.ReportSchema {
		return nil, &SchemaMismatchError{Got: head.Schema, Want: model.ReportSchema}
	}
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, jsonErr(b, err)
	}
	for i := range rep.Targets {
		for id, m := range rep.Targets[i].Measurements {
			m.ID = id
			rep.Targets[i].Measurements[id] = m
		}
	}
	return &rep, nil
}

// jsonErr describes a JSON error with the line and column it occurred at.
func jsonErr(b []byte, err error) error {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset - 1 // the offset is just past the offending byte
	case errors.As(err, &te):
		off = te.Offset
	default:
		return fmt.Errorf("baseline is not a valid cdaudit report: %w", err)
	}
	off = min(max(off, 0), int64(len(b)))
	line := 1 + bytes.Count(b[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(b[:off], '\n')
	return fmt.Errorf("baseline is not a valid cdaudit report: line %d, column %d: %w", line, col, err)
}
