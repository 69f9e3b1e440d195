package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cdaudit/cdaudit/attest"
	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/model"
)

// attestFlags say where a target's signed attestations are and whether
// unsigned ones count.
type attestFlags struct {
	dir, allowedSigners string
	allowUnsigned       bool
}

func addAttestFlags(fl *pflag.FlagSet, f *attestFlags) {
	fl.StringVar(&f.dir, "attestations", "", "`DIR` of signed attestation files (default PATH/"+attest.DefaultDir+")")
	fl.StringVar(&f.allowedSigners, "allowed-signers", "", "`FILE` naming who may sign attestations (default PATH/"+attest.DefaultAllowedSigners+")")
	fl.BoolVar(&f.allowUnsigned, "allow-unsigned-attestations", false, "let the config's unsigned attestations raise levels (they are reported as unverified)")
}

// targetAttestations loads and verifies the signed attestation files of one
// target; each file left out is logged and becomes a report warning.
func (a *app) targetAttestations(f attestFlags, t config.Target, cat *model.Catalogue, now time.Time) ([]model.Attestation, []string, error) {
	dir, allowed := f.dir, f.allowedSigners
	if t.Path != "" {
		dir = firstNonEmpty(dir, filepath.Join(t.Path, attest.DefaultDir))
		allowed = firstNonEmpty(allowed, filepath.Join(t.Path, attest.DefaultAllowedSigners))
	}
	if dir == "" {
		return nil, nil, nil
	}
	atts, warns, err := attest.Load(attest.Options{Dir: dir, AllowedSigners: allowed, Catalogue: cat, Now: now})
	if err != nil {
		return nil, nil, usageErr("%s: %w", t.Name, err)
	}
	for _, w := range warns {
		a.log.Warn(w, "target", t.Name)
	}
	return atts, warns, nil
}

type attestCmdFlags struct {
	level                        int
	by, evidence, date, expires  string
	target, key, dir, outputFile string
}

func (a *app) attestCmd() *cobra.Command {
	f := &attestCmdFlags{}
	cmd := &cobra.Command{
		Use:   "attest PRACTICE.DIMENSION",
		Short: "Write an attestation file and sign it with an SSH key",
		Long: "Write an attestation of a level no evidence can show, signed with an SSH key in the namespace\n" +
			attest.Namespace + " (as `ssh-keygen -Y sign` does). --key takes an unencrypted private key;\n" +
			"without --key, or for a key with a passphrase, sign the written file with the ssh-keygen command printed.\n" +
			"Audits verify it against PATH/" + attest.DefaultAllowedSigners + " (see docs/attestations.md).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runAttest(f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.level, "level", 0, "attested level, 1–5")
	fl.StringVar(&f.by, "by", "", "signer: your `PRINCIPAL` in allowed_signers (e.g. an email)")
	fl.StringVar(&f.evidence, "evidence", "", "`URL` of what supports it")
	fl.StringVar(&f.date, "date", "", "`DATE` it was made (default today)")
	fl.StringVar(&f.expires, "expires", "", "`DATE` it stops counting, or a duration from --date (180d, 26w, 1y; default 1y)")
	fl.StringVar(&f.target, "target", "", "limit it to the target `NAME`")
	fl.StringVar(&f.key, "key", "", "unencrypted SSH private key `FILE` to sign with")
	fl.StringVar(&f.dir, "dir", attest.DefaultDir, "`DIR` to write PRACTICE.DIMENSION.yaml in")
	fl.StringVarP(&f.outputFile, "output", "o", "", "write to `FILE` instead (its signature goes to FILE.sig)")
	return cmd
}

func (a *app) runAttest(f *attestCmdFlags, id string) error {
	practice, dimension, ok := strings.Cut(id, ".")
	if !ok || practice == "" || dimension == "" {
		return usageErr("attest %q: want PRACTICE.DIMENSION (see `cdaudit levels`)", id)
	}
	cat, err := model.LoadCatalogue()
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	made := firstNonEmpty(f.date, now.Format(time.DateOnly))
	expires, err := expiryDate(firstNonEmpty(f.expires, "1y"), made)
	if err != nil {
		return usageErr("--expires: %w", err)
	}
	file := attest.File{Practice: practice, Dimension: dimension, Level: f.level, By: f.by, Date: made,
		Expires: expires, Evidence: f.evidence, Target: f.target}
	path := firstNonEmpty(f.outputFile, filepath.Join(f.dir, id+".yaml"))
	if f.key == "" {
		if _, err := attest.Write(path, file, nil, cat); err != nil {
			return usageErr("attest: %w", err)
		}
		fmt.Fprintf(a.env.Stderr, "wrote unsigned %s; sign it with: %s\n", path, attest.SignCommand("KEY", path))
		return nil
	}
	s, err := attest.LoadSigner(f.key)
	if errors.Is(err, attest.ErrEncryptedKey) {
		return usageErr("%w: run without --key and sign with: %s", err, attest.SignCommand(f.key, path))
	}
	if err != nil {
		return usageErr("--key: %w", err)
	}
	att, err := attest.Write(path, file, s, cat)
	if err != nil {
		return usageErr("attest: %w", err)
	}
	fmt.Fprintf(a.env.Stderr, "wrote %s and %s.sig, signed by %s with key %s\n", path, path, att.By, att.Key)
	return nil
}

// expiryDate is v when it is a date, else made plus the duration v
// (180d, 26w, 1y).
func expiryDate(v, made string) (string, error) {
	if _, err := time.Parse(time.DateOnly, v); err == nil {
		return v, nil
	}
	start, err := time.Parse(time.DateOnly, made)
	if err != nil {
		return "", fmt.Errorf("--date %q is not YYYY-MM-DD", made)
	}
	bad := fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor a duration like 180d, 26w, 1y", v)
	m := relRE.FindStringSubmatch(v)
	if m == nil || m[2] == "h" {
		return "", bad
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 36600 || m[2] == "y" && n > 100 {
		return "", bad
	}
	switch m[2] {
	case "d":
		start = start.AddDate(0, 0, n)
	case "w":
		start = start.AddDate(0, 0, 7*n)
	default:
		start = start.AddDate(n, 0, 0)
	}
	return start.Format(time.DateOnly), nil
}
