package junit

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Outcome is the result of one test case.
type Outcome uint8

// Outcomes.
const (
	Passed Outcome = iota
	Failed
	Errored
	Skipped
)

// Suite is the tally of one <testsuite> of a file.
type Suite struct {
	Name     string
	Total    int
	Failed   int // failures and errors
	Skipped  int
	Duration float64
}

// File is what one JUnit XML file holds, tallied. A test case that appears
// more than once in a suite (a Gradle retry) counts once, with its last
// outcome.
type File struct {
	Path                           string
	Total, Passed, Failed, Errored int
	Skipped                        int
	Duration                       float64
	Retried, Flaky                 int
	FlakyTests                     []string
	Suites                         []Suite
	Layers                         map[string]int
}

// caseState is what the parser keeps of one distinct test case of a suite.
type caseState struct {
	outcome   Outcome
	runs      int
	everFail  bool // some run failed or errored (an element or a rerun)
	rerunFail bool // rerunFailure/rerunError or flakyFailure/flakyError seen
}

// suiteAcc accumulates one suite.
type suiteAcc struct {
	name     string
	time     float64
	hasTime  bool
	caseTime float64
	cases    map[string]*caseState
	order    []string
}

// ErrNotJUnit is returned for well-formed XML whose root is neither
// <testsuites> nor <testsuite>.
var ErrNotJUnit = errors.New("not a JUnit XML report (root is neither <testsuites> nor <testsuite>)")

// Parse reads one JUnit XML document from r with a streaming decoder; path
// names the file in the result and decides the layer of suites whose names
// do not tell it. Failure messages and output are skipped, never held.
func Parse(r io.Reader, path string) (*File, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	f := &File{Path: path, Layers: map[string]int{}}
	var stack []*suiteAcc
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if root {
				root = false
				if name != "testsuites" && name != "testsuite" {
					return nil, ErrNotJUnit
				}
			}
			switch name {
			case "testsuites":
			case "testsuite":
				s := &suiteAcc{name: attr(t, "name"), cases: map[string]*caseState{}}
				if v, ok := seconds(attr(t, "time")); ok {
					s.time, s.hasTime = v, true
				}
				stack = append(stack, s)
			case "testcase":
				if len(stack) == 0 { // a <testcase> under <testsuites>
					stack = append(stack, &suiteAcc{cases: map[string]*caseState{}})
				}
				if err := readCase(d, t, stack[len(stack)-1]); err != nil {
					return nil, fmt.Errorf("malformed XML: %w", err)
				}
			default:
				if err := d.Skip(); err != nil {
					return nil, fmt.Errorf("malformed XML: %w", err)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "testsuite" && len(stack) > 0 {
				f.addSuite(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
			}
		}
	}
	if root {
		return nil, errors.New("empty document")
	}
	for len(stack) > 0 { // a bare <testcase> list under <testsuites>
		f.addSuite(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
	}
	return f, nil
}

// readCase reads one <testcase> element to its end.
func readCase(d *xml.Decoder, start xml.StartElement, s *suiteAcc) error {
	key := attr(start, "classname") + "\x00" + attr(start, "name")
	dur, _ := seconds(attr(start, "time"))
	s.caseTime += dur
	outcome := Passed
	rerun, flakyOnly := false, false
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "failure":
				outcome = Failed
			case "error":
				if outcome != Failed {
					outcome = Errored
				}
			case "skipped":
				if outcome == Passed {
					outcome = Skipped
				}
			case "rerunFailure", "rerunError":
				rerun = true
			case "flakyFailure", "flakyError":
				rerun, flakyOnly = true, true
			}
			if err := d.Skip(); err != nil {
				return err
			}
		case xml.EndElement:
			c := s.cases[key]
			if c == nil {
				c = &caseState{}
				s.cases[key] = c
				s.order = append(s.order, key)
			}
			c.runs++
			c.outcome = outcome
			c.everFail = c.everFail || outcome == Failed || outcome == Errored || rerun || flakyOnly
			c.rerunFail = c.rerunFail || rerun
			return nil
		}
	}
}

// addSuite folds one finished suite into the file's tally.
func (f *File) addSuite(s *suiteAcc) {
	dur := s.caseTime
	if s.hasTime {
		dur = s.time
	}
	out := Suite{Name: s.name, Duration: dur}
	layer := Layer(s.name, f.Path)
	for _, key := range s.order {
		c := s.cases[key]
		out.Total++
		switch c.outcome {
		case Passed:
			f.Passed++
		case Failed:
			f.Failed++
			out.Failed++
		case Errored:
			f.Errored++
			out.Failed++
		case Skipped:
			f.Skipped++
			out.Skipped++
		}
		if c.runs > 1 || c.rerunFail {
			f.Retried++
			if c.outcome == Passed && c.everFail {
				f.Flaky++
				if len(f.FlakyTests) < maxNames {
					f.FlakyTests = append(f.FlakyTests, caseName(key))
				}
			}
		}
	}
	f.Total += out.Total
	f.Duration += dur
	if out.Total > 0 {
		f.Layers[layer] += out.Total
	}
	f.Suites = append(f.Suites, out)
}

func caseName(key string) string {
	cls, name, _ := strings.Cut(key, "\x00")
	if cls == "" {
		return name
	}
	return cls + "." + name
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// seconds reads a time attribute ("1.5", "1,234.5" from some writers); a
// negative, infinite or unreadable value gives false.
func seconds(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ".") {
		s = strings.ReplaceAll(s, ",", "") // 1,234.5
	} else {
		s = strings.ReplaceAll(s, ",", ".") // 1,5 (a decimal comma)
	}
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1e9 || v != v {
		return 0, false
	}
	return v, true
}
