package transfer

// Progress is told about transfers as they run. The command line shows it
// as progress bars and the JSON summary; the default discards it.
// Implementations must be safe for concurrent use: parallel transfers
// report at the same time.
type Progress interface {
	// Start is called when a file transfer begins. size is the file's
	// full size, or -1 when unknown; offset is how much of it is already
	// in place (a resumed transfer).
	Start(name string, size, offset int64) FileProgress
}

// FileProgress follows one file transfer.
type FileProgress interface {
	// Add reports n more bytes moved.
	Add(n int64)
	// Finish reports the end of the transfer, with its error or nil.
	Finish(err error)
}

// Discard is a Progress that reports nothing.
type Discard struct{}

// Start returns a FileProgress that reports nothing.
func (Discard) Start(string, int64, int64) FileProgress { return discardFile{} }

type discardFile struct{}

func (discardFile) Add(int64)    {}
func (discardFile) Finish(error) {}

var _ Progress = Discard{}

// progressOrDiscard returns p, or Discard when p is nil.
func progressOrDiscard(p Progress) Progress {
	if p == nil {
		return Discard{}
	}
	return p
}

// countingWriter reports bytes written to a FileProgress.
type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	p FileProgress
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.p.Add(int64(n))
	return n, err
}
