package metrics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
)

// DefaultPushTimeout bounds one push when PushOptions.Client is nil.
const DefaultPushTimeout = 30 * time.Second

// ErrPushRefused is matched (errors.Is) by a *PushError.
var ErrPushRefused = errors.New("pushgateway refused the metrics")

// PushError is returned when the Pushgateway answers a push with an error
// status (a 400 for metrics inconsistent with ones already pushed, a 500…).
type PushError struct {
	Gateway    string // the gateway URL, without credentials
	Job        string
	StatusCode int
	Body       string // the start of the answer, on one line
}

func (e *PushError) Error() string {
	msg := fmt.Sprintf("pushgateway %s refused the metrics of job %q: HTTP %d %s",
		e.Gateway, e.Job, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Is makes errors.Is(err, ErrPushRefused) true.
func (e *PushError) Is(target error) bool { return target == ErrPushRefused }

// PushOptions tune Push.
type PushOptions struct {
	// Client sends the request; nil uses a client with DefaultPushTimeout.
	Client *http.Client
	// Grouping adds grouping labels (say instance) to the job; a grouping
	// label must not be one of the metrics' own labels (target…).
	Grouping map[string]string
}

// Push gathers c and pushes the result to the Pushgateway at gateway
// (host:port or an http(s) URL, without /metrics/job/…) under job,
// replacing what that job and grouping pushed before (HTTP PUT). Credentials
// in the URL (https://user:pass@host) are sent as basic authentication and
// never appear in errors. A gateway answering with an error status gives a
// *PushError.
func Push(ctx context.Context, gateway, job string, c prometheus.Collector, opt PushOptions) error {
	u, display, err := gatewayURL(gateway)
	if err != nil {
		return err
	}
	if strings.TrimSpace(job) == "" {
		return fmt.Errorf("push to %s: empty job name", display)
	}
	client := opt.Client
	if client == nil {
		client = &http.Client{Timeout: DefaultPushTimeout}
	}
	doer := &refusalRecorder{c: client}
	p := push.New(display, job).Collector(c).Client(doer)
	if u.User != nil {
		pass, _ := u.User.Password()
		p = p.BasicAuth(u.User.Username(), pass)
	}
	for k, v := range opt.Grouping {
		p = p.Grouping(k, v)
	}
	err = p.PushContext(ctx)
	switch {
	case err == nil:
		return nil
	case doer.status != 0:
		return &PushError{Gateway: display, Job: job, StatusCode: doer.status, Body: doer.body}
	}
	return fmt.Errorf("push to pushgateway %s (job %q): %w", display, job, err)
}

// gatewayURL parses the gateway address and returns it with a display form
// that carries no credentials.
func gatewayURL(gateway string) (*url.URL, string, error) {
	g := strings.TrimSpace(gateway)
	if g == "" {
		return nil, "", errors.New("push: no pushgateway address")
	}
	if !strings.Contains(g, "://") {
		g = "http://" + g
	}
	u, err := url.Parse(g)
	if err != nil {
		// url's error quotes the input, credentials included.
		return nil, "", errors.New("push: the pushgateway address is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, "", fmt.Errorf("push: pushgateway %s: want an http or https URL", stripUser(u))
	}
	return u, stripUser(u), nil
}

func stripUser(u *url.URL) string {
	c := *u
	c.User = nil
	return strings.TrimSuffix(c.String(), "/")
}

// refusalRecorder wraps the client: it records an error answer's status
// and the start of its body (the push library would read all of it).
type refusalRecorder struct {
	c      *http.Client
	status int
	body   string
}

const maxErrorBody = 512

func (r *refusalRecorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(nil))
		r.status, r.body = resp.StatusCode, oneLine(string(b))
	}
	return resp, nil
}

// oneLine makes a gateway's answer safe to print: valid UTF-8, control
// and format (bidi) characters as spaces, whitespace collapsed, at most 200 bytes.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		cut := 200
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
