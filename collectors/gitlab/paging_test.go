package gitlab

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

// Long listings are read page by page: offset pages (X-Next-Page / Link)
// for merge requests, keyset pages (Link rel="next" with page_token) for
// the tree, 100 items a page.
func TestPagination(t *testing.T) {
	d := scenario()
	for i := 0; i < 230; i++ {
		d.MergeRequests = append(d.MergeRequests, &gitlabfake.MergeRequest{ID: int64(5000 + i), IID: int64(100 + i), ProjectID: 42,
			Title: "closed", State: "closed", CreatedAt: at(10, 0, 0), UpdatedAt: at(10, 1, i%59), ClosedAt: tp(at(10, 1, 0)),
			TargetBranch: "main", SourceBranch: fmt.Sprintf("b%d", i)})
	}
	for i := 0; i < 243; i++ {
		p := fmt.Sprintf("src/pkg%03d/file.go", i)
		d.Tree = append(d.Tree, gitlabfake.TreeEntry{ID: sha(fmt.Sprintf("e%03d", i)), Name: "file.go", Type: "blob", Path: p, Mode: "100644"})
		d.Files[p] = "package pkg\n"
	}
	h := newHarness(t, d, gitlabFakeOpts(), nil)
	ev, res, err := h.collect(t)
	if err != nil || res.Partial {
		t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
	}
	if len(ev.Changes) != 233 {
		t.Errorf("changes = %d, want 233", len(ev.Changes))
	}
	if ev.Tree == nil || ev.Tree.FileCount != 250 {
		t.Errorf("tree = %+v, want 250 files", ev.Tree)
	}
	mrPages, treePages := 0, 0
	for _, r := range h.srv.Requests(false) {
		switch {
		case strings.HasPrefix(r, "GET /projects/42/merge_requests?"):
			mrPages++
		case strings.HasPrefix(r, "GET /projects/42/repository/tree?"):
			treePages++
			if !strings.Contains(r, "pagination=keyset") || (treePages > 1 && !strings.Contains(r, "page_token=")) {
				t.Errorf("tree page without keyset: %s", r)
			}
		}
		if strings.Contains(r, "per_page=") && !strings.Contains(r, "per_page=100") {
			t.Errorf("page size not 100: %s", r)
		}
	}
	if mrPages != 3 || treePages != 3 {
		t.Errorf("pages: merge requests %d, tree %d; want 3 and 3", mrPages, treePages)
	}
	if !ev.Has(model.KindChanges, model.KindTree) {
		t.Errorf("have = %v", ev.Have)
	}
}

func TestStatusAndTriggerMapping(t *testing.T) {
	for _, tc := range []struct{ in, status, concl string }{
		{"success", "completed", "success"}, {"failed", "completed", "failure"}, {"canceled", "completed", "cancelled"},
		{"skipped", "completed", "skipped"}, {"running", "in_progress", ""}, {"pending", "queued", ""},
		{"created", "queued", ""}, {"manual", "waiting", ""}, {"scheduled", "queued", ""},
	} {
		if s, c := runStatus(tc.in); s != tc.status || c != tc.concl {
			t.Errorf("runStatus(%q) = %q %q", tc.in, s, c)
		}
	}
	for _, tc := range []struct {
		src  string
		tag  bool
		want model.Trigger
	}{
		{"push", false, model.TriggerPush}, {"push", true, model.TriggerTag}, {"merge_request_event", false, model.TriggerPullRequest},
		{"schedule", false, model.TriggerSchedule}, {"web", false, model.TriggerManual}, {"api", false, model.TriggerAPI},
		{"trigger", false, model.TriggerAPI}, {"parent_pipeline", false, model.TriggerUpstream}, {"pipeline", false, model.TriggerUpstream},
		{"ondemand_dast_scan", false, model.TriggerOther},
	} {
		if got := trigger(tc.src, tc.tag); got != tc.want {
			t.Errorf("trigger(%q, %v) = %q, want %q", tc.src, tc.tag, got, tc.want)
		}
	}
	for in, want := range map[string]string{"success": "success", "failed": "failure", "canceled": "canceled", "skipped": "canceled",
		"running": "in_progress", "created": "queued", "blocked": "queued", "weird": "unknown"} {
		if got := deployStatus(in); got != want {
			t.Errorf("deployStatus(%q) = %q, want %q", in, got, want)
		}
	}
	if mrIIDFromRef("refs/merge-requests/12/head") != "12" || mrIIDFromRef("main") != "" || mrIIDFromRef("refs/merge-requests/x/head") != "" {
		t.Error("mrIIDFromRef")
	}
}
