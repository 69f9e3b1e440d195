//go:build unix

package fsx

import (
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// /dev/null must stay the system's null device: before this package, a
// root `-o /dev/null` renamed a regular file over it.
func TestWriteFileDevNull(t *testing.T) {
	if err := WriteFile(os.DevNull, []byte("report"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(os.DevNull)
	if err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device: %v %v", os.DevNull, fi.Mode(), err)
	}
}

func TestWriteFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- "open: " + err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := WriteFile(fifo, []byte("through the pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("through the pipe", <-got); diff != "" {
		t.Errorf("read from the FIFO (-want +got):\n%s", diff)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("%s is no longer a FIFO: %v %v", fifo, fi.Mode(), err)
	}
}

func TestWriteFileSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- "accept: " + err.Error()
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- string(b)
	}()
	if err := WriteFile(sock, []byte("over the socket"), 0o644); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("over the socket", <-got); diff != "" {
		t.Errorf("read from the socket (-want +got):\n%s", diff)
	}
	if fi, err := os.Lstat(sock); err != nil || fi.Mode()&fs.ModeSocket == 0 {
		t.Errorf("%s is no longer a socket: %v %v", sock, fi.Mode(), err)
	}
}
