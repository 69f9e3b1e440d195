package incidents

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

func basic(user, token string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + token))
}

var nextLinkRE = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

// github reads issues with the label (pull requests left out).
func (c *Collector) github(ctx context.Context, w model.Window) ([]model.Incident, bool, error) {
	q := url.Values{"labels": {c.opt.Label}, "state": {"all"}, "per_page": {"100"}}
	if !w.Since.IsZero() {
		q.Set("since", w.Since.UTC().Format(time.RFC3339))
	}
	next := c.root + "/repos/" + c.opt.Repo + "/issues?" + q.Encode()
	var out []model.Incident
	for page := 0; next != ""; page++ {
		if page == maxPages {
			return out, true, nil
		}
		var items []struct {
			Number      int        `json:"number"`
			HTMLURL     string     `json:"html_url"`
			Title       string     `json:"title"`
			Body        string     `json:"body"`
			CreatedAt   time.Time  `json:"created_at"`
			ClosedAt    *time.Time `json:"closed_at"`
			PullRequest *struct{}  `json:"pull_request"`
		}
		h, err := c.getJSON(ctx, next, &items)
		if err != nil {
			return nil, false, err
		}
		for _, it := range items {
			if it.PullRequest != nil {
				continue
			}
			out = append(out, model.Incident{ID: "#" + strconv.Itoa(it.Number), URL: it.HTMLURL, Source: SourceGitHub,
				Title: it.Title, Opened: it.CreatedAt.UTC(), Resolved: utc(it.ClosedAt), Refs: refsOf(it.Title, it.Body)})
		}
		next = ""
		if m := nextLinkRE.FindStringSubmatch(h.Get("Link")); m != nil {
			next = m[1]
		}
	}
	return out, false, nil
}

// gitlab reads issues of type incident created since the window's start.
func (c *Collector) gitlab(ctx context.Context, w model.Window) ([]model.Incident, bool, error) {
	q := url.Values{"issue_type": {"incident"}, "per_page": {"100"}, "scope": {"all"}}
	if !w.Since.IsZero() {
		q.Set("created_after", w.Since.UTC().Format(time.RFC3339))
	}
	base := c.root + "/api/v4/projects/" + url.PathEscape(c.opt.Repo) + "/issues?"
	var out []model.Incident
	for page := "1"; page != ""; {
		if n, _ := strconv.Atoi(page); n > maxPages {
			return out, true, nil
		}
		q.Set("page", page)
		var items []struct {
			IID         int        `json:"iid"`
			WebURL      string     `json:"web_url"`
			Title       string     `json:"title"`
			Description string     `json:"description"`
			CreatedAt   time.Time  `json:"created_at"`
			ClosedAt    *time.Time `json:"closed_at"`
		}
		h, err := c.getJSON(ctx, base+q.Encode(), &items)
		if err != nil {
			return nil, false, err
		}
		for _, it := range items {
			out = append(out, model.Incident{ID: "#" + strconv.Itoa(it.IID), URL: it.WebURL, Source: SourceGitLab,
				Title: it.Title, Opened: it.CreatedAt.UTC(), Resolved: utc(it.ClosedAt), Refs: refsOf(it.Title, it.Description)})
		}
		page = h.Get("X-Next-Page")
	}
	return out, false, nil
}

// jiraTime is Jira's time format (2026-05-01T10:00:00.000+0000).
type jiraTime struct{ time.Time }

func (t *jiraTime) UnmarshalJSON(b []byte) error {
	s, err := strconv.Unquote(string(b))
	if err != nil || s == "" {
		return nil // null
	}
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", time.RFC3339Nano, "2006-01-02T15:04:05-0700"} {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("jira: time %q", s)
}

// jiraJQL is the search of the configured issue type since a date.
func jiraJQL(issueType, project string, since time.Time) string {
	jql := "issuetype = " + strconv.Quote(issueType)
	if project != "" {
		jql += " AND project = " + strconv.Quote(project)
	}
	if !since.IsZero() {
		jql += ` AND created >= "` + since.UTC().Format("2006-01-02 15:04") + `"`
	}
	return jql + " ORDER BY created ASC"
}

// jira runs the JQL search page by page.
func (c *Collector) jira(ctx context.Context, w model.Window) ([]model.Incident, bool, error) {
	jql := jiraJQL(c.opt.IssueType, c.opt.Project, w.Since)
	var out []model.Incident
	for start, page := 0, 0; ; page++ {
		if page == maxPages {
			return out, true, nil
		}
		q := url.Values{"jql": {jql}, "startAt": {strconv.Itoa(start)}, "maxResults": {"100"},
			"fields": {"summary,description,created,resolutiondate"}}
		var r struct {
			StartAt int `json:"startAt"`
			Total   int `json:"total"`
			Issues  []struct {
				Key    string `json:"key"`
				Fields struct {
					Summary     string   `json:"summary"`
					Description string   `json:"description"`
					Created     jiraTime `json:"created"`
					Resolved    jiraTime `json:"resolutiondate"`
				} `json:"fields"`
			} `json:"issues"`
		}
		if _, err := c.getJSON(ctx, c.root+"/rest/api/2/search?"+q.Encode(), &r); err != nil {
			return nil, false, err
		}
		for _, is := range r.Issues {
			inc := model.Incident{ID: is.Key, URL: c.root + "/browse/" + url.PathEscape(is.Key), Source: SourceJira,
				Title: is.Fields.Summary, Opened: is.Fields.Created.Time, Refs: refsOf(is.Fields.Summary, is.Fields.Description)}
			if !is.Fields.Resolved.IsZero() {
				t := is.Fields.Resolved.Time
				inc.Resolved = &t
			}
			out = append(out, inc)
		}
		start += len(r.Issues)
		if len(r.Issues) == 0 || start >= r.Total {
			return out, false, nil
		}
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
