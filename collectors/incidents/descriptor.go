package incidents

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// Descriptor describes the incident trackers (GitHub or GitLab issues,
// Jira). Its rate-limit dialect is the tracker's (see New), so the
// descriptor names none; its collectors are named "<tracker>-incidents".
var Descriptor = collectors.Descriptor{
	Name:        "incidents",
	Title:       "incident tracker",
	Description: "production incidents from GitHub or GitLab issues or Jira",
	Provides:    []collectors.Provision{{Kind: model.KindIncidents, Priority: collectors.PriorityHost}},
	ConfigKey:   "incidents",
	New: func(s collectors.Spec) (collectors.Collector, error) {
		return New(Options{Source: SourceJira, BaseURL: s.BaseURL, Project: s.Ref, Token: s.Token, CacheDir: s.CacheDir,
			MaxWait: s.MaxWait, Timeout: s.Timeout, InsecureHTTP: s.InsecureHTTP})
	},
}
