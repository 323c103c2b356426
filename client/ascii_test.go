package client

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// asciiCases pairs the data of an ASCII-type transfer as it crosses the
// network with the local file: NewASCIIReader turns net into local.
var asciiReadCases = []struct{ net, local string }{
	{"", ""},
	{"a", "a"},
	{"a\r\nb\r\n", "a\nb\n"},
	{"\r\n", "\n"},
	{"\r\n\r\n", "\n\n"},
	{"\r", "\r"},                             // a CR at the end is data
	{"a\rb", "a\rb"},                         // so is one before another byte
	{"\r\r\n", "\r\n"},                       // pure-ftpd's CRLF for a file's CRLF
	{"\r\r\r", "\r\r\r"},                     // CRs only
	{"\r\r\r\n", "\r\r\n"},                   // the last CR begins the line end
	{"a\nb", "a\nb"},                         // a bare LF stays
	{"\n\r", "\n\r"},                         // LF then CR is no line end
	{"x\ry\r\r\nz\r\n\rq", "x\ry\r\nz\n\rq"}, // mixed.txt from pure-ftpd
	{"\r\n\r", "\n\r"},
	{"line one\r\nline two\r\n\r\nend", "line one\nline two\n\nend"},
}

// readSplit reads all of r into a buffer of n bytes at a time.
func readSplit(t *testing.T, r io.Reader, n int) string {
	t.Helper()
	var out []byte
	buf := make([]byte, n)
	for i := 0; ; i++ {
		m, err := r.Read(buf)
		if m > 0 && err != nil {
			t.Fatalf("Read returned %d bytes with %v: data and error come apart", m, err)
		}
		out = append(out, buf[:m]...)
		if err == io.EOF {
			return string(out)
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if i > 10000 {
			t.Fatal("Read makes no progress")
		}
	}
}

// twoReads is a reader that returns the data in two reads at least, the
// first ending at cut (or as many as the caller's buffer needs).
type twoReads struct {
	data []byte
	cut  int
}

func (r *twoReads) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	end := len(r.data)
	if r.cut > 0 {
		end = r.cut
	}
	n := copy(p, r.data[:end])
	r.data, r.cut = r.data[n:], max(r.cut-n, 0)
	return n, nil
}

func TestASCIIReaderSplitEverywhere(t *testing.T) {
	for _, tt := range asciiReadCases {
		for cut := 0; cut <= len(tt.net); cut++ {
			for _, bufSize := range []int{1, 2, 3, 64} {
				r := NewASCIIReader(&twoReads{data: []byte(tt.net), cut: cut})
				if got := readSplit(t, r, bufSize); got != tt.local {
					t.Errorf("%q cut at %d, read %d at a time: got %q, want %q", tt.net, cut, bufSize, got, tt.local)
				}
			}
		}
		for _, bufSize := range []int{1, 2, 64} {
			r := NewASCIIReader(iotest.OneByteReader(bytes.NewReader([]byte(tt.net))))
			if got := readSplit(t, r, bufSize); got != tt.local {
				t.Errorf("%q one byte at a time, read %d at a time: got %q, want %q", tt.net, bufSize, got, tt.local)
			}
			r = NewASCIIReader(iotest.DataErrReader(bytes.NewReader([]byte(tt.net))))
			if got := readSplit(t, r, bufSize); got != tt.local {
				t.Errorf("%q with EOF beside the data, read %d at a time: got %q, want %q", tt.net, bufSize, got, tt.local)
			}
		}
	}
}

func TestASCIIReaderPassesErrors(t *testing.T) {
	boom := errors.New("boom")
	r := NewASCIIReader(io.MultiReader(bytes.NewReader([]byte("a\r")), iotest.ErrReader(boom)))
	got, err := io.ReadAll(r)
	if !errors.Is(err, boom) || string(got) != "a\r" {
		t.Fatalf("ReadAll = %q, %v; want \"a\\r\" (the data before the error) and boom", got, err)
	}
	if err := iotest.TestReader(NewASCIIReader(bytes.NewReader([]byte("a\r\nb\rc\r\n\r"))), []byte("a\nb\rc\n\r")); err != nil {
		t.Fatal(err)
	}
}

// asciiWriteCases pairs a local file with the data NewASCIIWriter sends.
var asciiWriteCases = []struct{ local, net string }{
	{"", ""},
	{"a", "a"},
	{"a\nb\n", "a\r\nb\r\n"},
	{"\n", "\r\n"},
	{"\n\n", "\r\n\r\n"},
	{"a\r\nb\r\n", "a\r\nb\r\n"}, // CRLF stays: not CR CR LF
	{"\r", "\r"},
	{"\r\r\n", "\r\r\n"},
	{"\n\r", "\r\n\r"},
	{"\r\n\n", "\r\n\r\n"},
	{"x\ry\r\nz\n\rq", "x\ry\r\nz\r\n\rq"},
	{"line one\nline two\n\nend", "line one\r\nline two\r\n\r\nend"},
}

// recorder is a writer that records each Write it gets.
type recorder struct {
	bytes.Buffer
	writes int
}

func (r *recorder) Write(p []byte) (int, error) {
	r.writes++
	return r.Buffer.Write(p)
}

func TestASCIIWriterSplitEverywhere(t *testing.T) {
	for _, tt := range asciiWriteCases {
		for cut := 0; cut <= len(tt.local); cut++ {
			var out recorder
			w := NewASCIIWriter(&out)
			for _, part := range []string{tt.local[:cut], tt.local[cut:]} {
				n, err := w.Write([]byte(part))
				if n != len(part) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", part, n, err)
				}
			}
			if got := out.String(); got != tt.net {
				t.Errorf("%q cut at %d: sent %q, want %q", tt.local, cut, got, tt.net)
			}
			if want := min(cut, 1) + min(len(tt.local)-cut, 1); out.writes != want {
				t.Errorf("%q cut at %d: %d writes, want one per non-empty Write", tt.local, cut, out.writes)
			}
		}
		var out bytes.Buffer
		w := NewASCIIWriter(&out)
		for i := range len(tt.local) {
			w.Write([]byte{tt.local[i]})
		}
		if got := out.String(); got != tt.net {
			t.Errorf("%q a byte at a time: sent %q, want %q", tt.local, got, tt.net)
		}
	}
}

// limitedWriter takes n bytes and then fails.
type limitedWriter struct {
	bytes.Buffer
	n int
}

var errFull = errors.New("full")

func (l *limitedWriter) Write(p []byte) (int, error) {
	if len(p) <= l.n {
		l.n -= len(p)
		return l.Buffer.Write(p)
	}
	m, _ := l.Buffer.Write(p[:l.n])
	l.n = 0
	return m, errFull
}

// TestASCIIWriterShortWrite: after a failed write the count is of the
// local bytes whose conversion went out whole (an LF counts only with
// the CR sent for it).
func TestASCIIWriterShortWrite(t *testing.T) {
	for _, tt := range []struct {
		local string
		room  int
		want  int
	}{
		{"ab\ncd", 0, 0},
		{"ab\ncd", 2, 2},
		{"ab\ncd", 3, 2}, // the CR went, not the LF: the LF is not written
		{"ab\ncd", 4, 3},
		{"ab\r\ncd", 4, 4},
		{"ab\ncd", 5, 4},
	} {
		w := NewASCIIWriter(&limitedWriter{n: tt.room})
		n, err := w.Write([]byte(tt.local))
		if n != tt.want || !errors.Is(err, errFull) {
			t.Errorf("Write(%q) with room for %d = %d, %v; want %d, errFull", tt.local, tt.room, n, err, tt.want)
		}
	}
}

// TestASCIIRoundTrip: a file with LF line ends (and no CR) comes back
// byte for byte through the writer and the reader, written and read in
// pieces of every size up to 7.
func TestASCIIRoundTrip(t *testing.T) {
	local := []byte("first\n\nthird line\nno end")
	for size := 1; size <= 7; size++ {
		var wire bytes.Buffer
		w := NewASCIIWriter(&wire)
		for rest := local; len(rest) > 0; {
			k := min(size, len(rest))
			w.Write(rest[:k])
			rest = rest[k:]
		}
		if want := bytes.ReplaceAll(local, []byte("\n"), []byte("\r\n")); !bytes.Equal(wire.Bytes(), want) {
			t.Fatalf("size %d: sent %q, want %q", size, wire.Bytes(), want)
		}
		if got := readSplit(t, NewASCIIReader(&wire), size); got != string(local) {
			t.Fatalf("size %d: read back %q, want %q", size, got, local)
		}
	}
}

// FuzzASCIIReader compares the reader, fed in two reads and read in small
// pieces, with a plain replacement of CRLF by LF.
func FuzzASCIIReader(f *testing.F) {
	for _, tt := range asciiReadCases {
		f.Add([]byte(tt.net), uint8(len(tt.net)/2), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut, size uint8) {
		c := int(cut) % (len(data) + 1)
		want := string(bytes.ReplaceAll(data, crlf, []byte("\n")))
		got := readSplit(t, NewASCIIReader(&twoReads{data: data, cut: c}), int(size%8)+1)
		if got != want {
			t.Fatalf("%q cut at %d: got %q, want %q", data, c, got, want)
		}
	})
}
