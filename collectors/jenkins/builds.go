package jenkins

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Page sizes of allBuilds ranges: a first audit reads 1,000 builds a
// request, a repeat one 100 (normally all that is new).
const (
	firstPage  = 1000
	repeatPage = 100
)

// buildRec is one build kept in the incremental state.
type buildRec struct {
	Run     model.Run          `json:"run"`
	Counts  *model.TestReport  `json:"counts,omitempty"`
	Detail  bool               `json:"detail,omitempty"` // stages and test result read
	Deploys []model.Deployment `json:"deploys,omitempty"`
}

func (b *buildRec) finished() bool { return b.Run.Status == "completed" }

// jobState is the kept builds of one job, by number.
type jobState struct {
	Builds map[int]*buildRec `json:"builds"`
}

// newBuilds is what a listing brings: the builds' records, replacing kept
// ones of the same number unless a kept one already holds details of the
// same finished build.
func (js *jobState) merge(recs []*buildRec) {
	for _, r := range recs {
		n := buildNumber(r.Run.ID)
		if old, ok := js.Builds[n]; ok && old.Detail && old.finished() && r.finished() {
			continue
		}
		js.Builds[n] = r
	}
}

func buildNumber(id string) int {
	i := strings.LastIndexByte(id, '#')
	n := 0
	fmt.Sscan(id[i+1:], &n)
	return n
}

// watermark is the number up to which every kept build was finished: the
// listing may stop there.
func (js *jobState) watermark() int {
	hi, lowOpen := 0, -1
	for n, b := range js.Builds {
		if n > hi {
			hi = n
		}
		if !b.finished() && (lowOpen < 0 || n < lowOpen) {
			lowOpen = n
		}
	}
	if lowOpen >= 0 {
		return lowOpen - 1
	}
	return hi
}

// listBuilds reads the builds of one job newest first, page by page, until
// the listing ends, reaches builds older than the window, or reaches the
// kept watermark. first is the already-read first page (from the job
// request), or nil.
func (r *run) listBuilds(ctx context.Context, jk jobKind, js *jobState, first []jBuild, page int) error {
	w := r.ev.Window
	mark := -1
	if len(js.Builds) > 0 {
		mark = js.watermark()
	}
	lo := 0
	bs := first
	for {
		if bs == nil {
			var out struct {
				AllBuilds []jBuild `json:"allBuilds"`
			}
			tree := fmt.Sprintf("allBuilds[%s]{%d,%d}", buildFields, lo, lo+page)
			if err := r.c.getJSON(ctx, "builds of "+strings.Join(jk.path, "/"), jobURL(jk.path)+"/api/json", tree, &out); err != nil {
				return err
			}
			bs = out.AllBuilds
		}
		var recs []*buildRec
		stop := len(bs) < page
		for _, b := range bs {
			run, counts := toRun(r.c, jk, b)
			if !w.Since.IsZero() && run.CreatedAt.Before(w.Since) && (b.Building == false) {
				stop = true
			}
			if mark >= 0 && b.Number <= mark {
				stop = true
				continue
			}
			recs = append(recs, &buildRec{Run: run, Counts: counts})
		}
		js.merge(recs)
		r.listed += len(bs)
		if stop || len(bs) == 0 {
			return nil
		}
		lo += len(bs)
		bs = nil
	}
}

// prune drops kept builds older than the window.
func (js *jobState) prune(w model.Window) {
	for n, b := range js.Builds {
		if !w.Since.IsZero() && b.Run.CreatedAt.Before(w.Since) {
			delete(js.Builds, n)
		}
	}
}

// inWindow returns the kept builds created in the window, by number.
func (js *jobState) inWindow(w model.Window) []*buildRec {
	var out []*buildRec
	for _, b := range js.Builds {
		if w.Since.IsZero() && w.Until.IsZero() || w.Contains(b.Run.CreatedAt) {
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return buildNumber(out[i].Run.ID) < buildNumber(out[j].Run.ID) })
	return out
}

// markAttempts numbers the builds of one job per revision: a second build of
// the same SHA is attempt 2 (a rebuild).
func markAttempts(runs []model.Run) {
	seen := map[string]int{}
	for i := range runs {
		if runs[i].SHA == "" {
			continue
		}
		seen[runs[i].SHA]++
		runs[i].Attempt = seen[runs[i].SHA]
	}
}
