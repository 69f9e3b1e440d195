package githubfake

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// GraphQLPath is where the server answers GraphQL, as GitHub Enterprise
// Server does (https://HOST/api/graphql, beside the REST API's /api/v3/).
const GraphQLPath = "/api/graphql"

// GraphQLLimit is the GraphQL API's hourly points, a bucket apart from the
// REST quota as on GitHub.
const GraphQLLimit = 5000

// object is a GraphQL object of the fake: its type name and its fields, a
// field being a scalar, an object, a list of objects, or a resolver taking
// the field's arguments.
type object struct {
	typ    string
	fields map[string]any
}

// resolver computes a field from its arguments.
type resolver func(args map[string]any) (any, error)

// gqlError is one entry of the response's "errors", as GitHub writes them.
type gqlError struct {
	Type    string   `json:"type,omitempty"`
	Path    []any    `json:"path,omitempty"`
	Message string   `json:"message"`
	Locs    []gqlLoc `json:"locations,omitempty"`
}

type gqlLoc struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// graphql answers POST /api/graphql: it parses the query, computes its cost
// as GitHub documents it (the requests each connection's first/last implies,
// summed, divided by 100, at least 1), executes it against the repository
// and answers data, errors, and the GraphQL rate-limit headers.
func (s *Server) graphql(w http.ResponseWriter, r *http.Request) (status, cost int) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	writeErrs := func(status int, errs ...gqlError) (int, int) {
		s.gqlHeaders(h, 0)
		w.WriteHeader(status)
		b, _ := json.Marshal(map[string]any{"errors": errs})
		_, _ = w.Write(b)
		return status, 0
	}
	if r.Method != http.MethodPost {
		return writeErrs(http.StatusNotFound, gqlError{Message: "Not Found"})
	}
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
		return writeErrs(http.StatusBadRequest, gqlError{Message: "Problems parsing JSON"})
	}
	doc, perr := parser.ParseQuery(&ast.Source{Input: in.Query})
	if perr != nil {
		return writeErrs(http.StatusOK, gqlError{Type: "PARSE_ERROR", Message: perr.Error()})
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		return writeErrs(http.StatusOK, gqlError{Message: "one query operation is expected"})
	}
	op := doc.Operations[0]
	requests, err := queryCost(op.SelectionSet, in.Variables, 1)
	if err != nil {
		return writeErrs(http.StatusOK, gqlError{Type: "MAX_NODE_LIMIT_EXCEEDED", Message: err.Error()})
	}
	cost = max(int(math.Round(float64(requests)/100)), 1)
	if s.gqlRemaining < cost {
		s.gqlRemaining = 0
		return writeErrs(http.StatusOK, gqlError{Type: "RATE_LIMITED", Message: "API rate limit exceeded for user ID 1."})
	}
	s.gqlRemaining -= cost
	ex := &executor{vars: in.Variables, cost: cost, remaining: s.gqlRemaining, s: s}
	data := ex.selection(op.SelectionSet, s.queryRoot(ex), nil)
	s.gqlHeaders(h, cost)
	out := map[string]any{"data": data}
	if len(ex.errs) > 0 {
		out["errors"] = ex.errs
	}
	b, _ := json.Marshal(out)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return http.StatusOK, cost
}

func (s *Server) gqlHeaders(h http.Header, cost int) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(GraphQLLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(s.gqlRemaining, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(3600e9).Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(GraphQLLimit-max(s.gqlRemaining, 0)))
	h.Set("X-RateLimit-Resource", "graphql")
	_ = cost
}

// queryCost sums the requests a query implies: each connection field
// (first/last) costs one request per parent node, and multiplies the
// nodes below it; nodes(ids:) multiplies by the ids given. A first or last
// above 100, or more than 500,000 nodes, is refused as GitHub does.
func queryCost(set ast.SelectionSet, vars map[string]any, mult int) (int, error) {
	total := 0
	for _, sel := range set {
		var sub ast.SelectionSet
		m := mult
		switch f := sel.(type) {
		case *ast.Field:
			sub = f.SelectionSet
			args := argMap(f, vars)
			if n, ok := pageSize(args); ok {
				if n < 0 || n > 100 {
					return 0, fmt.Errorf("requesting %d records on the `%s` connection exceeds the `first` limit of 100 records", n, f.Name)
				}
				total += mult
				m = mult * max(n, 1)
			} else if ids, ok := args["ids"].([]any); ok {
				m = mult * max(len(ids), 1)
			}
			if m > 500000 {
				return 0, fmt.Errorf("this query requests %d nodes, above the limit of 500,000", m)
			}
		case *ast.InlineFragment:
			sub = f.SelectionSet
		default:
			return 0, fmt.Errorf("fragment spreads are not supported by the fake")
		}
		n, err := queryCost(sub, vars, m)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func pageSize(args map[string]any) (int, bool) {
	for _, k := range []string{"first", "last"} {
		if v, ok := args[k]; ok && v != nil {
			n, _ := toInt(v)
			return n, true
		}
	}
	return 0, false
}

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case float64:
		return int(x), true
	case int:
		return x, true
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// argMap resolves a field's arguments with the request's variables.
func argMap(f *ast.Field, vars map[string]any) map[string]any {
	out := map[string]any{}
	for _, a := range f.Arguments {
		if v, err := a.Value.Value(vars); err == nil {
			out[a.Name] = v
		}
	}
	return out
}

type executor struct {
	vars      map[string]any
	errs      []gqlError
	cost      int
	remaining int
	s         *Server
}

// selection renders the fields of set selected on o.
func (e *executor) selection(set ast.SelectionSet, o *object, path []any) map[string]any {
	out := map[string]any{}
	for _, sel := range set {
		switch f := sel.(type) {
		case *ast.InlineFragment:
			if f.TypeCondition == "" || f.TypeCondition == o.typ || f.TypeCondition == "Node" {
				for k, v := range e.selection(f.SelectionSet, o, path) {
					out[k] = v
				}
			}
		case *ast.Field:
			key := f.Alias
			if key == "" {
				key = f.Name
			}
			p := append(append([]any(nil), path...), key)
			if f.Name == "__typename" {
				out[key] = o.typ
				continue
			}
			v, ok := o.fields[f.Name]
			if !ok {
				e.errs = append(e.errs, gqlError{Type: "undefinedField", Path: p,
					Message: fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.Name, o.typ)})
				out[key] = nil
				continue
			}
			if rf, ok := v.(resolver); ok {
				var err error
				if v, err = rf(argMap(f, e.vars)); err != nil {
					e.errs = append(e.errs, gqlError{Type: "NOT_FOUND", Path: p, Message: err.Error()})
					out[key] = nil
					continue
				}
			}
			out[key] = e.value(f, v, p)
		}
	}
	return out
}

func (e *executor) value(f *ast.Field, v any, path []any) any {
	switch x := v.(type) {
	case *object:
		if x == nil {
			return nil
		}
		return e.selection(f.SelectionSet, x, path)
	case []*object:
		out := make([]any, len(x))
		for i, o := range x {
			if o == nil {
				continue
			}
			out[i] = e.selection(f.SelectionSet, o, append(append([]any(nil), path...), i))
		}
		return out
	}
	return v
}

// connection is a resolver paging items as GitHub's connections do:
// first/after (cursors are the index, base 10), totalCount, pageInfo,
// nodes and edges.
func connection(typ string, items []*object) resolver {
	return func(args map[string]any) (any, error) {
		start := 0
		if a, ok := args["after"].(string); ok && a != "" {
			n, err := strconv.Atoi(strings.TrimPrefix(a, "Y3Vyc29yOn"))
			if err != nil {
				return nil, fmt.Errorf("`%s` does not appear to be a valid cursor", a)
			}
			start = n + 1
		}
		n, ok := pageSize(args)
		if !ok {
			return nil, fmt.Errorf("you must provide a `first` or `last` value to properly paginate the `%s` connection", typ)
		}
		start = min(start, len(items))
		end := min(start+n, len(items))
		page := items[start:end]
		edges := make([]*object, len(page))
		for i, o := range page {
			edges[i] = &object{typ: typ + "Edge", fields: map[string]any{"node": o, "cursor": cursor(start + i)}}
		}
		info := &object{typ: "PageInfo", fields: map[string]any{"hasNextPage": end < len(items), "hasPreviousPage": start > 0,
			"startCursor": nil, "endCursor": nil}}
		if len(page) > 0 {
			info.fields["startCursor"], info.fields["endCursor"] = cursor(start), cursor(end-1)
		}
		return &object{typ: typ + "Connection", fields: map[string]any{"totalCount": len(items), "nodes": page,
			"edges": edges, "pageInfo": info}}, nil
	}
}

func cursor(i int) string { return "Y3Vyc29yOn" + strconv.Itoa(i) }
