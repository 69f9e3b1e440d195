package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

// thresholds applies a `thresholds:` mapping onto cfg, checking every key
// against the rules' configuration so typos are caught with their place.
func (p *parser) thresholds(n *yaml.Node, cfg *rules.Config) error {
	return p.structInto(n, reflect.ValueOf(cfg).Elem(), "thresholds")
}

func (p *parser) structInto(n *yaml.Node, v reflect.Value, path string) error {
	t := v.Type()
	byTag := map[string]int{}
	var known []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			byTag[tag] = i
			known = append(known, tag)
		}
	}
	return p.fields(n, known, func(key string, k, val *yaml.Node) error {
		f := v.Field(byTag[key])
		if f.Kind() == reflect.Struct {
			return p.structInto(val, f, path+"."+key)
		}
		if err := p.decode(val, f.Addr().Interface(), path+"."+key); err != nil {
			return err
		}
		if f.Kind() == reflect.Float64 && f.Float() < 0 || f.Kind() == reflect.Int && f.Int() < 0 {
			return p.errAt(val, "%s.%s must not be negative", path, key)
		}
		return nil
	})
}

// attestations parses the `attestations:` list.
func (p *parser) attestations(n *yaml.Node) ([]model.Attestation, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errAt(n, "attestations: expected a list")
	}
	var out []model.Attestation
	for _, item := range n.Content {
		var a model.Attestation
		err := p.mapping(item, map[string]any{"practice": &a.Practice, "dimension": &a.Dimension, "level": &a.Level,
			"by": &a.By, "evidence": &a.Evidence, "target": &a.Target}, map[string]func(*yaml.Node) error{
			"date":    func(v *yaml.Node) error { return p.date(v, &a.Date, "date") },
			"expires": func(v *yaml.Node) error { return p.date(v, &a.Expires, "expires") },
		})
		if err != nil {
			return nil, err
		}
		if err := p.checkAttestation(item, a); err != nil {
			return nil, err
		}
		a.Unverified = true // a plain `by:` string: no signature vouches for it
		out = append(out, a)
	}
	return out, nil
}

func (p *parser) date(v *yaml.Node, out *time.Time, what string) error {
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, v.Value); err == nil {
			*out = t
			return nil
		}
	}
	return p.errAt(v, "%s: %q is not a date (YYYY-MM-DD or RFC 3339)", what, v.Value)
}

func (p *parser) checkAttestation(n *yaml.Node, a model.Attestation) error {
	switch {
	case a.Practice == "" || a.Dimension == "":
		return p.errAt(n, "attestation: practice and dimension are required")
	case a.Level < 1 || a.Level > 5:
		return p.errAt(n, "attestation of %s.%s: level %d is not 1–5", a.Practice, a.Dimension, a.Level)
	case a.By == "":
		return p.errAt(n, "attestation of %s.%s: `by` (who signs it) is required", a.Practice, a.Dimension)
	case a.Evidence == "":
		return p.errAt(n, "attestation of %s.%s: `evidence` (a URL) is required", a.Practice, a.Dimension)
	case a.Date.IsZero() || a.Expires.IsZero():
		return p.errAt(n, "attestation of %s.%s: `date` and `expires` are required", a.Practice, a.Dimension)
	case !a.Expires.After(a.Date):
		return p.errAt(n, "attestation of %s.%s: expires before it was made", a.Practice, a.Dimension)
	}
	if p.cat != nil {
		if _, ok := p.cat.Lookup(a.Practice, a.Dimension); !ok {
			return p.errAt(n, "attestation: unknown dimension %s.%s (see `cdaudit levels`)", a.Practice, a.Dimension)
		}
	}
	return nil
}

// targets parses the `targets:` list; each target starts from the file's
// thresholds.
func (p *parser) targets(n *yaml.Node, c *Config) ([]Target, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errAt(n, "targets: expected a list")
	}
	var out []Target
	names := map[string]bool{}
	for _, item := range n.Content {
		t := Target{Line: item.Line}
		var thr *yaml.Node
		special := map[string]func(*yaml.Node) error{
			"github":     func(v *yaml.Node) error { return p.hostValue(v, "github", &t.GitHub, &t.Discover) },
			"gitlab":     func(v *yaml.Node) error { return p.hostValue(v, "gitlab", &t.GitLab, &t.Discover) },
			"thresholds": func(v *yaml.Node) error { thr = v; return nil },
			"labels":     func(v *yaml.Node) (err error) { t.Labels, err = p.labels(v); return err },
			"jenkins":    func(v *yaml.Node) (err error) { t.Jenkins, err = p.jenkins(v); return err },
			"junit":      func(v *yaml.Node) (err error) { t.JUnit, err = p.junit(v); return err },
			"deployments": func(v *yaml.Node) (err error) {
				t.Deployments, err = p.deployments(v)
				return err
			},
			"incidents": func(v *yaml.Node) (err error) { t.Incidents, err = p.incidents(v); return err },
			"production": func(v *yaml.Node) error {
				return p.mapping(v, nil, map[string]func(*yaml.Node) error{"environments": func(v *yaml.Node) error {
					var err error
					t.ProductionEnv, err = p.regex(v, "production.environments")
					return err
				}})
			},
		}
		p.sourceFields(special, &t)
		err := p.mapping(item, map[string]any{"name": &t.Name, "path": &t.Path, "branch": &t.Branch}, special)
		if err == nil {
			err = p.checkDiscovery(item, &t)
		}
		if err == nil {
			err = p.checkDelivery(item, &t)
		}
		if err != nil {
			return nil, err
		}
		if t.Path == "" && t.GitHub == "" && t.GitLab == "" && t.Jenkins == nil && t.Discover == nil && t.Sources == nil {
			return nil, p.errAt(item, "target needs at least one of path, github, gitlab, jenkins")
		}
		if t.Name == "" {
			t.Name = firstNonEmpty(t.GitHub, t.GitLab, t.Path)
			if t.Name == "" && t.Jenkins != nil {
				t.Name = t.Jenkins.Job
			}
			if t.Name == "" {
				t.Name = firstSource(t.Sources)
			}
		}
		if names[t.Name] {
			return nil, p.errAt(item, "target name %q appears twice", t.Name)
		}
		names[t.Name] = true
		out = append(out, t)
		out[len(out)-1].Thresholds = c.Thresholds
		if thr != nil {
			if err := p.thresholds(thr, &out[len(out)-1].Thresholds); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// Validate reports configuration problems that depend on more than one key.
func (c *Config) Validate() error {
	if c.Since != "" && c.Until != "" && c.Since == c.Until {
		return &Error{File: c.File, Msg: fmt.Sprintf("since and until are both %q: the window is empty", c.Since)}
	}
	return nil
}

// mapping decodes a mapping: each key of dst into its pointer, each key of
// special through its function. Any other key is an error at its place.
func (p *parser) mapping(n *yaml.Node, dst map[string]any, special map[string]func(*yaml.Node) error) error {
	known := make([]string, 0, len(dst)+len(special))
	for k := range dst {
		known = append(known, k)
	}
	for k := range special {
		known = append(known, k)
	}
	sort.Strings(known)
	return p.fields(n, known, func(key string, _, v *yaml.Node) error {
		if f, ok := special[key]; ok {
			return f(v)
		}
		return p.decode(v, dst[key], key)
	})
}

// sourceFields adds the keys of the sources wired from their descriptors
// (Load's sourceKeys) to a target's keys: each takes a non-empty scalar.
func (p *parser) sourceFields(special map[string]func(*yaml.Node) error, t *Target) {
	for _, k := range p.sourceKeys {
		if _, taken := special[k]; taken {
			continue
		}
		special[k] = func(v *yaml.Node) error {
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return p.errAt(v, "%s: expected a non-empty string", k)
			}
			if t.Sources == nil {
				t.Sources = map[string]string{}
			}
			t.Sources[k] = strings.TrimSpace(v.Value)
			return nil
		}
	}
}

// firstSource returns the value of the first source key in sorted order.
func firstSource(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return m[keys[0]]
}
