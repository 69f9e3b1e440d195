package junit

import (
	"bufio"
	"io"
)

// newReader buffers a file for the decoder (encoding/xml reads byte by byte
// through io.ByteReader when it has one).
func newReader(r io.Reader) io.Reader { return bufio.NewReaderSize(r, 64<<10) }
