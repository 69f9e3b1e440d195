package httpx

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
)

// entry is one cached 200 answer with its validators.
type entry struct {
	URL          string      `json:"url"` // for debugging; carries no credentials
	ETag         string      `json:"etag,omitempty"`
	LastModified string      `json:"last_modified,omitempty"`
	Header       http.Header `json:"header"`
	Body         []byte      `json:"body"`
}

// cache stores entries by key.
type cache interface {
	get(key string) (*entry, bool)
	put(key string, e *entry) error
}

func newCache(dir string) (cache, error) {
	if dir == "" {
		return &memCache{m: map[string]*entry{}}, nil
	}
	d := filepath.Join(dir, "http")
	if err := os.MkdirAll(d, 0o700); err != nil {
		return nil, fmt.Errorf("http cache: %w", err)
	}
	return &diskCache{dir: d}, nil
}

type memCache struct {
	mu sync.Mutex
	m  map[string]*entry
}

func (c *memCache) get(key string) (*entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return e, ok
}

func (c *memCache) put(key string, e *entry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = e
	return nil
}

// diskCache keeps one JSON file per key, written atomically.
type diskCache struct{ dir string }

func (c *diskCache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json")
}

func (c *diskCache) get(key string) (*entry, bool) {
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	var e entry
	if json.Unmarshal(b, &e) != nil {
		return nil, false // a damaged entry is a miss
	}
	return &e, true
}

func (c *diskCache) put(key string, e *entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return writeFileAtomic(c.path(key), b)
}

// writeFileAtomic writes b to path through a temporary file and a rename, so
// readers never see half a file.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		_ = os.Remove(tmp)
	}
	return werr
}

// identityHeaders carry credentials; their values are hashed into the cache
// key so that two identities never share cached (possibly private) data.
var identityHeaders = [...]string{"Authorization", "Private-Token", "Job-Token", "Cookie"}

// CacheIdentityHeader, set by a credential Source, names the identity
// behind a token that changes between runs (a GitHub App installation), so
// that its cached answers stay valid across token refreshes; it stands for
// the identity headers in the cache key and never leaves the machine.
const CacheIdentityHeader = "X-Cdaudit-Cache-Identity"

// cacheKey hashes the request identity, method, URL and the headers that
// select a representation.
func cacheKey(req *http.Request) string {
	h := sha256.New()
	if id := req.Header.Get(CacheIdentityHeader); id != "" {
		fmt.Fprintf(h, "identity=%s\n", id)
	} else {
		for _, name := range identityHeaders {
			fmt.Fprintf(h, "%s=%s\n", name, req.Header.Get(name))
		}
	}
	fmt.Fprintf(h, "%s %s\nAccept=%s\nApi-Version=%s\n", req.Method, req.URL.String(),
		req.Header.Get("Accept"), req.Header.Get("X-GitHub-Api-Version"))
	return hex.EncodeToString(h.Sum(nil))
}

// storedHeader drops hop-by-hop and per-answer headers we should not replay.
func storedHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Set-Cookie", "Connection", "Transfer-Encoding", "Content-Length"} {
		out.Del(k)
	}
	return out
}
