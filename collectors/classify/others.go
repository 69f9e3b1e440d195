package classify

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// circleCI reads .circleci/config.yml: jobs, orbs and workflows.
func (c *ciAcc) circleCI(file string, data []byte) {
	m := c.yamlRoot(file, data)
	if m == nil {
		return
	}
	c.triggers.add(trPush)
	orbs := asMap(m.get("orbs"))
	for _, k := range orbs.list() {
		c.reusable.add("orb:" + k + "=" + asStr(orbs.get(k)))
	}
	requires := map[string][]string{}
	manual := map[string]bool{}
	referenced := []string{}
	wfs := asMap(m.get("workflows"))
	for _, wn := range wfs.list() {
		wf := asMap(wfs.get(wn))
		for _, t := range asList(wf.get("triggers")) {
			if asMap(t).has("schedule") {
				c.triggers.add(trSchedule)
			}
		}
		for _, e := range asList(wf.get("jobs")) {
			switch t := e.(type) {
			case string:
				referenced = append(referenced, t)
			case *ymap:
				for _, jn := range t.list() {
					cfg := asMap(t.get(jn))
					name := jn
					if n := asStr(cfg.get("name")); n != "" && !strings.Contains(n, "<<") {
						name = n
					}
					referenced = append(referenced, name)
					requires[name] = append(requires[name], strList(cfg.get("requires"))...)
					if asStr(cfg.get("type")) == "approval" {
						manual[name] = true
					}
					if cfg.has("matrix") {
						c.matrix = true
					}
					if f := asMap(cfg.get("filters")); f.has("tags") {
						c.triggers.add(trTag)
					}
				}
			}
		}
	}
	jobs := asMap(m.get("jobs"))
	done := map[string]bool{}
	for _, jn := range jobs.list() {
		jm := asMap(jobs.get(jn))
		job := model.CIJob{File: file, Name: jn, Needs: requires[jn], Manual: manual[jn]}
		sig := jobSignals{names: []string{jn}}
		for _, d := range asList(jm.get("docker")) {
			if img := asStr(asMap(d).get("image")); img != "" {
				if job.Image == "" {
					job.Image = img
				}
				sig.uses = append(sig.uses, img)
			}
		}
		for _, st := range asList(jm.get("steps")) {
			switch s := st.(type) {
			case string:
				sig.uses = append(sig.uses, s)
			case *ymap:
				for _, sk := range s.list() {
					switch sk {
					case "run":
						switch r := s.get(sk).(type) {
						case string:
							sig.runs = append(sig.runs, r)
						case *ymap:
							sig.runs = append(sig.runs, asStr(r.get("command")))
							sig.names = append(sig.names, asStr(r.get("name")))
						}
					case "save_cache", "restore_cache":
						c.cache = true
					default:
						sig.uses = append(sig.uses, sk)
					}
				}
			}
		}
		if jm.has("parallelism") {
			c.matrix = true
		}
		c.addJob(job, classifyJob(sig, c.tool))
		done[jn] = true
	}
	// orb jobs and approvals used by workflows but not defined here
	for _, jn := range referenced {
		if done[jn] {
			continue
		}
		done[jn] = true
		c.addJob(model.CIJob{File: file, Name: jn, Needs: requires[jn], Manual: manual[jn]},
			classifyJob(jobSignals{names: []string{jn}, uses: []string{jn}}, c.tool))
	}
}

// yamlRoot parses a CI file and returns its top mapping, recording errors.
func (c *ciAcc) yamlRoot(file string, data []byte) *ymap {
	docs, err := parseYAML(data)
	if err != nil {
		c.parseErr(file, err)
		return nil
	}
	m := firstMap(docs)
	if m == nil {
		c.parseErrMsg(file, "not a YAML mapping")
	}
	return m
}

// otherCI reads the CI systems with simpler formats: Azure Pipelines,
// Travis, Bitbucket, Drone, Woodpecker, and a generic fallback that makes
// one job of every command in the file.
func (c *ciAcc) otherCI(file, system string, data []byte) {
	m := c.yamlRoot(file, data)
	if m == nil {
		return
	}
	switch system {
	case sysAzure:
		c.azure(file, m)
	case sysBitbucket:
		c.bitbucket(file, m)
	case sysDrone, sysWoodpeck:
		c.droneLike(file, m)
	default:
		c.triggers.add(trPush)
		if m.has("cache") || m.has("caches") {
			c.cache = true
		}
		name := strings.TrimPrefix(file[strings.LastIndexByte(file, '/')+1:], ".")
		sig := jobSignals{names: []string{name}}
		collectCommands(m, &sig, 0)
		if system == sysTravis && m.has("deploy") {
			sig.deployEnv = true
		}
		c.addJob(model.CIJob{File: file, Name: name}, classifyJob(sig, c.tool))
	}
}

// collectCommands gathers the strings under command-like keys anywhere in v.
func collectCommands(v any, sig *jobSignals, depth int) {
	if depth > 24 {
		return
	}
	switch t := v.(type) {
	case *ymap:
		for _, k := range t.list() {
			switch k {
			case "script", "scripts", "command", "commands", "run", "args", "cmd", "before_script", "after_script",
				"install", "before_install", "after_success", "deploy_script", "build_script", "test_script", "inline", "inlineScript":
				sig.runs = flatStrings(t.get(k), sig.runs)
			case "task", "uses", "image", "plugins", "name", "label":
				sig.uses = flatStrings(t.get(k), sig.uses)
			}
			collectCommands(t.get(k), sig, depth+1)
		}
	case []any:
		for _, e := range t {
			collectCommands(e, sig, depth+1)
		}
	}
}

// azure reads azure-pipelines.yml: triggers, stages, jobs and deployment
// jobs with their environments.
func (c *ciAcc) azure(file string, m *ymap) {
	switch t := m.get("trigger").(type) {
	case nil:
		c.triggers.add(trPush)
	case string:
		if t != "none" {
			c.triggers.add(trPush)
		}
	case *ymap:
		if t.has("tags") {
			c.triggers.add(trTag)
		}
		if t.has("paths") {
			c.pathFilters = true
		}
		c.triggers.add(trPush)
	default:
		c.triggers.add(trPush)
	}
	if pr, ok := m.get("pr").(string); !ok || pr != "none" {
		if m.has("pr") {
			c.triggers.add(trPR)
			if asMap(m.get("pr")).has("paths") {
				c.pathFilters = true
			}
		}
	}
	if m.has("schedules") {
		c.triggers.add(trSchedule)
	}
	if res := asMap(m.get("resources")); res != nil {
		if res.has("pipelines") {
			c.triggers.add(trUpstream)
			c.cross = true
		}
		for _, r := range asList(res.get("repositories")) {
			c.includes.add("repository:" + asStr(asMap(r).get("name")))
		}
	}
	var jobs []stageJob
	stages := asList(m.get("stages"))
	for _, s := range stages {
		sm := asMap(s)
		if t := asStr(sm.get("template")); t != "" {
			c.reusable.add(t)
		}
		name := asStr(sm.get("stage"))
		c.addStage(name)
		for _, j := range asList(sm.get("jobs")) {
			jobs = append(jobs, stageJob{stage: name, v: j})
		}
	}
	if len(stages) > 1 {
		c.needs = true
	}
	for _, j := range asList(m.get("jobs")) {
		jobs = append(jobs, stageJob{v: j})
	}
	if len(jobs) == 0 && m.has("steps") {
		jobs = append(jobs, stageJob{v: m})
	}
	for i, sj := range jobs {
		jm := asMap(sj.v)
		if t := asStr(jm.get("template")); t != "" {
			c.reusable.add(t)
			continue
		}
		name := asStr(jm.get("job"))
		if d := asStr(jm.get("deployment")); d != "" {
			name = d
		}
		if name == "" {
			name = fmt.Sprintf("job%d", i+1)
		}
		job := model.CIJob{File: file, Name: name, Stage: sj.stage, Needs: strList(jm.get("dependsOn"))}
		sig := jobSignals{names: []string{name, asStr(jm.get("displayName"))}, stages: []string{sj.stage}}
		switch env := jm.get("environment").(type) {
		case string:
			job.Environment = cleanEnvName(strings.SplitN(env, ".", 2)[0])
			sig.deployEnv = true
		case *ymap:
			job.Environment = cleanEnvName(asStr(env.get("name")))
			sig.deployEnv = true
		}
		switch ct := jm.get("container").(type) {
		case string:
			job.Image = ct
		case *ymap:
			job.Image = asStr(ct.get("image"))
		}
		if st := asMap(jm.get("strategy")); st.has("matrix") {
			c.matrix = true
		}
		collectCommands(jm, &sig, 0)
		for _, u := range sig.uses {
			lu := strings.ToLower(u)
			switch {
			case strings.HasPrefix(lu, "cache@"):
				c.cache = true
			case strings.HasPrefix(lu, "manualvalidation@"):
				job.Manual = true
			}
		}
		c.addJob(job, classifyJob(sig, c.tool))
	}
}

type stageJob struct {
	stage string
	v     any
}

// bitbucket reads bitbucket-pipelines.yml.
func (c *ciAcc) bitbucket(file string, m *ymap) {
	pl := asMap(m.get("pipelines"))
	if asMap(asMap(m.get("definitions")).get("caches")) != nil {
		c.cache = true
	}
	n := 0
	var steps func(group string, v any, depth int)
	steps = func(group string, v any, depth int) {
		if depth > 8 {
			return
		}
		for _, e := range asList(v) {
			em := asMap(e)
			switch {
			case em.has("step"):
				st := asMap(em.get("step"))
				n++
				name := asStr(st.get("name"))
				if name == "" {
					name = fmt.Sprintf("%s step %d", group, n)
				}
				job := model.CIJob{File: file, Name: name, Image: gitLabImage(st.get("image")),
					Environment: cleanEnvName(asStr(st.get("deployment"))), Manual: asStr(st.get("trigger")) == "manual"}
				sig := jobSignals{names: []string{name}, deployEnv: st.has("deployment")}
				sig.runs = flatStrings(st.get("script"), sig.runs)
				for _, s := range asList(st.get("script")) {
					if p := asMap(s).get("pipe"); p != nil {
						sig.uses = append(sig.uses, asStr(p))
					}
				}
				if st.has("caches") {
					c.cache = true
				}
				c.addJob(job, classifyJob(sig, c.tool))
			case em.has("parallel"):
				par := em.get("parallel")
				if pm := asMap(par); pm != nil {
					par = pm.get("steps")
				}
				steps(group, par, depth+1)
			case em.has("stage"):
				steps(group, asMap(em.get("stage")).get("steps"), depth+1)
			}
		}
	}
	for _, k := range pl.list() {
		switch k {
		case "default", "branches":
			c.triggers.add(trPush)
		case "pull-requests":
			c.triggers.add(trPR)
		case "tags":
			c.triggers.add(trTag)
		case "custom":
			c.triggers.add(trManual)
		}
		if k == "default" {
			steps(k, pl.get(k), 0)
			continue
		}
		sub := asMap(pl.get(k))
		for _, sk := range sub.list() {
			steps(k+" "+sk, sub.get(sk), 0)
		}
	}
}

// droneLike reads Drone and Woodpecker pipelines: steps with images and
// commands, `when`/`trigger` events.
func (c *ciAcc) droneLike(file string, m *ymap) {
	event := func(v any) {
		for _, e := range strList(asMap(v).get("event")) {
			switch e {
			case "push":
				c.triggers.add(trPush)
			case "pull_request":
				c.triggers.add(trPR)
			case "tag":
				c.triggers.add(trTag)
			case "cron":
				c.triggers.add(trSchedule)
			case "promote", "deployment", "manual":
				c.triggers.add(trManual)
			}
		}
	}
	if m.has("trigger") {
		event(m.get("trigger"))
	} else if w := m.get("when"); w != nil {
		for _, x := range asList(w) {
			event(x)
		}
	} else {
		c.triggers.add(trPush)
	}
	var list []stageJob
	switch st := m.get("steps").(type) {
	case []any:
		for _, s := range st {
			list = append(list, stageJob{stage: asStr(asMap(s).get("name")), v: s})
		}
	case *ymap:
		for _, k := range st.list() {
			list = append(list, stageJob{stage: k, v: st.get(k)})
		}
	}
	if p := asMap(m.get("pipeline")); p != nil { // Woodpecker's old form
		for _, k := range p.list() {
			list = append(list, stageJob{stage: k, v: p.get(k)})
		}
	}
	for i, sj := range list {
		sm := asMap(sj.v)
		name := sj.stage
		if name == "" {
			name = fmt.Sprintf("step%d", i+1)
		}
		img := asStr(sm.get("image"))
		sig := jobSignals{names: []string{name}, uses: []string{img}}
		sig.runs = flatStrings(sm.get("commands"), sig.runs)
		if w := sm.get("when"); w != nil {
			for _, x := range asList(w) {
				event(x)
			}
		}
		c.addJob(model.CIJob{File: file, Name: name, Image: img, Needs: strList(sm.get("depends_on"))}, classifyJob(sig, c.tool))
	}
}
