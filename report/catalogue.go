package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// catalogueLabels are the few fixed words of the catalogue listings.
type catalogueLabels struct {
	title, source, levels, autoMax, empty string
}

func labelsFor(lang string) catalogueLabels {
	if lang == "zh" {
		return catalogueLabels{
			title:   "研发运营一体化能力成熟度模型 · 持续交付",
			source:  "来源",
			levels:  "级别",
			autoMax: "自动评估上限",
			empty:   "（目录为空）",
		}
	}
	return catalogueLabels{
		title:   "DevOps capability maturity model · continuous delivery",
		source:  "Source",
		levels:  "Levels",
		autoMax: "automatic up to",
		empty:   "(the catalogue is empty)",
	}
}

// levelNames is "1 Regressive · 2 Repeatable · …".
func levelNames(c *model.Catalogue, lang, sep string) string {
	var ls []string
	for _, l := range c.Levels {
		ls = append(ls, strconv.Itoa(l.Level)+" "+l.Name.In(lang))
	}
	return strings.Join(ls, sep)
}

// catalogueText lists practice → dimensions → five criteria.
func catalogueText(w io.Writer, c *model.Catalogue, lang string) error {
	t := &textWriter{errWriter: &errWriter{w: w}}
	lb := labelsFor(lang)
	t.line(lb.title)
	if c.Source != "" {
		t.para(lb.source+": ", "  ", clean(c.Source))
	}
	if len(c.Levels) > 0 {
		t.para(lb.levels+": ", "  ", clean(levelNames(c, lang, " · ")))
	}
	if len(c.Practices) == 0 {
		t.line("")
		t.line(lb.empty)
	}
	for i, p := range c.Practices {
		t.line("")
		head := strconv.Itoa(i+1) + ". " + clean(p.ID) + " — " + clean(p.Name.In(lang))
		if a := p.Area.In(lang); a != "" {
			head += " (" + clean(a) + ")"
		}
		t.para("", "   ", head)
		for _, d := range p.Dimensions {
			dh := clean(d.ID) + " — " + clean(d.Name.In(lang)) + " (" + lb.autoMax + " " + strconv.Itoa(d.AutomaticMax) + ")"
			t.para("   ", "     ", dh)
			for l := 1; l <= 5; l++ {
				t.para("     L"+strconv.Itoa(l)+"  ", "         ", clean(d.Criterion(l).In(lang)))
			}
		}
	}
	return t.err
}

// catalogueMarkdown writes one table per practice.
func catalogueMarkdown(w io.Writer, c *model.Catalogue, lang string) error {
	m := &mdWriter{errWriter: &errWriter{w: w}}
	lb := labelsFor(lang)
	m.line("# " + mdText(lb.title))
	if c.Source != "" {
		m.line("")
		m.line(lb.source + ": " + mdText(c.Source))
	}
	if len(c.Levels) > 0 {
		m.line("")
		m.line(lb.levels + ": " + mdText(levelNames(c, lang, ", ")))
	}
	if len(c.Practices) == 0 {
		m.line("")
		m.line(mdText(lb.empty))
	}
	for i, p := range c.Practices {
		m.line("")
		m.line("## " + strconv.Itoa(i+1) + "\\. " + mdCode(p.ID, false) + " " + mdText(p.Name.In(lang)))
		if a := p.Area.In(lang); a != "" {
			m.line("")
			m.line(mdText(a))
		}
		m.line("")
		m.line("| | L1 | L2 | L3 | L4 | L5 | " + lb.autoMax + " |")
		m.line("|---|---|---|---|---|---|---|")
		for _, d := range p.Dimensions {
			row := "| " + mdText(d.Name.In(lang)) + " " + mdCode(d.ID, true)
			for l := 1; l <= 5; l++ {
				row += " | " + mdText(d.Criterion(l).In(lang))
			}
			m.line(row + " | " + strconv.Itoa(d.AutomaticMax) + " |")
		}
	}
	return m.err
}

// catalogueJSON writes the Catalogue struct, indented.
func catalogueJSON(w io.Writer, c *model.Catalogue, _ string) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
