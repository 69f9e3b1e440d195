package model

import "time"

// TrunkAt is trunk as of the window's end, where the tree and the CI
// configuration were read: the newest first-parent trunk commit committed
// before the window's end.
type TrunkAt struct {
	Commit    string    `json:"commit"`
	Committed time.Time `json:"committed"`
}

// Short is the commit's abbreviated id and its committer date:
// "1a2b3c4d5e6f (2025-06-30)".
func (t TrunkAt) Short() string {
	c := t.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	return c + " (" + t.Committed.UTC().Format(time.DateOnly) + ")"
}
