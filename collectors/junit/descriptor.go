package junit

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// Descriptor describes the JUnit XML source: report files in the clone.
var Descriptor = collectors.Descriptor{
	Name:        "junit",
	Title:       "JUnit XML",
	Description: "JUnit XML report files matched by globs relative to PATH",
	Provides:    []collectors.Provision{{Kind: model.KindTestReports, Priority: collectors.PriorityHost}},
	Flag:        "junit",
	ConfigKey:   "junit",
	New: func(s collectors.Spec) (collectors.Collector, error) {
		return New(Options{Patterns: []string{s.Ref}, Dir: s.Path})
	},
}
