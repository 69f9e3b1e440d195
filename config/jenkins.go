package config

import (
	"go.yaml.in/yaml/v3"
)

// JenkinsTarget is a target's `jenkins:` entry. Credentials are never in
// the file: they come from JENKINS_USER/JENKINS_TOKEN or the files the
// command line names.
type JenkinsTarget struct {
	URL    string       // Jenkins root, proxy path included
	Job    string       // full job name, folders separated by /
	Trunk  string       // trunk branch of a multibranch job
	Deploy []DeployRule // stages or jobs that deploy
}

// DeployRule maps stage (or job) names matching a regular expression onto
// an environment ("" : the first submatch).
type DeployRule struct {
	Match       string `yaml:"match"`
	Environment string `yaml:"environment"`
}

// jenkins parses a target's `jenkins:` mapping.
func (p *parser) jenkins(n *yaml.Node) (*JenkinsTarget, error) {
	j := &JenkinsTarget{}
	err := p.mapping(n, map[string]any{"url": &j.URL, "job": &j.Job, "trunk": &j.Trunk},
		map[string]func(*yaml.Node) error{"deploy": func(v *yaml.Node) error {
			if v.Kind != yaml.SequenceNode {
				return p.errAt(v, "jenkins.deploy: expected a list of {match, environment}")
			}
			for _, item := range v.Content {
				var r DeployRule
				if err := p.mapping(item, map[string]any{"match": &r.Match, "environment": &r.Environment}, nil); err != nil {
					return err
				}
				if _, err := p.regex(&yaml.Node{Kind: yaml.ScalarNode, Value: r.Match, Line: item.Line, Column: item.Column}, "jenkins.deploy.match"); err != nil {
					return err
				}
				j.Deploy = append(j.Deploy, r)
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	if j.URL == "" || j.Job == "" {
		return nil, p.errAt(n, "jenkins: needs url and job")
	}
	return j, nil
}

// junit parses a target's `junit:` globs: one string or a list.
func (p *parser) junit(n *yaml.Node) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}, nil
	}
	var out []string
	if err := p.decode(n, &out, "junit"); err != nil {
		return nil, err
	}
	return out, nil
}
