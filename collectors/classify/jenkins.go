package classify

import (
	"regexp"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// read-only patterns for Jenkinsfiles (declarative and scripted)
var (
	reJStage      = regexp.MustCompile(`\bstage\s*\(\s*(?:name\s*:\s*)?['"]([^'"]+)['"]`)
	reJDockerImg  = regexp.MustCompile(`docker\s*\{[^}]*?\bimage\s+['"]([^'"]+)['"]`)
	reJDockerStr  = regexp.MustCompile(`\bdocker\s+['"]([^'"]+)['"]`)
	reJDockerDot  = regexp.MustCompile(`docker\.image\(\s*['"]([^'"]+)['"]\s*\)`)
	reJCron       = regexp.MustCompile(`\b(cron|parameterizedCron)\s*\(`)
	reJPoll       = regexp.MustCompile(`\bpollSCM\s*\(`)
	reJPush       = regexp.MustCompile(`\b(githubPush|gitlab|bitbucketPush|gitea)\s*\(`)
	reJUpstream   = regexp.MustCompile(`\bupstream\s*\(`)
	reJGeneric    = regexp.MustCompile(`\bGenericTrigger\s*\(`)
	reJInput      = regexp.MustCompile(`\binput\s*(\(|message\s*:|\{|['"])`)
	reJMatrix     = regexp.MustCompile(`\bmatrix\s*\{`)
	reJBuildJob   = regexp.MustCompile(`\bbuild\s*\(?\s*job\s*:`)
	reJLibrary    = regexp.MustCompile(`@Library\(\s*\[?\s*['"]([^'"]+)['"]`)
	reJLibraryStp = regexp.MustCompile(`\blibrary\s*\(?\s*['"]([^'"]+)['"]`)
	reJChangeset  = regexp.MustCompile(`\bchangeset\s*(\(|['"])`)
	reJCache      = regexp.MustCompile(`\bcache\s*\(`)
	reJTagWhen    = regexp.MustCompile(`\bbuildingTag\s*\(|\bwhen\s*\{\s*tag\b`)
	reJShell      = regexp.MustCompile(`\b(sh|bat|powershell|pwsh)\s*[('"]`)
	reJTopStep    = regexp.MustCompile(`(?m)^([A-Za-z_]\w*)\s*\(`)
)

// librarySteps are the Jenkins pipeline's own top-level keywords: a
// Jenkinsfile that is only a call of another step calls a shared
// library's step (jenkins-infra's buildPlugin(), an organisation's
// standardPipeline()), which defines the whole pipeline elsewhere.
var notLibrarySteps = map[string]bool{"pipeline": true, "node": true, "stage": true, "properties": true,
	"library": true, "timestamps": true, "timeout": true, "ansiColor": true, "def": true, "if": true, "try": true}

// libraryStep returns the step a stage-less Jenkinsfile hands its pipeline
// to ("" when it runs commands of its own).
func libraryStep(src string) string {
	if reJShell.MatchString(src) {
		return ""
	}
	for _, m := range reJTopStep.FindAllStringSubmatch(src, -1) {
		if !notLibrarySteps[m[1]] {
			return m[1]
		}
	}
	return ""
}

// jenkins reads a Jenkinsfile with regular expressions: Groovy is not
// parsed, so stages, agents and triggers are found by their usual shapes.
func (c *ciAcc) jenkins(file string, data []byte) {
	src := stripGroovyComments(string(data))
	c.files.add(file)
	c.systems.add(sysJenkins)
	// the triggers the file declares; without any, the Jenkins server's job
	// configuration (or a shared library step) decides what starts it
	var trig []string
	addTrig := func(t string) {
		c.triggers.add(t)
		trig = append(trig, t)
	}
	if reJCron.MatchString(src) {
		addTrig(trSchedule)
	}
	if reJPoll.MatchString(src) || reJPush.MatchString(src) {
		addTrig(trPush)
	}
	if reJUpstream.MatchString(src) {
		addTrig(trUpstream)
		c.cross = true
	}
	if reJGeneric.MatchString(src) {
		addTrig(trAPI)
	}
	if reJTagWhen.MatchString(src) {
		addTrig(trTag)
	}
	if reJMatrix.MatchString(src) {
		c.matrix = true
	}
	if reJBuildJob.MatchString(src) {
		c.cross = true
	}
	if reJChangeset.MatchString(src) {
		c.pathFilters = true
	}
	if reJCache.MatchString(src) {
		c.cache = true
	}
	for _, re := range [...]*regexp.Regexp{reJLibrary, reJLibraryStp} {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			c.reusable.add("library:" + m[1])
		}
	}
	images := func(s string) string {
		img := ""
		for _, re := range [...]*regexp.Regexp{reJDockerImg, reJDockerStr, reJDockerDot} {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				c.images.add(m[1])
				if img == "" {
					img = m[1]
				}
			}
		}
		return img
	}
	stages := reJStage.FindAllStringSubmatchIndex(src, -1)
	if len(stages) == 0 {
		// a pipeline without stages: one job
		img := images(src)
		sig := jobSignals{runs: []string{src}}
		k := classifyJob(sig, c.tool)
		job := model.CIJob{File: file, Name: "pipeline", Image: img, Manual: reJInput.MatchString(src), Triggers: trig, Scanner: usesScanner(sig)}
		if step := libraryStep(src); step != "" {
			// the pipeline is a shared library's step: its stages are there
			job.Name, job.Elsewhere = step, true
			c.reusable.add("library-step:" + step)
		}
		c.addJob(job, k)
		return
	}
	globalImg := images(src[:stages[0][0]])
	if len(stages) > 1 {
		c.needs = true
	}
	for i, s := range stages {
		name := src[s[2]:s[3]]
		end := len(src)
		if i+1 < len(stages) {
			end = stages[i+1][0]
		}
		body := src[s[1]:end]
		c.addStage(name)
		img := images(body)
		if img == "" {
			img = globalImg
		}
		sig := jobSignals{names: []string{name}, runs: []string{body}}
		k := classifyJob(sig, c.tool)
		c.addJob(model.CIJob{File: file, Name: name, Stage: name, Image: img, Manual: reJInput.MatchString(body), Triggers: trig, Scanner: usesScanner(sig)}, k)
	}
}

// stripGroovyComments removes // line comments and /* */ blocks (outside
// of nothing smarter than line starts, which is enough for Jenkinsfiles).
func stripGroovyComments(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inBlock := false
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		if inBlock {
			if i := strings.Index(line, "*/"); i >= 0 {
				inBlock = false
				line = line[i+2:]
			} else {
				continue
			}
		}
		if strings.HasPrefix(t, "//") {
			continue
		}
		if strings.HasPrefix(t, "/*") {
			if !strings.Contains(t[2:], "*/") {
				inBlock = true
			}
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
