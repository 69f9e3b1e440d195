package git

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// rawCommit is a commit parsed in place: the byte slices alias the object's
// buffer and are valid until the next read.
type rawCommit struct {
	tree      plumbing.Hash
	parents   []plumbing.Hash
	author    rawSig
	committer rawSig
	message   []byte
}

type rawSig struct {
	name, email []byte
	when        int64
	tz          int // offset east of UTC in seconds
}

var errBadCommit = errors.New("malformed commit")

// parseCommit reads the header lines a commit needs (tree, parent, author,
// committer), skips the others (gpgsig and its continuation lines,
// encoding, mergetag…) and keeps the message as it is.
func parseCommit(data []byte, c *rawCommit) error {
	c.parents = c.parents[:0]
	c.author, c.committer = rawSig{}, rawSig{}
	c.tree = plumbing.ZeroHash
	c.message = nil
	haveTree := false
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		var line []byte
		if nl < 0 {
			line, data = data, nil
		} else {
			line, data = data[:nl], data[nl+1:]
		}
		if len(line) == 0 {
			c.message = data
			break
		}
		sp := bytes.IndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		key, val := line[:sp], line[sp+1:]
		switch string(key) {
		case "tree":
			if !haveTree {
				if !parseHex(val, &c.tree) {
					return errBadCommit
				}
				haveTree = true
			}
		case "parent":
			var h plumbing.Hash
			if !parseHex(val, &h) {
				return errBadCommit
			}
			c.parents = append(c.parents, h)
		case "author":
			c.author = parseSig(val)
		case "committer":
			c.committer = parseSig(val)
		}
	}
	if !haveTree {
		return errBadCommit
	}
	return nil
}

func parseHex(b []byte, h *plumbing.Hash) bool {
	if len(b) < 40 {
		return false
	}
	n, err := hex.Decode(h[:], b[:40])
	return err == nil && n == 20
}

// parseSig parses "Name <email> 1700000000 +0100" leniently, as git's
// split_ident_line does: the e-mail runs from the first '<' to the next '>',
// the date follows the last '>'.
func parseSig(b []byte) rawSig {
	var s rawSig
	lt := bytes.IndexByte(b, '<')
	if lt < 0 {
		s.name = bytes.TrimSpace(b)
		return s
	}
	me := bytes.IndexByte(b[lt+1:], '>')
	if me < 0 {
		s.name = bytes.TrimSpace(b[:lt])
		return s
	}
	s.name = bytes.TrimSpace(b[:lt])
	s.email = b[lt+1 : lt+1+me]
	gt := bytes.LastIndexByte(b, '>')
	rest := bytes.TrimSpace(b[gt+1:])
	ts := rest
	var tz []byte
	if sp := bytes.IndexByte(rest, ' '); sp >= 0 {
		ts, tz = rest[:sp], bytes.TrimSpace(rest[sp+1:])
	}
	if v, err := strconv.ParseInt(string(ts), 10, 64); err == nil {
		s.when = v
	}
	if len(tz) == 5 && (tz[0] == '+' || tz[0] == '-') {
		if v, err := strconv.Atoi(string(tz[1:])); err == nil {
			off := (v/100)*3600 + (v%100)*60
			if tz[0] == '-' {
				off = -off
			}
			s.tz = off
		}
	}
	return s
}

// parseTag returns the object an annotated tag points at and its type.
func parseTag(data []byte) (plumbing.Hash, plumbing.ObjectType, bool) {
	var target plumbing.Hash
	var typ plumbing.ObjectType
	okTarget := false
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		if nl <= 0 {
			break
		}
		line := data[:nl]
		data = data[nl+1:]
		switch {
		case bytes.HasPrefix(line, []byte("object ")):
			okTarget = parseHex(line[7:], &target)
		case bytes.HasPrefix(line, []byte("type ")):
			t, err := plumbing.ParseObjectType(string(line[5:]))
			if err != nil {
				return target, 0, false
			}
			typ = t
		}
	}
	return target, typ, okTarget && typ != 0
}
