package gitlab

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"
)

// pipeDetails reads durations, jobs and test reports of the pipelines
// pending (ids of items): through GraphQL, pages of gqlPipes pipelines
// updated after the listing's bound, when there are enough of them and
// GraphQL is on; through REST (2 requests each, 3 with a test report)
// otherwise and for those GraphQL did not give whole. Only a fatal error is
// returned; an item that failed stays incomplete.
func (r *run) pipeDetails(ctx context.Context, items map[string]pipeItem, pending []string, after time.Time) error {
	rest := pending
	if len(pending) >= gqlMinBatch && r.graphQLOn() {
		left, err := r.pipeGraphQL(ctx, items, pending, after)
		if err != nil && !errors.Is(err, errGraphQLOff) {
			return err
		}
		rest = left
	}
	for _, id := range rest {
		it := items[id]
		pid, _ := strconv.ParseInt(id, 10, 64)
		if err := r.pipelineDetails(ctx, pid, &it); err != nil {
			if fatal(err) {
				return err
			}
			r.c.log.Warn("gitlab: pipeline details", "pipeline", pid, "err", err)
		}
		items[id] = it
	}
	return nil
}

// pipeQuery reads a page of pipelines with their jobs and test report
// summary.
const pipeQuery = `query($path: ID!, $after: Time, $n: Int, $cursor: String) {
  project(fullPath: $path) {
    pipelines(updatedAfter: $after, first: $n, after: $cursor) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id status source refPath startedAt finishedAt duration queuedDuration coverage
        jobs(first: 100) {
          pageInfo { hasNextPage }
          nodes {
            id name stage { name } status allowFailure startedAt finishedAt duration coverage retried webPath
            artifacts { nodes { fileType } }
          }
        }
        testReportSummary {
          total { time count success failed skipped error }
          testSuites(first: 100) {
            pageInfo { hasNextPage }
            nodes { name totalTime totalCount successCount failedCount skippedCount errorCount }
          }
        }
      }
    }
  }
}`

type gqlPipe struct {
	ID             string     `json:"id"`
	Status         string     `json:"status"`
	Source         string     `json:"source"`
	RefPath        string     `json:"refPath"`
	StartedAt      *time.Time `json:"startedAt"`
	FinishedAt     *time.Time `json:"finishedAt"`
	Duration       *float64   `json:"duration"`
	QueuedDuration *float64   `json:"queuedDuration"`
	Coverage       *float64   `json:"coverage"`
	Jobs           *struct {
		PageInfo gqlPage  `json:"pageInfo"`
		Nodes    []gqlJob `json:"nodes"`
	} `json:"jobs"`
	TestReportSummary *struct {
		Total struct {
			Time    float64 `json:"time"`
			Count   int64   `json:"count"`
			Success int64   `json:"success"`
			Failed  int64   `json:"failed"`
			Skipped int64   `json:"skipped"`
			Error   int64   `json:"error"`
		} `json:"total"`
		TestSuites struct {
			PageInfo gqlPage `json:"pageInfo"`
			Nodes    []struct {
				Name         string  `json:"name"`
				TotalTime    float64 `json:"totalTime"`
				TotalCount   int64   `json:"totalCount"`
				SuccessCount int64   `json:"successCount"`
				FailedCount  int64   `json:"failedCount"`
				SkippedCount int64   `json:"skippedCount"`
				ErrorCount   int64   `json:"errorCount"`
			} `json:"nodes"`
		} `json:"testSuites"`
	} `json:"testReportSummary"`
}

type gqlJob struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Stage *struct {
		Name string `json:"name"`
	} `json:"stage"`
	Status       string     `json:"status"`
	AllowFailure bool       `json:"allowFailure"`
	StartedAt    *time.Time `json:"startedAt"`
	FinishedAt   *time.Time `json:"finishedAt"`
	Duration     *float64   `json:"duration"`
	Coverage     *float64   `json:"coverage"`
	Retried      bool       `json:"retried"`
	WebPath      string     `json:"webPath"`
	Artifacts    struct {
		Nodes []struct {
			FileType string `json:"fileType"`
		} `json:"nodes"`
	} `json:"artifacts"`
}

// pipeGraphQL pages through the pipelines updated after the bound until
// every pending one was seen, and returns those left for REST.
func (r *run) pipeGraphQL(ctx context.Context, items map[string]pipeItem, pending []string, after time.Time) (left []string, err error) {
	want := map[string]bool{}
	for _, id := range pending {
		want[id] = true
	}
	leftOver := func() []string {
		var out []string
		for _, id := range pending {
			if want[id] {
				out = append(out, id)
			}
		}
		return out
	}
	vars := map[string]any{"path": r.c.project.PathWithNamespace, "n": gqlPipes, "after": nil, "cursor": nil}
	if !after.IsZero() {
		vars["after"] = after.UTC().Format(time.RFC3339)
	}
	for page := 0; len(want) > 0 && page < maxPages; page++ {
		var data struct {
			Project *struct {
				Pipelines *struct {
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
					Nodes []gqlPipe `json:"nodes"`
				} `json:"pipelines"`
			} `json:"project"`
		}
		if err := r.query(ctx, pipeQuery, vars, &data); err != nil {
			return leftOver(), err
		}
		if data.Project == nil || data.Project.Pipelines == nil {
			return leftOver(), r.graphQLOff("the GraphQL API does not show this project's pipelines")
		}
		for _, p := range data.Project.Pipelines.Nodes {
			id := gidNumber(p.ID)
			if !want[id] || p.Jobs == nil || p.Jobs.PageInfo.HasNextPage || p.TestReportSummary == nil || p.TestReportSummary.TestSuites.PageInfo.HasNextPage {
				continue
			}
			it := items[id]
			r.applyPipe(&it, p)
			items[id] = it
			delete(want, id)
		}
		pi := data.Project.Pipelines.PageInfo
		if !pi.HasNextPage || pi.EndCursor == "" {
			break
		}
		vars["cursor"] = pi.EndCursor
	}
	return leftOver(), nil
}

// applyPipe fills it from a GraphQL pipeline as pipelineDetails does from
// REST.
func (r *run) applyPipe(it *pipeItem, p gqlPipe) {
	run := &it.Run
	run.Status, run.Conclusion = runStatus(strings.ToLower(p.Status))
	run.Trigger = trigger(p.Source, strings.HasPrefix(p.RefPath, "refs/tags/"))
	run.StartedAt, run.FinishedAt = tptr(p.StartedAt), tptr(p.FinishedAt)
	run.Duration, run.Queued, run.Coverage = p.Duration, p.QueuedDuration, p.Coverage
	run.Jobs = nil
	junit := false
	for _, j := range p.Jobs.Nodes {
		gj := glJob{ID: 0, Name: j.Name, Status: strings.ToLower(j.Status), AllowFailure: j.AllowFailure,
			StartedAt: j.StartedAt, FinishedAt: j.FinishedAt, Duration: j.Duration, Coverage: j.Coverage}
		if j.Stage != nil {
			gj.Stage = j.Stage.Name
		}
		if j.WebPath != "" {
			gj.WebURL = r.c.web + j.WebPath
		}
		for _, a := range j.Artifacts.Nodes {
			gj.Artifacts = append(gj.Artifacts, struct {
				FileType string `json:"file_type"`
			}{FileType: strings.ToLower(a.FileType)})
		}
		mj := toJob(gj)
		mj.ID = gidNumber(j.ID)
		junit = junit || mj.JUnit
		run.Jobs = append(run.Jobs, mj)
	}
	markRetried(run.Jobs)
	for i, j := range p.Jobs.Nodes {
		run.Jobs[i].Retried = j.Retried
	}
	sort.Slice(run.Jobs, func(a, b int) bool { return idLess(run.Jobs[a].ID, run.Jobs[b].ID) })
	run.JobsKnown = true
	it.Complete = true
	it.ReportDone, it.Report = true, nil
	if run.Status != "completed" || !junit {
		return
	}
	s := p.TestReportSummary
	tr := &gl.PipelineTestReport{TotalTime: s.Total.Time, TotalCount: s.Total.Count, SuccessCount: s.Total.Success,
		FailedCount: s.Total.Failed, SkippedCount: s.Total.Skipped, ErrorCount: s.Total.Error}
	for _, ts := range s.TestSuites.Nodes {
		tr.TestSuites = append(tr.TestSuites, &gl.PipelineTestSuites{Name: ts.Name, TotalTime: ts.TotalTime,
			TotalCount: ts.TotalCount, SuccessCount: ts.SuccessCount, FailedCount: ts.FailedCount,
			SkippedCount: ts.SkippedCount, ErrorCount: ts.ErrorCount})
	}
	it.Report = toReport(run, tr)
}
