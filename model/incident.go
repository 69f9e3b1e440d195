package model

import "time"

// Incident is a production incident from an issue tracker: a GitLab issue
// of type incident, a GitHub issue with the configured label, a Jira issue
// of the configured type. Measure links it to the production deployment it
// followed for the change failure rate and the recovery time.
type Incident struct {
	ID     string `json:"id"`
	URL    string `json:"url,omitempty"`
	Source string `json:"source"` // github, gitlab, jira
	Title  string `json:"title,omitempty"`
	// Opened is when the incident was opened; Resolved when it was closed
	// or resolved, nil while it is open.
	Opened   time.Time  `json:"opened"`
	Resolved *time.Time `json:"resolved,omitempty"`
	// Refs are what the incident names in its title, description or
	// fields: commit hashes (7–40 hex digits), tags, deployment ids. Measure
	// links the incident to a deployment that one of them names before
	// falling back to the time window.
	Refs []string `json:"refs,omitempty"`
}
