// Package measure derives measurements from collected evidence. It is pure:
// no I/O and no clock (the evidence window carries every date it needs).
// docs/measurements.md defines every measurement it produces.
//
// Import rules: model and model/vocab only; no I/O (no os, net, database or
// slog).
package measure

import (
	"regexp"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Options tunes how evidence is measured.
type Options struct {
	// IssuePattern matches an issue reference in a commit message or a change
	// title/body; nil uses DefaultIssuePattern.
	IssuePattern *regexp.Regexp
	// ProductionEnv matches the environment names of production deployments;
	// nil uses DefaultProductionEnv.
	ProductionEnv *regexp.Regexp
	// DeployWorkflow matches the names of CI runs/jobs that deploy to
	// production when the host keeps no deployment records; nil uses
	// DefaultDeployWorkflow.
	DeployWorkflow *regexp.Regexp
	// StaleAfterDays makes an unmerged branch stale when its head is older
	// than this many days at the window's end (0 uses 30).
	StaleAfterDays int
	// BotPattern matches bot authors (names or e-mails); nil uses DefaultBotPattern.
	BotPattern *regexp.Regexp
	// DeployFrom names opt-in deployment records derived from tags or
	// releases.
	DeployFrom DeployFrom
	// HotfixPattern matches a production deployment that is a hotfix (its
	// ref or tag, its commit's subject, the title or branch of the change
	// it merged); nil uses DefaultHotfixPattern.
	HotfixPattern *regexp.Regexp
	// IncidentWindow is how long after a production deployment an incident
	// that names no deployment is taken to follow it (0 uses 24 hours).
	IncidentWindow time.Duration
}

// Defaults.
var (
	DefaultIssuePattern   = regexp.MustCompile(`(?:^|[^\w&])#\d+\b|\b[A-Z][A-Z0-9]+-\d+\b`)
	DefaultProductionEnv  = regexp.MustCompile(`(?i)^(prod|production|live)([-_/ .].*)?$`)
	DefaultDeployWorkflow = regexp.MustCompile(`(?i)\b(deploy|release)\b.*\b(prod|production|live)\b`)
	DefaultHotfixPattern  = regexp.MustCompile(`(?i)\bhot[-_ ]?fix(es)?\b`)
	// DefaultBotPattern: [bot] accounts, dependency and sync bots named
	// "… Bot" or "…Bot" (GitLab Renovate Bot, PrometheusBot), not Talbot.
	DefaultBotPattern = regexp.MustCompile(`(?i)\[bot\]|dependabot|renovate|github-actions|gitlab-bot|noreply@github\.com$|\bbot\b|(?-i:[a-z]Bot\b)`)
)

func (o Options) withDefaults() Options {
	if o.IssuePattern == nil {
		o.IssuePattern = DefaultIssuePattern
	}
	if o.ProductionEnv == nil {
		o.ProductionEnv = DefaultProductionEnv
	}
	if o.DeployWorkflow == nil {
		o.DeployWorkflow = DefaultDeployWorkflow
	}
	if o.StaleAfterDays <= 0 {
		o.StaleAfterDays = 30
	}
	if o.BotPattern == nil {
		o.BotPattern = DefaultBotPattern
	}
	if o.HotfixPattern == nil {
		o.HotfixPattern = DefaultHotfixPattern
	}
	if o.IncidentWindow <= 0 {
		o.IncidentWindow = 24 * time.Hour
	}
	return o
}

// Compute derives every measurement the evidence allows. Measurements whose
// evidence was not collected are stored as unknown with the reason.
func Compute(ev *model.Evidence, opt Options) model.Measurements {
	opt = opt.withDefaults()
	ms := model.Measurements{}
	computeGit(ev, opt, ms)
	computeCI(ev, opt, ms)
	computeDelivery(ev, opt, ms)
	computeDerived(ms)
	return ms
}

// computeDerived combines measurements of different sources.
func computeDerived(ms model.Measurements) {
	prod, ok1 := ms.Get(model.DeployProductionCount)
	integ, ok2 := ms.Get(model.GitIntegrations)
	switch {
	case !ok1 || !ok2:
		ms.SetUnknown(model.DeployProductionPerIntegration, "needs production deployments and trunk integrations")
	case integ == 0:
		ms.SetUnknown(model.DeployProductionPerIntegration, "no trunk integrations in the window")
	default:
		ms.Set(model.DeployProductionPerIntegration, prod/integ, int(integ), model.Ref{Kind: model.RefMeasure, Ref: string(model.DeployProductionCount)})
	}
}
