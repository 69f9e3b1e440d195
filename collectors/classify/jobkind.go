package classify

import (
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// kindSet is a set of job kinds.
type kindSet uint8

const (
	kBuild kindSet = 1 << iota
	kTest
	kLint
	kSecurity
	kDeploy
	kMigration
	kRelease
	kPackage
)

// list returns the kinds in a fixed order.
func (k kindSet) list() []model.JobKind {
	var out []model.JobKind
	for _, e := range [...]struct {
		bit  kindSet
		kind model.JobKind
	}{{kBuild, model.JobBuild}, {kTest, model.JobTest}, {kLint, model.JobLint}, {kSecurity, model.JobSecurity},
		{kDeploy, model.JobDeploy}, {kMigration, model.JobMigration}, {kRelease, model.JobRelease}, {kPackage, model.JobPackage}} {
		if k&e.bit != 0 {
			out = append(out, e.kind)
		}
	}
	return out
}

func kindsOf(list []model.JobKind) kindSet {
	var k kindSet
	for _, j := range list {
		switch j {
		case model.JobBuild:
			k |= kBuild
		case model.JobTest:
			k |= kTest
		case model.JobLint:
			k |= kLint
		case model.JobSecurity:
			k |= kSecurity
		case model.JobDeploy:
			k |= kDeploy
		case model.JobMigration:
			k |= kMigration
		case model.JobRelease:
			k |= kRelease
		case model.JobPackage:
			k |= kPackage
		}
	}
	return k
}

// jobSignals is what a CI job says about itself.
type jobSignals struct {
	names     []string // job id, display name
	stages    []string // stage names: used only when nothing else tells
	uses      []string // actions, orbs, tasks, plugin images
	runs      []string // shell commands
	deployEnv bool     // the job deploys to an environment
	notDeploy bool     // the job stops or prepares an environment
}

// classifyJob derives a job's kinds and reports the tools it uses.
func classifyJob(sig jobSignals, tool func(string)) kindSet {
	var nameK, cmdK kindSet
	if sig.deployEnv {
		cmdK |= kDeploy
	}
	for _, n := range sig.names {
		nameK |= wordsKinds(strings.ToLower(n))
	}
	for _, u := range sig.uses {
		cmdK |= textKinds(strings.ToLower(u), tool)
		if strings.Contains(strings.ToLower(u), "deploy") {
			cmdK |= kDeploy
		}
	}
	for _, r := range sig.runs {
		lr := strings.ToLower(r)
		cmdK |= textKinds(lr, tool)
		cmdK |= runnerKinds(lr)
	}
	k := nameK | cmdK
	if k == 0 {
		for _, s := range sig.stages {
			k |= wordsKinds(strings.ToLower(s))
		}
	}
	if sig.notDeploy || nameOnlyDeploy(nameK, cmdK, sig) {
		k &^= kDeploy
	}
	return nameOnlyMigration(k, sig)
}

// nameOnlyDeploy reports a job that only its name calls a deployment
// ("Build, push, and deploy") while its steps publish a package or image
// and reach no host: pushing an image is not deploying it.
func nameOnlyDeploy(nameK, cmdK kindSet, sig jobSignals) bool {
	if nameK&kDeploy == 0 || cmdK&kDeploy != 0 || cmdK&kPackage == 0 {
		return false
	}
	for _, s := range append(append([]string(nil), sig.uses...), sig.runs...) {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
		}) {
			switch w {
			case "ssh", "scp", "rsync", "sftp", "ftp", "lftp", "s3", "gsutil", "azcopy", "webhook", "curl", "wget",
				"ssh-action", "scp-action", "rsync-deployments", "kubectl", "helm", "aws", "az", "gcloud", "heroku", "fly",
				"flyctl", "vercel", "netlify", "ansible", "terraform", "pulumi":
				return false // it may reach a host after all
			}
		}
	}
	return true
}

// nameOnlyMigration drops the migration kind that only a name gave a job
// whose commands say otherwise: a job "backend-migrations" that runs
// `diesel-guard check migrations/` checks migrations, it applies none. A
// command applies them when a migration tool's rule matches or it says
// "migrate" (`./app migrate`, `scripts/migrate.sh`, `make migrate`).
func nameOnlyMigration(k kindSet, sig jobSignals) kindSet {
	if k&kMigration == 0 || len(sig.runs) == 0 {
		return k
	}
	for _, r := range append(append([]string(nil), sig.uses...), sig.runs...) {
		lr := strings.ToLower(r)
		if (textKinds(lr, nil)|runnerKinds(lr))&kMigration != 0 || saysMigrate(lr) {
			return k
		}
	}
	return k &^ kMigration
}

// saysMigrate reports whether a lower-case command has the word "migrate"
// (or "dbmigrate", "migrator") or the phrase "db upgrade".
func saysMigrate(lr string) bool {
	words := strings.FieldsFunc(lr, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	for i, w := range words {
		switch w {
		case "migrate", "dbmigrate", "migrator":
			return true
		case "upgrade":
			if i > 0 && words[i-1] == "db" {
				return true
			}
		}
	}
	return false
}

// usesScanner reports whether a job's actions or commands run a code or
// dependency scanner (a command rule of kind security: codeql, semgrep,
// govulncheck, trivy…); a job named "fuzz" is not one.
func usesScanner(sig jobSignals) bool {
	for _, s := range append(append([]string(nil), sig.uses...), sig.runs...) {
		if textKinds(strings.ToLower(s), nil)&kSecurity != 0 {
			return true
		}
	}
	return false
}

// ephemeralCluster reports whether a job creates a throwaway Kubernetes
// cluster (kind, minikube, k3d) for what it deploys.
func ephemeralCluster(sig jobSignals) bool {
	for _, s := range append(append([]string(nil), sig.uses...), sig.runs...) {
		ls := strings.ToLower(s)
		for _, m := range [...]string{"kind-action", "kind create cluster", "setup-minikube", "minikube start",
			"k3d-action", "k3d cluster create", "setup-k3d", "setup-kind"} {
			if strings.Contains(ls, m) {
				return true
			}
		}
	}
	return false
}

// perfTools are the command rules' tools that test performance.
var perfTools = map[string]bool{"k6": true, "jmeter": true, "locust": true, "gatling": true, "lighthouse": true,
	"artillery": true, "vegeta": true}

// runsPerfTool reports whether a job's actions or commands run a load or
// performance test tool (k6, JMeter, Locust, Gatling, Lighthouse CI…).
func runsPerfTool(sig jobSignals) bool {
	found := false
	for _, s := range append(append([]string(nil), sig.uses...), sig.runs...) {
		textKinds(strings.ToLower(s), func(t string) { found = found || perfTools[t] })
	}
	return found
}

// notePerf makes a CI file that runs performance tests part of the
// performance test layer: the tests are the tool's run, not files.
func (c *ciAcc) notePerf(file string, sig jobSignals) {
	if runsPerfTool(sig) {
		c.markCat(file, cTestPerf)
	}
}

// wordsKinds classifies a name (job, stage, script target) by its words,
// with the shared vocabulary (vocab.JobKinds).
func wordsKinds(s string) kindSet { return kindsOf(vocab.JobKinds(s)) }
