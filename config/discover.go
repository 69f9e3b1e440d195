package config

import (
	"path"

	"go.yaml.in/yaml/v3"
)

// Discovery is a target entry that stands for every repository of a GitHub
// organisation or user (`github: {org: acme}`) or every project of a GitLab
// group (`gitlab: {group: acme, include_subgroups: true}`). It is expanded
// into targets at each run, so new repositories join without editing the
// file.
type Discovery struct {
	Host             string // "github" or "gitlab"
	Owner            string // the organisation, user or group
	IncludeSubgroups bool   // GitLab
	// Include/Exclude are globs on OWNER/REPO (or on the name alone when
	// they hold no "/"); Topics keeps repositories with one of them.
	Include, Exclude, Topics []string
	Archived, Forks          bool
	// Codeowners reads each repository's CODEOWNERS for the team label
	// (GitHub; up to three requests a repository).
	Codeowners bool
}

// String is the entry as the default target name shows it: github:acme.
func (d *Discovery) String() string { return d.Host + ":" + d.Owner }

// discovery parses a target's `github:` or `gitlab:` value when it is a
// mapping (a plain string is one repository).
func (p *parser) discovery(n *yaml.Node, host string) (*Discovery, error) {
	d := &Discovery{Host: host}
	fields := map[string]any{"include": &d.Include, "exclude": &d.Exclude, "topics": &d.Topics,
		"archived": &d.Archived, "forks": &d.Forks}
	if host == "github" {
		fields["org"], fields["codeowners"] = &d.Owner, &d.Codeowners
	} else {
		fields["group"], fields["include_subgroups"] = &d.Owner, &d.IncludeSubgroups
	}
	if err := p.mapping(n, fields, nil); err != nil {
		return nil, err
	}
	if d.Owner == "" {
		key := map[string]string{"github": "org", "gitlab": "group"}[host]
		return nil, p.errAt(n, "%s: a discovery entry needs %s", host, key)
	}
	for _, g := range append(append([]string{}, d.Include...), d.Exclude...) {
		if _, err := path.Match(g, ""); err != nil || g == "" {
			return nil, p.errAt(n, "%s: glob %q is malformed", host, g)
		}
	}
	return d, nil
}

// hostValue reads a target's `github:`/`gitlab:` value: a repository
// (string) into repo, or a discovery (mapping) into disc.
func (p *parser) hostValue(v *yaml.Node, host string, repo *string, disc **Discovery) error {
	if v.Kind != yaml.MappingNode {
		return p.decode(v, repo, host)
	}
	if *disc != nil {
		return p.errAt(v, "%s: one target entry holds one discovery", host)
	}
	d, err := p.discovery(v, host)
	*disc = d
	return err
}

// checkDiscovery refuses the keys that make no sense beside a discovery.
func (p *parser) checkDiscovery(n *yaml.Node, t *Target) error {
	if t.Discover == nil {
		return nil
	}
	if t.Path != "" || t.GitHub != "" || t.GitLab != "" || t.Jenkins != nil || len(t.JUnit) > 0 {
		return p.errAt(n, "a discovery entry (%s) stands for many repositories: it takes no path, repository, jenkins or junit", t.Discover)
	}
	if t.Name == "" {
		t.Name = t.Discover.String()
	}
	return nil
}

// Discovered is the target of one repository found by an entry's
// discovery: the entry's labels, thresholds, branch and production pattern,
// with the repository's own labels (team, language) where the entry sets
// none.
func (t Target) Discovered(repo string, labels map[string]string) Target {
	out := t
	out.Discover, out.Name = nil, repo
	switch t.Discover.Host {
	case "github":
		out.GitHub = repo
	default:
		out.GitLab = repo
	}
	out.Labels = map[string]string{}
	for k, v := range labels {
		if v != "" {
			out.Labels[k] = v
		}
	}
	for k, v := range t.Labels {
		out.Labels[k] = v
	}
	return out
}
