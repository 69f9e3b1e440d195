package cli

import (
	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/collectors"
	jkcol "github.com/cdaudit/cdaudit/collectors/jenkins"
	"github.com/cdaudit/cdaudit/collectors/junit"
	"github.com/cdaudit/cdaudit/config"
)

// ciFlags select the CI sources beside the Git hosts: a Jenkins job and
// JUnit XML files.
type ciFlags struct {
	jenkins, jenkinsJob, jenkinsTrunk string
	jenkinsUserFile, jenkinsTokenFile string
	junit                             []string
}

func addCIFlags(fl *pflag.FlagSet, c *ciFlags) {
	fl.StringVar(&c.jenkins, "jenkins", "", "Jenkins URL, proxy path included (user and API token from $JENKINS_USER/$JENKINS_TOKEN or the files below)")
	fl.StringVar(&c.jenkinsJob, "jenkins-job", "", "Jenkins job full name, folders separated by / (a multibranch job reads its trunk and PR-N jobs)")
	fl.StringVar(&c.jenkinsTrunk, "jenkins-trunk", "", "trunk branch of a multibranch Jenkins job (default main, then master)")
	fl.StringVar(&c.jenkinsUserFile, "jenkins-user-file", "", "file holding the Jenkins user name")
	fl.StringVar(&c.jenkinsTokenFile, "jenkins-token-file", "", "file holding the Jenkins API token")
	fl.StringArrayVar(&c.junit, "junit", nil, "glob of JUnit XML report files relative to PATH, ** allowed (repeatable)")
}

// applyCIFlags puts the CI flags into a command-line target.
func applyCIFlags(t *config.Target, c ciFlags) {
	if c.jenkins != "" || c.jenkinsJob != "" {
		t.Jenkins = &config.JenkinsTarget{URL: c.jenkins, Job: c.jenkinsJob, Trunk: c.jenkinsTrunk}
	}
	t.JUnit = c.junit
}

// ciCollectors builds the Jenkins and JUnit collectors of a target.
func (a *app) ciCollectors(t config.Target, h hostFlags) ([]collectors.Collector, error) {
	var cols []collectors.Collector
	if j := t.Jenkins; j != nil {
		if j.URL == "" || j.Job == "" {
			return nil, usageErr("--jenkins and --jenkins-job go together: give both")
		}
		if err := a.checkAPIURL("--jenkins", j.URL, h); err != nil {
			return nil, err
		}
		user, err := a.token(h.ci.jenkinsUserFile, "JENKINS_USER")
		if err != nil {
			return nil, err
		}
		tok, err := a.token(h.ci.jenkinsTokenFile, "JENKINS_TOKEN")
		if err != nil {
			return nil, err
		}
		var rules []jkcol.DeployRule
		for _, r := range j.Deploy {
			rules = append(rules, jkcol.DeployRule{Match: r.Match, Environment: r.Environment})
		}
		c, err := jkcol.New(jkcol.Options{BaseURL: j.URL, Job: j.Job, User: user, Token: tok, Trunk: j.Trunk, Deploy: rules,
			CAFile: h.caFile, CacheDir: a.cacheDir(h), MaxWait: h.maxWait, Timeout: h.httpTimeout,
			InsecureHTTP: h.insecureHTTP, Logger: a.log})
		if err != nil {
			return nil, usageErr("--jenkins: %w", err)
		}
		cols = append(cols, c)
	}
	if len(t.JUnit) > 0 {
		dir := t.Path
		if dir == "" {
			dir = "."
		}
		c, err := junit.New(junit.Options{Patterns: t.JUnit, Dir: dir, Logger: a.log})
		if err != nil {
			return nil, usageErr("--junit: %w", err)
		}
		cols = append(cols, c)
	}
	return cols, nil
}
