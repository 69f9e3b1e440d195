package jenkinsfake

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

type obj = map[string]any

// rangeOf reads the {M,N} / {M,} / {N} range that follows field in a tree
// parameter; ok is false when field is not requested.
func rangeOf(tree, field string) (lo, hi int, ok bool) {
	re := regexp.MustCompile(`(^|[,\[])` + field + `\[`)
	loc := re.FindStringIndex(tree)
	if loc == nil {
		return 0, 0, false
	}
	// skip the bracketed sub-tree
	depth, i := 0, loc[1]-1
	for ; i < len(tree); i++ {
		if tree[i] == '[' {
			depth++
		} else if tree[i] == ']' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	lo, hi = 0, -1
	rest := tree[min(i+1, len(tree)):]
	if strings.HasPrefix(rest, "{") {
		end := strings.IndexByte(rest, '}')
		if end > 0 {
			spec := rest[1:end]
			a, b, comma := strings.Cut(spec, ",")
			if !comma { // {N}: just the element at N
				n, _ := strconv.Atoi(a)
				return n, n + 1, true
			}
			lo, _ = strconv.Atoi(a)
			if b != "" {
				hi, _ = strconv.Atoi(b)
			}
		}
	}
	return lo, hi, true
}

func slice(bs []Build, lo, hi int) []Build {
	if hi < 0 || hi > len(bs) {
		hi = len(bs)
	}
	if lo > hi {
		lo = hi
	}
	return bs[lo:hi]
}

// jobJSON answers /api/json of a job as Jenkins does for the given tree.
func (s *Server) jobJSON(j *Job, path, tree string) obj {
	out := obj{"_class": j.Class, "name": j.Name, "url": s.srv.URL + strings.TrimRight(s.opt.Prefix, "/") + path + "/"}
	if j.DisplayName != "" {
		out["displayName"] = j.DisplayName
	} else {
		out["displayName"] = j.Name
	}
	if tree == "" { // depth 0: build numbers only, the newest 100
		if j.Class != ClassMultibranch && j.Class != ClassFolder {
			var bs []obj
			for _, b := range slice(newestFirst(j.Builds), 0, 100) {
				bs = append(bs, obj{"_class": runClass(j), "number": b.Number, "url": out["url"].(string) + strconv.Itoa(b.Number) + "/"})
			}
			out["builds"] = bs
		}
		return out
	}
	if j.Class == ClassMultibranch || j.Class == ClassFolder {
		if _, _, ok := rangeOf(tree, "jobs"); ok {
			var js []obj
			for _, c := range j.Jobs {
				cp := path + "/job/" + url.PathEscape(c.Name)
				o := obj{"_class": c.Class, "name": c.Name, "url": s.srv.URL + s.opt.Prefix + cp + "/"}
				o["color"] = "blue"
				if c.Disabled {
					o["color"] = "disabled"
				}
				o["displayName"] = c.Name
				if c.DisplayName != "" {
					o["displayName"] = c.DisplayName
				}
				if strings.Contains(tree, "lastBuild[") {
					nb := newestFirst(c.Builds)
					if len(nb) > 0 {
						o["lastBuild"] = obj{"_class": runClass(c), "number": nb[0].Number}
					} else {
						o["lastBuild"] = nil
					}
				}
				if strings.Contains(tree, "objectDisplayName") {
					acts := []obj{{}, {"_class": "hudson.model.ParametersDefinitionProperty"}}
					if c.Title != "" {
						acts = append(acts, obj{"_class": "jenkins.scm.api.metadata.ObjectMetadataAction", "objectDisplayName": c.Title})
					}
					o["actions"] = acts
				}
				js = append(js, o)
			}
			out["jobs"] = js
		}
		return out
	}
	for _, field := range []string{"allBuilds", "builds"} {
		lo, hi, ok := rangeOf(tree, field)
		if !ok {
			continue
		}
		all := newestFirst(j.Builds)
		if field == "builds" && len(all) > 100 {
			all = all[:100]
		}
		bs := []obj{}
		for _, b := range slice(all, lo, hi) {
			bs = append(bs, buildJSON(j, b))
		}
		out[field] = bs
	}
	return out
}

func runClass(j *Job) string {
	if j.Class == ClassFreestyle {
		return "hudson.model.FreeStyleBuild"
	}
	return "org.jenkinsci.plugins.workflow.job.WorkflowRun"
}

// buildJSON is one build with the fields the collector's tree asks for;
// actions without a requested field come as {"_class": …} or {}, as
// Jenkins sends them.
func buildJSON(j *Job, b Build) obj {
	var result any
	if b.Result != "" {
		result = b.Result
	}
	dur := b.Duration.Milliseconds()
	if b.Building {
		dur = 0
	}
	var acts []any
	var causes []obj
	for _, c := range b.Causes {
		o := obj{"_class": c.Class, "shortDescription": c.ShortDescription}
		if c.UserID != "" {
			o["userId"] = c.UserID
		}
		if c.UpstreamProject != "" {
			o["upstreamProject"], o["upstreamBuild"] = c.UpstreamProject, c.UpstreamBuild
		}
		causes = append(causes, o)
	}
	acts = append(acts, obj{"_class": "hudson.model.CauseAction", "causes": causes})
	if len(b.Params) > 0 {
		var ps []obj
		for k, v := range b.Params {
			ps = append(ps, obj{"_class": "hudson.model.StringParameterValue", "name": k, "value": v})
		}
		acts = append(acts, obj{"_class": "hudson.model.ParametersAction", "parameters": ps})
	}
	acts = append(acts, obj{}, obj{"_class": "jenkins.metrics.impl.TimeInQueueAction"})
	if b.Queued > 0 {
		acts[len(acts)-1] = obj{"_class": "jenkins.metrics.impl.TimeInQueueAction", "queuingDurationMillis": b.Queued.Milliseconds()}
	}
	if b.SHA != "" {
		acts = append(acts, obj{"_class": "hudson.plugins.git.util.BuildData",
			"lastBuiltRevision": obj{"SHA1": b.SHA, "branch": []obj{{"SHA1": b.SHA, "name": b.Branch}}}})
	}
	if b.Tests != nil {
		total, fail, skip := b.Tests.counts()
		acts = append(acts, obj{"_class": "hudson.tasks.junit.TestResultAction", "failCount": fail, "skipCount": skip, "totalCount": total})
	}
	acts = append(acts, obj{"_class": "org.jenkinsci.plugins.workflow.job.views.FlowGraphAction"}, obj{})
	return obj{"_class": runClass(j), "number": b.Number, "result": result, "building": b.Building,
		"duration": dur, "timestamp": b.Start.UnixMilli(), "queueId": b.QueueID, "actions": acts}
}

func (t *TestResult) counts() (total, fail, skip int) {
	for _, s := range t.Suites {
		for _, c := range s.Cases {
			total++
			switch c.Status {
			case "FAILED", "REGRESSION":
				fail++
			case "SKIPPED":
				skip++
			}
		}
	}
	return
}

// describe answers wfapi/describe (pipeline-stage-view RunExt).
func describe(b *Build) obj {
	status := map[string]string{"SUCCESS": "SUCCESS", "FAILURE": "FAILED", "UNSTABLE": "UNSTABLE", "ABORTED": "ABORTED", "NOT_BUILT": "NOT_EXECUTED", "": "IN_PROGRESS"}[b.Result]
	stages := []obj{}
	for _, s := range b.Stages {
		stages = append(stages, obj{"_links": obj{"self": obj{"href": "/execution/node/" + s.ID + "/wfapi/describe"}},
			"id": s.ID, "name": s.Name, "execNode": "", "status": s.Status,
			"startTimeMillis": s.Start.UnixMilli(), "durationMillis": s.Duration.Milliseconds(), "pauseDurationMillis": 0})
	}
	return obj{"_links": obj{"self": obj{"href": "/wfapi/describe"}}, "id": strconv.Itoa(b.Number), "name": "#" + strconv.Itoa(b.Number),
		"status": status, "startTimeMillis": b.Start.UnixMilli(), "endTimeMillis": b.Start.Add(b.Duration).UnixMilli(),
		"durationMillis": b.Duration.Milliseconds(), "queueDurationMillis": b.Queued.Milliseconds(), "pauseDurationMillis": 0,
		"stages": stages}
}

// testReport answers testReport/api/json (junit plugin TestResult).
func testReport(t *TestResult) obj {
	total, fail, skip := t.counts()
	var suites []obj
	dur := 0.0
	for _, s := range t.Suites {
		var cases []obj
		for _, c := range s.Cases {
			cases = append(cases, obj{"_class": "hudson.tasks.junit.CaseResult", "className": c.ClassName, "name": c.Name,
				"status": c.Status, "duration": c.Duration, "skipped": c.Status == "SKIPPED", "age": 0, "failedSince": 0})
		}
		dur += s.Duration
		suites = append(suites, obj{"name": s.Name, "duration": s.Duration, "cases": cases, "id": nil, "timestamp": nil})
	}
	return obj{"_class": "hudson.tasks.junit.TestResult", "duration": dur, "empty": false, "failCount": fail,
		"passCount": total - fail - skip, "skipCount": skip, "suites": suites}
}
