package report

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"

	"github.com/cdaudit/cdaudit/model"
)

// FormatHTML is the self-contained HTML page: inline CSS, inline script,
// charts drawn as inline SVG at render time, nothing fetched.
const FormatHTML Format = "html"

//go:embed htmlassets/report.html.tmpl htmlassets/fleet.html.tmpl htmlassets/report.css htmlassets/report.js htmlassets/fleet.js
var htmlAssets embed.FS

// maxHTMLEvidence caps the evidence listed per dimension; the JSON report
// keeps everything.
const maxHTMLEvidence = 25

// htmlAssetSet is the parsed template with the style sheet and script it
// inlines, and the Content-Security-Policy that admits exactly those two.
type htmlAssetSet struct {
	tmpl   *template.Template
	css    string
	script string
	csp    string
	fleet  string // the fleet section's script, appended when a page has one
}

// loadHTMLAssets parses the embedded template. It is cheap enough to do per
// render, which keeps the package free of globals.
func loadHTMLAssets() (*htmlAssetSet, error) {
	css, err := htmlAssets.ReadFile("htmlassets/report.css")
	if err != nil {
		return nil, fmt.Errorf("html assets: %w", err)
	}
	js, err := htmlAssets.ReadFile("htmlassets/report.js")
	if err != nil {
		return nil, fmt.Errorf("html assets: %w", err)
	}
	t, err := template.New("report.html.tmpl").ParseFS(htmlAssets, "htmlassets/report.html.tmpl", "htmlassets/fleet.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("html template: %w", err)
	}
	fleet, err := htmlAssets.ReadFile("htmlassets/fleet.js")
	if err != nil {
		return nil, fmt.Errorf("html assets: %w", err)
	}
	return &htmlAssetSet{tmpl: t, css: string(css), script: string(js), csp: contentSecurityPolicy(string(css), string(js)),
		fleet: string(fleet)}, nil
}

// contentSecurityPolicy forbids every fetch and admits only the one inline
// style sheet and the one inline script, by their SHA-256 hashes. Images
// may only be data: URLs (the favicon placeholder), so a browser does not
// even ask for /favicon.ico.
func contentSecurityPolicy(css, script string) string {
	return "default-src 'none'; style-src '" + cspHash(css) + "'; script-src '" + cspHash(script) +
		"'; img-src data:; base-uri 'none'; form-action 'none'"
}

// cspHash is the CSP source expression of an inline element's content.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// renderHTML writes one page for the whole report. Every string from the
// report goes through html/template's contextual escaping; the page is
// built in memory first so a template error leaves no half-written file.
func renderHTML(w io.Writer, r *model.Report, opt Options) error {
	as, err := loadHTMLAssets()
	if err != nil {
		return err
	}
	page := buildHTMLPage(r, opt)
	script := as.script
	page.CSP = as.csp
	if page.Fleet != nil {
		script += as.fleet
		page.CSP = contentSecurityPolicy(as.css, script)
	}
	// Both are our own embedded files, hashed into the policy above.
	page.CSS = template.CSS(as.css)   // #nosec G203 -- embedded, constant
	page.Script = template.JS(script) // #nosec G203 -- embedded, constant
	var buf bytes.Buffer
	if err := as.tmpl.Execute(&buf, page); err != nil {
		return fmt.Errorf("html template: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
