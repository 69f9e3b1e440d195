package report

import (
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// htmlPage is what the HTML template renders. Every string in it is plain
// text (html/template escapes it for its context); only CSS and Script are
// trusted, and they are our own embedded files.
type htmlPage struct {
	Lang      string
	CSP       string
	CSS       template.CSS
	Script    template.JS
	Generated string
	Version   string
	Window    string
	Source    string
	Overview  bool
	Fleet     *htmlFleet // several targets: the fleet section (html_fleet.go)
	Targets   []htmlTarget
}

type htmlTarget struct {
	Anchor        string
	Name          string
	Labels        []htmlLabel
	DefaultBranch string
	Trunk         string // trunk as of the window's end
	Window        string
	Error         string
	Deferred      string
	Warnings      []string
	Sources       []htmlSource
	Lowest        htmlLevel
	LowestNote    string
	Evidence      htmlLevel // the evidence level, labelled apart (headline)
	EvidenceNote  string
	Counts        string
	Radar         *radarChart
	Practices     []htmlPractice
	HasChange     bool
	DORA          []htmlDORA
	Measurements  []htmlMeasurement
	Trends        *htmlTrends
}

type htmlLabel struct{ Key, Value string }

type htmlSource struct {
	Kind, Name, Status, Class, Icon, Duration, Requests string
	Notes                                               []string
}

// htmlLevel is a level as a chip: text and a colour class (l1–l5, lu).
type htmlLevel struct{ Text, Class string }

type htmlPractice struct {
	Anchor, ID, Name, AltName, AltLang, Area string
	Level                                    htmlLevel
	Bar                                      []barSeg
	Basis                                    string
	HeldBack                                 string
	Change                                   *htmlChange
	Dimensions                               []htmlDimension
}

// htmlChange compares a practice level with the previous audit.
type htmlChange struct{ Text, Class string }

type htmlDimension struct {
	Anchor, ID, Name, AltName, AltLang string
	Level                              htmlLevel
	Basis, BasisClass                  string
	Attested                           string
	MeasuredLevel                      string
	AutomaticMax                       int
	NeedsAttestation                   bool
	Criteria                           []htmlCriterion
	HeldBack                           string
	Reasons                            []string
	Attestation                        *htmlAttestation
	Evidence                           []htmlRef
	MoreEvidence                       int
}

// htmlCriterion is one level's criterion in both languages of the seed.
type htmlCriterion struct {
	Label  string
	Level  int
	ZH, EN string
}

type htmlAttestation struct {
	Level                             int
	By, Date, Expires, Evidence, Link string
}

// htmlRef is an evidence reference; URL is set only for http(s) links,
// NoLink holds any other URL as inert text.
type htmlRef struct{ Kind, Text, Full, URL, NoLink string }

type htmlDORA struct{ Name, Value, Cluster, Class, Note, Measurement string }

type htmlMeasurement struct{ ID, Value, N, Note string }

// oneLine makes repository text safe to show on one line: control and
// bidirectional characters become visible escapes (see clean), runs of
// white space one space. HTML escaping is the template's job.
func oneLine(s string) string { return strings.Join(strings.Fields(clean(s)), " ") }

func buildHTMLPage(r *model.Report, opt Options) htmlPage {
	p := htmlPage{
		Lang:      "en",
		Generated: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Version:   oneLine(r.Version),
		Window:    windowText(r.Window),
		Overview:  len(r.Targets) > 1,
	}
	if opt.Lang == "zh" {
		p.Lang = "zh"
	}
	if opt.Catalogue != nil {
		p.Source = oneLine(opt.Catalogue.Source)
	}
	nm := names{cat: opt.Catalogue, lang: opt.Lang}
	for i := range r.Targets {
		tr := &r.Targets[i]
		p.Targets = append(p.Targets, buildHTMLTarget(tr, "t"+strconv.Itoa(i+1), r, nm, opt.History[tr.Name]))
	}
	anchors := make([]string, len(p.Targets))
	for i := range p.Targets {
		anchors[i] = p.Targets[i].Anchor
	}
	p.Fleet = buildFleet(r, anchors, nm, opt.History)
	return p
}

func buildHTMLTarget(tr *model.TargetResult, anchor string, r *model.Report, nm names, hist []model.HistoryPoint) htmlTarget {
	t := htmlTarget{
		Anchor:        anchor,
		Name:          oneLine(tr.Name),
		DefaultBranch: oneLine(tr.DefaultBranch),
		Window:        windowText(r.Window),
		Error:         oneLine(tr.Error),
		Deferred:      oneLine(tr.Deferred),
	}
	if tr.Trunk != nil {
		t.Trunk = oneLine(tr.Trunk.Short())
	}
	keys := make([]string, 0, len(tr.Labels))
	for k := range tr.Labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Labels = append(t.Labels, htmlLabel{oneLine(k), oneLine(tr.Labels[k])})
	}
	for _, w := range tr.Warnings {
		t.Warnings = append(t.Warnings, oneLine(w))
	}
	for _, s := range tr.Sources {
		t.Sources = append(t.Sources, buildHTMLSource(s))
	}
	sum := summarise(tr.Practices)
	t.Lowest = levelChip(sum.level())
	t.LowestNote = lowestNote(sum, nm)
	if len(tr.Practices) > 0 {
		h := headlineOf(tr)
		t.Evidence, t.EvidenceNote = levelChip(h.evidence.Value()), "Evidence level: "+h.evidenceNote()
	}
	t.Counts = practiceCounts(tr.Practices)
	hist = sortedHistory(hist)
	var prev *model.HistoryPoint
	if len(hist) > 0 {
		prev = &hist[len(hist)-1]
		t.HasChange = true
	}
	for i, p := range tr.Practices {
		t.Practices = append(t.Practices, buildHTMLPractice(p, anchor+"-p"+strconv.Itoa(i+1), nm, prev))
	}
	if len(tr.Practices) >= 3 {
		t.Radar = buildRadar(tr.Practices, nm)
		t.Radar.ID = anchor + "-radar"
	}
	for _, k := range doraKeys(tr.DORA) {
		d := htmlDORA{Name: k.name, Value: "unknown", Cluster: oneLine(k.key.Cluster), Class: clusterClass(k.key.Cluster),
			Note: oneLine(k.key.Note), Measurement: oneLine(k.key.Measurement)}
		if k.key.Value != nil {
			d.Value = oneLine(formatValue(*k.key.Value, k.key.Unit))
		}
		if d.Cluster == "" {
			d.Cluster = "no cluster"
		}
		t.DORA = append(t.DORA, d)
	}
	for _, id := range keyMeasurements() {
		ms, ok := tr.Measurements[id]
		if !ok {
			continue
		}
		m := htmlMeasurement{ID: id, Value: "unknown", Note: oneLine(ms.Note)}
		if ms.Known {
			m.Value, m.N = oneLine(formatValue(ms.Value, ms.Unit)), strconv.Itoa(ms.N)
		}
		t.Measurements = append(t.Measurements, m)
	}
	if len(hist) > 0 {
		t.Trends = buildTrends(tr, r.GeneratedAt, hist, nm)
	}
	return t
}

func buildHTMLSource(s model.SourceStatus) htmlSource {
	h := htmlSource{Kind: oneLine(s.Kind), Name: oneLine(s.Name), Status: oneLine(s.Status),
		Duration: strconv.FormatFloat(s.Duration, 'f', 1, 64) + " s"}
	switch s.Status {
	case model.StatusOK:
		h.Class, h.Icon = "ok", "✓"
	case model.StatusPartial:
		h.Class, h.Icon = "partial", "!"
	case model.StatusFailed:
		h.Class, h.Icon = "failed", "✗"
	default:
		h.Class, h.Icon = "other", "?"
	}
	if s.Requests != nil {
		h.Requests = requestsText(s.Requests)
	}
	if s.Error != "" {
		h.Notes = append(h.Notes, "error: "+oneLine(s.Error))
	}
	for _, w := range s.Warnings {
		h.Notes = append(h.Notes, "warning: "+oneLine(w))
	}
	return h
}

// levelChip is the chip of a level, a bounded unknown or an unknown.
func levelChip(l model.Level) htmlLevel {
	if n, ok := l.Value(); ok && n >= 1 && n <= 5 {
		return htmlLevel{l.Chip(), "l" + strconv.Itoa(n)}
	}
	return htmlLevel{l.Chip(), "lu"}
}

func lowestNote(s levelSummary, nm names) string {
	var b strings.Builder
	switch {
	case s.Level != nil:
		b.WriteString("Lowest practice level")
	case s.Bound != nil:
		b.WriteString("Lowest practice level, unknown: at most " + strconv.Itoa(*s.Bound))
	default:
		return "Lowest practice level unknown"
	}
	if len(s.Practices) > 0 {
		var ns []string
		for i, id := range s.Practices {
			if i == 3 {
				ns = append(ns, "and "+strconv.Itoa(len(s.Practices)-i)+" more")
				break
			}
			ns = append(ns, oneLine(nm.practice(id)))
		}
		b.WriteString(": " + strings.Join(ns, ", "))
	}
	if s.Attested {
		b.WriteString("; rests on an attestation: evidence alone shows " + s.MeasuredText)
	}
	return b.String()
}

func practiceCounts(ps []model.PracticeResult) string {
	known, unknown, attested := 0, 0, 0
	for _, p := range ps {
		if p.Level != nil {
			known++
		} else {
			unknown++
		}
		attested += attestedCount(p)
	}
	s := strconv.Itoa(len(ps)) + " practices: " + strconv.Itoa(known) + " known, " + strconv.Itoa(unknown) + " unknown"
	if attested > 0 {
		s += "; " + strconv.Itoa(attested) + " attested dimension"
		if attested > 1 {
			s += "s"
		}
	}
	return s
}

func clusterClass(c string) string {
	switch c {
	case "elite", "high", "medium", "low":
		return "c-" + c
	}
	return "c-none"
}

// catalogueName returns a practice's or dimension's name in both languages.
func catalogueName(cat *model.Catalogue, practice, dim string) model.Text {
	if cat == nil {
		return model.Text{}
	}
	if dim == "" {
		p, _ := cat.Practice(practice)
		return p.Name
	}
	d, _ := cat.Lookup(practice, dim)
	return d.Name
}

// altName is the name in the language not chosen, "" when missing or the same.
func altName(t model.Text, lang, shown string) string {
	alt := t.ZH
	if lang == "zh" {
		alt = t.EN
	}
	if alt == shown {
		return ""
	}
	return oneLine(alt)
}

// altLang is the language of altName.
func altLang(lang string) string {
	if lang == "zh" {
		return "en"
	}
	return "zh"
}

func buildHTMLPractice(p model.PracticeResult, anchor string, nm names, prev *model.HistoryPoint) htmlPractice {
	h := htmlPractice{Anchor: anchor, ID: oneLine(p.ID), Name: oneLine(nm.practice(p.ID)),
		Level: levelChip(model.PracticeLevel(p)), Basis: practiceBasis(p)}
	h.AltName, h.AltLang = altName(catalogueName(nm.cat, p.ID, ""), nm.lang, h.Name), altLang(nm.lang)
	if nm.cat != nil {
		if cp, ok := nm.cat.Practice(p.ID); ok {
			h.Area = oneLine(cp.Area.In(nm.lang))
		}
	}
	h.Bar = practiceBar(p)
	if d, ok := heldBack(p); ok {
		s := oneLine(nm.dimension(p.ID, d.ID)) + " " + dimensionLevel(d)
		if len(d.Reasons) > 0 {
			s += ": " + truncate(oneLine(whyHeld(d)), 160)
		}
		h.HeldBack = s
	}
	if prev != nil {
		h.Change = levelChange(model.PracticeLevel(p), prev.Levels, p.ID)
	}
	for i, d := range p.Dimensions {
		h.Dimensions = append(h.Dimensions, buildHTMLDimension(p.ID, d, anchor+"-d"+strconv.Itoa(i+1), nm))
	}
	return h
}

// levelChange says how a level moved since the previous audit.
func levelChange(cur model.Level, prev map[string]*int, key string) *htmlChange {
	p, ok := prev[key]
	if !ok {
		return &htmlChange{"not recorded before", "other"}
	}
	was := model.Level{Basis: model.BasisUnknown}
	if p != nil {
		was = model.KnownLevel(*p, model.BasisMeasured)
	}
	switch {
	case !was.Known && !cur.Known:
		return &htmlChange{"= unknown", "same"}
	case !was.Known:
		return &htmlChange{"was unknown", "other"}
	case !cur.Known:
		return &htmlChange{"was " + was.Chip(), "other"}
	case cur.Compare(was) > 0:
		return &htmlChange{"▲ up from " + was.Chip(), "up"}
	case cur.Compare(was) < 0:
		return &htmlChange{"▼ down from " + was.Chip(), "down"}
	}
	return &htmlChange{"= unchanged", "same"}
}

func buildHTMLDimension(practice string, d model.DimensionResult, anchor string, nm names) htmlDimension {
	h := htmlDimension{Anchor: anchor, ID: oneLine(d.ID), Name: oneLine(nm.dimension(practice, d.ID)),
		Level: levelChip(model.DimensionLevel(d)), AutomaticMax: d.AutomaticMax, NeedsAttestation: d.NeedsAttestation,
		HeldBack: oneLine(d.HeldBack), Attested: oneLine(attestedNote(d))}
	h.AltName, h.AltLang = altName(catalogueName(nm.cat, practice, d.ID), nm.lang, h.Name), altLang(nm.lang)
	switch d.Basis {
	case model.BasisMeasured, model.BasisAttested, model.BasisUnknown:
		h.Basis, h.BasisClass = string(d.Basis), "b-"+string(d.Basis)
	case "":
		h.Basis, h.BasisClass = "unknown", "b-unknown"
	default:
		h.Basis, h.BasisClass = oneLine(string(d.Basis)), "b-unknown"
	}
	if d.Basis == model.BasisAttested {
		h.MeasuredLevel = "unknown"
		if d.MeasuredLevel != nil {
			h.MeasuredLevel = "L" + strconv.Itoa(*d.MeasuredLevel)
		}
	}
	achieved := model.DimensionLevel(d).Lo // the level, else the lower bound
	if nm.cat != nil {
		if cd, ok := nm.cat.Lookup(practice, d.ID); ok {
			if c := cd.Criterion(achieved); c.ZH != "" || c.EN != "" {
				label := "Achieved"
				switch {
				case d.Level == nil:
					label = "Proven so far"
				case describesLevel(d, achieved):
					label = "Describes the level"
				}
				h.Criteria = append(h.Criteria, htmlCriterion{label, achieved, oneLine(c.ZH), oneLine(c.EN)})
			}
			if c := cd.Criterion(achieved + 1); achieved > 0 && (c.ZH != "" || c.EN != "") {
				h.Criteria = append(h.Criteria, htmlCriterion{"Next", achieved + 1, oneLine(c.ZH), oneLine(c.EN)})
			}
		}
	}
	for _, r := range d.Reasons {
		h.Reasons = append(h.Reasons, oneLine(r))
	}
	if a := d.Attestation; a != nil {
		ha := &htmlAttestation{Level: a.Level, By: oneLine(a.Signer())}
		if !a.Date.IsZero() {
			ha.Date = a.Date.UTC().Format(time.DateOnly)
		}
		if !a.Expires.IsZero() {
			ha.Expires = a.Expires.UTC().Format(time.DateOnly)
		}
		if u, ok := safeURL(a.Evidence); ok {
			ha.Link, ha.Evidence = u, oneLine(redactURL(a.Evidence))
		} else {
			ha.Evidence = oneLine(redactURL(a.Evidence))
		}
		h.Attestation = ha
	}
	for i, e := range d.Evidence {
		if i == maxHTMLEvidence {
			h.MoreEvidence = len(d.Evidence) - i
			break
		}
		h.Evidence = append(h.Evidence, buildHTMLRef(e))
	}
	return h
}

// buildHTMLRef shows a commit hash short (the full one in a tooltip) and
// links only http(s) URLs; any other scheme stays text.
func buildHTMLRef(e model.Ref) htmlRef {
	r := htmlRef{Kind: oneLine(string(e.Kind)), Text: oneLine(refText(e))}
	if full := oneLine(e.Ref); full != r.Text {
		r.Full = full
	}
	if u, ok := safeURL(e.URL); ok {
		r.URL = u
	} else if e.URL != "" {
		r.NoLink = oneLine(redactURL(e.URL))
	}
	return r
}
