// Package report renders a model.Report for people and programs, in the
// formats Render accepts (Formats, ParseFormat):
//
//   - text: a terminal summary, optionally coloured and verbose;
//   - markdown (md): a page for CI job summaries and review comments;
//   - html: a self-contained page with charts and the audit history's trend;
//   - json: the document described by the embedded JSON Schema
//     (schema/report.v1.json; Schema, Validate);
//   - prometheus: the text exposition format (WritePrometheus,
//     WriteTextfile for node_exporter, NewPrometheusCollector,
//     PrometheusMetrics for `cdaudit serve` and the Pushgateway).
//
// Beside reports it writes an SVG badge of a target's levels (RenderBadge)
// and the level catalogue as text, markdown or json (RenderCatalogue).
// Levels and values read the same in every format: model.Level and
// model.FormatValue.
//
// Every format has one renderer, registered in renderers(); ParseFormat
// accepts exactly the registered formats. Renderers are pure: they write to
// the given io.Writer, read no clock and produce the same bytes for the same
// report.
//
// Import rules: model and model/vocab of cdaudit; no network, database or
// os/exec.
package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Format names an output format.
type Format string

// The formats rendered by this package. Others (html, prometheus) register
// their renderers in renderers() from their own files.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

// ErrUnknownFormat is returned (wrapped) for a format without a renderer.
var ErrUnknownFormat = errors.New("unknown report format")

// Options tunes rendering.
type Options struct {
	// Lang is the language of the catalogue texts (criteria, and names in
	// Markdown): "en" or "zh"; anything else means English.
	Lang string
	// Catalogue supplies practice and dimension names and criteria; nil uses
	// model.LoadCatalogue() (and ids alone if that fails).
	Catalogue *model.Catalogue
	// Color turns on ANSI colours in the text format. Callers set it when
	// writing to a terminal.
	Color bool
	// Verbose prints every dimension with all its reasons and evidence
	// (text format).
	Verbose bool
	// History maps a target name to its earlier audits, oldest first; the
	// HTML format draws trends from it (nil: no history yet).
	History map[string][]model.HistoryPoint
}

// renderFunc writes one report in one format.
type renderFunc func(w io.Writer, r *model.Report, opt Options) error

// renderers is the one registry of report formats. Add a format by adding
// its entry here; ParseFormat and Formats follow.
func renderers() map[Format]renderFunc {
	return map[Format]renderFunc{
		FormatText:       renderText,
		FormatJSON:       renderJSON,
		FormatMarkdown:   renderMarkdown,
		FormatPrometheus: renderPrometheus,
		FormatHTML:       renderHTML,
	}
}

// catalogueRenderFunc writes the catalogue in one format.
type catalogueRenderFunc func(w io.Writer, c *model.Catalogue, lang string) error

// catalogueRenderers lists the formats RenderCatalogue supports.
func catalogueRenderers() map[Format]catalogueRenderFunc {
	return map[Format]catalogueRenderFunc{
		FormatText:     catalogueText,
		FormatJSON:     catalogueJSON,
		FormatMarkdown: catalogueMarkdown,
	}
}

// Formats lists the registered report formats, sorted.
func Formats() []Format {
	var fs []Format
	for f := range renderers() {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return fs
}

// ParseFormat parses a format name (case-insensitive; "md" means markdown).
// It accepts only formats that have a registered renderer.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if f == "md" {
		f = FormatMarkdown
	}
	if _, ok := renderers()[f]; ok {
		return f, nil
	}
	names := make([]string, 0, len(renderers()))
	for _, x := range Formats() {
		names = append(names, string(x))
	}
	return "", fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, s, strings.Join(names, ", "))
}

// Render writes r in format f.
func Render(w io.Writer, r *model.Report, f Format, opt Options) error {
	if r == nil {
		return errors.New("render report: nil report")
	}
	fn, ok := renderers()[f]
	if !ok {
		return fmt.Errorf("render report: %w %q", ErrUnknownFormat, f)
	}
	if opt.Catalogue == nil {
		opt.Catalogue = defaultCatalogue()
	}
	if err := fn(w, r, opt); err != nil {
		return fmt.Errorf("render %s report: %w", f, err)
	}
	return nil
}

// RenderCatalogue writes the level catalogue c (nil: the embedded one) in
// format f (text, json or markdown), its texts in lang ("en" or "zh").
func RenderCatalogue(w io.Writer, c *model.Catalogue, f Format, lang string) error {
	fn, ok := catalogueRenderers()[f]
	if !ok {
		return fmt.Errorf("render catalogue: %w %q (want text, json or markdown)", ErrUnknownFormat, f)
	}
	if c == nil {
		var err error
		if c, err = model.LoadCatalogue(); err != nil {
			return fmt.Errorf("render catalogue: %w", err)
		}
	}
	if err := fn(w, c, lang); err != nil {
		return fmt.Errorf("render %s catalogue: %w", f, err)
	}
	return nil
}

// defaultCatalogue returns the embedded catalogue, or an empty one when it
// cannot be loaded: names then fall back to ids, which keeps a report
// readable rather than losing it.
func defaultCatalogue() *model.Catalogue {
	c, err := model.LoadCatalogue()
	if err != nil || c == nil {
		return &model.Catalogue{}
	}
	return c
}

// errWriter remembers the first write error so renderers can print freely
// and check once at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(s string) {
	if e.err != nil {
		return
	}
	_, e.err = io.WriteString(e.w, s)
}
