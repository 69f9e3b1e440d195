package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/cdaudit/cdaudit/report"
)

// gateway is a fake Pushgateway answering every request with code and
// body, and recording the last request.
type gateway struct {
	code int
	body string
	req  *http.Request
	got  []byte
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.req = r
	g.got, _ = io.ReadAll(r.Body)
	w.WriteHeader(g.code)
	io.WriteString(w, g.body)
}

func startGateway(t *testing.T, code int, body string) (*gateway, *httptest.Server) {
	t.Helper()
	g := &gateway{code: code, body: body}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv
}

func sampleCollector() *Collector { return NewCollector(&fakeSource{snaps: sampleSnapshots()}, 0, nil) }

func TestPush(t *testing.T) {
	for _, code := range []int{http.StatusOK, http.StatusAccepted} {
		g, srv := startGateway(t, code, "")
		err := Push(context.Background(), srv.URL, "cdaudit", sampleCollector(),
			PushOptions{Grouping: map[string]string{"instance": "ci/runner 1"}})
		if err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		if g.req.Method != http.MethodPut {
			t.Errorf("method = %s, want PUT (replace the job's metrics)", g.req.Method)
		}
		if !strings.HasPrefix(g.req.URL.Path, "/metrics/job/cdaudit/instance@base64/") {
			t.Errorf("path = %s", g.req.URL.Path)
		}
		// The body is delimited protobuf; decode it and look for a family.
		dec := expfmt.NewDecoder(strings.NewReader(string(g.got)), expfmt.Format(g.req.Header.Get("Content-Type")))
		found := false
		for {
			mf := new(dto.MetricFamily)
			if err := dec.Decode(mf); err != nil {
				break
			}
			found = found || mf.GetName() == "cdaudit_practice_level"
		}
		if !found {
			t.Errorf("cdaudit_practice_level not pushed (content type %q)", g.req.Header.Get("Content-Type"))
		}
	}
}

func TestPushRefused(t *testing.T) {
	tests := []struct {
		name string
		code int
		body string
		want string
	}{
		{"server error", http.StatusInternalServerError, "internal error\n", "HTTP 500 Internal Server Error: internal error"},
		{"inconsistent metrics", http.StatusBadRequest,
			"pushed metrics are invalid or inconsistent with existing metrics:\n collected metric \x1b[31m\u202e" + strings.Repeat("x", 5000),
			"HTTP 400 Bad Request: pushed metrics are invalid or inconsistent with existing metrics: collected metric"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := startGateway(t, tc.code, tc.body)
			u := strings.Replace(srv.URL, "http://", "http://pushuser:s3cret@", 1)
			err := Push(context.Background(), u, "cdaudit", sampleCollector(), PushOptions{})
			var pe *PushError
			if !errors.As(err, &pe) || !errors.Is(err, ErrPushRefused) {
				t.Fatalf("error = %v, want a *PushError", err)
			}
			if pe.StatusCode != tc.code || pe.Job != "cdaudit" || pe.Gateway != srv.URL {
				t.Errorf("PushError = %+v", pe)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
			if strings.Contains(msg, "s3cret") || strings.Contains(msg, "pushuser") {
				t.Errorf("credentials in the error: %q", msg)
			}
			if strings.ContainsAny(msg, "\n\x1b\u202e") || len(msg) > 400 {
				t.Errorf("error not one short safe line: %q", msg)
			}
		})
	}
}

func TestPushBasicAuth(t *testing.T) {
	g, srv := startGateway(t, http.StatusOK, "")
	u := strings.Replace(srv.URL, "http://", "http://pushuser:s3cret@", 1)
	if err := Push(context.Background(), u, "cdaudit", sampleCollector(), PushOptions{}); err != nil {
		t.Fatal(err)
	}
	if user, pass, ok := g.req.BasicAuth(); !ok || user != "pushuser" || pass != "s3cret" {
		t.Errorf("basic auth = %q %q %v", user, pass, ok)
	}
}

func TestPushErrors(t *testing.T) {
	_, srv := startGateway(t, http.StatusOK, "")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name, url, job string
		ctx            context.Context
		grouping       map[string]string
	}{
		{"no address", "", "cdaudit", context.Background(), nil},
		{"bad scheme", "ftp://gw:9091", "cdaudit", context.Background(), nil},
		{"bad url", "http://user:pa ss@[::1", "cdaudit", context.Background(), nil},
		{"no job", srv.URL, " ", context.Background(), nil},
		{"grouping clashes with a label", srv.URL, "cdaudit", context.Background(), map[string]string{"target": "x"}},
		{"cancelled", "http://user:s3cret@" + strings.TrimPrefix(srv.URL, "http://"), "cdaudit", cancelled, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Push(tc.ctx, tc.url, tc.job, sampleCollector(), PushOptions{Grouping: tc.grouping})
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrPushRefused) {
				t.Errorf("%v is not a refusal", err)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "pa ss") {
				t.Errorf("credentials in the error: %v", err)
			}
		})
	}
}

// TestPushReportCollector pushes a report's metrics without a store.
func TestPushReportCollector(t *testing.T) {
	_, srv := startGateway(t, http.StatusOK, "")
	c := report.NewPrometheusCollector(Audits(sampleSnapshots()))
	if err := Push(context.Background(), strings.TrimPrefix(srv.URL, "http://"), "cdaudit", c, PushOptions{}); err != nil {
		t.Fatal(err)
	}
}
