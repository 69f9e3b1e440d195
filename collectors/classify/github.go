package classify

import (
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// gitHubAction reads a local action (action.yml below .github/actions) so
// that jobs using it are classified by what it runs.
func (c *ciAcc) gitHubAction(file string, data []byte) {
	docs, err := parseYAML(data)
	if err != nil {
		c.parseErr(file, err)
		return
	}
	m := firstMap(docs)
	if m == nil {
		c.parseErrMsg(file, "not a YAML mapping")
		return
	}
	var sig jobSignals
	sig.names = append(sig.names, asStr(m.get("name")))
	runs := asMap(m.get("runs"))
	if img := asStr(runs.get("image")); img != "" {
		sig.uses = append(sig.uses, img)
	}
	for _, st := range asList(runs.get("steps")) {
		s := asMap(st)
		if u := asStr(s.get("uses")); u != "" {
			sig.uses = append(sig.uses, u)
			c.stepUses(u, asMap(s.get("with")), &sig)
		}
		if r := asStr(s.get("run")); r != "" {
			sig.runs = append(sig.runs, r)
		}
	}
	dir := strings.TrimSuffix(strings.TrimSuffix(file, "/action.yml"), "/action.yaml")
	c.actions[lowerASCII(dir)] = sig
	c.reusable.add(dir)
}

// gitHubWorkflow reads a GitHub Actions workflow (Gitea and Forgejo use the
// same format).
func (c *ciAcc) gitHubWorkflow(file string, data []byte) {
	docs, err := parseYAML(data)
	if err != nil {
		c.parseErr(file, err)
		return
	}
	m := firstMap(docs)
	if m == nil {
		c.parseErrMsg(file, "not a YAML mapping")
		return
	}
	name := asStr(m.get("name"))
	if name == "" {
		name = file
	}
	c.ghNames[name] = file
	after := workflowRunAfter(m)
	trig := c.gitHubTriggers(file, m.get("on"))
	manualOnly := len(trig) > 0
	for _, t := range trig {
		c.triggers.add(t)
		if t != trManual {
			manualOnly = false
		}
	}
	jobs := asMap(m.get("jobs"))
	if jobs == nil {
		c.parseErrMsg(file, "no jobs")
		return
	}
	var fileKinds kindSet
	for _, id := range jobs.list() {
		jm := asMap(jobs.get(id))
		if jm == nil {
			continue
		}
		job := model.CIJob{File: file, Name: id, Manual: manualOnly, Triggers: trig}
		sig := jobSignals{names: []string{id, asStr(jm.get("name"))}}
		switch env := jm.get("environment").(type) {
		case string:
			sig.deployEnv = true
			job.Environment = cleanEnvName(env)
		case *ymap:
			sig.deployEnv = true
			job.Environment = cleanEnvName(asStr(env.get("name")))
		}
		switch ct := jm.get("container").(type) {
		case string:
			job.Image = ct
		case *ymap:
			job.Image = asStr(ct.get("image"))
		}
		job.Image = literalImage(job.Image)
		job.Needs = strList(jm.get("needs"))
		if st := asMap(jm.get("strategy")); st != nil && st.has("matrix") {
			c.matrix = true
		}
		var stepNameKinds kindSet
		if u := asStr(jm.get("uses")); u != "" {
			// a reusable workflow call
			sig.uses = append(sig.uses, u)
			if strings.HasPrefix(u, "./") {
				local := strings.TrimPrefix(cutAt(u), "./")
				c.reusable.add(local)
				c.ghCalls = append(c.ghCalls, ghCall{job: len(c.jobs), target: lowerASCII(local)})
			} else {
				c.reusable.add(u)
				c.cross = true
				job.Elsewhere = true
			}
		}
		for _, st := range asList(jm.get("steps")) {
			s := asMap(st)
			if s == nil {
				continue
			}
			if u := asStr(s.get("uses")); u != "" {
				sig.uses = append(sig.uses, u)
				c.stepUses(u, asMap(s.get("with")), &sig)
			}
			if r := asStr(s.get("run")); r != "" {
				sig.runs = append(sig.runs, r)
				c.crossFromText(r)
			}
			stepNameKinds |= wordsKinds(strings.ToLower(asStr(s.get("name")))) & (kTest | kLint | kSecurity | kDeploy | kMigration)
		}
		k := nameOnlyMigration(classifyJob(sig, c.tool)|stepNameKinds, sig)
		if stepNameKinds&kDeploy != 0 {
			// step names are hints as job names are
			cmdK := classifyJob(jobSignals{uses: sig.uses, runs: sig.runs, deployEnv: sig.deployEnv}, nil)
			if nameOnlyDeploy(k, cmdK, sig) {
				k &^= kDeploy
			}
		}
		if len(after) > 0 && strings.Contains(asStr(jm.get("if")), "success") {
			c.ghAfter = append(c.ghAfter, ghAfter{job: len(c.jobs), workflows: after})
		}
		job.Scanner = usesScanner(sig)
		c.notePerf(file, sig)
		job.Ephemeral = ephemeralCluster(sig)
		i := c.addJob(job, k)
		c.noteIndirect(i, sig.runs)
		c.noteJVM(i, sig.runs)
		fileKinds |= k
	}
	c.ghFileKinds[lowerASCII(file)] |= fileKinds
}

// stepUses handles what a step's action implies beyond its name: caches,
// pushes, local composite actions, cross-repository dispatch.
func (c *ciAcc) stepUses(u string, with *ymap, sig *jobSignals) {
	name := strings.ToLower(cutAt(u))
	switch {
	case strings.HasPrefix(name, "./"):
		local := strings.TrimSuffix(strings.TrimPrefix(cutAt(u), "./"), "/")
		if a, ok := c.actions[lowerASCII(local)]; ok {
			sig.uses = append(sig.uses, a.uses...)
			sig.runs = append(sig.runs, a.runs...)
			sig.names = append(sig.names, a.names...)
		}
		c.reusable.add(local)
	case name == "actions/cache" || strings.HasPrefix(name, "actions/cache/"):
		c.cache = true
	case name == "actions/setup-go":
		// setup-go caches by default from v4 on
		if v := majorVersion(u); (v >= 4 && asStr(with.get("cache")) != "false") || truthy(with.get("cache")) {
			c.cache = true
		}
	case strings.HasPrefix(name, "actions/setup-") || strings.HasPrefix(name, "ruby/setup-ruby"):
		if truthy(with.get("cache")) || truthy(with.get("bundler-cache")) {
			c.cache = true
		}
	case name == "gradle/actions/setup-gradle" || name == "gradle/gradle-build-action" || name == "swatinem/rust-cache" ||
		name == "hendrikmuhs/ccache-action" || strings.HasPrefix(name, "mozilla-actions/sccache") || name == "astral-sh/setup-uv" && truthy(with.get("enable-cache")):
		c.cache = true
	case name == "docker/build-push-action" || name == "docker/bake-action":
		if truthy(with.get("push")) {
			sig.runs = append(sig.runs, "docker push")
		}
		if with.has("cache-from") || with.has("cache-to") {
			c.cache = true
		}
	case name == "peter-evans/repository-dispatch" || name == "benc-uk/workflow-dispatch" || strings.Contains(name, "trigger-workflow") ||
		strings.Contains(name, "workflow-dispatch") || name == "actions/github-script" && strings.Contains(asStr(with.get("script")), "createWorkflowDispatch"):
		c.cross = true
	}
	if strings.HasPrefix(name, "github/codeql-action/") {
		c.tool("codeql")
	}
}

// crossFromText notes commands that start pipelines elsewhere.
func (c *ciAcc) crossFromText(r string) {
	if strings.Contains(r, "gh workflow run") || strings.Contains(r, "/dispatches") || strings.Contains(r, "repository_dispatch") {
		c.cross = true
	}
}

// gitHubTriggers normalises a workflow's `on:` (a string, a list or a map).
func (c *ciAcc) gitHubTriggers(file string, on any) []string {
	var out []string
	add := func(t string) {
		for _, x := range out {
			if x == t {
				return
			}
		}
		out = append(out, t)
	}
	event := func(ev string, cfg *ymap) {
		t, ok := vocab.GitHubTrigger(ev)
		if !ok {
			return
		}
		if t == model.TriggerPush { // a push of tags only is a tag trigger
			tags := cfg.has("tags") || cfg.has("tags-ignore")
			branches := cfg.has("branches") || cfg.has("branches-ignore")
			if tags {
				add(trTag)
			}
			if branches || !tags {
				add(trPush)
			}
		} else {
			add(string(t))
		}
		switch ev {
		case "push", "pull_request", "pull_request_target", "merge_group":
			if cfg.has("paths") || cfg.has("paths-ignore") {
				c.pathFilters = true
			}
		case "repository_dispatch":
			c.cross = true
		case "workflow_call":
			c.cross = true
			c.reusable.add(file)
		}
	}
	switch t := on.(type) {
	case string:
		event(t, nil)
	case []any:
		for _, e := range strList(t) {
			event(e, nil)
		}
	case *ymap:
		for _, k := range t.list() {
			event(k, asMap(t.get(k)))
		}
	}
	return out
}

// cutAt strips an @ref from an action or workflow reference.
func cutAt(u string) string {
	if i := strings.IndexByte(u, '@'); i >= 0 {
		return u[:i]
	}
	return u
}

// majorVersion returns N of an @vN[.x] ref, or 0.
func majorVersion(u string) int {
	i := strings.IndexByte(u, '@')
	if i < 0 {
		return 0
	}
	v := strings.TrimPrefix(u[i+1:], "v")
	if j := strings.IndexByte(v, '.'); j >= 0 {
		v = v[:j]
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return n
}

// literalImage keeps a container image whose repository is written out and
// whose tag or digest is an expression (registry/app:${{ needs.build.outputs.id }},
// the image CI built from the Dockerfile): the job runs in that image, tagged
// "…". An image that is an expression as a whole says nothing.
func literalImage(img string) string {
	i := strings.Index(img, "${{")
	if i < 0 {
		return img
	}
	repo := img[:i]
	if j := strings.LastIndexAny(repo, ":@"); j > 0 && strings.LastIndexByte(repo, '/') < j {
		return repo[:j] + ":…"
	}
	return ""
}

// workflowRunAfter returns the workflows whose completion triggers this one
// (on: workflow_run: workflows: [...]); a job that checks the run's
// conclusion is "success" runs only after they pass.
func workflowRunAfter(m *ymap) []string {
	on := asMap(m.get("on"))
	if on == nil {
		return nil
	}
	return strList(asMap(on.get("workflow_run")).get("workflows"))
}
