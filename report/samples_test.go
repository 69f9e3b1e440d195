package report

import (
	"crypto/sha1"
	"fmt"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

var (
	fixedGenerated = time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)
	fixedWindow    = model.Window{
		Since: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		Until: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
	}
)

func commitRef(i int) model.Ref {
	h := fmt.Sprintf("%x", sha1.Sum([]byte(fmt.Sprint("commit", i))))
	return model.Ref{Kind: model.RefCommit, Ref: h, URL: "https://github.com/acme/api/commit/" + h}
}

func fptr(v float64) *float64 { return &v }

// practicesFrom judges every dimension of the catalogue with level(pi, di,
// automax), which returns the dimension result (ID and AutomaticMax are
// filled in), and derives practice levels the way the rules do.
func practicesFrom(c *model.Catalogue, judge func(p, d int, pid string, dim model.Dimension) model.DimensionResult) []model.PracticeResult {
	var out []model.PracticeResult
	for pi, p := range c.Practices {
		pr := model.PracticeResult{ID: p.ID}
		for di, d := range p.Dimensions {
			dr := judge(pi, di, p.ID, d)
			dr.ID, dr.AutomaticMax = d.ID, d.AutomaticMax
			pr.Dimensions = append(pr.Dimensions, dr)
		}
		lowest, allKnown := 0, true
		for _, d := range pr.Dimensions {
			if d.Level == nil {
				allKnown = false
				continue
			}
			if lowest == 0 || *d.Level < lowest {
				lowest = *d.Level
			}
		}
		switch {
		case allKnown && lowest > 0:
			pr.Level = model.IntPtr(lowest)
		case lowest > 0:
			pr.UpperBound = model.IntPtr(lowest)
		}
		out = append(out, pr)
	}
	return out
}

// measured returns a measured dimension result at level l.
func measured(l, automax int, reasons []string, ev ...model.Ref) model.DimensionResult {
	return model.DimensionResult{
		Level: model.IntPtr(l), Basis: model.BasisMeasured, MeasuredLevel: model.IntPtr(l),
		NeedsAttestation: l == automax && automax < 5, Reasons: reasons, Evidence: ev,
	}
}

// sampleMeasured is a fully measured audit of one target.
func sampleMeasured() *model.Report {
	c := fixtureCatalogue()
	ms := model.Measurements{}
	ms.Set("git.commits", 412, 412, commitRef(1))
	ms.Set("git.authors", 9, 9)
	ms.Set("git.trunk_merges", 183, 183)
	ms.Set("git.branch_lifetime_hours.p50", 18.5, 183)
	ms.Set("git.branch_lifetime_hours.p90", 70.25, 183)
	ms.Set("git.tags", 13, 13, model.Ref{Kind: model.RefTag, Ref: "v1.4.0"})
	ms.Set("git.tags_semver_ratio", 12.0/13.0, 13)
	ms.Set("git.issue_ref_ratio", 0.8, 412)
	ms.Set(model.CIDurationSecondsP50, 312, 640)
	t := model.TargetResult{
		Name:          "acme/api",
		Labels:        map[string]string{"tier": "1", "team": "payments"},
		DefaultBranch: "main",
		Sources: []model.SourceStatus{
			{Kind: "git", Name: "acme/api", Status: model.StatusOK, Duration: 1.234},
			{Kind: "github", Name: "acme/api", Status: model.StatusOK, Duration: 8.4,
				Requests: &model.RequestStats{Total: 212, Counted: 180, NotModified: 20, CacheHits: 12}},
		},
		Measurements: ms,
		Practices: practicesFrom(c, func(pi, di int, pid string, d model.Dimension) model.DimensionResult {
			l := min(d.AutomaticMax, 2+(pi+di)%4)
			reasons := []string{
				fmt.Sprintf("%s.%s meets level %d", pid, d.ID, l),
				"second reason, shown in verbose output only",
			}
			if pid == "version-control" && d.ID == "branching" {
				reasons = []string{"median merged-branch lifetime 18.5 h ≤ 24 h and 4 % of branches stale",
					"developers commit on 1.2 working days in 1 (median)"}
			}
			dr := measured(l, d.AutomaticMax, reasons, commitRef(pi*10+di),
				model.Ref{Kind: model.RefFile, Ref: ".github/workflows/ci.yml", URL: "https://github.com/acme/api/blob/main/.github/workflows/ci.yml"})
			if l < 5 && !dr.NeedsAttestation {
				dr.HeldBack = fmt.Sprintf("level %d needs more evidence of %s", l+1, d.ID)
			}
			return dr
		}),
		DORA: &model.DORA{
			DeploymentFrequency: model.DORAKey{Measurement: "dora.deployment_frequency", Value: fptr(3.2), Unit: "per day", Cluster: "elite"},
			LeadTime:            model.DORAKey{Measurement: "dora.lead_time_hours.p50", Value: fptr(20.5), Unit: "h", Cluster: "high"},
			ChangeFailureRate:   model.DORAKey{Measurement: "dora.change_failure_rate", Value: fptr(0.12), Unit: "ratio", Cluster: "medium"},
			RecoveryTime:        model.DORAKey{Measurement: "dora.recovery_hours.p50", Value: fptr(30), Unit: "h", Cluster: "low"},
		},
	}
	return &model.Report{
		Schema: model.ReportSchema, Version: "0.4.0", GeneratedAt: fixedGenerated, Window: fixedWindow,
		Targets: []model.TargetResult{t},
	}
}

// hostile is text a repository could hold that must not break a report.
const hostile = "feat/`x`|<script>alert(1)</script>\n# heading *bold* [link](javascript:alert(1)) @octocat \x1b[31mred\u202e"

// sampleUnknowns has unknown dimensions, a partial source, attestations and
// hostile strings from the repository.
func sampleUnknowns() *model.Report {
	c := fixtureCatalogue()
	ms := model.Measurements{}
	ms.Set("git.commits", 57, 57)
	ms.Set("git.authors", 3, 3)
	ms.SetUnknown("git.trunk_merges", "history is shallow before 2025-05-01")
	ms.Set("git.branch_lifetime_hours.p50", 96, 4)
	ms.SetUnknown("git.branch_lifetime_hours.p90", "too few merged branches (4 < 5)")
	ms.Set("git.tags", 0, 0)
	ms.SetUnknown("git.tags_semver_ratio", "no tags")
	ms.SetUnknown("git.issue_ref_ratio", "commit message "+hostile)
	expires := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	t := model.TargetResult{
		Name:          "acme/legacy",
		Labels:        map[string]string{"owner": "team|<ops>"},
		DefaultBranch: hostile,
		Warnings:      []string{"shallow clone: history starts 2025-05-01", hostile},
		Sources: []model.SourceStatus{
			{Kind: "git", Name: "acme/legacy", Status: model.StatusOK, Duration: 0.5},
			{Kind: "gitlab", Name: "acme/legacy", Status: model.StatusPartial, Duration: 42.125,
				Warnings: []string{"pipelines listing truncated at 1000 runs", "job name " + hostile},
				Requests: &model.RequestStats{Total: 1030, Counted: 1030, Errors: 3, Retries: 2, RateLimited: 1}},
		},
		Measurements: ms,
		Practices: practicesFrom(c, func(pi, di int, pid string, d model.Dimension) model.DimensionResult {
			switch {
			case pid == "version-control" && d.ID == "vcs":
				return model.DimensionResult{
					Level: model.IntPtr(5), Basis: model.BasisAttested, MeasuredLevel: model.IntPtr(4),
					Reasons:  []string{"git repository with build, deploy and migration scripts", "level 5 attested"},
					Evidence: []model.Ref{{Kind: model.RefFile, Ref: "db/migrations/", URL: "https://gitlab.com/acme/legacy/-/tree/main/db/migrations"}},
					Attestation: &model.Attestation{Practice: pid, Dimension: d.ID, Level: 5, By: "Alice Chen",
						Date: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: expires,
						Evidence: "https://wiki.example.com/audit/vcs?id=(1)|x"},
				}
			case pid == "version-control" && d.ID == "branching":
				return measured(2, d.AutomaticMax, []string{"median merged-branch lifetime 96 h > 72 h; branch " + hostile},
					model.Ref{Kind: model.RefBranch, Ref: hostile, URL: "javascript:alert(1)"},
					model.Ref{Kind: model.RefChange, Ref: "!42", URL: "https://user:s3cret@gitlab.com/acme/legacy/-/merge_requests/42"})
			case pid == "version-control" && d.ID == "artifacts":
				return model.DimensionResult{Basis: model.BasisUnknown, LowerBound: model.IntPtr(2),
					Reasons: []string{"releases were not collected (the GitLab token lacks read_api)"}}
			case pid == "traceability" && d.ID == "rollback":
				return model.DimensionResult{Basis: model.BasisUnknown,
					Reasons: []string{"no deployment records"}}
			case pid == "build" && d.ID == "ownership":
				return model.DimensionResult{
					Level: model.IntPtr(3), Basis: model.BasisAttested, MeasuredLevel: model.IntPtr(1),
					Reasons: []string{"ownership cannot be seen in evidence"},
					Attestation: &model.Attestation{Practice: pid, Dimension: d.ID, Level: 3, By: "Bob <bob@example.com>",
						Date: time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC), Expires: expires, Evidence: "minutes of the 2025-05-02 review"},
				}
			case pi >= 10:
				return model.DimensionResult{Basis: model.BasisUnknown, LowerBound: model.IntPtr(1),
					Reasons: []string{"CI jobs were not collected"}}
			}
			l := min(d.AutomaticMax, 1+(pi*3+di)%4)
			return measured(l, d.AutomaticMax, []string{fmt.Sprintf("%s.%s: level %d shown", pid, d.ID, l)}, commitRef(pi*10+di))
		}),
		DORA: &model.DORA{
			DeploymentFrequency: model.DORAKey{Measurement: "dora.deployment_frequency", Value: fptr(0.1), Unit: "per day", Cluster: "high"},
			LeadTime:            model.DORAKey{Measurement: "dora.lead_time_hours.p50", Unit: "h", Note: "no production deployments recorded"},
			ChangeFailureRate:   model.DORAKey{Measurement: "dora.change_failure_rate", Value: fptr(0), Unit: "ratio", Note: "only 2 deployments, too few for a cluster"},
			RecoveryTime:        model.DORAKey{Measurement: "dora.recovery_hours.p50", Unit: "h"},
		},
	}
	return &model.Report{
		Schema: model.ReportSchema, Version: "0.4.0-dev", GeneratedAt: fixedGenerated, Window: fixedWindow,
		Targets: []model.TargetResult{t},
	}
}

// sampleFailed has a target that could not be audited next to a small one.
func sampleFailed() *model.Report {
	ms := model.Measurements{}
	ms.Set("git.commits", 3, 3)
	return &model.Report{
		Schema: model.ReportSchema, GeneratedAt: fixedGenerated, Window: fixedWindow,
		Targets: []model.TargetResult{
			{
				Name:  "acme/gone",
				Error: "clone https://github.com/acme/gone.git: repository not found",
				Sources: []model.SourceStatus{{Kind: "git", Name: "acme/gone", Status: model.StatusFailed, Duration: 0.25,
					Error: "repository not found"}},
			},
			{
				Name:         "acme/tiny",
				Sources:      []model.SourceStatus{{Kind: "git", Status: model.StatusOK, Duration: 0.05}},
				Measurements: ms,
				Practices: []model.PracticeResult{
					{ID: "version-control", Level: model.IntPtr(5), Dimensions: []model.DimensionResult{
						func() model.DimensionResult {
							d := measured(5, 5, []string{"everything in git"})
							d.ID, d.AutomaticMax = "vcs", 5
							return d
						}(),
					}},
					{ID: "unknown-practice", UpperBound: nil},
				},
			},
		},
	}
}

// samples lists the sample reports by golden-file name.
func samples() []struct {
	name string
	r    *model.Report
} {
	return []struct {
		name string
		r    *model.Report
	}{
		{"measured", sampleMeasured()},
		{"unknowns", sampleUnknowns()},
		{"failed", sampleFailed()},
	}
}
