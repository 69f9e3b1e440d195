package argocd

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// Descriptor describes the Argo CD source: an application's sync history
// as deployments, merged with the other sources' deployments.
var Descriptor = collectors.Descriptor{
	Name:        "argocd",
	Title:       "Argo CD",
	Description: "an Argo CD application's sync history as deployments (ARGOCD_TOKEN)",
	Provides:    []collectors.Provision{{Kind: model.KindDeployments, Priority: collectors.PriorityHost}},
	Flag:        "argocd",
	ConfigKey:   "deployments",
	TokenEnv:    "ARGOCD_TOKEN",
	New: func(s collectors.Spec) (collectors.Collector, error) {
		return New(Options{BaseURL: s.BaseURL, Application: s.Ref, Token: s.Token, CacheDir: s.CacheDir,
			MaxWait: s.MaxWait, Timeout: s.Timeout, InsecureHTTP: s.InsecureHTTP})
	},
}
