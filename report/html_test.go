package report

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// sampleHistory is four earlier monthly audits of acme/api (the measured
// sample): levels climb, one practice was unknown once and one was not
// recorded in the oldest audit.
func sampleHistory() map[string][]model.HistoryPoint {
	cur := sampleMeasured().Targets[0]
	var hist []model.HistoryPoint
	for k := range 4 {
		levels := map[string]*int{}
		for pi, p := range cur.Practices {
			switch {
			case pi == 3 && k == 0:
				continue // not recorded
			case pi == 5 && k == 1:
				levels[p.ID] = nil // unknown then
				continue
			}
			l := *p.Level
			if (pi+k)%3 == 0 {
				l--
			}
			if k < 2 && pi%4 == 1 {
				l--
			}
			levels[p.ID] = model.IntPtr(max(1, l))
		}
		hist = append(hist, model.HistoryPoint{
			At:     time.Date(2025, time.Month(3+k), 1, 8, 0, 0, 0, time.UTC),
			Levels: levels,
			Measurements: map[string]float64{
				"git.commits":                   float64(300 + 30*k),
				"git.authors":                   float64(7 + k/2),
				"git.branch_lifetime_hours.p50": []float64{40, 31.5, 26, 21}[k],
				"git.issue_ref_ratio":           0.6 + 0.05*float64(k),
				"dora.deployment_frequency":     []float64{1.2, 1.8, 2.5, 3}[k],
				"dora.lead_time_hours.p50":      []float64{48, 36, 30, 24}[k],
			},
		})
	}
	return map[string][]model.HistoryPoint{cur.Name: hist}
}

// Payloads a repository could hold, aimed at the HTML page.
const (
	xssImg    = `<img src=x onerror=alert(1)>`
	xssScript = `</script><script>alert(1)</script>`
	xssAttr   = `"><svg onload=alert(1)>`
)

// sampleHostile puts script payloads wherever repository text reaches the
// page: target name, labels, branch, warnings, sources, reasons, evidence
// (with javascript: and data: URLs), attestations, notes and clusters.
func sampleHostile() *model.Report {
	r := sampleUnknowns()
	t := &r.Targets[0]
	t.Name = xssImg
	t.Labels = map[string]string{"team": xssScript, xssAttr: "x"}
	t.DefaultBranch = xssAttr + xssImg
	t.Warnings = append(t.Warnings, xssScript)
	t.Sources[1].Name = xssImg
	t.Sources[1].Error = xssScript
	t.Error = "partial: " + xssImg
	vc := &t.Practices[0]
	vc.Dimensions[1].Reasons = append(vc.Dimensions[1].Reasons, "commit message "+xssScript, xssImg)
	vc.Dimensions[1].HeldBack = xssAttr
	vc.Dimensions[1].Evidence = append(vc.Dimensions[1].Evidence,
		model.Ref{Kind: model.RefCommit, Ref: xssImg, URL: "javascript:alert(1)"},
		model.Ref{Kind: model.RefURL, Ref: "data", URL: "data:text/html,<script>alert(1)</script>"},
		model.Ref{Kind: model.RefJob, Ref: "job " + xssScript, URL: `https://ci.example.com/job?name="><script>alert(1)</script>`},
		model.Ref{Kind: model.RefURL, Ref: "vbscript", URL: " JaVaScRiPt:alert(1)"})
	vc.Dimensions[0].Attestation.By = xssImg
	vc.Dimensions[0].Attestation.Evidence = "javascript:alert(1)"
	t.DORA.DeploymentFrequency.Cluster = `elite" onmouseover="alert(1)`
	t.DORA.LeadTime.Note = xssScript
	ms := t.Measurements["git.issue_ref_ratio"]
	ms.Note = xssImg
	t.Measurements["git.issue_ref_ratio"] = ms
	r.Version = xssScript
	return r
}

// hostileHistory gives the hostile target a history, so trends render too.
func hostileHistory() map[string][]model.HistoryPoint {
	return map[string][]model.HistoryPoint{xssImg: {{
		At:           time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Levels:       map[string]*int{"build": model.IntPtr(2), "ci": nil},
		Measurements: map[string]float64{"git.commits": 40},
	}}}
}

func renderHTMLString(t *testing.T, r *model.Report, opt Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, FormatHTML, opt); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestGoldenHTML(t *testing.T) {
	cat := fixtureCatalogue()
	tests := []struct {
		name string
		r    *model.Report
		opt  Options
	}{
		{"html-measured", sampleMeasured(), Options{Catalogue: cat, History: sampleHistory()}},
		{"html-measured-zh", sampleMeasured(), Options{Catalogue: cat, Lang: "zh"}},
		{"html-unknowns", sampleUnknowns(), Options{Catalogue: cat}},
		{"html-failed", sampleFailed(), Options{Catalogue: cat}},
		{"html-hostile", sampleHostile(), Options{Catalogue: cat, History: hostileHistory()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := renderHTMLString(t, tc.r, tc.opt)
			checkHTMLSafe(t, got)
			golden(t, tc.name, []byte(got))
		})
	}
}

func TestHTMLContent(t *testing.T) {
	cat := fixtureCatalogue()
	page := renderHTMLString(t, sampleMeasured(), Options{Catalogue: cat, History: sampleHistory()})
	for _, want := range []string{
		`<table class="practices">`, `class="radar-svg"`, // charts and table
		"版本控制系统", "distributed VCS holds source", // criteria in both languages
		`<span class="chip c-elite">elite</span>`, `<span class="chip c-low">low</span>`, // DORA clusters
		`href="https://github.com/acme/api/commit/`, ">" + shortHash(commitRef(0).Ref) + "</code></a>", // short hashes, linked
		"5 audits since 2025-03-01", `class="spark"`, "▲ up from L", // trends
		`<details class="practice" id="t1-p1">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	page = renderHTMLString(t, sampleUnknowns(), Options{Catalogue: cat})
	for _, want := range []string{
		"No history yet", `class="envelope"`, ">≤2</tspan>", // unknown practices drawn to their bound
		`<span class="b b-attested">attested</span>`, "attested by Alice Chen until 2026-01-31", "evidence alone shows L4",
		`<span class="b b-unknown">unknown</span>`, `<span class="lv lu">≥2 unknown</span>`,
		`<a href="https://gitlab.com/acme/legacy/-/merge_requests/42"`, // user info dropped
		`(not a web link: javascript:alert(1))`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("unknowns page lacks %q", want)
		}
	}
	if strings.Contains(page, "s3cret") {
		t.Error("a URL's password reached the page")
	}
}

// TestHTMLHostile checks that no payload from a repository becomes markup,
// an event handler or a script URL.
func TestHTMLHostile(t *testing.T) {
	page := renderHTMLString(t, sampleHostile(), Options{Catalogue: fixtureCatalogue(), History: hostileHistory()})
	checkHTMLSafe(t, page)
	// The payloads' text may appear (escaped); the tag scan above shows no
	// element or attribute came of it.
	for _, bad := range []string{"<img", "<svg onload", `onmouseover="`, "</script><script>", `href="javascript:`, `href="data:text`, "\u202e"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks the escaped payload %q", want)
		}
	}
}

// htmlTag is a start tag found by scanTags.
type htmlTag struct {
	name  string
	attrs map[string]string
}

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*/?>`)
var attrRE = regexp.MustCompile(`\s+([^\s"'>/=]+)(?:="([^"]*)")?`)

// scanTags lists the start tags of a page written by renderHTML (double
// quoted attributes only) and the raw text of its script and style
// elements. Any '<' followed by a letter that is not a well-formed tag is
// an error: it could be markup a browser would parse differently.
func scanTags(t *testing.T, page string) (tags []htmlTag, script, style string) {
	t.Helper()
	rest := page
	for {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			return tags, script, style
		}
		rest = rest[i:]
		if strings.HasPrefix(rest, "<!DOCTYPE") {
			rest = rest[1:]
			continue
		}
		m := tagRE.FindStringSubmatch(rest)
		if m == nil || !strings.HasPrefix(rest, m[0]) {
			if len(rest) > 1 && (rest[1] == '/' || rest[1] == '!' || rest[1] >= 'a' && rest[1] <= 'z' || rest[1] >= 'A' && rest[1] <= 'Z') {
				t.Errorf("malformed markup at %q", rest[:min(len(rest), 60)])
			}
			rest = rest[1:]
			continue
		}
		rest = rest[len(m[0]):]
		if m[1] == "/" {
			continue
		}
		tag := htmlTag{name: strings.ToLower(m[2]), attrs: map[string]string{}}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			tag.attrs[strings.ToLower(a[1])] = a[2]
		}
		tags = append(tags, tag)
		if tag.name == "script" || tag.name == "style" {
			end := strings.Index(rest, "</"+tag.name+">")
			if end < 0 {
				t.Fatalf("unterminated %s", tag.name)
			}
			if tag.name == "script" {
				script += rest[:end]
			} else {
				style += rest[:end]
			}
			rest = rest[end:]
		}
	}
}

// checkHTMLSafe checks the page's promises: only known elements, no event
// handler attributes, one script (the embedded one, admitted by the CSP's
// hash), and nothing a browser would fetch: no src, href only on evidence
// links (http/https) and in-page anchors, the favicon a data: URL, CSS
// without imports or remote url().
func checkHTMLSafe(t *testing.T, page string) {
	t.Helper()
	allowed := map[string]bool{}
	for _, n := range strings.Fields(`html head meta title link style body svg defs pattern rect line header h1 h2 h3 h4
		p span div button main section table caption thead tbody tr th td a code dl dt dd ul li strong figure figcaption
		polygon polyline circle text tspan desc g details summary article footer script label select option`) {
		allowed[n] = true
	}
	tags, script, style := scanTags(t, page)
	scripts := 0
	for _, tag := range tags {
		if !allowed[tag.name] {
			t.Errorf("unexpected element <%s>", tag.name)
		}
		if tag.name == "script" {
			scripts++
			if len(tag.attrs) > 0 {
				t.Errorf("script element with attributes %v", tag.attrs)
			}
		}
		for k, v := range tag.attrs {
			switch {
			case strings.HasPrefix(k, "on"):
				t.Errorf("<%s> has event handler %s=%q", tag.name, k, v)
			case k == "style":
				t.Errorf("<%s> has a style attribute (the CSP forbids it)", tag.name)
			case k == "src" || k == "srcset" || k == "xlink:href" || k == "action" || k == "formaction" || k == "poster" || k == "background":
				t.Errorf("<%s> has %s=%q", tag.name, k, v)
			case k == "href":
				switch {
				case tag.name == "a" && (strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")):
				case tag.name == "a" && strings.HasPrefix(v, "#"):
				case tag.name == "link" && tag.attrs["rel"] == "icon" && v == "data:,":
				default:
					t.Errorf("<%s> has href=%q", tag.name, v)
				}
			}
		}
	}
	if scripts != 1 {
		t.Errorf("%d script elements, want 1", scripts)
	}
	as, err := loadHTMLAssets()
	if err != nil {
		t.Fatal(err)
	}
	if (script != as.script && script != as.script+as.fleet) || style != as.css {
		t.Error("inline script or style differs from the embedded assets")
	}
	csp := ""
	for _, tag := range tags {
		if tag.name == "meta" && tag.attrs["http-equiv"] == "Content-Security-Policy" {
			csp = html.UnescapeString(tag.attrs["content"])
		}
	}
	if csp != contentSecurityPolicy(style, script) || !strings.Contains(csp, cspHash(script)) || !strings.Contains(csp, cspHash(style)) {
		t.Errorf("CSP does not admit exactly the inline script and style: %s", as.csp)
	}
	if strings.Contains(style, "@import") || regexp.MustCompile(`url\(\s*[^#\s]`).MatchString(style) {
		t.Error("style sheet may fetch a resource")
	}
	if strings.Contains(script, "fetch(") || strings.Contains(script, "XMLHttpRequest") || strings.Contains(script, "innerHTML") {
		t.Error("script fetches or writes markup")
	}
}

func TestHTMLEmptyAndDefaults(t *testing.T) {
	r := &model.Report{Schema: model.ReportSchema, GeneratedAt: fixedGenerated, Window: fixedWindow}
	page := renderHTMLString(t, r, Options{})
	checkHTMLSafe(t, page)
	if !strings.Contains(page, "No targets.") {
		t.Error("empty report does not say so")
	}
	many := sampleMeasured()
	many.Targets = append(many.Targets, sampleFailed().Targets...)
	page = renderHTMLString(t, many, Options{Catalogue: &model.Catalogue{}})
	checkHTMLSafe(t, page)
	for _, want := range []string{`<table class="targets">`, `href="#t3"`, "repository not found"} {
		if !strings.Contains(page, want) {
			t.Errorf("multi-target page lacks %q", want)
		}
	}
}

func TestHTMLDeterministic(t *testing.T) {
	opt := Options{Catalogue: fixtureCatalogue(), History: sampleHistory()}
	a := renderHTMLString(t, sampleMeasured(), opt)
	for range 3 {
		if b := renderHTMLString(t, sampleMeasured(), opt); a != b {
			t.Fatal("two renderings differ")
		}
	}
}
