package git

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// ciSource is an upstream repository as a CI server sees it: trunk main
// (or develop), a feature branch, a merge-request pipeline ref, a pull
// request merge ref and an annotated tag.
func ciSource(t *testing.T, trunk string) string {
	dir := newRepo(t)
	var f fastImport
	ref := "refs/heads/" + trunk
	m := f.commit(fiCommit{ref: ref, ctime: t0, files: map[string]string{"a": "1"}})
	for i := range 6 {
		m = f.commit(fiCommit{ref: ref, from: m, ctime: t0 + int64(i+1)*day, files: map[string]string{"a": strings.Repeat("x", i+2)}})
	}
	feat := f.commit(fiCommit{ref: "refs/heads/feature", from: m, ctime: t0 + 8*day, files: map[string]string{"b": "1"}})
	f.commit(fiCommit{ref: "refs/pull/3/merge", from: m, merge: []int{feat}, ctime: t0 + 9*day, files: map[string]string{"b": "1"}})
	f.reset("refs/pipelines/7", feat)
	f.tag("v1", m, t0+7*day, "release\n")
	f.apply(t, dir)
	if trunk != "main" {
		run(t, dir, "symbolic-ref", "HEAD", ref)
	}
	return dir
}

// checkout makes a CI checkout of src: an empty repository, the given
// fetches, and a detached HEAD at rev.
func checkout(t *testing.T, src, rev string, fetches ...[]string) string {
	dir := t.TempDir()
	run(t, dir, "init", "-q")
	run(t, dir, "remote", "add", "origin", "file://"+src)
	for _, args := range fetches {
		run(t, dir, append([]string{"fetch", "-q", "--no-tags", "origin"}, args...)...)
	}
	run(t, dir, "checkout", "-q", "--detach", rev)
	return dir
}

func TestCICheckouts(t *testing.T) {
	src := ciSource(t, "main")
	dev := ciSource(t, "develop")
	all := []string{"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"}
	tip := func(dir, rev string) string { return run(t, dir, "rev-parse", rev+"^{commit}") }
	type want struct {
		branch, tip string
		err         error
		msg         []string // in the error, or else in the warnings
	}
	for _, tc := range []struct {
		name string
		dir  string
		opt  Options
		want want
	}{
		{"GitHub pull_request, fetch-depth 1: trunk missing, fix named",
			checkout(t, src, "refs/remotes/pull/3/merge", []string{"--depth=1", "+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			Options{CI: CIGitHub, TrunkHints: []TrunkHint{{"main", "GITHUB_BASE_REF"}}},
			want{err: ErrBranchNotFound, msg: []string{`"main" (from GITHUB_BASE_REF)`, "fetch-depth: 0"}}},
		{"GitHub pull_request, fetch-depth 0: GITHUB_BASE_REF",
			checkout(t, dev, "refs/remotes/pull/3/merge", all, []string{"+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			Options{CI: CIGitHub, TrunkHints: []TrunkHint{{"develop", "GITHUB_BASE_REF"}}},
			want{branch: "develop", tip: tip(dev, "develop")}},
		{"GitHub pull_request, fetch-depth 0, no hint: detached HEAD, no main",
			checkout(t, dev, "refs/remotes/pull/3/merge", all, []string{"+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			Options{}, want{err: ErrNoTrunk, msg: []string{"HEAD is detached", "--branch"}}},
		{"GitHub pull_request: --branch the merge ref",
			checkout(t, src, "refs/remotes/pull/3/merge", []string{"+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			Options{Branch: "refs/remotes/pull/3/merge", CI: CIGitHub, TrunkHints: []TrunkHint{{"main", "GITHUB_BASE_REF"}}},
			want{branch: "pull/3/merge", tip: tip(src, "refs/pull/3/merge")}},
		{"GitHub shallow: --branch HEAD, the fix in the warning",
			checkout(t, src, "refs/remotes/pull/3/merge", []string{"--depth=2", "+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			Options{Branch: "HEAD", CI: CIGitHub},
			want{branch: "HEAD", tip: tip(src, "refs/pull/3/merge"), msg: []string{"shallow clone", "fetch-depth: 0"}}},
		{"GitLab merge-request pipeline, default depth: trunk missing, fix named",
			checkout(t, src, "refs/pipelines/7", []string{"--depth=20", "+refs/pipelines/7:refs/pipelines/7"}),
			Options{CI: CIGitLab, TrunkHints: []TrunkHint{{"main", "CI_DEFAULT_BRANCH"}}},
			want{err: ErrBranchNotFound, msg: []string{"CI_DEFAULT_BRANCH", "GIT_DEPTH: 0"}}},
		{"GitLab merge-request pipeline, GIT_DEPTH 0: CI_DEFAULT_BRANCH",
			checkout(t, dev, "refs/pipelines/7", append([]string{"+refs/pipelines/7:refs/pipelines/7"}, all...)),
			Options{CI: CIGitLab, TrunkHints: []TrunkHint{{"develop", "CI_DEFAULT_BRANCH"}}},
			want{branch: "develop", tip: tip(dev, "develop")}},
		{"GitLab shallow: --branch refs/pipelines/7, the fix in the warning",
			checkout(t, src, "refs/pipelines/7", []string{"--depth=3", "+refs/pipelines/7:refs/pipelines/7"}),
			Options{Branch: "refs/pipelines/7", CI: CIGitLab},
			want{branch: "refs/pipelines/7", tip: tip(src, "feature"), msg: []string{"shallow clone", "GIT_DEPTH: 0"}}},
		{"Jenkins multibranch PR: CHANGE_TARGET",
			checkout(t, dev, "refs/remotes/origin/PR-3", []string{"+refs/pull/3/merge:refs/remotes/origin/PR-3",
				"+refs/heads/develop:refs/remotes/origin/develop"}),
			Options{CI: CIJenkins, TrunkHints: []TrunkHint{{"develop", "CHANGE_TARGET"}}},
			want{branch: "develop", tip: tip(dev, "develop")}},
		{"Jenkins multibranch branch build: only the branch fetched",
			checkout(t, dev, "refs/remotes/origin/feature", []string{"+refs/heads/feature:refs/remotes/origin/feature"}),
			Options{CI: CIJenkins}, want{err: ErrNoTrunk}},
		{"Jenkins PR, trunk not fetched: the refspec to fetch it",
			checkout(t, dev, "refs/remotes/origin/PR-3", []string{"+refs/pull/3/merge:refs/remotes/origin/PR-3"}),
			Options{CI: CIJenkins, TrunkHints: []TrunkHint{{"develop", "CHANGE_TARGET"}}},
			want{err: ErrBranchNotFound, msg: []string{"git fetch origin +refs/heads/develop:refs/remotes/origin/develop"}}},
		{"Jenkins shallow clone: git fetch --unshallow",
			checkout(t, dev, "refs/remotes/origin/develop", []string{"--depth=1", "+refs/heads/develop:refs/remotes/origin/develop"}),
			Options{CI: CIJenkins, TrunkHints: []TrunkHint{{"develop", "CHANGE_TARGET"}}},
			want{branch: "develop", tip: tip(dev, "develop"), msg: []string{"shallow clone", "git fetch --unshallow"}}},
		{"--branch a full commit id", src, Options{Branch: tip(src, "main~2")},
			want{branch: tip(src, "main~2"), tip: tip(src, "main~2")}},
		{"--branch an annotated tag", src, Options{Branch: "v1"}, want{branch: "v1", tip: tip(src, "v1")}},
		{"--branch a commit not in the repository", src, Options{Branch: strings.Repeat("ab", 20)},
			want{err: ErrBranchNotFound, msg: []string{"not in this repository"}}},
		{"--branch over a CI hint", src, Options{Branch: "feature", TrunkHints: []TrunkHint{{"main", "CHANGE_TARGET"}}},
			want{branch: "feature", tip: tip(src, "feature")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: window(t0+3*day, t0+30*day)}
			res, err := New(tc.dir, tc.opt).Collect(context.Background(), ev)
			text := strings.Join(res.Warnings, "\n")
			if tc.want.err != nil {
				if !errors.Is(err, tc.want.err) {
					t.Fatalf("err = %v, want %v", err, tc.want.err)
				}
				text = err.Error()
			} else if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			for _, m := range tc.want.msg {
				if !strings.Contains(text, m) {
					t.Errorf("%q does not say %q", text, m)
				}
			}
			if tc.want.err == nil && (ev.DefaultBranch != tc.want.branch || ev.TrunkTip != tc.want.tip) {
				t.Errorf("trunk %s at %s, want %s at %s", ev.DefaultBranch, ev.TrunkTip, tc.want.branch, tc.want.tip)
			}
		})
	}
}
