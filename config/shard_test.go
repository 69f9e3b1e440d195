package config

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		bad  bool
	}{
		{"", Shard{0, 1}, false},
		{"0/1", Shard{0, 1}, false},
		{"3/4", Shard{3, 4}, false},
		{"4/4", Shard{}, true},
		{"-1/4", Shard{}, true},
		{"1/0", Shard{}, true},
		{"1", Shard{}, true},
		{"a/b", Shard{}, true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseShard(tc.in)
			if (err != nil) != tc.bad {
				t.Fatalf("err = %v", err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}

func shardTargets(n int) []Target {
	var ts []Target
	for i := range n {
		switch i % 3 {
		case 0:
			ts = append(ts, Target{Name: fmt.Sprint("n", i), GitHub: fmt.Sprintf("acme/svc-%d", i)})
		case 1:
			ts = append(ts, Target{Name: fmt.Sprint("n", i), GitLab: fmt.Sprintf("acme/sub/p-%d", i)})
		default:
			ts = append(ts, Target{Name: fmt.Sprint("n", i), Path: fmt.Sprintf("/srv/mirrors/r%d.git", i)})
		}
	}
	return ts
}

// Shards partition the list exactly: every target in one shard, none in two.
func TestShardsPartition(t *testing.T) {
	ts := shardTargets(1000)
	for _, n := range []int{1, 2, 3, 7, 16} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			seen := map[string]int{}
			for i := range n {
				part := Shard{i, n}.Pick(ts)
				if n > 1 && (len(part) < len(ts)/n/2 || len(part) > 2*len(ts)/n) {
					t.Errorf("shard %d/%d holds %d of %d targets: unbalanced", i, n, len(part), len(ts))
				}
				for _, x := range part {
					seen[x.Identity()]++
				}
			}
			for _, x := range ts {
				if seen[x.Identity()] != 1 {
					t.Errorf("%s is in %d shards", x.Identity(), seen[x.Identity()])
				}
			}
		})
	}
}

// Adding targets, renaming or reordering them never moves a target to
// another shard.
func TestShardsStable(t *testing.T) {
	before := shardTargets(300)
	after := append(shardTargets(600)[300:], before...)
	for i := range after {
		after[i].Name = "renamed-" + after[i].Name
		after[i].Labels = map[string]string{"team": "x"}
	}
	s := Shard{2, 5}
	in := map[string]bool{}
	for _, x := range s.Pick(after) {
		in[x.Identity()] = true
	}
	for _, x := range before {
		if s.Has(x) != in[x.Identity()] {
			t.Errorf("%s moved shards when targets were added or renamed", x.Identity())
		}
	}
	// The identity is the sources, not the name; GitHub names without case.
	a, b := Target{Name: "a", GitHub: "Acme/Shop"}, Target{Name: "b", GitHub: "acme/shop"}
	if a.Identity() != b.Identity() {
		t.Errorf("%q != %q", a.Identity(), b.Identity())
	}
}
