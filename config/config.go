// Package config reads cdaudit's YAML configuration file: defaults for the
// audit window and patterns, threshold overrides for the rules, attestations,
// and the list of targets. Errors name the file, line and column.
//
// Import rules: model, model/vocab, measure and rules (for measurement and
// threshold keys); YAML; it reads files, never the network.
package config

import (
	"errors"
	"fmt"
	"go.yaml.in/yaml/v3"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

// Config is a parsed configuration file.
type Config struct {
	File string
	// Since / Until are the window as written ("90d", a date); empty when unset.
	Since, Until string
	// IssuePattern, ProductionEnv, DeployWorkflow, BotPattern are compiled
	// patterns; nil when unset.
	IssuePattern   *regexp.Regexp
	ProductionEnv  *regexp.Regexp
	DeployWorkflow *regexp.Regexp
	BotPattern     *regexp.Regexp
	// HotfixPattern (production.hotfix) tells hotfix deployments; nil
	// when unset. IncidentWindow (production.incident_window) is how long
	// after a deployment an incident that names none follows it; 0 unset.
	HotfixPattern  *regexp.Regexp
	IncidentWindow time.Duration
	// Thresholds are the rules' thresholds with the file's overrides applied.
	Thresholds   rules.Config
	Attestations []model.Attestation
	Targets      []Target
	// Store, Retention and Concurrency configure history and many-target audits.
	Store       string
	Retention   string
	Concurrency int
	Require     string
}

// Target is one repository to audit.
type Target struct {
	Name   string
	Labels map[string]string
	Path   string // local clone
	GitHub string // OWNER/REPO
	GitLab string // group/project or id
	Branch string
	// Jenkins is the Jenkins job of the target, JUnit the globs of its
	// JUnit XML reports (relative to Path).
	Jenkins *JenkinsTarget
	JUnit   []string
	// Deployments and Incidents are the target's other deployment records
	// and its incident trackers (`deployments:`, `incidents:`).
	Deployments []DeploymentSource
	Incidents   []IncidentSource
	// Sources holds the values of the keys of sources wired from their
	// descriptors (see Load), by key.
	Sources map[string]string
	// Discover, when set, makes this entry stand for every repository of
	// an organisation or group (see Discovery); Path, GitHub, GitLab are
	// then empty.
	Discover *Discovery
	// Thresholds with the target's overrides, ProductionEnv override.
	Thresholds    rules.Config
	ProductionEnv *regexp.Regexp
	Line          int
}

// Error is a configuration error at a place in the file.
type Error struct {
	File         string
	Line, Column int
	Msg          string
}

// Error is one line: values quoted from the file (keys and scalars may hold
// line breaks) keep their breaks as \n.
func (e *Error) Error() string {
	msg := oneLine.Replace(e.Msg)
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.File, msg)
}

var oneLine = strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`)

// Default returns the configuration used without a file.
func Default() *Config {
	return &Config{Thresholds: rules.Defaults()}
}

// Load reads and validates a configuration file. sourceKeys are the config
// keys of sources wired from their descriptors (collectors.Descriptor): a
// target's scalar value of one lands in Target.Sources.
func Load(path string, cat *model.Catalogue, sourceKeys ...string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, b, cat, sourceKeys...)
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses configuration text; name is used in error messages. See
// Load for sourceKeys.
func Parse(name string, b []byte, cat *model.Catalogue, sourceKeys ...string) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		msg := err.Error()
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			var line int
			fmt.Sscan(m[1], &line)
			return nil, &Error{File: name, Line: line, Msg: "malformed YAML: " + m[2]}
		}
		return nil, &Error{File: name, Msg: "malformed YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	c := Default()
	c.File = name
	if len(doc.Content) == 0 {
		return c, nil
	}
	p := &parser{file: name, cat: cat, sourceKeys: sourceKeys}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errAt(root, "the configuration must be a mapping of keys")
	}
	if err := p.root(root, c); err != nil {
		return nil, err
	}
	return c, nil
}

type parser struct {
	file       string
	cat        *model.Catalogue
	sourceKeys []string
}

func (p *parser) errAt(n *yaml.Node, format string, args ...any) error {
	return &Error{File: p.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// fields walks a mapping, calling fn for each key; unknown keys are errors.
func (p *parser) fields(n *yaml.Node, known []string, fn func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, "expected a mapping")
	}
	if err := p.unique(n); err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ok := false
		for _, x := range known {
			if x == k.Value {
				ok = true
			}
		}
		if !ok {
			return p.errAt(k, "unknown key %q (expected one of: %s)", k.Value, strings.Join(known, ", "))
		}
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// unique refuses a mapping that holds a key twice: the YAML decoder keeps
// the last silently when walking nodes.
func (p *parser) unique(n *yaml.Node) error {
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if line, dup := first[k.Value]; dup {
			return p.errAt(k, "key %q appears twice (first on line %d)", k.Value, line)
		}
		first[k.Value] = k.Line
	}
	return nil
}

func (p *parser) decode(v *yaml.Node, out any, what string) error {
	if err := v.Decode(out); err != nil {
		var te *yaml.TypeError
		msg := err.Error()
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
			if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "line ") {
				msg = msg[i+2:]
			}
		}
		return p.errAt(v, "%s: %s", what, msg)
	}
	return nil
}

func (p *parser) regex(v *yaml.Node, what string) (*regexp.Regexp, error) {
	var s string
	if err := p.decode(v, &s, what); err != nil {
		return nil, err
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, p.errAt(v, "%s: invalid regular expression: %v", what, err)
	}
	return re, nil
}

func (p *parser) root(n *yaml.Node, c *Config) error {
	known := []string{"version", "since", "until", "issue_pattern", "production", "bot_pattern", "stale_after_days",
		"thresholds", "attestations", "targets", "store", "retention", "concurrency", "require"}
	var targets, staleTop, thresholds *yaml.Node
	err := p.fields(n, known, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "version":
			var ver int
			if err = p.decode(v, &ver, key); err == nil && ver != 1 {
				err = p.errAt(v, "unsupported config version %d (this cdaudit reads version 1)", ver)
			}
		case "since":
			err = p.decode(v, &c.Since, key)
		case "until":
			err = p.decode(v, &c.Until, key)
		case "store":
			err = p.decode(v, &c.Store, key)
		case "retention":
			err = p.decode(v, &c.Retention, key)
		case "require":
			err = p.decode(v, &c.Require, key)
		case "concurrency":
			if err = p.decode(v, &c.Concurrency, key); err == nil && c.Concurrency < 1 {
				err = p.errAt(v, "concurrency must be at least 1")
			}
		case "stale_after_days":
			staleTop = v
		case "issue_pattern":
			c.IssuePattern, err = p.regex(v, key)
		case "bot_pattern":
			c.BotPattern, err = p.regex(v, key)
		case "production":
			err = p.fields(v, []string{"environments", "workflows", "hotfix", "incident_window"}, func(key string, _, v *yaml.Node) error {
				var err error
				switch key {
				case "environments":
					c.ProductionEnv, err = p.regex(v, "production.environments")
				case "workflows":
					c.DeployWorkflow, err = p.regex(v, "production.workflows")
				case "hotfix":
					c.HotfixPattern, err = p.regex(v, "production.hotfix")
				default:
					c.IncidentWindow, err = p.duration(v, "production.incident_window")
				}
				return err
			})
		case "thresholds":
			thresholds = v
			err = p.thresholds(v, &c.Thresholds)
		case "attestations":
			c.Attestations, err = p.attestations(v)
		case "targets":
			targets = v
		}
		return err
	})
	if err == nil && staleTop != nil {
		err = p.staleAlias(staleTop, thresholds, c)
	}
	if err != nil || targets == nil {
		return err
	}
	c.Targets, err = p.targets(targets, c)
	return err
}

// staleAfterKey is the one key of the stale-branch age.
const staleAfterKey = "thresholds.branching.stale_after_days"

// staleAlias applies the top-level stale_after_days, a documented alias of
// thresholds.branching.stale_after_days. Both at once is an error wherever
// they stand (no "the later one wins").
func (p *parser) staleAlias(top, thresholds *yaml.Node, c *Config) error {
	if k := mappingKey(mappingValue(thresholds, "branching"), "stale_after_days"); k != nil {
		return p.errAt(top, "stale_after_days is set twice, here and as %s (line %d); keep only %s",
			staleAfterKey, k.Line, staleAfterKey)
	}
	var days int
	if err := p.decode(top, &days, "stale_after_days"); err != nil {
		return err
	}
	if days < 1 {
		return p.errAt(top, "stale_after_days must be at least 1")
	}
	c.Thresholds.Branching.StaleAfterDays = days
	return nil
}

// mappingKey returns the key node of key in mapping n, nil when n is not a
// mapping or lacks it.
func mappingKey(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// mappingValue returns the value node of key in mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if k := mappingKey(n, key); k != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i] == k {
				return n.Content[i+1]
			}
		}
	}
	return nil
}

// labelRE is what a label name must look like (it becomes a Prometheus label).
var labelRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// labels parses a target's `labels:` mapping of names to strings; each
// name becomes a Prometheus label, so names Prometheus rejects or reserves
// are refused at their place.
func (p *parser) labels(n *yaml.Node) (map[string]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errAt(n, "labels: expected a mapping of names to values")
	}
	if err := p.unique(n); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		bare := strings.Trim(strings.ToLower(k.Value), "_")
		switch {
		case !labelRE.MatchString(k.Value):
			return nil, p.errAt(k, "label name %q must match %s", k.Value, labelRE)
		case strings.HasPrefix(k.Value, "__"):
			return nil, p.errAt(k, "label name %q: names starting with __ are reserved by Prometheus", k.Value)
		case bare == "le" || bare == "quantile":
			return nil, p.errAt(k, "label name %q is reserved by Prometheus (histogram buckets, summary quantiles)", k.Value)
		}
		if v.Kind != yaml.ScalarNode {
			return nil, p.errAt(v, "label %s: expected a string", k.Value)
		}
		out[k.Value] = v.Value
	}
	return out, nil
}
