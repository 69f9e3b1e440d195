package rules

import (
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"
)

//go:embed defaults.yaml
var defaultsYAML []byte

// Config holds the thresholds of the qualitative cells. Defaults() gives the
// embedded defaults; a config file's `thresholds:` block overrides any key.
type Config struct {
	Branching struct {
		L3MaxLifetimeHours     float64 `yaml:"l3_max_lifetime_hours"`
		L3MinDevCommitDayRatio float64 `yaml:"l3_min_dev_commit_day_ratio"`
		L4MaxLifetimeHours     float64 `yaml:"l4_max_lifetime_hours"`
		L4MaxStaleRatio        float64 `yaml:"l4_max_stale_ratio"`
		StaleAfterDays         int     `yaml:"stale_after_days"`
		MinMerges              int     `yaml:"min_merges"`
	} `yaml:"branching"`
	CIFrequency struct {
		L2MinTeamDayRatio        float64 `yaml:"l2_min_team_day_ratio"`
		L3MinCoreDayRatio        float64 `yaml:"l3_min_core_day_ratio"`
		L4MinCoreIntegrationsDay float64 `yaml:"l4_min_core_integrations_per_day"`
		L5MinCoverage            float64 `yaml:"l5_min_coverage"`
	} `yaml:"ci_frequency"`
	CIMethod struct {
		L3MinTrunkCoverage   float64 `yaml:"l3_min_trunk_coverage"`
		L4MinCheckedRunRatio float64 `yaml:"l4_min_checked_run_ratio"`
	} `yaml:"ci_method"`
	CIFeedback struct {
		L3MaxMinutes float64 `yaml:"l3_max_minutes"`
		L4MaxMinutes float64 `yaml:"l4_max_minutes"`
		L5MaxMinutes float64 `yaml:"l5_max_minutes"`
	} `yaml:"ci_feedback"`
	BuildEnvironment struct {
		L3MaxP90Minutes float64 `yaml:"l3_max_p90_minutes"`
		L4MaxP90Minutes float64 `yaml:"l4_max_p90_minutes"`
	} `yaml:"build_environment"`
	BuildSchedule struct {
		MinSemverRatio float64 `yaml:"min_semver_ratio"`
	} `yaml:"build_schedule"`
	Traceability struct {
		L2MinIssueRefRatio     float64 `yaml:"l2_min_issue_ref_ratio"`
		L3MinIssueRefRatio     float64 `yaml:"l3_min_issue_ref_ratio"`
		L3MinLinkedChangeRatio float64 `yaml:"l3_min_linked_change_ratio"`
		L2MinSemverRatio       float64 `yaml:"l2_min_semver_ratio"`
		MinTags                int     `yaml:"min_tags"`
		MinChanges             int     `yaml:"min_changes"`
	} `yaml:"traceability"`
	TestLayering struct {
		L3MinUnitRatio        float64 `yaml:"l3_min_unit_ratio"`
		L3MinChangesWithTests float64 `yaml:"l3_min_changes_with_tests"`
		L4MinCommitsWithTests float64 `yaml:"l4_min_commits_with_tests"`
		L2MinInterfaceFiles   int     `yaml:"l2_min_interface_files"`
		L3MinPerformanceFiles int     `yaml:"l3_min_performance_files"`
	} `yaml:"test_layering"`
	TestAutomation struct {
		L3MinCoveragePercent float64 `yaml:"l3_min_coverage_percent"`
		L3MaxFlakyRatio      float64 `yaml:"l3_max_flaky_ratio"`
		L4MaxFlakyRatio      float64 `yaml:"l4_max_flaky_ratio"`
		L3MaxTestMinutes     float64 `yaml:"l3_max_test_minutes"`
	} `yaml:"test_automation"`
	Deploy struct {
		L2MaxFailureRatio          float64 `yaml:"l2_max_failure_ratio"`
		L4MaxFailureRatio          float64 `yaml:"l4_max_failure_ratio"`
		L5MinDeploysPerIntegration float64 `yaml:"l5_min_deploys_per_integration"`
	} `yaml:"deploy"`
	Pipeline struct {
		L4MinTrunkCoverage float64 `yaml:"l4_min_trunk_coverage"`
	} `yaml:"pipeline"`
	History struct {
		L3MinAudits              int     `yaml:"l3_min_audits"`
		L3MaxIntervalDays        float64 `yaml:"l3_max_interval_days"`
		L4MinAudits              int     `yaml:"l4_min_audits"`
		RealtimeMaxIntervalHours float64 `yaml:"realtime_max_interval_hours"`
	} `yaml:"history"`
}

// Defaults returns the embedded default thresholds.
func Defaults() Config {
	var c Config
	if err := yaml.Unmarshal(defaultsYAML, &c); err != nil {
		// The embedded file is tested; this cannot happen in a built binary.
		panic(fmt.Sprintf("rules: embedded defaults: %v", err))
	}
	return c
}
