package githubfake

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GitHubApp makes the server a GitHub App's host: JWTs signed with the key whose
// public half is Key are verified (RS256, iss = ID, iat and exp present, exp
// at most 10 minutes after iat and not passed), the app is installed on the
// repository's owner (installation InstallationID), and installation tokens
// it mints are accepted like Options.Token until they expire.
type GitHubApp struct {
	ID             string
	Key            *rsa.PublicKey
	InstallationID int64
	// TokenLife is how long a minted token lives (default an hour).
	TokenLife time.Duration
}

// appState is the server's App side.
type appState struct {
	GitHubApp
	issued map[string]time.Time // token → expiry
	minted int
}

// TokensMinted is how many installation tokens the server minted.
func (s *Server) TokensMinted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.app == nil {
		return 0
	}
	return s.app.minted
}

// appToken reports an unexpired installation token the server minted.
func (s *Server) appToken(tok string) bool {
	if s.app == nil {
		return false
	}
	exp, ok := s.app.issued[tok]
	return ok && s.now().Before(exp)
}

// answerApp answers the App routes, shaped as GitHub's REST API documents
// them: GET /repos/{owner}/{repo}/installation, GET /orgs/{org}/installation
// and POST /app/installations/{id}/access_tokens (201). ok is false for
// every other path.
func (s *Server) answerApp(w http.ResponseWriter, r *http.Request, path string) (status int, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 4 && parts[0] == "repos" && parts[3] == "installation":
		if !strings.EqualFold(parts[1], s.repo.Owner) || !strings.EqualFold(parts[2], s.repo.Name) {
			return s.appFail(w, r, http.StatusNotFound, "Not Found"), true
		}
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "orgs" && parts[2] == "installation":
		if !strings.EqualFold(parts[1], s.repo.Owner) {
			return s.appFail(w, r, http.StatusNotFound, "Not Found"), true
		}
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "app" && parts[1] == "installations" && parts[3] == "access_tokens":
		if parts[2] != strconv.FormatInt(s.app.InstallationID, 10) {
			return s.appFail(w, r, http.StatusNotFound, "Not Found"), true
		}
	default:
		return 0, false
	}
	if err := s.verifyJWT(r.Header.Get("Authorization")); err != nil {
		return s.appFail(w, r, http.StatusUnauthorized, "A JSON web token could not be decoded: "+err.Error()), true
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if parts[0] != "app" {
		writeJSON(w, map[string]any{"id": s.app.InstallationID, "app_id": 1, "app_slug": "cdaudit",
			"target_type": "Organization", "account": map[string]any{"login": s.repo.Owner, "type": "Organization"},
			"permissions":          map[string]string{"contents": "read", "metadata": "read", "pull_requests": "read", "actions": "read"},
			"repository_selection": "all", "access_tokens_url": s.URL + "app/installations/" + strconv.FormatInt(s.app.InstallationID, 10) + "/access_tokens"})
		return http.StatusOK, true
	}
	life := s.app.TokenLife
	if life <= 0 {
		life = time.Hour
	}
	s.app.minted++
	tok := fmt.Sprintf("ghs_fakeinstallation%04d", s.app.minted)
	exp := s.now().Add(life).UTC().Truncate(time.Second)
	s.app.issued[tok] = exp
	w.WriteHeader(http.StatusCreated)
	b, _ := json.Marshal(map[string]any{"token": tok, "expires_at": exp.Format(time.RFC3339),
		"permissions": map[string]string{"contents": "read", "metadata": "read"}, "repository_selection": "all"})
	_, _ = w.Write(b)
	return http.StatusCreated, true
}

func (s *Server) appFail(w http.ResponseWriter, _ *http.Request, status int, msg string) int {
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest/apps/apps"})
	_, _ = w.Write(b)
	return status
}

// verifyJWT checks an "Authorization: Bearer JWT" header against the App.
func (s *Server) verifyJWT(auth string) error {
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return fmt.Errorf("no bearer token")
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a JWT")
	}
	enc := base64.RawURLEncoding
	var head struct{ Alg string }
	var claims struct {
		Iat, Exp *int64
		Iss      json.RawMessage
	}
	hb, err1 := enc.DecodeString(parts[0])
	cb, err2 := enc.DecodeString(parts[1])
	sig, err3 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &head) != nil || json.Unmarshal(cb, &claims) != nil {
		return fmt.Errorf("malformed")
	}
	if head.Alg != "RS256" {
		return fmt.Errorf("alg %q, want RS256", head.Alg)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(s.app.Key, crypto.SHA256, sum[:], sig) != nil {
		return fmt.Errorf("signature does not verify")
	}
	iss := strings.Trim(string(claims.Iss), `"`)
	if iss != s.app.ID {
		return fmt.Errorf("iss %s, want %s", iss, s.app.ID)
	}
	if claims.Iat == nil || claims.Exp == nil {
		return fmt.Errorf("iat and exp are required")
	}
	now := s.now().Unix()
	switch {
	case *claims.Exp-*claims.Iat > 600:
		return fmt.Errorf("exp more than 10 minutes after iat")
	case *claims.Exp <= now:
		return fmt.Errorf("expired")
	case *claims.Iat > now+60:
		return fmt.Errorf("iat in the future")
	}
	return nil
}
