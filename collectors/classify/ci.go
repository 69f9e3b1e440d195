package classify

import (
	"slices"

	"github.com/cdaudit/cdaudit/model"
)

// strSet is a set of strings that can be listed in sorted order.
type strSet map[string]struct{}

func (s strSet) add(v string) {
	if v != "" {
		s[v] = struct{}{}
	}
}

func (s strSet) sorted() []string {
	if len(s) == 0 {
		return nil
	}
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// addStr appends v to l unless l holds it.
func addStr(l []string, v string) []string {
	if slices.Contains(l, v) {
		return l
	}
	return append(l, v)
}

// Normalised trigger names.
const (
	trPush     = string(model.TriggerPush)
	trPR       = string(model.TriggerPullRequest)
	trSchedule = string(model.TriggerSchedule)
	trManual   = string(model.TriggerManual)
	trAPI      = string(model.TriggerAPI)
	trTag      = string(model.TriggerTag)
	trUpstream = string(model.TriggerUpstream)
)

// ciAcc accumulates what CI configuration declares.
type ciAcc struct {
	systems, files, triggers, images, reusable, includes, envs strSet
	rollback                                                   strSet // files whose jobs run migrations down
	parseErrs                                                  []string
	stages                                                     []string
	jobs                                                       []model.CIJob
	jobKinds                                                   []kindSet
	cache, pathFilters, matrix, needs, manual, cross           bool

	tool    func(string)              // records a tool
	markCat func(path string, c cat)  // adds a category to a path
	exists  func(path string) bool    // reports whether the tree has path
	glob    func(pat string) []string // lists tree paths matching a GitLab include pattern

	// GitHub: local reusable workflow calls, resolved once every workflow is read
	ghCalls     []ghCall
	ghFileKinds map[string]kindSet
	actions     map[string]jobSignals // "./dir" of a local action → what it runs

	indirect []indirect // make, npm and script steps, resolved by the classifier

	// GitHub: workflow names (a workflow_run trigger names workflows by
	// their name:, else their path) and the jobs such triggers start
	ghNames map[string]string // name → file
	ghAfter []ghAfter

	jvmJobs []int // jobs that run a Maven or Gradle lifecycle (runsJVMLifecycle)
}

// noteJVM records job i when its commands run a Maven or Gradle lifecycle.
func (c *ciAcc) noteJVM(i int, runs []string) {
	if runsJVMLifecycle(runs) {
		c.jvmJobs = append(c.jvmJobs, i)
	}
}

// ghAfter is a job started by the success of the named workflows.
type ghAfter struct {
	job       int
	workflows []string
}

type ghCall struct {
	job    int
	target string
}

func newCIAcc() *ciAcc {
	return &ciAcc{
		systems: strSet{}, files: strSet{}, triggers: strSet{}, images: strSet{}, reusable: strSet{},
		includes: strSet{}, envs: strSet{}, rollback: strSet{}, ghNames: map[string]string{}, ghFileKinds: map[string]kindSet{}, actions: map[string]jobSignals{},
		tool: func(string) {}, markCat: func(string, cat) {},
		exists: func(string) bool { return false }, glob: func(string) []string { return nil },
	}
}

func (c *ciAcc) parseErr(file string, err error) {
	c.parseErrs = append(c.parseErrs, file+": "+err.Error())
}

func (c *ciAcc) parseErrMsg(file, msg string) {
	c.parseErrs = append(c.parseErrs, file+": "+msg)
}

func (c *ciAcc) addStage(s string) {
	if s != "" && !slices.Contains(c.stages, s) {
		c.stages = append(c.stages, s)
	}
}

// addJob records a job with its kinds; a job that does security work marks
// its file as security-scanner configuration.
func (c *ciAcc) addJob(j model.CIJob, k kindSet) int {
	j.Kinds = k.list()
	if j.Image != "" {
		c.images.add(j.Image)
	}
	if j.Environment != "" {
		c.envs.add(j.Environment)
	}
	if j.Manual {
		c.manual = true
	}
	if len(j.Needs) > 0 {
		c.needs = true
	}
	if k&kSecurity != 0 {
		c.markCat(j.File, cSecurity)
	}
	c.jobs = append(c.jobs, j)
	c.jobKinds = append(c.jobKinds, k)
	return len(c.jobs) - 1
}

// setKinds replaces the kinds of job i.
func (c *ciAcc) setKinds(i int, k kindSet) {
	c.jobKinds[i] = k
	c.jobs[i].Kinds = k.list()
}

// finish resolves cross-file references and returns the facts.
func (c *ciAcc) finish() model.CIFacts {
	// a job calling a local reusable workflow does what that workflow's jobs do
	for round := 0; round < 3; round++ {
		for _, call := range c.ghCalls {
			if k, ok := c.ghFileKinds[call.target]; ok {
				nk := c.jobKinds[call.job] | k
				if nk != c.jobKinds[call.job] {
					c.setKinds(call.job, nk)
					c.ghFileKinds[lowerASCII(c.jobs[call.job].File)] |= nk
				}
			}
		}
	}
	for _, a := range c.ghAfter {
		for _, w := range a.workflows {
			if file, ok := c.ghNames[w]; ok {
				c.jobs[a.job].After = append(c.jobs[a.job].After, file)
			}
		}
	}
	var f model.CIFacts
	f.Systems = c.systems.sorted()
	f.Files = c.files.sorted()
	f.Triggers = c.triggers.sorted()
	f.Jobs = c.jobs
	f.Images = c.images.sorted()
	f.Cache = c.cache
	f.Reusable = c.reusable.sorted()
	f.Includes = c.includes.sorted()
	f.Environments = c.envs.sorted()
	f.PathFilters = c.pathFilters
	f.Matrix = c.matrix
	f.Needs = c.needs
	f.ManualGates = c.manual
	f.CrossProject = c.cross
	f.Stages = c.stages
	f.ParseErrors = c.parseErrs
	return f
}
