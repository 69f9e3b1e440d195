package githubfake

import (
	"net/http"
	"strings"
	"time"
)

// Owner is an organisation or user whose repositories the server lists
// (GET /users/{name}, /orgs/{org}/repos, /users/{name}/repos). Only the
// server's Repo answers the per-repository routes; the others listed here
// answer 404 there, like repositories the token cannot read.
type Owner struct {
	Login string
	Type  string // "Organization" or "User"
	Repos []ListedRepo
	// Forbidden answers the organisation listing 403, as GitHub does for a
	// fine-grained token without the organisation's Metadata permission.
	Forbidden bool
}

// ListedRepo is one repository of an Owner's listing.
type ListedRepo struct {
	Name, Language, DefaultBranch     string
	Topics                            []string
	Private, Archived, Fork, Disabled bool
}

// SetOwners sets the accounts whose repositories the server lists.
func (s *Server) SetOwners(owners ...Owner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners = owners
}

func (s *Server) owner(login string) (Owner, bool) {
	for _, o := range s.owners {
		if strings.EqualFold(o.Login, login) {
			return o, true
		}
	}
	if strings.EqualFold(login, s.repo.Owner) {
		return Owner{Login: s.repo.Owner, Type: "Organization", Repos: []ListedRepo{{Name: s.repo.Name,
			DefaultBranch: s.repo.DefaultBranch, Private: s.repo.Private}}}, true
	}
	return Owner{}, false
}

func (s *Server) ownerRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Prefix+"users/{name}", func(w http.ResponseWriter, r *http.Request) {
		o, ok := s.owner(r.PathValue("name"))
		if !ok {
			notFound(w, "Not Found")
			return
		}
		writeJSON(w, map[string]any{"login": o.Login, "id": 1, "node_id": "MDQ6VXNlcjE=", "type": o.Type, "site_admin": false,
			"html_url": "https://github.com/" + o.Login, "url": s.URL + "users/" + o.Login, "repos_url": s.URL + "users/" + o.Login + "/repos"})
	})
	m.HandleFunc("GET "+Prefix+"orgs/{org}/repos", func(w http.ResponseWriter, r *http.Request) {
		o, ok := s.owner(r.PathValue("org"))
		switch {
		case !ok || o.Type != "Organization":
			notFound(w, "Not Found")
		case o.Forbidden:
			w.Header().Set("X-Accepted-OAuth-Scopes", "repo")
			w.WriteHeader(http.StatusForbidden)
			writeJSON(w, map[string]string{"message": "Resource not accessible by personal access token",
				"documentation_url": "https://docs.github.com/rest/repos/repos#list-organization-repositories", "status": "403"})
		default:
			page(w, r, s.listed(o, r.URL.Query().Get("type")))
		}
	})
	m.HandleFunc("GET "+Prefix+"users/{name}/repos", func(w http.ResponseWriter, r *http.Request) {
		o, ok := s.owner(r.PathValue("name"))
		if !ok {
			notFound(w, "Not Found")
			return
		}
		page(w, r, s.listed(o, r.URL.Query().Get("type")))
	})
}

// listed is the minimal-repository payload of an owner's repositories, in
// the listing's default order (created, newest first: here as given).
func (s *Server) listed(o Owner, typ string) []map[string]any {
	out := []map[string]any{}
	for i, rp := range o.Repos {
		if typ == "forks" && !rp.Fork || typ == "sources" && rp.Fork {
			continue
		}
		full := o.Login + "/" + rp.Name
		vis := "public"
		if rp.Private {
			vis = "private"
		}
		topics := rp.Topics
		if topics == nil {
			topics = []string{}
		}
		var lang any
		if rp.Language != "" {
			lang = rp.Language
		}
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		out = append(out, map[string]any{
			"id": 1000 + i, "node_id": "R_kgDO" + rp.Name, "name": rp.Name, "full_name": full,
			"owner":   User{Login: o.Login, ID: 1, Type: o.Type},
			"private": rp.Private, "html_url": "https://github.com/" + full, "description": nil,
			"fork": rp.Fork, "url": s.URL + "repos/" + full, "archived": rp.Archived, "disabled": rp.Disabled,
			"visibility": vis, "topics": topics, "language": lang, "default_branch": rp.DefaultBranch,
			"created_at": at, "updated_at": at, "pushed_at": at,
		})
	}
	return out
}
