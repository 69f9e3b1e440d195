package httpx

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// stateVersion changes when the file layout does; older files are dropped.
const stateVersion = 1

// Watermark records the last successful collection of one endpoint.
type Watermark struct {
	// At is when that collection started (records updated at or after it
	// are what the next collection must ask for).
	At time.Time `json:"at"`
	// Window is the audit window of that collection; the records held for
	// the endpoint cover [Window.Since, At).
	Window model.Window `json:"window"`
	// ConfigHash identifies the configuration the records were collected
	// under (see HashConfig).
	ConfigHash string `json:"config_hash"`
}

// State is the incremental state of one repository on one host: per-endpoint
// watermarks and cached evidence records as JSON blobs, kept in a small file
// under the cache directory. Both API collectors use it; it never holds a
// token (callers store evidence and hashes only). Safe for concurrent use.
type State struct {
	mu   sync.Mutex
	path string // "" keeps the state in memory only

	Version   int                        `json:"version"`
	Host      string                     `json:"host"`
	Repo      string                     `json:"repo"`
	Endpoints map[string]Watermark       `json:"endpoints"`
	Blobs     map[string]json.RawMessage `json:"blobs"`
}

// LoadState opens the state of repo on host (e.g. "api.github.com",
// "OWNER/REPO") under dir/state. A missing, damaged or outdated file gives an
// empty state (a full collection follows); dir "" gives a state that lives in
// memory only.
func LoadState(dir, host, repo string) (*State, error) {
	s := &State{Version: stateVersion, Host: host, Repo: repo,
		Endpoints: map[string]Watermark{}, Blobs: map[string]json.RawMessage{}}
	if dir == "" {
		return s, nil
	}
	s.path = statePath(dir, host, repo)
	b, err := os.ReadFile(s.path)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("incremental state: %w", err)
	}
	var f State
	if json.Unmarshal(b, &f) != nil || f.Version != stateVersion || f.Host != host || f.Repo != repo {
		return s, nil
	}
	if f.Endpoints != nil {
		s.Endpoints = f.Endpoints
	}
	if f.Blobs != nil {
		s.Blobs = f.Blobs
	}
	return s, nil
}

// statePath names the file of one repository: readable, and unique by hash.
func statePath(dir, host, repo string) string {
	sum := sha256.Sum256([]byte(host + "\x00" + repo))
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
				return r
			}
			return '_'
		}, s)
	}
	name := clean(repo)
	if len(name) > 80 {
		name = name[:80]
	}
	return filepath.Join(dir, "state", clean(host), name+"-"+hex.EncodeToString(sum[:6])+".json")
}

// Path is the state file ("" for an in-memory state).
func (s *State) Path() string { return s.path }

// Save writes the state atomically; an in-memory state does nothing.
func (s *State) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.path == "" {
		return nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("incremental state: %w", err)
	}
	if err := writeFileAtomic(s.path, b); err != nil {
		return fmt.Errorf("incremental state: %w", err)
	}
	return nil
}

// Watermark returns the stored watermark of endpoint when an incremental
// collection may build on it: the configuration hash is unchanged and the
// records held reach back far enough for window w (w.Since not before the
// stored window's start). Otherwise ok is false and the caller re-syncs the
// endpoint in full (a changed config, or a window reaching further back).
func (s *State) Watermark(endpoint string, w model.Window, configHash string) (Watermark, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.Endpoints[endpoint]
	if !ok || m.ConfigHash != configHash || w.Since.Before(m.Window.Since) || m.At.IsZero() {
		return Watermark{}, false
	}
	return m, true
}

// SetWatermark records a successful collection of endpoint that started at
// at; w is the window whose records the caller now holds (normally the audit
// window, with older records pruned from the blob).
func (s *State) SetWatermark(endpoint string, at time.Time, w model.Window, configHash string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Endpoints[endpoint] = Watermark{At: at.UTC(), Window: model.Window{Since: w.Since.UTC(), Until: w.Until.UTC()}, ConfigHash: configHash}
}

// Forget drops the watermark of endpoint and the blob of the same name, so
// that the next collection is a full one.
func (s *State) Forget(endpoint string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.Endpoints, endpoint)
	delete(s.Blobs, endpoint)
}

// Get decodes the blob name into v; ok is false when there is none or it
// does not decode (the caller then re-collects).
func (s *State) Get(name string, v any) bool {
	s.mu.Lock()
	raw, ok := s.Blobs[name]
	s.mu.Unlock()
	if !ok {
		return false
	}
	return json.Unmarshal(raw, v) == nil
}

// Put stores v as the blob name.
func (s *State) Put(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("incremental state %s: %w", name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Blobs[name] = b
	return nil
}

// Delete drops the blob name.
func (s *State) Delete(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.Blobs, name)
}

// HashConfig hashes the configuration values that shape collected records
// (JSON-encoded); a change forces a full re-sync. Never pass a token.
func HashConfig(parts ...any) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, p := range parts {
		if err := enc.Encode(p); err != nil {
			fmt.Fprintf(h, "%v\n", p)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
