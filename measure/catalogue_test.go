package measure

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// allKinds is every evidence kind a collector can mark.
var allKinds = []model.Kind{model.KindCommits, model.KindMerges, model.KindBranches, model.KindTags,
	model.KindTree, model.KindCommitFiles, model.KindChanges, model.KindRuns, model.KindJobs,
	model.KindTestReports, model.KindDeployments, model.KindEnvironments, model.KindReleases,
	model.KindProtection}

// producedIDs is every id Compute stores, known or not, with its unit, over
// evidence with nothing collected and with everything collected (but empty),
// plus the stage family from a run with staged jobs.
func producedIDs(t *testing.T) map[string]string {
	t.Helper()
	staged := ciEv(model.KindRuns, model.KindJobs)
	r := ciRun("1", "ci", model.TriggerPush, "main", "a", "success", 1, 60)
	r.Jobs = []model.Job{{Name: "unit", Stage: "test", Status: "completed", Conclusion: "success",
		StartedAt: ciTP(ciAt(1)), FinishedAt: ciTP(ciAt(1.01))}}
	r.JobsKnown = true
	staged.Runs = []model.Run{r}
	got := map[string]string{}
	for _, ev := range []*model.Evidence{ciEv(), ciEv(allKinds...), staged} {
		for id, m := range Compute(ev, Options{}) {
			if u, ok := got[id]; ok && u != m.Unit {
				t.Errorf("%s: unit %q here, %q elsewhere", id, m.Unit, u)
			}
			got[id] = m.Unit
		}
	}
	return got
}

// TestCatalogueMatchesCompute: every id Compute stores is in the catalogue
// with the catalogue's unit, and every catalogue entry is produced.
func TestCatalogueMatchesCompute(t *testing.T) {
	got := producedIDs(t)
	covered := map[model.MeasurementID]bool{}
	for id, unit := range got {
		d, ok := model.LookupMeasurement(model.MeasurementID(id))
		if !ok {
			t.Errorf("%s is produced but not in the catalogue", id)
			continue
		}
		covered[d.ID] = true
		if d.Unit != unit {
			t.Errorf("%s: unit %q, the catalogue says %q", id, unit, d.Unit)
		}
	}
	var missing []model.MeasurementID
	for _, d := range model.MeasurementCatalogue() {
		if !covered[d.ID] {
			missing = append(missing, d.ID)
		}
	}
	if d := cmp.Diff([]model.MeasurementID(nil), missing); d != "" {
		t.Errorf("catalogue entries no code produces (-want +got):\n%s", d)
	}
}
