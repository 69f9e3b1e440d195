package measure

import (
	"math"
	"strconv"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Core developers (docs/measurements.md): the people who carry the project,
// told from activity alone. A developer is core when they integrated into
// trunk on at least coreMinDays distinct days, on at least coreMinDayShare of
// the window's working days, and on at least coreOfTop of the days of the
// most active developer. One-off and occasional contributors and bots (left
// out before) are not core: "each developer integrates daily" is about the
// regulars, as an assessor reads it; a team whose every developer integrates
// daily has every developer core.
const (
	coreMinDays     = 3
	coreMinDayShare = 0.1
	coreOfTop       = 1.0 / 3
)

// integrationLog gathers who integrated into trunk on which days.
type integrationLog struct {
	days  map[string]map[string]bool // developer → dates with an integration
	count map[string]int             // developer → integrations
	team  map[string]bool            // dates with any human integration
}

func newIntegrationLog() *integrationLog {
	return &integrationLog{days: map[string]map[string]bool{}, count: map[string]int{}, team: map[string]bool{}}
}

// add records one integration by dev at (the trunk commit's committer time,
// in its own time zone: the day it landed where it was made).
func (l *integrationLog) add(dev string, at time.Time) {
	d := at.Format("2006-01-02")
	if l.days[dev] == nil {
		l.days[dev] = map[string]bool{}
	}
	l.days[dev][d] = true
	l.count[dev]++
	l.team[d] = true
}

// coreMin is the number of integration days that makes a developer core in a
// window of wd working days when the most active developer integrated on top
// days.
func coreMin(wd, top int) int {
	return max(coreMinDays, int(math.Ceil(coreMinDayShare*float64(wd))), int(math.Ceil(coreOfTop*float64(top))))
}

// dayShare is days over working days, capped at 1: an integration on a
// weekend day stands in for a missed working day (holidays move).
func dayShare(days, wd int) float64 { return math.Min(1, float64(days)/float64(wd)) }

// set stores the team and core-developer figures; note (may be "") says
// where the records came from.
func (l *integrationLog) set(ms model.Measurements, wd int, note string) {
	set := func(id model.MeasurementID, v float64, n int) {
		ms.Set(id, v, n)
		if note != "" {
			setNote(ms, id, note)
		}
	}
	if wd == 0 {
		for _, id := range []model.MeasurementID{model.GitTeamIntegrationDayRatio, model.GitCoreDevelopers,
			model.GitCoreDevIntegrationDayRatioP50, model.GitCoreDevIntegrationsPerDayP50} {
			ms.SetUnknown(id, "the window has no working days")
		}
		return
	}
	set(model.GitTeamIntegrationDayRatio, dayShare(len(l.team), wd), len(l.team))
	top := 0
	for _, days := range l.days {
		top = max(top, len(days))
	}
	need := coreMin(wd, top)
	var shares, perDay []float64
	for dev, days := range l.days {
		if len(days) < need {
			continue
		}
		shares = append(shares, dayShare(len(days), wd))
		perDay = append(perDay, float64(l.count[dev])/float64(len(days)))
	}
	set(model.GitCoreDevelopers, float64(len(shares)), len(l.days))
	if len(shares) == 0 {
		why := "no developer integrated into trunk on " + strconv.Itoa(need) + " or more days of the window (no core developer)"
		ms.SetUnknown(model.GitCoreDevIntegrationDayRatioP50, why)
		ms.SetUnknown(model.GitCoreDevIntegrationsPerDayP50, why)
		return
	}
	p, _ := percentile(shares, 50)
	set(model.GitCoreDevIntegrationDayRatioP50, p, len(shares))
	p, _ = percentile(perDay, 50)
	set(model.GitCoreDevIntegrationsPerDayP50, p, len(shares))
}
