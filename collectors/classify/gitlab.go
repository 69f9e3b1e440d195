package classify

import (
	"regexp"
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// gitLabReserved are top-level keys of .gitlab-ci.yml that are not jobs.
func gitLabReserved(k string) bool {
	switch k {
	case "default", "include", "stages", "types", "variables", "workflow", "image", "services", "cache",
		"before_script", "after_script", "spec":
		return true
	}
	return false
}

const gitLabMaxIncludeDepth = 6

// glConfig is one GitLab pipeline configuration: a root file merged with
// everything it includes.
type glConfig struct {
	c        *ciAcc
	root     string
	visited  map[string]bool
	entries  map[string]*ymap
	defFile  map[string]string
	order    []string
	stages   []string
	workflow *ymap
	def      *ymap
	topImage any
	topCache bool
	children []string // child pipeline files (trigger: include: local)
	pipeTrig []string // what starts the pipeline (workflow:rules or GitLab's default)
	resolved map[string]*ymap
	synth    []model.CIJob
	fetch    func(path string) []byte // reads an included file (nil if absent)
}

// gitLab reads a GitLab CI configuration rooted at file, following local
// includes, and records its jobs. visited collects every file read, so
// fragments already covered are not read again as roots.
func (c *ciAcc) gitLab(file string, data []byte, visited map[string]bool, fetch func(string) []byte) {
	g := &glConfig{c: c, root: file, visited: visited, entries: map[string]*ymap{}, defFile: map[string]string{},
		resolved: map[string]*ymap{}, fetch: fetch}
	g.load(file, data, 0)
	g.emit()
	for _, ch := range g.children {
		if visited[ch] {
			continue
		}
		if d := fetch(ch); d != nil {
			c.gitLab(ch, d, visited, fetch)
		}
	}
}

func (g *glConfig) load(file string, data []byte, depth int) {
	if g.visited[file] {
		return
	}
	g.visited[file] = true
	c := g.c
	c.files.add(file)
	c.systems.add(sysGitLab)
	c.markCat(file, cCI)
	docs, err := parseYAML(data)
	if err != nil {
		c.parseErr(file, err)
		if len(docs) == 0 {
			return
		}
	}
	m := firstMap(docs)
	if m == nil {
		if len(data) > 0 && err == nil {
			c.parseErrMsg(file, "not a YAML mapping")
		}
		return
	}
	// included files come first: the including file overrides them
	for _, inc := range asList(m.get("include")) {
		g.include(file, inc, depth)
	}
	for _, k := range m.list() {
		v := m.get(k)
		switch k {
		case "stages", "types":
			g.stages = strList(v)
		case "workflow":
			g.workflow = asMap(v)
		case "default":
			g.def = deepMerge(g.def, asMap(v))
		case "image":
			g.topImage = v
		case "cache":
			if v != nil {
				g.topCache = true
			}
		case "include", "variables", "services", "before_script", "after_script", "spec":
		default:
			jm := asMap(v)
			if jm == nil {
				continue
			}
			if _, ok := g.entries[k]; !ok {
				g.order = append(g.order, k)
			}
			g.entries[k] = deepMerge(g.entries[k], jm)
			g.defFile[k] = file
		}
	}
}

// include handles one include entry.
func (g *glConfig) include(from string, inc any, depth int) {
	c := g.c
	var kind, target string
	var files []string
	switch t := inc.(type) {
	case string:
		if strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") {
			kind, target = "remote", t
		} else {
			kind, target = "local", t
		}
	case *ymap:
		switch {
		case t.has("local"):
			kind, target = "local", asStr(t.get("local"))
		case t.has("project"):
			kind = "project"
			files = strList(t.get("file"))
			target = asStr(t.get("project")) + ":" + strings.Join(files, ",")
		case t.has("template"):
			kind, target = "template", asStr(t.get("template"))
		case t.has("remote"):
			kind, target = "remote", asStr(t.get("remote"))
		case t.has("component"):
			kind, target = "component", asStr(t.get("component"))
		}
	}
	if kind == "" || target == "" {
		return
	}
	c.includes.add(kind + ":" + target)
	switch kind {
	case "local":
		if depth >= gitLabMaxIncludeDepth {
			return
		}
		for _, p := range g.localPaths(target) {
			if g.visited[p] {
				continue
			}
			if d := g.fetch(p); d != nil {
				g.load(p, d, depth+1)
			} else {
				g.visited[p] = true
				c.files.add(p)
				c.markCat(p, cCI)
			}
		}
	case "template", "component", "project", "remote":
		g.templateJobs(from, target)
	}
}

// localPaths resolves a local include (a path or a glob) against the tree.
func (g *glConfig) localPaths(target string) []string {
	p := strings.TrimPrefix(strings.TrimSpace(target), "/")
	if strings.Contains(p, "$") {
		return nil
	}
	if strings.ContainsAny(p, "*?[") {
		return g.c.glob(p)
	}
	if g.c.exists(p) {
		return []string{p}
	}
	return nil
}

// templateJobs records the jobs that GitLab's own security and quality
// templates (and components) add, which no file in the tree shows.
func (g *glConfig) templateJobs(from, target string) {
	t := strings.ToLower(target)
	type tj struct {
		match, job, stage, tool string
		k                       kindSet
	}
	for _, e := range [...]tj{
		{"secret-detection", "secret_detection", "test", "gitlab-secret-detection", kSecurity},
		{"dependency-scanning", "dependency_scanning", "test", "gitlab-dependency-scanning", kSecurity},
		{"container-scanning", "container_scanning", "test", "gitlab-container-scanning", kSecurity},
		{"license-scanning", "license_scanning", "test", "gitlab-license-scanning", kSecurity},
		{"api-fuzzing", "apifuzzer_fuzz", "fuzz", "gitlab-api-fuzzing", kSecurity},
		{"dast", "dast", "dast", "gitlab-dast", kSecurity},
		{"sast", "sast", "test", "gitlab-sast", kSecurity},
		{"code-quality", "code_quality", "test", "gitlab-code-quality", kLint},
		{"code_quality", "code_quality", "test", "gitlab-code-quality", kLint},
	} {
		if !strings.Contains(t, e.match) {
			continue
		}
		g.c.tool(e.tool)
		g.synth = append(g.synth, model.CIJob{File: from, Name: e.job, Stage: e.stage, Kinds: e.k.list()})
		break
	}
	switch {
	case strings.Contains(t, "auto-devops"):
		g.c.tool("gitlab-auto-devops")
	case strings.Contains(t, "terraform") || strings.Contains(t, "opentofu"):
		g.c.tool("terraform")
	}
}

// emit resolves extends and records triggers, stages and jobs.
func (g *glConfig) emit() {
	c := g.c
	for _, s := range g.stages {
		c.addStage(s)
	}
	if len(g.stages) > 1 {
		c.needs = true // stages chain the jobs
	}
	if g.topCache || g.def.has("cache") {
		c.cache = true
	}
	// pipeline triggers: workflow:rules, or GitLab's default (every push)
	wf := false
	for _, r := range asList(g.workflow.get("rules")) {
		rm := asMap(r)
		if rm == nil || asStr(rm.get("when")) == "never" {
			continue
		}
		if rm.has("changes") {
			c.pathFilters = true
		}
		ts := gitLabExprTriggers(asStr(rm.get("if")))
		if !rm.has("if") {
			ts = []string{trPush}
		}
		for _, t := range ts {
			c.triggers.add(t)
			g.pipeTrig = addStr(g.pipeTrig, t)
			wf = true
		}
	}
	if !wf {
		c.triggers.add(trPush)
		// GitLab's default pipeline sources; schedules only where a job or
		// the workflow asks for them
		g.pipeTrig = []string{trPush, trPR, trTag, trManual, trAPI}
	}
	defImage := gitLabImage(g.def.get("image"))
	if defImage == "" {
		defImage = gitLabImage(g.topImage)
	}
	seen := map[string]bool{}
	for _, key := range g.order {
		if strings.HasPrefix(key, ".") || gitLabReserved(key) {
			continue
		}
		seen[key] = true
		g.job(key, g.resolve(key, 0), defImage)
	}
	for _, j := range g.synth {
		if !seen[j.Name] {
			seen[j.Name] = true
			c.addJob(j, kindsOf(j.Kinds))
		}
	}
}

// resolve returns a job's definition with its extends chain merged in.
func (g *glConfig) resolve(key string, depth int) *ymap {
	if r, ok := g.resolved[key]; ok {
		return r
	}
	m := g.entries[key]
	if m == nil || depth > 11 {
		return m
	}
	g.resolved[key] = m // guards against extends cycles
	var base *ymap
	for _, e := range strList(m.get("extends")) {
		g.c.reusable.add(e)
		base = deepMerge(base, g.resolve(e, depth+1))
	}
	r := deepMerge(base, m)
	g.resolved[key] = r
	return r
}

// job records one resolved GitLab job.
func (g *glConfig) job(key string, m *ymap, defImage string) {
	c := g.c
	job := model.CIJob{File: g.defFile[key], Name: key}
	sig := jobSignals{names: []string{key}}
	job.Stage = asStr(m.get("stage"))
	if job.Stage != "" {
		sig.stages = append(sig.stages, job.Stage)
	} else {
		job.Stage = "test" // GitLab's default stage
	}
	job.Image = gitLabImage(m.get("image"))
	if job.Image == "" {
		job.Image = defImage
	}
	if job.Image != "" {
		sig.uses = append(sig.uses, job.Image)
	}
	switch env := m.get("environment").(type) {
	case string:
		job.Environment = cleanEnvName(env)
		sig.deployEnv = true
	case *ymap:
		job.Environment = cleanEnvName(asStr(env.get("name")))
		switch asStr(env.get("action")) {
		case "", "start":
			sig.deployEnv = true
		default:
			sig.notDeploy = true
		}
	}
	if asStr(m.get("when")) == "manual" {
		job.Manual = true
	}
	ruled := false
	for _, r := range asList(m.get("rules")) {
		rm := asMap(r)
		if rm == nil || asStr(rm.get("when")) == "never" {
			continue
		}
		if asStr(rm.get("when")) == "manual" {
			job.Manual = true
		}
		if rm.has("changes") {
			c.pathFilters = true
		}
		ts := gitLabExprTriggers(asStr(rm.get("if")))
		if len(ts) == 0 {
			ts = g.pipeTrig // a rule on other variables runs in any pipeline
		}
		for _, t := range ts {
			c.triggers.add(t)
			job.Triggers = addStr(job.Triggers, t)
		}
		ruled = true
	}
	for _, t := range gitLabOnly(m.get("only")) {
		c.triggers.add(t)
		job.Triggers = addStr(job.Triggers, t)
		ruled = true
	}
	if !ruled {
		job.Triggers = append([]string(nil), g.pipeTrig...)
	}
	if om := asMap(m.get("only")); om.has("changes") {
		c.pathFilters = true
	}
	if em := asMap(m.get("except")); em.has("changes") {
		c.pathFilters = true
	}
	for _, n := range asList(m.get("needs")) {
		switch t := n.(type) {
		case string:
			job.Needs = append(job.Needs, t)
		case *ymap:
			if j := asStr(t.get("job")); j != "" {
				job.Needs = append(job.Needs, j)
			}
			if t.has("project") || t.has("pipeline") {
				c.cross = true
			}
		}
	}
	if m.has("needs") {
		c.needs = true
	}
	switch t := m.get("trigger").(type) {
	case string:
		c.cross = true
		job.Elsewhere = true // a downstream project's pipeline
	case *ymap:
		c.cross = true
		job.Elsewhere = t.has("project")
		for _, inc := range asList(t.get("include")) {
			p := ""
			switch x := inc.(type) {
			case string:
				p = x
			case *ymap:
				p = asStr(x.get("local"))
			}
			for _, lp := range g.localPaths(p) {
				g.children = append(g.children, lp)
			}
		}
	}
	if pm := asMap(m.get("parallel")); pm.has("matrix") {
		c.matrix = true
	}
	if m.get("cache") != nil {
		c.cache = true
	}
	var k kindSet
	if rep := asMap(asMap(m.get("artifacts")).get("reports")); rep != nil {
		if rep.has("junit") {
			k |= kTest
			c.tool("junit-report")
		}
		if rep.has("coverage_report") || rep.has("cobertura") {
			k |= kTest
			c.tool("coverage-report")
		}
		for _, r := range [...]string{"sast", "dependency_scanning", "container_scanning", "secret_detection", "dast"} {
			if rep.has(r) {
				k |= kSecurity
			}
		}
		if rep.has("codequality") {
			k |= kLint
		}
		if rep.has("terraform") {
			c.tool("terraform")
		}
	}
	if m.has("coverage") {
		k |= kTest
	}
	if m.has("release") {
		k |= kRelease
		c.tool("gitlab-release")
	}
	for _, key := range [...]string{"before_script", "script", "after_script"} {
		sig.runs = flatStrings(m.get(key), sig.runs)
	}
	for _, r := range sig.runs {
		c.crossFromText(r)
	}
	k |= classifyJob(sig, c.tool)
	job.Scanner = usesScanner(sig)
	c.notePerf(job.File, sig)
	job.Ephemeral = ephemeralCluster(sig)
	i := c.addJob(job, k)
	c.noteIndirect(i, sig.runs)
	c.noteJVM(i, sig.runs)
}

// gitLabImage returns an image name from `image:` (a string or a map).
func gitLabImage(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case *ymap:
		return asStr(t.get("name"))
	}
	return ""
}

// read-only
var rePipelineSource = regexp.MustCompile(`\$CI_PIPELINE_SOURCE\s*(==|=~|!=|!~)\s*(\S+)`)

// gitLabExprTriggers maps a rules:if expression onto triggers.
func gitLabExprTriggers(expr string) []string {
	var out []string
	if expr == "" {
		return nil
	}
	for _, m := range rePipelineSource.FindAllStringSubmatch(expr, -1) {
		if m[1] == "!=" || m[1] == "!~" {
			continue
		}
		val := strings.ToLower(m[2])
		for _, src := range vocab.GitLabSources() {
			if strings.Contains(val, src) {
				t, _ := vocab.GitLabTrigger(src)
				out = append(out, string(t))
				if src == "parent_pipeline" {
					break
				}
			}
		}
	}
	neg := func(v string) bool {
		i := strings.Index(expr, v)
		rest := expr[i+len(v):]
		return strings.HasPrefix(strings.TrimSpace(rest), "== null") || strings.HasPrefix(strings.TrimSpace(rest), "==null") ||
			(i > 0 && expr[i-1] == '!')
	}
	if strings.Contains(expr, "$CI_COMMIT_TAG") && !neg("$CI_COMMIT_TAG") {
		out = append(out, trTag)
	}
	if strings.Contains(expr, "$CI_MERGE_REQUEST_I") && !neg("$CI_MERGE_REQUEST_I") {
		out = append(out, trPR)
	}
	if (strings.Contains(expr, "$CI_COMMIT_BRANCH") && !neg("$CI_COMMIT_BRANCH")) || strings.Contains(expr, "$CI_DEFAULT_BRANCH") {
		out = append(out, trPush)
	}
	return out
}

// gitLabOnly maps only: (a list of refs or a map with refs:) onto triggers.
func gitLabOnly(v any) []string {
	refs := strList(v)
	if m := asMap(v); m != nil {
		refs = strList(m.get("refs"))
	}
	var out []string
	for _, r := range refs {
		switch r {
		case "tags":
			out = append(out, trTag)
		case "merge_requests", "external_pull_requests":
			out = append(out, trPR)
		case "schedules":
			out = append(out, trSchedule)
		case "web", "chat":
			out = append(out, trManual)
		case "api", "triggers":
			out = append(out, trAPI)
		case "pipelines":
			out = append(out, trUpstream)
		default:
			out = append(out, trPush)
		}
	}
	return out
}

// deepMerge returns a new mapping with b merged over a: nested mappings are
// merged, everything else in b replaces a's value (GitLab's merge rule).
func deepMerge(a, b *ymap) *ymap {
	return deepMergeDepth(a, b, 0)
}

func deepMergeDepth(a, b *ymap, depth int) *ymap {
	if a == nil && b == nil {
		return nil
	}
	out := newYmap()
	if a != nil {
		for _, k := range a.list() {
			out.set(k, a.m[k])
		}
	}
	if b == nil {
		return out
	}
	for _, k := range b.list() {
		bv := b.m[k]
		if am, ok := out.m[k].(*ymap); ok && depth < 20 {
			if bm, ok := bv.(*ymap); ok {
				out.set(k, deepMergeDepth(am, bm, depth+1))
				continue
			}
		}
		out.set(k, bv)
	}
	return out
}
