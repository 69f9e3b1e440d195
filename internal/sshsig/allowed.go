package sshsig

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// AllowedSigner is one line of an allowed_signers file (ssh-keygen(1),
// "ALLOWED SIGNERS"): principals, options, key and the free comment after it.
type AllowedSigner struct {
	Line       int
	Principals []string // patterns, as in the file
	Namespaces []string // patterns; nil: any namespace
	// ValidAfter and ValidBefore bound when the key may be used; zero: unbounded.
	ValidAfter, ValidBefore time.Time
	Key                     ssh.PublicKey
	// Comment is the text after the key, which ssh-keygen ignores;
	// applications may give it a meaning of their own.
	Comment string
}

// AllowedSigners is a parsed allowed_signers file.
type AllowedSigners []AllowedSigner

// ParseAllowedSigners reads an allowed_signers file. Certificate authorities
// (cert-authority) are not supported and are an error, as is any option
// ssh-keygen would reject.
func ParseAllowedSigners(r io.Reader) (AllowedSigners, error) {
	var out AllowedSigners
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		s.Line = n
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseLine(line string) (AllowedSigner, error) {
	var s AllowedSigner
	principals, rest := cutField(line)
	s.Principals = strings.Split(principals, ",")
	if rest == "" {
		return s, fmt.Errorf("no key after the principals")
	}
	// Options come before the key unless the next field is a key type.
	if first, _ := cutField(rest); !isKeyType(first) {
		opts, after := cutOptions(rest)
		if err := s.parseOptions(opts); err != nil {
			return s, err
		}
		rest = after
	}
	key, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(rest))
	if err != nil {
		return s, fmt.Errorf("key: %w", err)
	}
	s.Key, s.Comment = key, comment
	return s, nil
}

func isKeyType(f string) bool {
	return strings.HasPrefix(f, "ssh-") || strings.HasPrefix(f, "ecdsa-") || strings.HasPrefix(f, "sk-")
}

// cutField splits off the first whitespace-separated field.
func cutField(s string) (string, string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// cutOptions splits off the options field, which may hold quoted spaces.
func cutOptions(s string) (string, string) {
	quoted := false
	for i, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
		case (c == ' ' || c == '\t') && !quoted:
			return s[:i], strings.TrimLeft(s[i:], " \t")
		}
	}
	return s, ""
}

func (s *AllowedSigner) parseOptions(opts string) error {
	for _, o := range splitOptions(opts) {
		name, val, hasVal := strings.Cut(o, "=")
		name = strings.ToLower(name)
		val = strings.Trim(val, `"`)
		switch {
		case name == "cert-authority":
			return fmt.Errorf("cert-authority keys are not supported")
		case name == "namespaces" && hasVal:
			s.Namespaces = strings.Split(val, ",")
		case (name == "valid-after" || name == "valid-before") && hasVal:
			t, err := parseValidity(val)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if name == "valid-after" {
				s.ValidAfter = t
			} else {
				s.ValidBefore = t
			}
		default:
			return fmt.Errorf("unknown option %q", o)
		}
	}
	return nil
}

func splitOptions(opts string) []string {
	var out []string
	var cur bytes.Buffer
	quoted := false
	for _, c := range opts {
		switch {
		case c == '"':
			quoted = !quoted
			cur.WriteRune(c)
		case c == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(c)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// parseValidity reads ssh-keygen's YYYYMMDD[HHMM[SS]][Z] times (local time
// unless Z).
func parseValidity(v string) (time.Time, error) {
	loc := time.Local
	if s, ok := strings.CutSuffix(v, "Z"); ok {
		v, loc = s, time.UTC
	}
	for _, layout := range []string{"20060102150405", "200601021504", "20060102"} {
		if len(v) == len(layout) {
			return time.ParseInLocation(layout, v, loc)
		}
	}
	return time.Time{}, fmt.Errorf("%q is not YYYYMMDD[HHMM[SS]][Z]", v)
}

// Match returns the lines that allow key to sign as principal in namespace
// at time at, in file order; none when it may not.
func (as AllowedSigners) Match(principal, namespace string, key ssh.PublicKey, at time.Time) []AllowedSigner {
	var out []AllowedSigner
	want := key.Marshal()
	for _, s := range as {
		if !bytes.Equal(s.Key.Marshal(), want) || !matchList(principal, s.Principals) {
			continue
		}
		if s.Namespaces != nil && !matchList(namespace, s.Namespaces) {
			continue
		}
		if !s.ValidAfter.IsZero() && at.Before(s.ValidAfter) || !s.ValidBefore.IsZero() && !at.Before(s.ValidBefore) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// matchList reports whether s matches one of the patterns and no negated
// one ("!pattern"), as OpenSSH's match_pattern_list does.
func matchList(s string, patterns []string) bool {
	ok := false
	for _, p := range patterns {
		if neg, found := strings.CutPrefix(p, "!"); found {
			if matchPattern(s, neg) {
				return false
			}
			continue
		}
		if matchPattern(s, p) {
			ok = true
		}
	}
	return ok
}

// matchPattern matches OpenSSH wildcards: '*' any run, '?' one character.
func matchPattern(s, p string) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if matchPattern(s[i:], p[1:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && matchPattern(s[1:], p[1:])
	}
	return s != "" && s[0] == p[0] && matchPattern(s[1:], p[1:])
}
