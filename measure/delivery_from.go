package measure

import (
	"path"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// DeployFrom names deployment records derived from other evidence, each
// opt-in: with any set, production deployments come from them (and from
// Argo CD and recorded deployments) instead of the Git host's production
// records or CI runs, and every DORA figure's note names them.
type DeployFrom struct {
	// Tags is a glob (path.Match: *, ?, [..]) of tag names; each matching
	// tag is a successful production deployment of its commit at the tag's
	// time (tagger time of an annotated tag, else its commit's). "" : none.
	Tags string
	// Releases makes each published GitHub or GitLab release (not a draft,
	// not a prerelease) a successful production deployment at its time.
	Releases bool
}

// Set reports whether any derived source is configured.
func (f DeployFrom) Set() bool { return f.Tags != "" || f.Releases }

// ValidTagGlob checks a tag glob for DeployFrom.Tags.
func ValidTagGlob(glob string) error {
	_, err := path.Match(glob, "")
	return err
}

// dlFromEvidence converts tags and releases into production deployments
// as opt configures. why is non-empty when a configured source's evidence
// was not collected.
func dlFromEvidence(ev *model.Evidence, opt Options) (out []dlDeploy, names []string, why []string) {
	f := opt.DeployFrom
	tagSHA := map[string]string{}
	for _, t := range ev.Tags {
		tagSHA[t.Name] = t.Target
	}
	if f.Tags != "" {
		names = append(names, "release tags matching "+f.Tags)
		var tags []model.Tag
		if ev.Has(model.KindTags) {
			tags = ev.Tags
		} else {
			why = append(why, "tags not collected")
		}
		for _, t := range tags {
			if ok, _ := path.Match(f.Tags, t.Name); !ok {
				continue
			}
			at := t.When()
			out = append(out, dlDeploy{env: "production", sha: t.Target, created: at, at: at, status: "success",
				prod: true, name: t.Name, id: t.Name, source: srcDerived, ref: model.Ref{Kind: model.RefTag, Ref: t.Name}})
		}
	}
	if f.Releases {
		names = append(names, "releases")
		var rels []model.Release
		if ev.Has(model.KindReleases) {
			rels = ev.Releases
		} else {
			why = append(why, "releases not collected")
		}
		for _, r := range rels {
			if r.Draft || r.Prerelease || r.CreatedAt.IsZero() {
				continue
			}
			out = append(out, dlDeploy{env: "production", sha: tagSHA[r.Tag], created: r.CreatedAt, at: r.CreatedAt,
				status: "success", prod: true, name: r.Tag, id: r.Tag, source: srcDerived,
				ref: model.Ref{Kind: model.RefRelease, Ref: r.Tag, URL: r.URL}})
		}
	}
	return out, names, why
}

// sourceName is how a note names a deployment record's source.
func sourceName(source string) string {
	switch source {
	case model.DeploySourceArgoCD:
		return "Argo CD application history"
	case model.DeploySourceRecorded:
		return "deployments recorded with cdaudit record-deployment"
	case srcRuns:
		return "CI runs"
	case "":
		return "the host's deployment records"
	}
	return source
}

// srcRuns marks deployments inferred from CI runs, srcDerived those from
// tags and releases (named by DeployFrom).
const (
	srcRuns    = "\x00runs"
	srcDerived = "\x00derived"
)

// fromNote names the sources of the production deployments when any is
// not the host's own records ("" otherwise, so host-only figures read as
// before).
func fromNote(prod []dlDeploy, derived []string) string {
	other := len(derived) > 0
	for _, d := range prod {
		other = other || d.source != "" && d.source != srcRuns && d.source != srcDerived
	}
	if !other {
		return ""
	}
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, n := range derived {
		add(n)
	}
	for _, d := range prod {
		if d.source != srcDerived {
			add(sourceName(d.source))
		}
	}
	return "production deployments from " + strings.Join(names, " and ")
}
