// Package fsx writes files the user names on the command line (--output,
// -o) without destroying what is there: a regular file or a new path is
// replaced atomically (a temporary file in the same directory, fsync,
// rename, the old file's permissions kept); a symbolic link is followed and
// its target written the same way, so the link stays a link; a character
// device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written as a
// plain stream; a directory, block device or other special file is refused.
//
// Import rules: the standard library only; net only to write to a Unix socket
// the user names, never HTTP.
package fsx

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
)

// maxLinks bounds symbolic link chains, as the kernel does (ELOOP).
const maxLinks = 40

// WriteFile writes data to path as described in the package comment. perm
// is the mode of a new file; a replaced regular file keeps its own
// permission bits (without setuid, setgid and sticky).
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	if path == "" {
		return errors.New("empty file name")
	}
	target, fi, err := resolve(path)
	if err != nil {
		return err
	}
	if fi == nil {
		return replace(target, data, perm.Perm())
	}
	switch m := fi.Mode(); {
	case m.IsRegular():
		return replace(target, data, m.Perm())
	case m.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case m&fs.ModeSocket != 0:
		return writeSocket(target, data)
	case m&fs.ModeCharDevice != 0, m&fs.ModeNamedPipe != 0:
		return writeStream(target, data)
	case m&fs.ModeDevice != 0:
		return fmt.Errorf("%s is a block device: refusing to write to it", path)
	default:
		return fmt.Errorf("%s is not a regular file (%s): refusing to replace it", path, m.Type())
	}
}

// resolve follows symbolic links from path to the file they end at, which
// may not exist yet (a dangling link names the file to create). fi is nil
// when that file does not exist.
func resolve(path string) (string, fs.FileInfo, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, fi, nil
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", nil, fmt.Errorf("%s: too many levels of symbolic links", path)
}

// replace writes data to a temporary file next to path and renames it over
// path, so readers see the old content or the new, never a part.
func replace(path string, data []byte, perm fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the system allows it; a
// failure only loses durability, not data already renamed.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// writeStream writes to a device or FIFO: opened write-only, without
// O_TRUNC or O_CREATE, the way a shell redirection would.
func writeStream(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeSocket writes to a Unix stream socket listening at path.
func writeSocket(path string, data []byte) error {
	c, err := net.Dial("unix", path)
	if err != nil {
		return err
	}
	if _, err := c.Write(data); err != nil {
		c.Close()
		return err
	}
	return c.Close()
}
