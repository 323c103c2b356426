package interop

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// steps runs the named steps of one test. A failing step is recorded and
// fails the test with the error, its kind and reply code, the protocol
// trace and the server's log; the next steps still run, unless the step
// was a must or the connection is broken.
type steps struct {
	t      *testing.T
	s      *realserver.Server
	out    *outcome
	trace  *testsupport.LockedBuffer // may be nil
	broken func() bool               // reports a connection the next steps cannot use; may be nil
}

// run runs a step and goes on after a failure when it can.
func (st *steps) run(name string, f func() error) {
	st.t.Helper()
	if st.try(name, f) && st.broken != nil && st.broken() {
		st.t.Fatalf("the connection is broken after step %q: no further steps", name)
	}
}

// must runs a step the next ones depend on.
func (st *steps) must(name string, f func() error) {
	st.t.Helper()
	if st.try(name, f) {
		st.t.FailNow()
	}
}

// try runs a step and reports whether it failed.
func (st *steps) try(name string, f func() error) bool {
	st.t.Helper()
	start := time.Now()
	err := f()
	if err == nil {
		return false
	}
	st.out.addFailure(name)
	var b strings.Builder
	fmt.Fprintf(&b, "step %q failed after %v: %v\n", name, time.Since(start).Round(time.Millisecond), err)
	fmt.Fprintf(&b, "  kind %s, reply code %d\n", client.KindOf(err), client.ReplyCode(err))
	if st.trace != nil {
		fmt.Fprintf(&b, "--- protocol trace (last 40 lines)\n%s\n", tail(st.trace, 40))
	}
	b.WriteString(st.s.LogTail(25))
	st.t.Error(b.String())
	return true
}

// tail returns the last n lines of what b holds.
func tail(b *testsupport.LockedBuffer, n int) string {
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// handshakes records the TLS handshakes made with one configuration: the
// control connection's first, then one per data connection.
type handshakes struct {
	mu     sync.Mutex
	states []tls.ConnectionState
}

// config returns s's client TLS configuration (certificate verified, no
// InsecureSkipVerify) recording every handshake made with it.
func (h *handshakes) config(s *realserver.Server) *tls.Config {
	cfg := s.TLSConfig()
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.states = append(h.states, cs)
		return nil
	}
	return cfg
}

// summary counts the data connections and those that resumed the
// session. The note for the report leaves the counts out, which change
// with the number of transfers, and says nothing more for servers that do
// not require resumption (pyftpdlib resumes some data connections and not
// others from run to run).
func (h *handshakes) summary(required bool) (note string, data, resumed int, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.states) == 0 {
		return "", 0, 0, errors.New("no TLS handshake was recorded")
	}
	for _, cs := range h.states[1:] {
		data++
		if cs.DidResume {
			resumed++
		}
	}
	note = tls.VersionName(h.states[0].Version) + ", "
	switch {
	case !required:
		note += "session reuse not required"
	case resumed == data:
		note += "every data connection resumed the session (required)"
	default:
		note += "**not every data connection resumed the session** (required)"
	}
	return note, data, resumed, nil
}

// site returns the settings to reach s with ferry's engine in mode.
func site(s *realserver.Server, mode client.DataMode, password string, cfg *tls.Config, trace io.Writer) transfer.Site {
	opts := []client.Option{
		client.WithDataMode(mode),
		client.WithConnectTimeout(20 * time.Second),
		client.WithIdleTimeout(30 * time.Second),
	}
	switch s.Options.TLS {
	case realserver.TLSExplicit:
		opts = append(opts, client.WithTLS(client.TLSExplicit), client.WithTLSConfig(cfg))
	case realserver.TLSImplicit:
		opts = append(opts, client.WithTLS(client.TLSImplicit), client.WithTLSConfig(cfg))
	}
	if trace != nil {
		opts = append(opts, client.WithTrace(trace))
	}
	return transfer.Site{Addr: s.Addr, User: s.User, Password: password, Options: opts}
}

// onDisk returns the path in s's home folder of a remote path relative to
// the login folder.
func onDisk(s *realserver.Server, remote string) string {
	return filepath.Join(s.Home, filepath.FromSlash(remote))
}

// sameFile checks that the file at path holds exactly want.
func sameFile(path string, want []byte) error {
	got, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return sameBytes(path, got, want)
}

func sameBytes(what string, got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	if len(got) != len(want) {
		return fmt.Errorf("%s has %d bytes, want %d", what, len(got), len(want))
	}
	i := 0
	for i < len(got) && got[i] == want[i] {
		i++
	}
	return fmt.Errorf("%s differs from byte %d on (sha256 %x, want %x)", what, i, sha256.Sum256(got), sha256.Sum256(want))
}

// absent checks that path does not exist.
func absent(path string) error {
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s exists (or cannot be checked: %v)", path, err)
	}
	return nil
}

// noTempFiles reports a file under one of ferry's temporary names
// (transfer.IsTempName) in the folder dir: a download left it behind.
func noTempFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if transfer.IsTempName(e.Name()) {
			return fmt.Errorf("%s holds the temporary file %s", dir, e.Name())
		}
	}
	return nil
}

// readAllClose reads r to the end and closes it, returning the first
// error.
func readAllClose(r io.ReadCloser) ([]byte, error) {
	data, err := io.ReadAll(r)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return data, err
}

// writeAllClose writes data to w and closes it, returning the first
// error.
func writeAllClose(w io.WriteCloser, data []byte) error {
	_, err := w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// wantReplyError checks that err is a server's refusal: a *ReplyError
// with a code accepted by ok, of kind KindOther.
func wantReplyError(what string, err error, ok func(code int) bool) error {
	var re *client.ReplyError
	switch {
	case err == nil:
		return fmt.Errorf("%s succeeded, want a refusal", what)
	case !errors.As(err, &re):
		return fmt.Errorf("%s: %v (kind %s), want a *client.ReplyError", what, err, client.KindOf(err))
	case !ok(re.Code):
		return fmt.Errorf("%s: reply %d %q, want another code", what, re.Code, re.Msg)
	case client.KindOf(err) != client.KindOther:
		return fmt.Errorf("%s: %v has kind %s, want %s", what, err, client.KindOf(err), client.KindOther)
	}
	return nil
}

// writeFile writes a local file.
func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
