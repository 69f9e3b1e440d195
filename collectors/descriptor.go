package collectors

import (
	"cmp"
	"slices"
	"time"

	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// Priorities a source declares for the evidence kinds it provides. Of the
// sources of one target, those with the highest priority for a kind provide
// it; sources of equal priority share it (their evidence merges: GitHub
// Actions runs and Jenkins builds of one repository).
const (
	// PriorityHost is a Git host's or CI server's API.
	PriorityHost = 10
	// PriorityLocal is a local clone: the richest source of history, it
	// provides commits, branches, tags and the tree before any host.
	PriorityLocal = 20
)

// Provision is one evidence kind a source provides, with its priority.
type Provision struct {
	Kind     model.Kind
	Priority int
}

// Descriptor says what a source is, what it provides and how it is wired.
// Each source package exports one (git.Descriptor, github.Descriptor, …);
// internal/cli keeps the one explicit list of them.
type Descriptor struct {
	// Name is the source's name, the Kind of its collectors ("github").
	Name string
	// Title names the source in messages ("GitHub").
	Title string
	// Description is one line for help texts and the docs.
	Description string
	// Provides lists the evidence kinds the source can collect.
	Provides []Provision
	// Dialect is the rate-limit dialect of the source's HTTP API; "" for a
	// source that is not an HTTP API (or whose dialect depends on the host).
	Dialect httpx.Dialect
	// Flag is the command-line flag naming a target of this source, without
	// the dashes ("github"); ConfigKey is the key of a target in the config
	// file. "" when the source has none.
	Flag, ConfigKey string
	// TokenEnv is the environment variable holding the source's token, if
	// it needs one. The token is never logged.
	TokenEnv string
	// New builds a collector from a host-neutral Spec; nil when the source
	// cannot be built from one.
	New func(Spec) (Collector, error)
}

// Spec is what a host-neutral caller knows about one target of a source.
type Spec struct {
	// Ref names the target at the source: the flag or config value
	// (OWNER/REPO, a project, a job, a URL).
	Ref string
	// Path is the target's local clone ("" when none).
	Path string
	// BaseURL is the API base ("" for the source's default).
	BaseURL string
	// Token authenticates ("" reads anonymously).
	Token string
	// CacheDir keeps the HTTP cache and incremental state ("" in memory).
	CacheDir string
	// MaxWait and Timeout bound rate-limit waits and request attempts.
	MaxWait, Timeout time.Duration
	// InsecureHTTP allows http:// to hosts other than loopback.
	InsecureHTTP bool
	// Kinds are the evidence kinds the collector is to provide (nil: all
	// it can); see Choose.
	Kinds []model.Kind
}

// Priority returns the source's priority for k, or 0 when it does not
// provide k.
func (d Descriptor) Priority(k model.Kind) int {
	for _, p := range d.Provides {
		if p.Kind == k {
			return p.Priority
		}
	}
	return 0
}

// Kinds returns the kinds the source provides, in its order.
func (d Descriptor) Kinds() []model.Kind {
	out := make([]model.Kind, len(d.Provides))
	for i, p := range d.Provides {
		out[i] = p.Kind
	}
	return out
}

// Selective is a collector that can leave some of its kinds to other
// sources: it then skips their work and requests. The audit calls Select
// before Collect with the kinds chosen for it (see Choose).
type Selective interface {
	Collector
	Select(kinds []model.Kind)
}

// Lookup returns the descriptor named name from list.
func Lookup(list []Descriptor, name string) (Descriptor, bool) {
	i := slices.IndexFunc(list, func(d Descriptor) bool { return d.Name == name })
	if i < 0 {
		return Descriptor{}, false
	}
	return list[i], true
}

// Choose picks the providers of each evidence kind among the sources of
// one target: for every kind, the sources with the highest priority for
// it. It returns, per source name, the kinds that source is to collect, in
// the order of its Provides.
func Choose(present []Descriptor) map[string][]model.Kind {
	best := map[model.Kind]int{}
	for _, d := range present {
		for _, p := range d.Provides {
			best[p.Kind] = max(best[p.Kind], p.Priority)
		}
	}
	out := make(map[string][]model.Kind, len(present))
	for _, d := range present {
		kinds := []model.Kind{}
		for _, p := range d.Provides {
			if p.Priority == best[p.Kind] {
				kinds = append(kinds, p.Kind)
			}
		}
		out[d.Name] = kinds
	}
	return out
}

// Providers maps each kind to the titles of the sources in list that can
// provide it, the highest priority first: the rules name them when the
// kind is missing.
func Providers(list []Descriptor) map[model.Kind][]string {
	out := map[model.Kind][]string{}
	for _, d := range list {
		for _, p := range d.Provides {
			if t := cmp.Or(d.Title, d.Name); !slices.Contains(out[p.Kind], t) {
				out[p.Kind] = append(out[p.Kind], t)
			}
		}
	}
	for k, names := range out {
		slices.SortStableFunc(names, func(a, b string) int {
			return priorityOf(list, b, k) - priorityOf(list, a, k)
		})
		out[k] = names
	}
	return out
}

func priorityOf(list []Descriptor, title string, k model.Kind) int {
	p := 0
	for _, d := range list {
		if cmp.Or(d.Title, d.Name) == title {
			p = max(p, d.Priority(k))
		}
	}
	return p
}
