package argocd

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/argocd/argocdfake"
	"github.com/cdaudit/cdaudit/model"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func fakeApp() argocdfake.App {
	src := argocdfake.Source{RepoURL: "https://git.example/shop.git", Path: "deploy", TargetRevision: "HEAD"}
	started := t0.Add(-time.Minute)
	return argocdfake.App{Name: "shop", Source: src,
		History: []argocdfake.History{
			{ID: 1, Revision: "1111111111111111111111111111111111111111", DeployedAt: t0, DeployStartedAt: &started, Source: src,
				InitiatedBy: argocdfake.Initiator{Automated: true}},
			{ID: 2, Revision: "2222222222222222222222222222222222222222", DeployedAt: t0.Add(24 * time.Hour), Source: src,
				InitiatedBy: argocdfake.Initiator{Username: "alice"}},
		},
		Operation: &argocdfake.Operation{Phase: "Failed", Message: "one or more objects failed to apply",
			StartedAt: t0.Add(48 * time.Hour), FinishedAt: ptr(t0.Add(48*time.Hour + 2*time.Minute)),
			Revision: "3333333333333333333333333333333333333333"},
	}
}

func ptr[T any](v T) *T { return &v }

func TestCollect(t *testing.T) {
	srv := argocdfake.New("s3cret-token", fakeApp())
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL + "/", Application: "shop", Token: "s3cret-token", Base: http.DefaultTransport})
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{}
	res, err := c.Collect(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/applications/shop"
	want := []model.Deployment{
		{ID: "shop#1", URL: url, Environment: "production", SHA: "1111111111111111111111111111111111111111", Status: "success",
			CreatedAt: t0.Add(-time.Minute), FinishedAt: ptr(t0), Source: model.DeploySourceArgoCD},
		{ID: "shop#2", URL: url, Environment: "production", SHA: "2222222222222222222222222222222222222222", Status: "success",
			Creator: "alice", CreatedAt: t0.Add(24 * time.Hour), Source: model.DeploySourceArgoCD},
		{ID: "shop#op-2026-05-03T10:00:00Z", URL: url, Environment: "production", SHA: "3333333333333333333333333333333333333333",
			Status: "failure", CreatedAt: t0.Add(48 * time.Hour), FinishedAt: ptr(t0.Add(48*time.Hour + 2*time.Minute)),
			Source: model.DeploySourceArgoCD},
	}
	if d := cmp.Diff(want, ev.Deployments); d != "" {
		t.Errorf("deployments (-want +got):\n%s", d)
	}
	if !ev.Has(model.KindDeployments) || res.Requests == nil || res.Requests.Total != 1 {
		t.Errorf("have %v, requests %+v", ev.Have, res.Requests)
	}
}

func TestCollectErrors(t *testing.T) {
	srv := argocdfake.New("right", fakeApp())
	defer srv.Close()
	for _, c := range []struct {
		name, app, token string
		want             error
	}{
		{"wrong token", "shop", "wrong", ErrUnauthorized},
		{"unknown application", "cart", "right", ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			col, err := New(Options{BaseURL: srv.URL, Application: c.app, Token: c.token, MaxWait: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			ev := &model.Evidence{}
			_, err = col.Collect(context.Background(), ev)
			if !errors.Is(err, c.want) || ev.Has(model.KindDeployments) {
				t.Errorf("error = %v, want %v (have %v)", err, c.want, ev.Have)
			}
			if strings.Contains(err.Error(), c.token) {
				t.Errorf("error names the token: %v", err)
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	for _, c := range []struct{ name, url, app string }{
		{"cleartext to a remote host", "http://argocd.example.com", "shop"},
		{"no scheme", "argocd.example.com", "shop"},
		{"credentials in URL", "https://u:p@argocd.example.com", "shop"},
		{"no application", "https://argocd.example.com", ""},
		{"path in application", "https://argocd.example.com", "a/b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New(Options{BaseURL: c.url, Application: c.app}); err == nil {
				t.Error("accepted")
			}
		})
	}
}
