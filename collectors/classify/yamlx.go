package classify

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	yaml "go.yaml.in/yaml/v3"
)

// ymap is a YAML mapping with its keys in document order. Scalars are
// kept as strings, null as nil, sequences as []any.
type ymap struct {
	keys []string
	m    map[string]any
}

func (m *ymap) get(k string) any {
	if m == nil {
		return nil
	}
	return m.m[k]
}

// list returns the keys in document order (none for a nil mapping).
func (m *ymap) list() []string {
	if m == nil {
		return nil
	}
	return m.keys
}

func (m *ymap) has(k string) bool {
	if m == nil {
		return false
	}
	_, ok := m.m[k]
	return ok
}

func (m *ymap) set(k string, v any) {
	if _, ok := m.m[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.m[k] = v
}

func newYmap() *ymap { return &ymap{m: map[string]any{}} }

// Limits that keep hostile YAML cheap.
const (
	yamlMaxNodes = 400_000 // nodes produced, alias expansions included
	yamlMaxDepth = 200
	yamlMaxDocs  = 64
)

var errYAMLTooComplex = errors.New("yaml: document too large or too deeply aliased")

// parseYAML decodes every document of data. It never panics: a panic in
// the YAML library is turned into an error.
func parseYAML(data []byte) (docs []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failure: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	budget := yamlMaxNodes
	for len(docs) < yamlMaxDocs {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return docs, err
		}
		c := conv{budget: budget}
		v := c.node(&n, 0)
		if c.err != nil {
			return docs, c.err
		}
		budget = c.budget
		docs = append(docs, v)
	}
	return docs, nil
}

// firstMap returns the first document that is a mapping, skipping a
// GitLab component's `spec:` header document.
func firstMap(docs []any) *ymap {
	for i, d := range docs {
		m, ok := d.(*ymap)
		if !ok {
			continue
		}
		if len(m.keys) == 1 && m.keys[0] == "spec" && i+1 < len(docs) {
			continue
		}
		return m
	}
	return nil
}

type conv struct {
	budget int
	err    error
}

func (c *conv) node(n *yaml.Node, depth int) any {
	if c.err != nil || n == nil {
		return nil
	}
	c.budget--
	if c.budget < 0 || depth > yamlMaxDepth {
		c.err = errYAMLTooComplex
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return c.node(n.Content[0], depth+1)
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return n.Value
	case yaml.AliasNode:
		return c.node(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			out = append(out, c.node(e, depth+1))
		}
		return out
	case yaml.MappingNode:
		m := newYmap()
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag != "!!str" {
				merges = append(merges, v)
				continue
			}
			key := scalarKey(k)
			m.set(key, c.node(v, depth+1))
		}
		for _, mn := range merges {
			c.merge(m, mn, depth+1)
		}
		return m
	}
	return nil
}

// merge adds the keys of a merge-key value (a mapping, an alias to one, or
// a list of those) that m does not have yet.
func (c *conv) merge(m *ymap, n *yaml.Node, depth int) {
	if n.Kind == yaml.SequenceNode {
		for _, e := range n.Content {
			c.merge(m, e, depth+1)
		}
		return
	}
	src, ok := c.node(n, depth).(*ymap)
	if !ok {
		return
	}
	for _, k := range src.keys {
		if !m.has(k) {
			m.set(k, src.m[k])
		}
	}
}

func scalarKey(k *yaml.Node) string {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind == yaml.ScalarNode {
		return k.Value
	}
	return fmt.Sprintf("<%d:%d>", k.Line, k.Column)
}

// asMap returns v as a mapping, or nil.
func asMap(v any) *ymap {
	m, _ := v.(*ymap)
	return m
}

// asStr returns v as a string ("" for anything else).
func asStr(v any) string {
	s, _ := v.(string)
	return s
}

// asList returns v as a list; a single non-nil value becomes a list of one.
func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	default:
		return []any{t}
	}
}

// strList returns the strings of v (a string or a list with strings).
func strList(v any) []string {
	var out []string
	for _, e := range asList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// flatStrings appends every string found in v (lists nested to any depth,
// as GitLab's !reference produces) to out.
func flatStrings(v any, out []string) []string {
	return flatStringsDepth(v, out, 0)
}

func flatStringsDepth(v any, out []string, depth int) []string {
	if depth > 16 {
		return out
	}
	switch t := v.(type) {
	case string:
		out = append(out, t)
	case []any:
		for _, e := range t {
			out = flatStringsDepth(e, out, depth+1)
		}
	}
	return out
}

// truthy reports a YAML boolean-ish true (true, yes, on, or an expression).
func truthy(v any) bool {
	s := asStr(v)
	switch s {
	case "", "false", "False", "FALSE", "no", "No", "off", "0":
		return false
	}
	return v != nil
}
