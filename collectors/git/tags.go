package git

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
	"github.com/cdaudit/cdaudit/model"
)

// maxTagChain bounds tags of tags.
const maxTagChain = 16

// peeledTag is a tag resolved to a commit.
type peeledTag struct {
	name      string
	target    plumbing.Hash
	annotated bool
	// tagged is the tagger time of the tag object the reference names
	// (unix), 0 for a lightweight tag or a tag without a tagger line.
	tagged int64
}

// peelTags resolves every tag under refs/tags to the commit it names.
// Tags of trees or blobs are skipped and returned by name.
func peelTags(rd *odb.Reader, rs *refSet) ([]peeledTag, []string, error) {
	var out []peeledTag
	var skipped []string
	for _, name := range rs.names {
		if !name.IsTag() {
			continue
		}
		ref, ok := rs.resolve(name)
		if !ok {
			continue
		}
		t := peeledTag{name: strings.TrimPrefix(string(name), "refs/tags/"), target: ref.Hash()}
		ok = false
		for range maxTagChain {
			typ, err := rd.TypeOf(t.target)
			if err != nil {
				return nil, nil, fmt.Errorf("tag %s: %w", t.name, err)
			}
			if typ == plumbing.CommitObject {
				ok = true
				break
			}
			if typ != plumbing.TagObject {
				break
			}
			_, data, err := rd.Read(t.target)
			if err != nil {
				return nil, nil, fmt.Errorf("tag %s: %w", t.name, err)
			}
			target, _, good := odb.ParseTag(data)
			if !good {
				return nil, nil, fmt.Errorf("tag %s: %w %s: malformed tag", t.name, ErrCorruptObject, t.target)
			}
			if !t.annotated {
				if when, ok := odb.ParseTagger(data); ok {
					t.tagged = when
				}
			}
			t.annotated = true
			t.target = target
		}
		if !ok {
			skipped = append(skipped, t.name)
			continue
		}
		out = append(out, t)
	}
	return out, skipped, nil
}

// tagRecords dates the peeled tags by their commits' committer time and,
// for annotated tags, by their tagger time too (model.Tag.When uses it).
func tagRecords(g *graph, tags []peeledTag) ([]model.Tag, error) {
	out := make([]model.Tag, 0, len(tags))
	for _, t := range tags {
		i := g.id(t.target)
		if err := g.load(i); err != nil {
			return nil, fmt.Errorf("tag %s: %w", t.name, err)
		}
		rec := model.Tag{
			Name:      t.name,
			Target:    t.target.String(),
			Committed: time.Unix(g.n(i).ctime, 0).UTC(),
			Annotated: t.annotated,
		}
		if t.tagged != 0 {
			at := time.Unix(t.tagged, 0).UTC()
			rec.Tagged = &at
		}
		out = append(out, rec)
	}
	return out, nil
}
