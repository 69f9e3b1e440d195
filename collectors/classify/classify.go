// Package classify sorts a repository's file tree into the evidence
// categories of cd-model.md and reads what CI configuration declares. Every
// collector that sees a tree (git, GitHub, GitLab) uses it, so the same tree
// gives the same facts whatever the host.
//
// Paths decide almost everything; contents are read only for the few files
// WantContent selects (CI configuration, manifests under Kubernetes-like
// directories, package manifests, linter configs, migrations whose down
// step is inside the file) and for local files that GitLab CI includes. On
// demand it also reads the scripts CI steps run, the build files Makefiles
// include, and — only in a tree with migrations — the Procfiles and the root
// Dockerfile, whose release phase or start command may apply them.
//
// Import rules: model and model/vocab; it reads files it is given but never
// the network.
package classify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// MaxFileSize is the largest file whose contents the classifier uses.
// Readers may stop reading after MaxFileSize+1 bytes: longer contents are
// ignored (and reported in CIFacts.ParseErrors for CI files).
const MaxFileSize = 1 << 20

// Reader reads one file of the tree. Collectors give the classifier a reader
// so that it fetches only the few files whose contents it needs.
type Reader interface {
	ReadFile(ctx context.Context, path string) ([]byte, error)
}

// WantContent reports whether the classifier reads path's contents (CI
// configs, manifests, package.json…). Remote collectors can use it to fetch
// just these files. Classify may additionally read files that GitLab CI
// configuration includes.
func WantContent(path string) bool {
	p := normPath(path)
	if p == "" {
		return false
	}
	f := newFileInfo(p, freshDir)
	var pr pathResult
	classifyPath(&f, &pr, &markers{})
	return pr.want != wantNone
}

// Classify classifies the paths (slash-separated, relative to the root) and
// reads the contents of those WantContent selects through r (r may be nil:
// then only paths are used). Reader errors and unparseable files are
// tolerated (CI files are listed in CI.ParseErrors; files whose read fails
// with ErrUnreadable in Unreadable); the only error returned is the
// context's.
func Classify(ctx context.Context, paths []string, r Reader) (model.TreeFacts, error) {
	if err := ctx.Err(); err != nil {
		return model.TreeFacts{}, fmt.Errorf("classify: %w", err)
	}
	cl := newClassifier(normalize(paths), r)
	if err := cl.run(ctx); err != nil {
		return model.TreeFacts{}, fmt.Errorf("classify: %w", err)
	}
	cl.resolveIndirect(ctx)
	cl.resolveRelease(ctx)
	shared := append(cl.resolveSharedBuild(ctx), gradleConventions(cl.paths)...)
	tf := cl.facts()
	tf.SharedBuild = shared
	return tf, nil
}

// pending is a path whose categories wait for its contents.
type pending struct {
	f     fileInfo
	pr    pathResult
	extra catSet
}

type classifier struct {
	r       Reader
	paths   []string
	mk      markers
	cf      catFiles
	tools   strSet
	envs    strSet
	ci      *ciAcc
	mig     migAcc
	pending []*pending
	byPath  map[string]*pending
	extra   map[string]catSet
	glData  map[string][]byte
	missing unreadable
	held    []held       // unit tests, counted once e2e runner configs are read
	e2e     []*e2eSelect // test selections of end-to-end runner configs
}

func newClassifier(paths []string, r Reader) *classifier {
	cl := &classifier{r: r, paths: paths, tools: strSet{}, envs: strSet{}, ci: newCIAcc(),
		byPath: map[string]*pending{}, extra: map[string]catSet{}, glData: map[string][]byte{}, missing: unreadable{}}
	cl.mk = scanMarkers(paths)
	cl.ci.tool = cl.addTool
	cl.ci.markCat = cl.markCat
	cl.ci.exists = cl.exists
	cl.ci.glob = cl.glob
	return cl
}

func (cl *classifier) addTool(t string) {
	if t != "" {
		cl.tools.add(strings.ToLower(t))
	}
}

// markCat adds a category to a path found by reading another file.
func (cl *classifier) markCat(p string, c cat) {
	if pd, ok := cl.byPath[p]; ok {
		pd.extra.add(c)
		return
	}
	if cl.exists(p) {
		s := cl.extra[p]
		s.add(c)
		cl.extra[p] = s
	}
}

func (cl *classifier) run(ctx context.Context) error {
	// paths are sorted, so a directory's files mostly come together
	var lastDir string
	var last *dirInfo
	dirOf := func(dir string) *dirInfo {
		if last == nil || dir != lastDir {
			last, lastDir = freshDir(dir), dir
		}
		return last
	}
	for i, p := range cl.paths {
		if i&8191 == 8191 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		f := newFileInfo(p, dirOf)
		var pr pathResult
		classifyPath(&f, &pr, &cl.mk)
		cl.note(&f, &pr)
		if pr.want != wantNone && cl.r != nil {
			pd := &pending{f: f, pr: pr}
			cl.pending = append(cl.pending, pd)
			cl.byPath[p] = pd
			continue
		}
		cl.unread(&f, &pr)
		if pr.cats.has(cTestUnit) && cl.r != nil {
			cl.held = append(cl.held, held{p, pr.cats})
			continue
		}
		cl.cf.add(pr.cats, p)
	}
	if err := cl.readAll(ctx); err != nil {
		return err
	}
	for _, pd := range cl.pending {
		cl.cf.add(pd.pr.cats|pd.extra, pd.f.path)
	}
	for _, h := range cl.held {
		cl.cf.add(cl.e2eTest(h.p, h.cats), h.p)
	}
	for p, s := range cl.extra {
		f := newFileInfo(p, freshDir)
		var pr pathResult
		classifyPath(&f, &pr, &cl.mk)
		if add := s &^ pr.cats; add != 0 {
			cl.cf.add(add, p)
			if add.has(cCI) {
				cl.ci.files.add(p)
			}
		}
	}
	return nil
}

// note records what the path rules found besides categories.
func (cl *classifier) note(f *fileInfo, pr *pathResult) {
	for i := 0; i < pr.nt; i++ {
		cl.addTool(pr.tools[i])
	}
	if pr.env != "" {
		cl.envs.add(pr.env)
	}
	if pr.cats.has(cCI) {
		cl.ci.files.add(f.path)
		cl.ci.systems.add(pr.system)
	}
	if pr.cats.has(cMigration) {
		cl.mig.addPath(pr.mig)
	}
}

// unread applies what a path alone says when its contents are not read.
func (cl *classifier) unread(f *fileInfo, pr *pathResult) {
	if pr.want == wantK8s && f.has(fK8s) {
		pr.cats.add(cK8s)
	}
}

// wantOrder makes manifests that inform other files come first and
// migrations last.
func wantOrder(w wantKind) int {
	switch w {
	case wantGHAction, wantPackageJSON:
		return 0
	case wantMigration:
		return 2
	}
	return 1
}

func (cl *classifier) readAll(ctx context.Context) error {
	order := slices.Clone(cl.pending)
	slices.SortStableFunc(order, func(a, b *pending) int { return wantOrder(a.pr.want) - wantOrder(b.pr.want) })
	for _, pd := range order {
		data, err := cl.read(ctx, pd.f.path, pd.pr.cats.has(cCI))
		if err != nil {
			return err
		}
		if data == nil {
			cl.unread(&pd.f, &pd.pr)
			continue
		}
		cl.content(pd, data)
	}
	cl.gitLabAll(ctx)
	return ctx.Err()
}

// read returns a file's contents, nil when it cannot be had; the error is
// the context's only.
func (cl *classifier) read(ctx context.Context, p string, ci bool) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := cl.r.ReadFile(ctx, p)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if errors.Is(err, ErrUnreadable) {
			cl.missing.add(p, err)
			return nil, nil
		}
		if ci {
			cl.ci.parseErr(p, fmt.Errorf("read: %w", err))
		}
		return nil, nil
	}
	if len(data) > MaxFileSize {
		if ci {
			cl.ci.parseErrMsg(p, "larger than 1 MiB, not read")
		}
		return nil, nil
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// content dispatches a file's contents to its reader. A reader that fails
// unexpectedly costs that file only: it is reported as a parse error.
func (cl *classifier) content(pd *pending, data []byte) {
	s := contentSink{tool: cl.addTool}
	p := pd.f.path
	defer cl.contain(p)
	switch pd.pr.want {
	case wantGHWorkflow:
		cl.ci.gitHubWorkflow(p, data)
	case wantGHAction:
		cl.ci.gitHubAction(p, data)
	case wantGitLab:
		cl.glData[p] = data
	case wantJenkins:
		cl.ci.jenkins(p, data)
	case wantCircle:
		cl.ci.circleCI(p, data)
	case wantOtherCI:
		cl.ci.otherCI(p, pd.pr.system, data)
	case wantK8s:
		k8sContent(data, &s)
		if s.system != "" {
			cl.ci.systems.add(s.system)
			cl.ci.files.add(p)
		}
	case wantPackageJSON:
		packageJSON(data, &s, &cl.mig.jsTool)
		if sel := playwrightFilters(p, data); sel != nil {
			cl.e2e = append(cl.e2e, sel)
		}
	case wantPyProject:
		pyProject(data, &s)
	case wantPyIni:
		pyIni(data, &s)
	case wantManifest:
		manifestContent(pd.f.base, data, &s)
	case wantLintConfig:
		lintConfig(pd.f.base, data, &s)
	case wantJSTestConfig:
		jsTestConfig(data, &s)
		if e2eRunnerConfig(pd.f.base) {
			if sel := e2eConfig(p, data); sel != nil {
				cl.e2e = append(cl.e2e, sel)
			}
		}
	case wantMigration:
		tool, down, byDesign := migrationContent(pd.pr.mig, data, cl.mig.jsTool, cl.mk.cargo)
		cl.mig.addContent(pd.pr.mig, tool, down, byDesign)
		cl.addTool(tool)
	case wantCFN:
		cfnContent(data, &s)

	}
	pd.extra |= s.cats
}

// gitLabAll reads GitLab configurations: root .gitlab-ci.yml files first
// (shallowest first), then fragments no root included.
func (cl *classifier) gitLabAll(ctx context.Context) {
	if len(cl.glData) == 0 {
		return
	}
	files := make([]string, 0, len(cl.glData))
	for p := range cl.glData {
		files = append(files, p)
	}
	root := func(p string) bool {
		b := strings.ToLower(p[strings.LastIndexByte(p, '/')+1:])
		return b == ".gitlab-ci.yml" || b == ".gitlab-ci.yaml"
	}
	slices.SortFunc(files, func(a, b string) int {
		ra, rb := root(a), root(b)
		switch {
		case ra != rb:
			if ra {
				return -1
			}
			return 1
		case strings.Count(a, "/") != strings.Count(b, "/"):
			return strings.Count(a, "/") - strings.Count(b, "/")
		}
		return strings.Compare(a, b)
	})
	visited := map[string]bool{}
	fetch := func(p string) []byte { return cl.fetchCI(ctx, p) }
	for _, p := range files {
		if !visited[p] {
			func() {
				defer cl.contain(p)
				cl.ci.gitLab(p, cl.glData[p], visited, fetch)
			}()
		}
	}
}

// contain turns a panic while reading file p into a parse error.
func (cl *classifier) contain(p string) {
	if r := recover(); r != nil {
		cl.ci.parseErrMsg(p, fmt.Sprintf("%s: %v", internalError, r))
	}
}

const internalError = "internal error"

// fetchCI returns the contents of a file CI configuration refers to.
func (cl *classifier) fetchCI(ctx context.Context, p string) []byte {
	if d, ok := cl.glData[p]; ok {
		return d
	}
	if cl.r == nil || !cl.exists(p) {
		return nil
	}
	data, err := cl.read(ctx, p, true)
	if err != nil {
		return nil
	}
	return data
}

func (cl *classifier) exists(p string) bool {
	_, ok := slices.BinarySearch(cl.paths, p)
	return ok
}

// glob lists the YAML paths matching a GitLab include pattern.
func (cl *classifier) glob(pat string) []string {
	re := globRegexp(pat)
	if re == nil {
		return nil
	}
	var out []string
	for _, p := range cl.paths {
		if (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) && re.MatchString(p) {
			out = append(out, p)
			if len(out) >= 100 {
				break
			}
		}
	}
	return out
}

// facts assembles the result.
func (cl *classifier) facts() model.TreeFacts {
	var tf model.TreeFacts
	cl.cf.fill(&tf)
	tf.CI = cl.ci.finish()
	cl.jvmLint(&tf.CI)
	tf.Migrations = cl.mig.facts()
	tf.Migrations.RollbackTested = cl.ci.rollback.sorted()
	tf.Tools = cl.tools.sorted()
	envs := strSet{}
	for e := range cl.envs {
		envs.add(strings.ToLower(e))
	}
	for _, e := range tf.CI.Environments {
		envs.add(e)
	}
	tf.Environments = envs.sorted()
	cl.missing.fill(&tf)
	return tf
}

// normalize returns the paths cleaned, sorted and without duplicates. A
// clean sorted input is returned as is; it is never modified.
func normalize(paths []string) []string {
	clean := true
	for i, p := range paths {
		if needsClean(p) || (i > 0 && paths[i-1] >= p) {
			clean = false
			break
		}
	}
	if clean {
		return paths
	}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if q := normPath(p); q != "" {
			out = append(out, q)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func needsClean(p string) bool {
	return p == "" || p[0] == '/' || strings.HasPrefix(p, "./") || p[len(p)-1] == '/'
}

func normPath(p string) string {
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	p = strings.TrimLeft(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return ""
	}
	return p
}

// jvmLint makes the jobs that run a Maven or Gradle lifecycle lint jobs too
// when the build declares a lint plugin (Checkstyle bound to validate,
// Spotless, PMD…): `mvn verify` runs them.
func (cl *classifier) jvmLint(ci *model.CIFacts) {
	linted := false
	for t := range cl.tools {
		if jvmLinters[t] {
			linted = true
		}
	}
	if !linted {
		return
	}
	for _, i := range cl.ci.jvmJobs {
		if k := kindsOf(ci.Jobs[i].Kinds); k&kLint == 0 {
			ci.Jobs[i].Kinds = (k | kLint).list()
		}
	}
}
