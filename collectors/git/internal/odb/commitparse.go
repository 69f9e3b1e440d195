package odb

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// RawCommit is a commit parsed in place: the byte slices alias the object's
// buffer and are valid until the next read.
type RawCommit struct {
	Tree      plumbing.Hash
	Parents   []plumbing.Hash
	Author    RawSig
	Committer RawSig
	Message   []byte
}

type RawSig struct {
	Name, Email []byte
	When        int64
	TZ          int // offset east of UTC in seconds
}

var errBadCommit = errors.New("malformed commit")

// ParseCommit reads the header lines a commit needs (tree, parent, author,
// committer), skips the others (gpgsig and its continuation lines,
// encoding, mergetag…) and keeps the message as it is.
func ParseCommit(data []byte, c *RawCommit) error {
	c.Parents = c.Parents[:0]
	c.Author, c.Committer = RawSig{}, RawSig{}
	c.Tree = plumbing.ZeroHash
	c.Message = nil
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
			c.Message = data
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
				if !ParseHex(val, &c.Tree) {
					return errBadCommit
				}
				haveTree = true
			}
		case "parent":
			var h plumbing.Hash
			if !ParseHex(val, &h) {
				return errBadCommit
			}
			c.Parents = append(c.Parents, h)
		case "author":
			c.Author = ParseSig(val)
		case "committer":
			c.Committer = ParseSig(val)
		}
	}
	if !haveTree {
		return errBadCommit
	}
	return nil
}

func ParseHex(b []byte, h *plumbing.Hash) bool {
	if len(b) < 40 {
		return false
	}
	n, err := hex.Decode(h[:], b[:40])
	return err == nil && n == 20
}

// ParseSig parses "Name <email> 1700000000 +0100" leniently, as git's
// split_ident_line does: the e-mail runs from the first '<' to the next '>',
// the date follows the last '>'.
func ParseSig(b []byte) RawSig {
	var s RawSig
	lt := bytes.IndexByte(b, '<')
	if lt < 0 {
		s.Name = bytes.TrimSpace(b)
		return s
	}
	me := bytes.IndexByte(b[lt+1:], '>')
	if me < 0 {
		s.Name = bytes.TrimSpace(b[:lt])
		return s
	}
	s.Name = bytes.TrimSpace(b[:lt])
	s.Email = b[lt+1 : lt+1+me]
	gt := bytes.LastIndexByte(b, '>')
	rest := bytes.TrimSpace(b[gt+1:])
	ts := rest
	var tz []byte
	if sp := bytes.IndexByte(rest, ' '); sp >= 0 {
		ts, tz = rest[:sp], bytes.TrimSpace(rest[sp+1:])
	}
	if v, err := strconv.ParseInt(string(ts), 10, 64); err == nil {
		s.When = v
	}
	if len(tz) == 5 && (tz[0] == '+' || tz[0] == '-') {
		if v, err := strconv.Atoi(string(tz[1:])); err == nil {
			off := (v/100)*3600 + (v%100)*60
			if tz[0] == '-' {
				off = -off
			}
			s.TZ = off
		}
	}
	return s
}

// ParseTag returns the object an annotated tag points at and its type.
func ParseTag(data []byte) (plumbing.Hash, plumbing.ObjectType, bool) {
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
			okTarget = ParseHex(line[7:], &target)
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

// ParseTagger returns the tagger time of an annotated tag; ok is false
// when the tag has no tagger line (very old tags) or no date on it.
func ParseTagger(data []byte) (when int64, ok bool) {
	for len(data) > 0 {
		nl := bytes.IndexByte(data, '\n')
		if nl <= 0 {
			return 0, false // the header ends: no tagger
		}
		line := data[:nl]
		data = data[nl+1:]
		if v, found := bytes.CutPrefix(line, []byte("tagger ")); found {
			s := ParseSig(v)
			return s.When, bytes.LastIndexByte(v, '>') >= 0 && s.When != 0
		}
	}
	return 0, false
}
