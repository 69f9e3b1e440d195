package rules

import (
	"fmt"

	"github.com/cdaudit/cdaudit/model"
)

// atLeastN is atLeast for a share over a sample: below minN events the
// share shows no habit, and the criterion is unknown, "too few", not
// decided by one event.
func (j *judge) atLeastN(level int, id model.MeasurementID, min float64, minN int, what string) step {
	if m, ok := j.ms[string(id)]; ok && m.Known && m.N < minN {
		return unk(level, fmt.Sprintf("too few: %s over %d, %d needed (%s)", what, m.N, minN, id))
	}
	return j.atLeast(level, id, min, what)
}
