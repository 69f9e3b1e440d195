package gitlab

import (
	"context"
	"path"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/model"
)

// collectProtection reads what GitLab enforces on the default branch: the
// protected-branch rule that matches it (wildcards included), the project's
// "pipelines must succeed" and merge method, and the approval rules that
// apply to it. Approval rules are a paid-tier API: without them the
// protection is marked with ApprovalsUnknown set, and a warning.
func (r *run) collectProtection(ctx context.Context) error {
	c := r.c
	def := c.project.DefaultBranch
	if def == "" {
		return nil
	}
	pbs, err := listAll(ctx, "protected branches", func(o ...gl.RequestOptionFunc) ([]*gl.ProtectedBranch, *gl.Response, error) {
		return c.api.ProtectedBranches.ListProtectedBranches(c.projectRef(), &gl.ListProtectedBranchesOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		return err
	}
	p := &model.Protection{
		Branch:               def,
		Source:               "gitlab",
		PipelineMustSucceed:  c.project.OnlyAllowMergeIfPipelineSucceeds,
		RequireLinearHistory: c.project.MergeMethod == gl.FastForwardMerge,
	}
	var match *gl.ProtectedBranch
	for _, pb := range pbs {
		if pb == nil {
			continue
		}
		if pb.Name == def {
			match = pb
			break
		}
		if ok, _ := path.Match(pb.Name, def); ok && match == nil {
			match = pb
		}
	}
	if match != nil {
		p.Protected = true
		p.AllowForcePush = match.AllowForcePush
		p.RequireCodeOwners = match.CodeOwnerApprovalRequired
		p.RequirePR = !humansMayPush(match.PushAccessLevels)
	}
	r.ev.Protection = p

	rules, err := listAll(ctx, "approval rules", func(o ...gl.RequestOptionFunc) ([]*gl.ProjectApprovalRule, *gl.Response, error) {
		return c.api.Projects.GetProjectApprovalRules(c.projectRef(), &gl.GetProjectApprovalRulesListsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, o...)
	})
	if err != nil {
		if unavailable(err) {
			// The rest of the protection is known; only the approvals are not.
			r.warn("approval rules are not available (403/404: a tier without them?): required approvals unknown")
			r.res.Partial = true
			p.ApprovalsUnknown = true
			r.ev.Mark(model.KindProtection)
			return nil
		}
		return err
	}
	p.RequiredApprovals = requiredApprovals(rules, def)
	r.ev.Mark(model.KindProtection)
	return nil
}

// humansMayPush reports whether a push access level lets a role, a user or
// a group push directly (deploy keys are automation, not people).
func humansMayPush(levels []*gl.BranchAccessDescription) bool {
	for _, l := range levels {
		if l == nil || l.DeployKeyID != 0 {
			continue
		}
		if l.AccessLevel > gl.NoPermissions || l.UserID != 0 || l.GroupID != 0 {
			return true
		}
	}
	return false
}

// requiredApprovals is the largest approvals_required among the regular and
// any-approver rules that apply to branch (every rule must be satisfied).
func requiredApprovals(rules []*gl.ProjectApprovalRule, branch string) int {
	n := 0
	for _, rl := range rules {
		if rl == nil || (rl.RuleType != "" && rl.RuleType != "regular" && rl.RuleType != "any_approver") {
			continue
		}
		applies := rl.AppliesToAllProtectedBranches || len(rl.ProtectedBranches) == 0
		for _, pb := range rl.ProtectedBranches {
			if pb == nil {
				continue
			}
			if ok, _ := path.Match(pb.Name, branch); ok || pb.Name == branch {
				applies = true
			}
		}
		if applies && int(rl.ApprovalsRequired) > n {
			n = int(rl.ApprovalsRequired)
		}
	}
	return n
}
