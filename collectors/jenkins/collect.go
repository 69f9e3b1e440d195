package jenkins

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/collectors/junit"
	"github.com/cdaudit/cdaudit/model"
)

var errNoWfapi = errors.New("the Pipeline REST API (pipeline-stage-view plugin, wfapi) is not available: stages unknown")

func layerOf(suite string) string { return junit.Layer(suite, "") }

// run is one Collect call.
type run struct {
	c        *Collector
	ev       *model.Evidence
	res      *collectors.Result
	noWfapi  bool
	listed   int // builds read from listings
	detailed int // builds whose details were read
	pending  int // in-window finished builds whose details are still unread
	failed   int // detail reads that failed
	deploys  bool
}

type jJob struct {
	Class       string   `json:"_class"`
	Name        string   `json:"name"`
	DisplayName string   `json:"displayName"`
	Color       string   `json:"color"`
	Jobs        []jChild `json:"jobs"`
	AllBuilds   []jBuild `json:"allBuilds"`
}

type jChild struct {
	Class       string `json:"_class"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Color       string `json:"color"`
	LastBuild   *struct {
		Number int `json:"number"`
	} `json:"lastBuild"`
	Actions []struct {
		Title string `json:"objectDisplayName"`
	} `json:"actions"`
}

// Collect adds the job's runs, stages, test reports, deployments and
// change requests to ev. An unknown job, refused credentials or a
// forbidden job end it with ErrNotFound, ErrUnauthorized or ErrForbidden.
func (c *Collector) Collect(ctx context.Context, ev *model.Evidence) (res collectors.Result, err error) {
	before := c.hx.Stats.Snapshot()
	defer func() {
		st := c.hx.Stats.Since(before)
		res.Requests = &st
	}()
	full := strings.Join(c.job, "/")
	if c.state == nil {
		st, err := httpx.LoadState(c.opt.CacheDir, "jenkins:"+c.host, full)
		if err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("jenkins: incremental state unreadable, collecting in full: %v", err))
			st, _ = httpx.LoadState("", c.host, full)
		}
		c.state = st
	}
	if ev.Target == "" {
		ev.Target = c.root + jobURL(c.job) + "/"
	}
	r := &run{c: c, ev: ev, res: &res}
	hash := httpx.HashConfig(c.opt.Trunk, c.opt.Deploy, full)
	endpoint := "builds"
	var states map[string]*jobState
	_, incremental := c.state.Watermark(endpoint, ev.Window, hash)
	if !incremental || !c.state.Get(endpoint, &states) || states == nil {
		states = map[string]*jobState{}
		incremental = false
	}
	page := firstPage
	if incremental {
		page = repeatPage
	}
	startedAt := c.opt.Now()
	var top jJob
	tree := fmt.Sprintf("_class,name,displayName,jobs[_class,name,displayName,color,lastBuild[number],actions[objectDisplayName]],allBuilds[%s]{0,%d}", buildFields, page)
	if err := c.getJSON(ctx, "job "+full, jobURL(c.job)+"/api/json", tree, &top); err != nil {
		switch codeOf(err) {
		case http.StatusNotFound:
			return res, fmt.Errorf("%w: %q at %s does not exist or this user cannot see it", ErrNotFound, full, c.root)
		case http.StatusUnauthorized:
			return res, fmt.Errorf("%w: %s refused the user and API token", ErrUnauthorized, c.root)
		case http.StatusForbidden:
			return res, fmt.Errorf("%w: this user may not read %q", ErrForbidden, full)
		}
		return res, fmt.Errorf("jenkins: %w", err)
	}
	jobs, err := r.jobsOf(ctx, top, states, page)
	if err != nil {
		res.Partial = true
		if fatal(err) {
			return res, fmt.Errorf("jenkins: %w", err)
		}
		r.warn(fmt.Sprintf("builds not collected: %v", err))
		return res, nil
	}
	r.readDetails(ctx, jobs, states)
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	r.emit(jobs, states)
	for _, js := range states {
		js.prune(ev.Window)
	}
	if err := c.state.Put(endpoint, states); err == nil {
		c.state.SetWatermark(endpoint, startedAt, ev.Window, hash)
		if err := c.state.Save(); err != nil {
			r.warn(fmt.Sprintf("state not saved (the next audit will be a full one): %v", err))
		}
	}
	return res, nil
}

// jobsOf resolves the job (single, or multibranch with trunk and change
// request jobs) and lists the builds of each.
func (r *run) jobsOf(ctx context.Context, top jJob, states map[string]*jobState, page int) ([]jobKind, error) {
	c := r.c
	name := c.job[len(c.job)-1]
	if top.Class != "" && !isContainer(top.Class) || len(top.Jobs) == 0 && top.AllBuilds != nil {
		if r.ev.DefaultBranch == "" && c.opt.Trunk != "" {
			r.ev.DefaultBranch = c.opt.Trunk
		}
		jk := jobKind{path: c.job, name: name, pipeline: isPipeline(top.Class)}
		js := stateOf(states, jk)
		if top.AllBuilds == nil {
			top.AllBuilds = []jBuild{}
		}
		return []jobKind{jk}, r.listBuilds(ctx, jk, js, top.AllBuilds, page)
	}
	trunk := r.c.opt.Trunk
	if trunk == "" {
		trunk = pickTrunk(top.Jobs)
	}
	if r.ev.DefaultBranch == "" && trunk != "" {
		r.ev.DefaultBranch = trunk
	}
	var out []jobKind
	for _, ch := range top.Jobs {
		jk := jobKind{path: append(append([]string(nil), c.job...), ch.Name), name: name, pipeline: isPipeline(ch.Class)}
		branch := displayBranch(ch)
		switch {
		case branch == trunk:
			jk.branch = branch
		case pullNumber(ch.Name) != "":
			jk.pull = pullNumber(ch.Name)
			r.addChange(ch, jk)
		case tagName.MatchString(branch):
			jk.branch, jk.tag = branch, true
		default:
			continue
		}
		js := stateOf(states, jk)
		if ch.LastBuild == nil {
			out = append(out, jk)
			continue
		}
		if len(js.Builds) > 0 && js.watermark() >= ch.LastBuild.Number {
			out = append(out, jk) // nothing new: no request
			continue
		}
		if err := r.listBuilds(ctx, jk, js, nil, page); err != nil {
			return nil, err
		}
		out = append(out, jk)
	}
	if trunk == "" {
		r.warn("no trunk branch job (main or master) in the multibranch project: give the trunk branch")
	}
	return out, nil
}

func isContainer(class string) bool {
	return strings.Contains(class, "MultiBranch") || strings.Contains(class, "Folder") || strings.Contains(class, "OrganizationFolder")
}

func isPipeline(class string) bool { return strings.Contains(class, "WorkflowJob") }

// displayBranch is a branch job's branch: names are URL-encoded by Jenkins
// (feature%2Fx), display names are not.
func displayBranch(ch jChild) string {
	if ch.DisplayName != "" {
		return ch.DisplayName
	}
	return strings.ReplaceAll(ch.Name, "%2F", "/")
}

func pickTrunk(children []jChild) string {
	for _, want := range []string{"main", "master", "trunk"} {
		for _, ch := range children {
			if displayBranch(ch) == want {
				return want
			}
		}
	}
	return ""
}

func stateOf(states map[string]*jobState, jk jobKind) *jobState {
	k := strings.Join(jk.path, "/")
	js := states[k]
	if js == nil || js.Builds == nil {
		js = &jobState{Builds: map[int]*buildRec{}}
		states[k] = js
	}
	return js
}

// addChange records a change-request job as an open (or, disabled, closed)
// change; Jenkins knows neither merges nor reviews.
// A change a Git host already reported is left alone.
func (r *run) addChange(ch jChild, jk jobKind) {
	if r.ev.Has(model.KindChanges) {
		return
	}
	for _, c := range r.ev.Changes {
		if c.ID == jk.pull {
			return
		}
	}
	title := ch.DisplayName
	for _, a := range ch.Actions {
		if a.Title != "" {
			title = a.Title
		}
	}
	state := "open"
	if ch.Color == "disabled" {
		state = "closed"
	}
	r.ev.Changes = append(r.ev.Changes, model.Change{ID: jk.pull, URL: r.c.root + jobURL(jk.path) + "/", Title: title, State: state})
}

// readDetails reads stages and test results of the in-window finished
// builds not read before, newest first, within MaxDetails.
func (r *run) readDetails(ctx context.Context, jobs []jobKind, states map[string]*jobState) {
	type todo struct {
		jk jobKind
		b  *buildRec
	}
	var list []todo
	for _, jk := range jobs {
		for _, b := range stateOf(states, jk).inWindow(r.ev.Window) {
			if b.finished() && !b.Detail {
				list = append(list, todo{jk, b})
			}
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].b.Run.CreatedAt.After(list[j].b.Run.CreatedAt) })
	var lastErr error
	for _, t := range list {
		if r.detailed >= r.c.opt.MaxDetails || ctx.Err() != nil {
			r.pending++
			continue
		}
		if err := r.details(ctx, t.jk, t.b); err != nil {
			if errors.Is(err, errNoWfapi) {
				r.pending++
				continue
			}
			r.failed++
			lastErr = err
			if fatal(err) {
				break
			}
			continue
		}
		r.detailed++
	}
	if r.detailed > 0 || r.pending > 0 {
		r.note(fmt.Sprintf("jenkins: stage and test details read for %d build(s) (one request each), %d left for a later audit", r.detailed, r.pending))
	}
	if r.noWfapi {
		r.warn(errNoWfapi.Error())
	}
	if r.failed > 0 {
		r.warn(fmt.Sprintf("details of %d build(s) could not be read (last: %v): jobs unknown", r.failed, lastErr))
	}
}

// emit puts the kept in-window builds into the evidence.
func (r *run) emit(jobs []jobKind, states map[string]*jobState) {
	ev := r.ev
	complete := true
	var runs []model.Run
	for _, jk := range jobs {
		var jr []model.Run
		for _, b := range stateOf(states, jk).inWindow(ev.Window) {
			run := b.Run
			run.Jobs = append([]model.Job(nil), b.Run.Jobs...)
			if b.finished() && !b.Detail {
				complete = false
			}
			jr = append(jr, run)
			if b.Counts != nil && b.finished() {
				ev.TestReports = append(ev.TestReports, *b.Counts)
			}
			if len(b.Deploys) > 0 {
				r.deploys = true
				ev.Deployments = append(ev.Deployments, b.Deploys...)
			}
		}
		markAttempts(jr)
		runs = append(runs, jr...)
	}
	ev.Runs = append(ev.Runs, runs...)
	ev.Mark(model.KindRuns, model.KindTestReports)
	if complete {
		ev.Mark(model.KindJobs)
		if r.deploys || r.c.opt.Deploy != nil {
			ev.Mark(model.KindDeployments)
		}
	} else {
		r.res.Partial = true
	}
}

func (r *run) warn(msg string) {
	r.res.Warnings = append(r.res.Warnings, "jenkins: "+msg)
	r.c.log.Warn("jenkins: " + msg)
}

func (r *run) note(msg string) { r.ev.Notes = append(r.ev.Notes, msg) }
