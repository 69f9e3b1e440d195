package gitlab

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	gl "gitlab.com/gitlab-org/api/client-go"
)

// FuzzPagination feeds the pagination headers (Link, X-Next-Page,
// X-Total-Pages) and body of a listing answer through the collector's page
// loop: it always ends (bounded by maxPages) and nothing panics.
func FuzzPagination(f *testing.F) {
	f.Add(`<https://gitlab.example/api/v4/projects/1/pipelines?id_after=5&pagination=keyset>; rel="next"`, "", "", `[]`)
	f.Add("", "2", "3", `[{"id":1}]`)
	f.Add("", "-1", "x", `[{"id":"1"}]`)
	f.Add(`<https://elsewhere.example/steal>; rel="next"`, "99999999999999999999", "", `[{"id":1,"status":null}]`)
	f.Add("garbage,<", "0", "0", `{`)
	f.Fuzz(func(t *testing.T, link, next, total, body string) {
		pages := 0
		hc := &http.Client{Transport: rtFunc(func(r *http.Request) (*http.Response, error) {
			pages++
			h := http.Header{"Content-Type": {"application/json"}}
			for k, v := range map[string]string{"Link": link, "X-Next-Page": next, "X-Total-Pages": total} {
				if v != "" {
					h.Set(k, v)
				}
			}
			return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
		})}
		// The client as New builds it: a malformed Link never reaches
		// client-go's parser (which panics on some).
		c, err := New(Options{Project: "g/p", BaseURL: "https://gitlab.example", HTTP: hc})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = listAll(context.Background(), "pipelines", func(o ...gl.RequestOptionFunc) ([]*gl.PipelineInfo, *gl.Response, error) {
			return c.api.Pipelines.ListProjectPipelines(1, &gl.ListProjectPipelinesOptions{}, o...)
		})
		if pages > maxPages+1 {
			t.Fatalf("the page loop asked %d pages (limit %d)", pages, maxPages)
		}
	})
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
