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
			// Audits on a schedule do not show that anyone receives them.
			unk(2, "whether reports are sent to the team on events needs the notification records (a chat or mail hook), which no collector reads; attest it"),
		}},
		{"feedback", []step{
			unk(2, "whether reported problems are tracked in an issue tracker needs issue-tracker records, which no collector reads yet"),
		}},
	}
}

// auditDays are the distinct UTC days of the audit history with this audit,
// oldest first, and how many audits there are in all. The tool's own runs
// are not the team's practice: audits minutes apart add nothing, so the
// history counts as audits on distinct days.
func (j *judge) auditDays() ([]time.Time, int) {
	seen := map[time.Time]bool{}
	add := func(t time.Time) {
		u := t.UTC()
		seen[time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC)] = true
	}
	add(j.ev.CollectedAt)
	for _, p := range j.ev.History {
		add(p.At)
	}
	days := make([]time.Time, 0, len(seen))
	for d := range seen {
		days = append(days, d)
	}
	sort.Slice(days, func(a, b int) bool { return days[a].Before(days[b]) })
	return days, len(j.ev.History) + 1
}

// historyText is "audits on 3 distinct days over 14 days (7 audits in all)".
func historyText(days []time.Time, audits int) string {
	span := 0
	if len(days) > 1 {
		span = int(days[len(days)-1].Sub(days[0]).Hours()/24) + 1
	}
	return fmt.Sprintf("audits on %d distinct day(s) over %d day(s) (%d audit(s) in all; audits on the same day count once)", len(days), span, audits)
}

// historyAudits holds when the audit history (with this audit) spans at
// least min distinct days.
func (j *judge) historyAudits(level, min int, what string) step {
	if s, ok := j.needs(level, model.KindHistory); !ok {
		return s
	}
	days, n := j.auditDays()
	if len(days) >= min {
		return yes(level, fmt.Sprintf("%s: %s", what, historyText(days, n)))
	}
	// Too short a history proves nothing against the team: its metrics may
	// live elsewhere (attest them), or later audits will show them.
	return unk(level, fmt.Sprintf("%s; %d distinct days needed to show that %s (metrics kept elsewhere need an attestation)", historyText(days, n), min, what))
}

// regularAudits holds when audits fall on at least min distinct days and the
// median interval between those days is at most maxHours.
func (j *judge) regularAudits(level, min int, maxHours float64, what string) step {
	if s := j.historyAudits(level, min, what); s.out != holds {
		return s
	}
	days, n := j.auditDays()
	var gaps []float64
	for i := 1; i < len(days); i++ {
		gaps = append(gaps, days[i].Sub(days[i-1]).Hours())
	}
	sort.Float64s(gaps)
	med := gaps[(len(gaps)-1)/2]
	if med <= maxHours {
		return yes(level, fmt.Sprintf("%s: %s, median interval %.0f h ≤ %.0f h", what, historyText(days, n), med, maxHours))
	}
	return unk(level, fmt.Sprintf("the audit history does not show that %s: %s, median interval %.0f h > %.0f h (reports made elsewhere need an attestation)", what, historyText(days, n), med, maxHours))
}
