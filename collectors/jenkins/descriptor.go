package jenkins

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// Descriptor describes the Jenkins source. Its runs, jobs and deployments
// merge with a Git host's (same priority). Jenkins speaks no rate-limit
// dialect of its own: Retry-After is honoured either way.
var Descriptor = collectors.Descriptor{
	Name:        "jenkins",
	Title:       "Jenkins",
	Description: "a Jenkins job's builds, stages and test results (JENKINS_USER/JENKINS_TOKEN)",
	Provides: []collectors.Provision{
		{Kind: model.KindRuns, Priority: collectors.PriorityHost},
		{Kind: model.KindJobs, Priority: collectors.PriorityHost},
		{Kind: model.KindTestReports, Priority: collectors.PriorityHost},
		{Kind: model.KindDeployments, Priority: collectors.PriorityHost},
	},
	Flag:      "jenkins",
	ConfigKey: "jenkins",
	TokenEnv:  "JENKINS_TOKEN",
	New: func(s collectors.Spec) (collectors.Collector, error) {
		return New(Options{BaseURL: s.BaseURL, Job: s.Ref, Token: s.Token, CacheDir: s.CacheDir, MaxWait: s.MaxWait,
			Timeout: s.Timeout, InsecureHTTP: s.InsecureHTTP})
	},
}
