package gitlabfake

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Group is a group whose projects the server lists (GET
// /groups/:id/projects). Only the server's Project answers the
// per-project routes; the others answer 404 there.
type Group struct {
	ID       int64
	FullPath string // "acme" or "acme/platform"
	Projects []ListedProject
	// Forbidden answers the listing 403.
	Forbidden bool
}

// ListedProject is one project of a group listing; Namespace is its
// group's full path (a subgroup of the listed group, or the group itself
// when empty).
type ListedProject struct {
	Path, Namespace, DefaultBranch string
	Topics                         []string
	Archived, Fork, Shared         bool
}

// SetGroups sets the groups whose projects the server lists.
func (s *Server) SetGroups(groups ...Group) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups = groups
}

// groupProjects answers GET /groups/:id/projects with the documented
// project payload: archived=, include_subgroups=, with_shared=, topic=.
func (s *Server) groupProjects(w http.ResponseWriter, r *http.Request, id string) {
	id, err := url.PathUnescape(id)
	var g *Group
	for i := range s.groups {
		if s.groups[i].FullPath == id || strconv.FormatInt(s.groups[i].ID, 10) == id {
			g = &s.groups[i]
		}
	}
	switch {
	case err != nil || g == nil:
		notFound(w, "Group")
		return
	case g.Forbidden:
		forbidden(w)
		return
	}
	q := r.URL.Query()
	subgroups := q.Get("include_subgroups") == "true"
	out := []map[string]any{}
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range g.Projects {
		ns := p.Namespace
		if ns == "" {
			ns = g.FullPath
		}
		switch {
		case ns != g.FullPath && !subgroups,
			q.Get("archived") == "false" && p.Archived, q.Get("archived") == "true" && !p.Archived,
			q.Get("with_shared") == "false" && p.Shared:
			continue
		}
		full := ns + "/" + p.Path
		topics := p.Topics
		if topics == nil {
			topics = []string{}
		}
		var branch any
		if p.DefaultBranch != "" {
			branch = p.DefaultBranch
		}
		item := map[string]any{
			"id": 5000 + i, "description": nil, "name": p.Path, "name_with_namespace": strings.ReplaceAll(full, "/", " / "),
			"path": p.Path, "path_with_namespace": full, "created_at": at, "last_activity_at": at, "default_branch": branch,
			"tag_list": topics, "topics": topics, "web_url": "https://gitlab.example.com/" + full,
			"http_url_to_repo": "https://gitlab.example.com/" + full + ".git", "archived": p.Archived, "visibility": "private",
			"namespace": map[string]any{"id": g.ID, "name": ns[strings.LastIndex(ns, "/")+1:], "path": ns[strings.LastIndex(ns, "/")+1:],
				"kind": "group", "full_path": ns, "parent_id": nil, "web_url": "https://gitlab.example.com/groups/" + ns},
		}
		if p.Fork {
			item["forked_from_project"] = map[string]any{"id": 1, "name": "upstream", "path_with_namespace": "upstream/" + p.Path}
		}
		out = append(out, item)
	}
	paginate(w, r, out)
}
