package config

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
)

// Identity is the stable identity of a target that sharding hashes: its
// sources as kind:location lines (path, github, gitlab, jenkins, in that
// order). It does not depend on the display name, the labels or the
// order of targets, so renaming a target or adding others never moves it
// to another shard. GitHub names are compared without case, as GitHub
// does.
func (t Target) Identity() string {
	var parts []string
	if t.Path != "" {
		parts = append(parts, "path:"+filepath.Clean(t.Path))
	}
	if t.GitHub != "" {
		parts = append(parts, "github:"+strings.ToLower(strings.TrimSpace(t.GitHub)))
	}
	if t.GitLab != "" {
		parts = append(parts, "gitlab:"+strings.Trim(strings.TrimSpace(t.GitLab), "/"))
	}
	if t.Jenkins != nil {
		parts = append(parts, "jenkins:"+strings.TrimRight(t.Jenkins.URL, "/")+"/"+t.Jenkins.Job)
	}
	if t.Discover != nil {
		parts = append(parts, "discover:"+t.Discover.String())
	}
	return strings.Join(parts, "\n")
}

// Shard is one of N disjoint parts of a target list: shard I of N holds the
// targets whose FNV-1a 64-bit hash of Identity, modulo N, is I. Every
// target belongs to exactly one shard, whichever machine computes it.
type Shard struct{ Index, Count int }

// ParseShard reads "I/N" with 0 ≤ I < N (Kubernetes' JOB_COMPLETION_INDEX
// counts from 0). "" is the whole list (0/1).
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{0, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want I/N with 0 ≤ I < N, e.g. 0/4", s)
	}
	return Shard{i, n}, nil
}

// Has reports whether t belongs to the shard.
func (s Shard) Has(t Target) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(t.Identity()))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// Pick returns the targets of ts in the shard, in their order.
func (s Shard) Pick(ts []Target) []Target {
	var out []Target
	for _, t := range ts {
		if s.Has(t) {
			out = append(out, t)
		}
	}
	return out
}
