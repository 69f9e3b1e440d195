package cli

import (
	"maps"
	"slices"

	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/argocd"
	gitcol "github.com/cdaudit/cdaudit/collectors/git"
	ghcol "github.com/cdaudit/cdaudit/collectors/github"
	glcol "github.com/cdaudit/cdaudit/collectors/gitlab"
	"github.com/cdaudit/cdaudit/collectors/incidents"
	jkcol "github.com/cdaudit/cdaudit/collectors/jenkins"
	"github.com/cdaudit/cdaudit/collectors/junit"
	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/model"
)

// Sources is the one list of evidence sources (docs/sources.md): the
// local clone first, then the Git hosts, the CI servers and the delivery
// sources. The audit picks the providers of each evidence kind from it,
// the rules name its sources when a kind is missing, and a source not
// wired by hand (wiredByHand) gets its flag, config key and collector from
// its descriptor alone.
func Sources() []collectors.Descriptor {
	return []collectors.Descriptor{
		gitcol.Descriptor,
		ghcol.Descriptor,
		glcol.Descriptor,
		jkcol.Descriptor,
		junit.Descriptor,
		argocd.Descriptor,
		incidents.Descriptor,
		recordedDescriptor,
	}
}

// recordedDescriptor describes the deployments recorded in the store
// (`cdaudit record-deployment`), handed to the audit by recordedSource.
var recordedDescriptor = collectors.Descriptor{
	Name:        "recorded-deployments",
	Title:       "recorded deployments",
	Description: "deployments recorded in the store with `cdaudit record-deployment`",
	Provides:    []collectors.Provision{{Kind: model.KindDeployments, Priority: collectors.PriorityHost}},
}

// wiredByHand reports whether internal/cli wires the source itself: its
// flags, config keys, credentials and collectors predate the descriptors
// (wiring.go, ci.go, delivery.go).
func wiredByHand(name string) bool {
	switch name {
	case "git", "github", "gitlab", "jenkins", "junit", "argocd", "incidents", "recorded-deployments":
		return true
	}
	return false
}

// sources returns the run's list: Env.Sources when set (tests), else
// Sources.
func (a *app) sources() []collectors.Descriptor {
	if a.env.Sources != nil {
		return a.env.Sources
	}
	return Sources()
}

// generic returns the sources of list wired from their descriptors alone.
func generic(list []collectors.Descriptor) []collectors.Descriptor {
	var out []collectors.Descriptor
	for _, d := range list {
		if !wiredByHand(d.Name) && d.New != nil {
			out = append(out, d)
		}
	}
	return out
}

// sourceKeys returns the config keys of the generic sources.
func sourceKeys(list []collectors.Descriptor) []string {
	var keys []string
	for _, d := range generic(list) {
		if d.ConfigKey != "" {
			keys = append(keys, d.ConfigKey)
		}
	}
	return keys
}

// addSourceFlags registers the flag of every generic source: --FLAG REF
// and --FLAG-url BASE.
func addSourceFlags(fl *pflag.FlagSet, h *hostFlags, list []collectors.Descriptor) {
	h.srcs = list
	h.refs, h.urls = map[string]*string{}, map[string]*string{}
	for _, d := range generic(list) {
		if d.Flag == "" {
			continue
		}
		h.refs[d.ConfigKey] = fl.String(d.Flag, "", d.Description)
		h.urls[d.ConfigKey] = fl.String(d.Flag+"-url", "", d.Title+" API base URL")
	}
}

// sourceRefs returns the generic sources' flag values by config key.
func (h hostFlags) sourceRefs() map[string]string {
	out := map[string]string{}
	for k, v := range h.refs {
		if *v != "" {
			out[k] = *v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// genericCollectors builds the collectors of the target's generic sources
// from their descriptors: the target's value of the config key (or flag)
// is the Spec's Ref, the token comes from the descriptor's TokenEnv.
func (a *app) genericCollectors(t config.Target, h hostFlags) ([]collectors.Collector, error) {
	var cols []collectors.Collector
	for _, d := range generic(h.srcs) {
		ref, ok := t.Sources[d.ConfigKey]
		if !ok {
			continue
		}
		base := ""
		if u := h.urls[d.ConfigKey]; u != nil {
			base = *u
		}
		if base != "" {
			if err := a.checkAPIURL("--"+d.Flag+"-url", base, h); err != nil {
				return nil, err
			}
		}
		spec := collectors.Spec{Ref: ref, Path: t.Path, BaseURL: base, CacheDir: a.cacheDir(h), MaxWait: h.maxWait,
			Timeout: h.httpTimeout, InsecureHTTP: h.insecureHTTP}
		if d.TokenEnv != "" {
			spec.Token = a.env.Getenv(d.TokenEnv)
		}
		c, err := d.New(spec)
		if err != nil {
			return nil, usageErr("%s: %w", d.ConfigKey, err)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// firstRef returns one generic source's value (the first by key) to name a
// command-line target.
func firstRef(refs map[string]string) string {
	keys := slices.Sorted(maps.Keys(refs))
	if len(keys) == 0 {
		return ""
	}
	return refs[keys[0]]
}
