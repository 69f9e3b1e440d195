package model

// TargetDeferred is the Status of a target whose audit did not fit the
// run's request budget: it is neither failed nor audited, keeps its
// incremental state, and a later run audits it.
const TargetDeferred = "deferred"

// IsDeferred reports a target deferred to a later run.
func (t *TargetResult) IsDeferred() bool { return t.Status == TargetDeferred }
