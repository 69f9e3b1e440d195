package attest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/crypto/ssh"

	"github.com/cdaudit/cdaudit/internal/sshsig"
	"github.com/cdaudit/cdaudit/model"
)

// ErrEncryptedKey is returned (wrapped) by LoadSigner for a key with a
// passphrase: sign with ssh-keygen then (see SignCommand).
var ErrEncryptedKey = errors.New("the key has a passphrase")

// LoadSigner reads an unencrypted OpenSSH (or PEM) private key.
func LoadSigner(path string) (ssh.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	s, err := ssh.ParsePrivateKey(b)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		return nil, fmt.Errorf("key %s: %w", path, ErrEncryptedKey)
	}
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", path, err)
	}
	return s, nil
}

// SignCommand is the ssh-keygen command that signs file with key.
func SignCommand(key, file string) string {
	return fmt.Sprintf("ssh-keygen -Y sign -n %s -f %s %s", Namespace, key, file)
}

// Write checks f, writes it to path and, when signer is not nil, its
// signature to path.sig. It returns the attestation as Load would see it.
func Write(path string, f File, signer ssh.Signer, cat *model.Catalogue) (model.Attestation, error) {
	msg, err := f.Marshal()
	if err != nil {
		return model.Attestation{}, err
	}
	a, err := Parse(msg, cat)
	if err != nil {
		return a, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return a, err
	}
	if err := writeFile(path, msg); err != nil {
		return a, err
	}
	if signer == nil {
		return a, nil
	}
	sig, err := sshsig.Sign(signer, Namespace, msg)
	if err != nil {
		return a, err
	}
	if err := writeFile(path+".sig", sig); err != nil {
		return a, err
	}
	a.Key, a.File = ssh.FingerprintSHA256(signer.PublicKey()), filepath.ToSlash(path)
	return a, nil
}

// writeFile writes through a temporary file and a rename, so a failure
// never leaves half a file.
func writeFile(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
