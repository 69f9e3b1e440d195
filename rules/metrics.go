package rules

import (
	"fmt"
	"sort"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// metrics judges 度量与反馈 · 度量指标. The auditor's own audit history is the
// evidence: metrics computed from records, kept continuously, trended.
func metrics(j *judge) []dimSteps {
	h := j.cfg.History
	return []dimSteps{
		{"definition", []step{j.historyAudits(2, 2, "delivery metrics are defined and computed per stage by repeated audits")}},
		{"types", []step{
			allOf(2, j.historyAudits(2, 2, "result metrics are tracked"),
				j.atLeast(2, model.DORADeploymentFrequencyPerDay, 0, "deployment frequency"),
				j.atLeast(2, model.DORAChangeFailureRatio, 0, "change failure rate")),
			allOf(3, j.atLeast(3, model.CIDurationSecondsP50, 0, "CI duration (a process metric)"),
				j.atLeast(3, model.GitBranchLifetimeHoursP50, 0, "branch lifetime (a process metric)")),
			j.historyAudits(4, h.L4MinAudits, "trends over the audit history"),
		}},
		{"data", []step{
			j.historyAudits(2, 2, "metric data is collected"),
			j.regularAudits(3, h.L3MinAudits, h.L3MaxIntervalDays*24, "metric data is collected continuously"),
			j.historyAudits(4, h.L4MinAudits, "the history is long enough to mine trends"),
		}},
		{"evolution", nil},
	}
}

// improvement judges 度量与反馈 · 度量驱动改进.
func improvement(j *judge) []dimSteps {
	h := j.cfg.History
	return []dimSteps{
		{"reporting", []step{
			j.historyAudits(2, 2, "reports are generated automatically in a predefined format"),
			j.regularAudits(3, h.L3MinAudits, h.L3MaxIntervalDays*24, "reports are generated on a schedule"),
		}},
		{"timeliness", []step{
			j.historyAudits(2, 2, "reports show the state at generation time"),
			j.regularAudits(3, h.L3MinAudits, h.RealtimeMaxIntervalHours, "reports are refreshed at least daily"),
			j.regularAudits(4, h.L4MinAudits, h.RealtimeMaxIntervalHours, "daily reports are aggregated into trends"),
		}},
		{"audience", []step{
			j.regularAudits(2, h.L3MinAudits, h.L3MaxIntervalDays*24, "reports are produced automatically for the team"),
		}},
		{"feedback", []step{
			unk(2, "whether reported problems are tracked in an issue tracker needs issue-tracker records, which no collector reads yet"),
		}},
	}
}

// historyAudits holds when the audit history (with this audit) counts at
// least min audits.
func (j *judge) historyAudits(level, min int, what string) step {
	if s, ok := j.needs(level, model.KindHistory); !ok {
		return s
	}
	n := len(j.ev.History) + 1
	if n >= min {
		return yes(level, fmt.Sprintf("%s: %d audits in the history", what, n))
	}
	// Too short a history proves nothing against the team: its metrics may
	// live elsewhere (attest them), or later audits will show them.
	return unk(level, fmt.Sprintf("%d audit(s) in the history; %d needed to show that %s (metrics kept elsewhere need an attestation)", n, min, what))
}

// regularAudits holds when at least min audits exist and the median interval
// between them is at most maxHours.
func (j *judge) regularAudits(level, min int, maxHours float64, what string) step {
	if s := j.historyAudits(level, min, what); s.out != holds {
		return s
	}
	times := []time.Time{j.ev.CollectedAt}
	for _, p := range j.ev.History {
		times = append(times, p.At)
	}
	sort.Slice(times, func(a, b int) bool { return times[a].Before(times[b]) })
	var gaps []float64
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-1]).Hours())
	}
	sort.Float64s(gaps)
	med := gaps[(len(gaps)-1)/2]
	if med <= maxHours {
		return yes(level, fmt.Sprintf("%s: %d audits, median interval %.1f h ≤ %.0f h", what, len(times), med, maxHours))
	}
	return unk(level, fmt.Sprintf("the audit history does not show that %s: %d audits with a median interval of %.1f h > %.0f h (reports made elsewhere need an attestation)", what, len(times), med, maxHours))
}
