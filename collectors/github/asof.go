package github

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// trunkAsOf finds trunk as of the window's end, where the tree is read: the
// branch head when it was committed by then (a window ending now: no
// request), else the branch's newest commit before the window's end
// (GET commits?sha=BRANCH&until=UNTIL&per_page=1).
func (a *audit) trunkAsOf(ctx context.Context, branch string) error {
	until := a.ev.Window.Until
	if until.IsZero() || !a.trunkAt.After(until) {
		return nil
	}
	var list []struct {
		SHA    string `json:"sha"`
		Commit struct {
			Committer struct {
				Date time.Time `json:"date"`
			} `json:"committer"`
		} `json:"commit"`
	}
	c := a.c
	path := "repos/" + c.owner + "/" + c.name + "/commits?sha=" + url.QueryEscape(branch) +
		"&until=" + url.QueryEscape(until.UTC().Format(time.RFC3339)) + "&per_page=1"
	a.trunk, a.trunkAt = "", time.Time{}
	if _, err := a.getJSON(ctx, path, &list); err != nil {
		if stops(err) || isUnauthorized(err) {
			return fmt.Errorf("github: reading %s as of %s: %w", branch, until.UTC().Format(time.RFC3339), err)
		}
		a.warn(fmt.Sprintf("%s as of the window's end unreadable: %v", branch, err))
		return nil
	}
	if len(list) == 0 {
		a.note(fmt.Sprintf("%s has no commit before the window's end (%s): the tree then is unknown", branch, until.UTC().Format(time.RFC3339)))
		return nil
	}
	a.trunk, a.trunkAt = list[0].SHA, list[0].Commit.Committer.Date
	return nil
}
