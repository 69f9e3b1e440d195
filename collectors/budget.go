package collectors

// Budgeted is a collector whose requests count against a request budget
// shared by the targets of a fleet (a host's quota for one credential). The
// audit books the estimated cost of the next Collect before collecting
// anything and defers the target — neither failed nor audited, its
// incremental state kept — when a booking does not fit.
type Budgeted interface {
	// Reserve books the estimated counted requests of the next Collect,
	// judged from the incremental state (a repeat costs a few requests, a
	// first audit many). An error says the booking does not fit, and why.
	Reserve() error
	// Settle returns what the booking did not spend. The audit calls it
	// after Collect, or when another collector's booking failed.
	Settle()
}
