// Package argocdfake is an httptest Argo CD API server for tests: it serves
// GET /api/v1/applications/{name} in the shape the Argo CD API documents
// (metadata, spec, status.sync, status.health, status.history[],
// status.operationState) for the applications it holds, and answers 401
// without the expected Bearer token.
//
// Import rules: no package of cdaudit (it stands for Argo CD); only tests
// import it.
package argocdfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"
)

// History is one entry of status.history.
type History struct {
	ID              int64      `json:"id"`
	Revision        string     `json:"revision"`
	DeployedAt      time.Time  `json:"deployedAt"`
	DeployStartedAt *time.Time `json:"deployStartedAt,omitempty"`
	Source          Source     `json:"source"`
	InitiatedBy     Initiator  `json:"initiatedBy"`
}

// Source is an application source.
type Source struct {
	RepoURL        string `json:"repoURL"`
	Path           string `json:"path,omitempty"`
	TargetRevision string `json:"targetRevision"`
}

// Initiator tells who started a sync.
type Initiator struct {
	Username  string `json:"username,omitempty"`
	Automated bool   `json:"automated,omitempty"`
}

// Operation is status.operationState.
type Operation struct {
	Phase      string     `json:"phase"` // Running, Succeeded, Failed, Error, Terminating
	Message    string     `json:"message,omitempty"`
	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	Revision   string     `json:"-"`
}

// App is one application.
type App struct {
	Name      string
	Source    Source
	History   []History
	Operation *Operation
}

// Server is the fake.
type Server struct {
	*httptest.Server
	Token    string
	Apps     map[string]App
	Requests atomic.Int64
}

// New starts a fake that expects token (empty: no authentication).
func New(token string, apps ...App) *Server {
	s := &Server{Token: token, Apps: map[string]App{}}
	for _, a := range apps {
		s.Apps[a.Name] = a
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.Requests.Add(1)
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid session: token is invalid","code":16,"message":"invalid session: token is invalid"}`))
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/api/v1/applications/")
	a, found := s.Apps[name]
	if r.Method != http.MethodGet || !ok || !found {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"applications.argoproj.io \"` + name + `\" not found","code":5}`))
		return
	}
	status := map[string]any{
		"sync":    map[string]any{"status": "Synced", "revision": lastRevision(a)},
		"health":  map[string]any{"status": "Healthy"},
		"history": a.History,
	}
	if op := a.Operation; op != nil {
		status["operationState"] = map[string]any{
			"phase": op.Phase, "message": op.Message, "startedAt": op.StartedAt, "finishedAt": op.FinishedAt,
			"operation":  map[string]any{"sync": map[string]any{"revision": op.Revision}},
			"syncResult": map[string]any{"revision": op.Revision, "source": a.Source},
		}
	}
	body := map[string]any{
		"metadata": map[string]any{"name": a.Name, "namespace": "argocd"},
		"spec": map[string]any{"project": "default", "source": a.Source,
			"destination": map[string]any{"server": "https://kubernetes.default.svc", "namespace": a.Name}},
		"status": status,
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

func lastRevision(a App) string {
	if len(a.History) == 0 {
		return ""
	}
	return a.History[len(a.History)-1].Revision
}
