package githubfake

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// TestQueryCost: GitHub's documented calculation — one request per
// connection per parent node, summed, over 100, at least 1 point — and its
// refusals.
func TestQueryCost(t *testing.T) {
	tests := []struct {
		name, query string
		vars        map[string]any
		requests    int
		wantErr     bool
	}{
		{"plain", `{ rateLimit { cost } }`, nil, 0, false},
		{"one connection", `{ repository(owner: "a", name: "b") { pullRequests(first: 100) { nodes { number } } } }`, nil, 1, false},
		{"nested", `{ repository(owner: "a", name: "b") { pullRequests(first: 50) { nodes { reviews(first: 10) { nodes { state } } commits(first: 100) { totalCount } } } } }`, nil, 101, false},
		{"nodes", `query($ids: [ID!]!) { nodes(ids: $ids) { ... on PullRequest { files(first: 100) { totalCount } } } }`,
			map[string]any{"ids": []any{"a", "b", "c"}}, 3, false},
		{"first above 100", `{ repository(owner: "a", name: "b") { pullRequests(first: 101) { totalCount } } }`, nil, 0, true},
		{"too many nodes", `{ repository(owner: "a", name: "b") { pullRequests(first: 100) { nodes { commits(first: 100) { nodes { commit { checkSuites(first: 100) { totalCount } } } } } } } }`, nil, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			got, err := queryCost(doc.Operations[0].SelectionSet, tc.vars, 1)
			if (err != nil) != tc.wantErr || got != tc.requests {
				t.Errorf("queryCost = %d, %v; want %d, error %v", got, err, tc.requests, tc.wantErr)
			}
		})
	}
}
