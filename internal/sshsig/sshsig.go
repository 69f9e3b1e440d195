// Package sshsig signs and verifies messages in OpenSSH's SSHSIG format, the
// one `ssh-keygen -Y sign` writes and git uses for SSH-signed commits
// (PROTOCOL.sshsig in the OpenSSH sources). Keys, signatures and public-key
// algorithms come from golang.org/x/crypto/ssh; this package adds the
// envelope: the armor, the blob and the data that is actually signed.
//
// It also reads allowed_signers files (see allowed.go), the list of who may
// sign in which namespaces that `ssh-keygen -Y verify -f` takes.
//
// Import rules: the standard library and golang.org/x/crypto; no package of
// cdaudit, no network.
package sshsig

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

const (
	magic   = "SSHSIG"
	version = 1

	beginArmor = "-----BEGIN SSH SIGNATURE-----"
	endArmor   = "-----END SSH SIGNATURE-----"
)

// Hash algorithms of the message digest.
const (
	SHA256 = "sha256"
	SHA512 = "sha512"
)

// Errors callers can branch on (all returned wrapped).
var (
	// ErrMalformed: the input is not an SSHSIG signature.
	ErrMalformed = errors.New("not an SSH signature")
	// ErrNamespace: the signature was made for another namespace.
	ErrNamespace = errors.New("signature namespace does not match")
	// ErrBadSignature: the signature does not match the message and key.
	ErrBadSignature = errors.New("signature does not verify")
)

// blob is the wire form of a signature (PROTOCOL.sshsig §2), after the magic.
type blob struct {
	Version   uint32
	PublicKey []byte
	Namespace string
	Reserved  string
	HashAlg   string
	Signature []byte
}

// signedData is what the key signs (PROTOCOL.sshsig §3), after the magic.
type signedData struct {
	Namespace string
	Reserved  string
	HashAlg   string
	Hash      []byte
}

func digest(alg string, msg []byte) ([]byte, error) {
	switch alg {
	case SHA256:
		h := sha256.Sum256(msg)
		return h[:], nil
	case SHA512:
		h := sha512.Sum512(msg)
		return h[:], nil
	}
	return nil, fmt.Errorf("%w: hash algorithm %q is not sha256 or sha512", ErrMalformed, alg)
}

func toBeSigned(namespace, hashAlg string, msg []byte) ([]byte, error) {
	h, err := digest(hashAlg, msg)
	if err != nil {
		return nil, err
	}
	return append([]byte(magic), ssh.Marshal(signedData{Namespace: namespace, HashAlg: hashAlg, Hash: h})...), nil
}

// Sign signs message for namespace with a SHA-512 digest, as ssh-keygen
// does, and returns the armored signature. RSA keys sign with rsa-sha2-512.
func Sign(signer ssh.Signer, namespace string, message []byte) ([]byte, error) {
	if namespace == "" {
		return nil, errors.New("sshsig: empty namespace")
	}
	data, err := toBeSigned(namespace, SHA512, message)
	if err != nil {
		return nil, err
	}
	var sig *ssh.Signature
	if as, ok := signer.(ssh.AlgorithmSigner); ok && signer.PublicKey().Type() == ssh.KeyAlgoRSA {
		sig, err = as.SignWithAlgorithm(nil, data, ssh.KeyAlgoRSASHA512)
	} else {
		sig, err = signer.Sign(nil, data)
	}
	if err != nil {
		return nil, fmt.Errorf("sshsig: signing: %w", err)
	}
	b := blob{Version: version, PublicKey: signer.PublicKey().Marshal(), Namespace: namespace,
		HashAlg: SHA512, Signature: ssh.Marshal(sig)}
	return armor(append([]byte(magic), ssh.Marshal(b)...)), nil
}

func armor(raw []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(raw)
	var out bytes.Buffer
	out.WriteString(beginArmor + "\n")
	for len(enc) > 70 {
		out.WriteString(enc[:70] + "\n")
		enc = enc[70:]
	}
	out.WriteString(enc + "\n" + endArmor + "\n")
	return out.Bytes()
}

func unarmor(armored []byte) ([]byte, error) {
	s := strings.TrimSpace(strings.ReplaceAll(string(armored), "\r\n", "\n"))
	body, ok := strings.CutPrefix(s, beginArmor)
	if !ok {
		return nil, fmt.Errorf("%w: no %q line", ErrMalformed, beginArmor)
	}
	body, ok = strings.CutSuffix(body, endArmor)
	if !ok {
		return nil, fmt.Errorf("%w: no %q line", ErrMalformed, endArmor)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body), ""))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return raw, nil
}

// Signature is a parsed signature whose cryptography has been checked
// against the message; whether its key may sign is the caller's question
// (see AllowedSigners.Allows).
type Signature struct {
	Key       ssh.PublicKey
	Namespace string
	HashAlg   string
}

// Verify checks that armored is a signature of message in namespace by the
// public key it carries, and returns that key.
func Verify(armored, message []byte, namespace string) (*Signature, error) {
	raw, err := unarmor(armored)
	if err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(raw, []byte(magic))
	if !ok {
		return nil, fmt.Errorf("%w: no SSHSIG magic", ErrMalformed)
	}
	var b blob
	if err := ssh.Unmarshal(rest, &b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if b.Version != version {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrMalformed, b.Version, version)
	}
	pub, err := ssh.ParsePublicKey(b.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %w", ErrMalformed, err)
	}
	if b.Namespace != namespace {
		return nil, fmt.Errorf("%w: signed for %q, want %q", ErrNamespace, b.Namespace, namespace)
	}
	var sig ssh.Signature
	if err := ssh.Unmarshal(b.Signature, &sig); err != nil {
		return nil, fmt.Errorf("%w: signature: %w", ErrMalformed, err)
	}
	if pub.Type() == ssh.KeyAlgoRSA && sig.Format == ssh.KeyAlgoRSA {
		return nil, fmt.Errorf("%w: RSA signatures with SHA-1 are not accepted", ErrBadSignature)
	}
	data, err := toBeSigned(b.Namespace, b.HashAlg, message)
	if err != nil {
		return nil, err
	}
	if err := pub.Verify(data, &sig); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	return &Signature{Key: pub, Namespace: b.Namespace, HashAlg: b.HashAlg}, nil
}
