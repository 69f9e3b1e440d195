package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// ruleJSON is a rule that applies to a branch (rulesets), decoded leniently:
// go-github's decoder rejects rule types it does not know.
type ruleJSON struct {
	Type       string          `json:"type"`
	Parameters json.RawMessage `json:"parameters"`
}

// protection reads the default branch's classic protection and the rulesets
// that apply to it, and merges both. Classic protection needs admin rights:
// when it is unreadable (403, or a 404 other than "Branch not protected")
// the rulesets, which need only read access, stand in. When neither can be
// read, or only empty rulesets while the branch says it is protected, the
// protection stays unknown.
func (a *audit) protection(ctx context.Context) error {
	c := a.c
	branch := a.ev.DefaultBranch
	p := &model.Protection{Branch: branch, AllowForcePush: true}
	classicKnown, rulesKnown := false, false

	cp, _, err := c.client.Repositories.GetBranchProtection(ctx, c.owner, c.name, branch)
	switch {
	case err == nil:
		classicKnown = true
		p.Protected = true
		p.Source = "branch_protection"
		if r := cp.GetRequiredPullRequestReviews(); r != nil {
			p.RequirePR = true
			p.RequiredApprovals = r.RequiredApprovingReviewCount
			p.RequireCodeOwners = r.RequireCodeOwnerReviews
		}
		if rs := cp.GetRequiredStatusChecks(); rs != nil {
			if rs.Contexts != nil {
				p.RequiredChecks = append(p.RequiredChecks, *rs.Contexts...)
			}
			if rs.Checks != nil {
				for _, ch := range *rs.Checks {
					p.RequiredChecks = append(p.RequiredChecks, ch.Context)
				}
			}
		}
		p.AllowForcePush = cp.GetAllowForcePushes().Enabled
		p.RequireLinearHistory = cp.GetRequireLinearHistory().Enabled
	case errors.Is(err, gh.ErrBranchNotProtected) || notProtected(err):
		classicKnown = true
	case stops(err) || isUnauthorized(err) || ctx.Err() != nil:
		return err
	case status(err) == http.StatusForbidden || status(err) == http.StatusNotFound:
		a.warn(fmt.Sprintf("branch protection of %s unreadable (%d; it needs admin rights); using rulesets", branch, status(err)))
	default:
		return err
	}

	var rules []ruleJSON
	_, err = a.getJSON(ctx, "repos/"+c.owner+"/"+c.name+"/rules/branches/"+url.PathEscape(branch)+"?per_page=100", &rules)
	switch {
	case err == nil:
		rulesKnown = true
	case stops(err) || isUnauthorized(err) || ctx.Err() != nil:
		return err
	case status(err) == http.StatusNotFound && classicKnown:
		rulesKnown = true // no rulesets on this server (older GitHub Enterprise Server)
	case status(err) == http.StatusForbidden || status(err) == http.StatusNotFound:
		a.warn(fmt.Sprintf("rulesets of %s unreadable (%d)", branch, status(err)))
	default:
		return err
	}
	if len(rules) > 0 {
		applyRules(p, rules)
	}
	switch {
	case classicKnown && rulesKnown:
	case rulesKnown && len(rules) == 0 && a.tipProtected:
		a.warn("the default branch is protected but its classic protection is unreadable and no rulesets apply; protection unknown")
		a.partialKinds = true
		return nil
	case rulesKnown && (len(rules) > 0 || !a.tipProtected):
		if len(rules) > 0 {
			a.note("default-branch protection taken from rulesets only; classic branch protection was unreadable")
		}
	default:
		a.warn("neither branch protection nor rulesets of the default branch could be read; protection unknown")
		a.partialKinds = true
		return nil
	}
	sort.Strings(p.RequiredChecks)
	p.RequiredChecks = dedupe(p.RequiredChecks)
	p.PipelineMustSucceed = len(p.RequiredChecks) > 0
	a.ev.Protection = p
	a.ev.Mark(model.KindProtection)
	return nil
}

// notProtected recognises GitHub's 404 "Branch not protected".
func notProtected(err error) bool {
	return status(err) == http.StatusNotFound && strings.Contains(strings.ToLower(err.Error()), "branch not protected")
}

// applyRules merges the rules that apply to the branch into p.
func applyRules(p *model.Protection, rules []ruleJSON) {
	p.Protected = true
	if p.Source == "" {
		p.Source = "rulesets"
	}
	for _, r := range rules {
		switch r.Type {
		case "pull_request":
			var v struct {
				Count      int  `json:"required_approving_review_count"`
				CodeOwners bool `json:"require_code_owner_review"`
			}
			_ = json.Unmarshal(r.Parameters, &v)
			p.RequirePR = true
			p.RequiredApprovals = max(p.RequiredApprovals, v.Count)
			p.RequireCodeOwners = p.RequireCodeOwners || v.CodeOwners
		case "required_status_checks":
			var v struct {
				Checks []struct {
					Context string `json:"context"`
				} `json:"required_status_checks"`
			}
			_ = json.Unmarshal(r.Parameters, &v)
			for _, ch := range v.Checks {
				p.RequiredChecks = append(p.RequiredChecks, ch.Context)
			}
		case "non_fast_forward":
			p.AllowForcePush = false
		case "required_linear_history":
			p.RequireLinearHistory = true
		}
	}
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
