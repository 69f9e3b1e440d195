// Package attest keeps attestations in files signed with SSH keys, the way
// git signs commits: each attestation is a small YAML file (by default under
// .cdaudit/attestations/ in the audited repository) with a detached
// signature beside it (FILE.sig, as `ssh-keygen -Y sign -n
// cdaudit-attestation -f KEY FILE` writes it), and an allowed_signers file
// says whose keys may sign. Load verifies them in pure Go (internal/sshsig).
//
// Who may attest what: an allowed_signers line must allow the namespace
// cdaudit-attestation (namespaces="cdaudit-attestation", or no namespaces
// option) and name the practices in its comment, after the key, since
// ssh-keygen rejects unknown options but ignores the comment:
//
//	jane@example.com namespaces="cdaudit-attestation" ssh-ed25519 AAAA… cdaudit-practices=build,test-layering.method
//
// An entry is a practice ("build"), a dimension ("test-layering.method") or "*" for
// all; a line without cdaudit-practices= lets its key attest nothing.
//
// Import rules: internal/sshsig and model of cdaudit, golang.org/x/crypto/ssh
// and YAML; it reads files but never the network.
package attest

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/ssh"

	"github.com/cdaudit/cdaudit/internal/sshsig"
	"github.com/cdaudit/cdaudit/model"
)

// Namespace is the SSHSIG namespace of attestation signatures.
const Namespace = "cdaudit-attestation"

// Default places, relative to the audited repository.
const (
	DefaultDir            = ".cdaudit/attestations"
	DefaultAllowedSigners = ".cdaudit/allowed_signers"
)

const (
	practicesKey = "cdaudit-practices="
	maxFileSize  = 64 << 10
)

// File is the content of an attestation file.
type File struct {
	Practice  string `yaml:"practice"`
	Dimension string `yaml:"dimension"`
	Level     int    `yaml:"level"`
	By        string `yaml:"by"` // the principal in allowed_signers
	Date      string `yaml:"date"`
	Expires   string `yaml:"expires"`
	Evidence  string `yaml:"evidence"`
	Target    string `yaml:"target,omitempty"`
}

// Marshal renders f as the bytes that are signed.
func (f File) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// Parse reads an attestation file and checks its fields; cat (optional)
// checks the dimension exists.
func Parse(b []byte, cat *model.Catalogue) (model.Attestation, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return model.Attestation{}, fmt.Errorf("not an attestation: %w", err)
	}
	a := model.Attestation{Practice: f.Practice, Dimension: f.Dimension, Level: f.Level, By: f.By,
		Evidence: f.Evidence, Target: f.Target}
	var err error
	if a.Date, err = parseDate("date", f.Date); err != nil {
		return a, err
	}
	if a.Expires, err = parseDate("expires", f.Expires); err != nil {
		return a, err
	}
	switch {
	case a.Practice == "" || a.Dimension == "":
		return a, errors.New("practice and dimension are required")
	case a.Level < 1 || a.Level > 5:
		return a, fmt.Errorf("level %d is not 1–5", a.Level)
	case a.By == "":
		return a, errors.New("`by` (the signer's principal in allowed_signers) is required")
	case a.Evidence == "":
		return a, errors.New("`evidence` (a URL) is required")
	case !a.Expires.After(a.Date):
		return a, errors.New("expires before it was made")
	}
	if cat != nil {
		if _, ok := cat.Lookup(a.Practice, a.Dimension); !ok {
			return a, fmt.Errorf("unknown dimension %s.%s (see `cdaudit levels`)", a.Practice, a.Dimension)
		}
	}
	return a, nil
}

func parseDate(what, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, fmt.Errorf("`%s` is required", what)
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s: %q is not a date (YYYY-MM-DD or RFC 3339)", what, v)
}

// Options say where Load looks and what it checks against.
type Options struct {
	Dir            string // attestation files (*.yaml, *.yml)
	AllowedSigners string // allowed_signers file
	Catalogue      *model.Catalogue
	Now            time.Time
}

// Load reads and verifies the attestation files of opt.Dir. Files that are
// unsigned, wrongly signed, signed by someone allowed_signers does not let
// attest that practice, malformed or expired are left out, each with a
// warning naming the file. A missing directory holds no attestations; an
// allowed_signers file that cannot be parsed is an error.
func Load(opt Options) ([]model.Attestation, []string, error) {
	files, err := list(opt.Dir)
	if err != nil || len(files) == 0 {
		return nil, nil, err
	}
	signers, err := readAllowed(opt.AllowedSigners)
	if err != nil {
		return nil, nil, err
	}
	var out []model.Attestation
	var warnings []string
	for _, f := range files {
		a, err := verifyFile(f, signers, opt)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("attestation %s ignored: %v", f, err))
			continue
		}
		out = append(out, a)
	}
	return out, warnings, nil
}

func list(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("attestations: %w", err)
	}
	var out []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// readAllowed parses the allowed_signers file; a missing one allows nobody.
func readAllowed(path string) (sshsig.AllowedSigners, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("allowed signers: %w", err)
	}
	s, err := sshsig.ParseAllowedSigners(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("allowed signers %s: %w", path, err)
	}
	return s, nil
}

func readSmall(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxFileSize)
	}
	return os.ReadFile(path)
}

func verifyFile(path string, signers sshsig.AllowedSigners, opt Options) (model.Attestation, error) {
	msg, err := readSmall(path)
	if err != nil {
		return model.Attestation{}, err
	}
	a, err := Parse(msg, opt.Catalogue)
	if err != nil {
		return a, err
	}
	sigFile, err := readSmall(path + ".sig")
	if errors.Is(err, fs.ErrNotExist) {
		return a, fmt.Errorf("unsigned (no %s)", filepath.Base(path)+".sig")
	}
	if err != nil {
		return a, err
	}
	sig, err := sshsig.Verify(sigFile, msg, Namespace)
	if err != nil {
		return a, err
	}
	fp := ssh.FingerprintSHA256(sig.Key)
	if signers == nil {
		return a, fmt.Errorf("signed by %s, but there is no allowed_signers file (%s)", fp, opt.AllowedSigners)
	}
	lines := signers.Match(a.By, Namespace, sig.Key, opt.Now)
	if len(lines) == 0 {
		return a, fmt.Errorf("signed by key %s, which %s does not allow to sign as %s in namespace %s now",
			fp, opt.AllowedSigners, a.By, Namespace)
	}
	if !slices.ContainsFunc(lines, func(l sshsig.AllowedSigner) bool { return mayAttest(l.Comment, a.Practice, a.Dimension) }) {
		return a, fmt.Errorf("%s may not attest %s.%s (add it to cdaudit-practices= in %s)", a.By, a.Practice, a.Dimension, opt.AllowedSigners)
	}
	if !opt.Now.IsZero() && !opt.Now.Before(a.Expires) {
		return a, fmt.Errorf("expired on %s", a.Expires.Format(time.DateOnly))
	}
	a.Key, a.File = fp, filepath.ToSlash(path)
	return a, nil
}

// mayAttest reads the cdaudit-practices= entry of an allowed_signers comment.
func mayAttest(comment, practice, dimension string) bool {
	for _, f := range strings.Fields(comment) {
		list, ok := strings.CutPrefix(f, practicesKey)
		if !ok {
			continue
		}
		for _, p := range strings.Split(list, ",") {
			if p == "*" || p == practice || p == practice+"."+dimension {
				return true
			}
		}
	}
	return false
}
