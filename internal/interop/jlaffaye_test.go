package interop

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jlaffaye/ftp"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// crossCheck runs jlaffaye/ftp beside ferry's engine against s, in passive
// mode: each reads back what the other wrote, and both list the folder
// with the same names and sizes.
func crossCheck(t *testing.T, s *realserver.Server) {
	ctx := t.Context()
	st := &steps{t: t, s: s, out: results.crossCheck(t, s), trace: &testsupport.LockedBuffer{}}
	small, _ := mustFixtures(t)
	mibF := small[2]
	const dir = "cross check"
	local := t.TempDir()
	// Data of jlaffaye/ftp's own, unlike any fixture.
	theirs := make([]byte, mib+17)
	rand.NewChaCha8([32]byte{'j', 'l'}).Read(theirs)
	names := namesFor(s.Kind)
	ferryFiles := map[string][]byte{"from ferry.bin": mibF.data, names.ferry: []byte("ferry\n"), "ferry empty": nil}
	theirFiles := map[string][]byte{"from jlaffaye.bin": theirs, names.theirs: []byte("jlaffaye\n"), "jlaffaye empty": nil}

	var hs handshakes
	var fc *client.Conn
	st.broken = func() bool { return fc.Err() != nil }
	st.must("ferry login", func() (err error) {
		fc, err = transfer.Connect(ctx, site(s, client.Passive, s.Password, hs.config(s), st.trace))
		if err == nil {
			t.Cleanup(func() { fc.Close() })
		}
		return err
	})
	var jc *ftp.ServerConn
	st.must("jlaffaye login", func() (err error) {
		var jhs handshakes
		if jc, err = dialJlaffaye(s, jhs.config(s)); err != nil {
			return err
		}
		t.Cleanup(func() { jc.Quit() })
		return jc.Login(s.User, s.Password)
	})
	st.must("ferry put", func() error {
		if _, err := fc.Mkd(ctx, dir); err != nil {
			return err
		}
		for _, name := range slices.Sorted(maps.Keys(ferryFiles)) {
			p := filepath.Join(local, name)
			if err := writeFile(p, ferryFiles[name]); err != nil {
				return err
			}
			if _, err := transfer.Put(ctx, fc, p, dir+"/"+name, transfer.PutOptions{}); err != nil {
				return fmt.Errorf("transfer.Put %q: %w", name, err)
			}
		}
		return nil
	})
	st.run("jlaffaye get", func() error {
		for _, name := range slices.Sorted(maps.Keys(ferryFiles)) {
			r, err := jc.Retr(dir + "/" + name)
			if err != nil {
				return fmt.Errorf("jlaffaye Retr %q: %w", name, err)
			}
			got, err := readAllClose(r)
			if err != nil {
				return fmt.Errorf("jlaffaye Retr %q: %w", name, err)
			}
			if err := sameBytes("jlaffaye's download of "+name, got, ferryFiles[name]); err != nil {
				return err
			}
		}
		return nil
	})
	st.run("jlaffaye put", func() error {
		for _, name := range slices.Sorted(maps.Keys(theirFiles)) {
			if err := jc.Stor(dir+"/"+name, bytes.NewReader(theirFiles[name])); err != nil {
				return fmt.Errorf("jlaffaye Stor %q: %w", name, err)
			}
			if err := sameFile(onDisk(s, dir+"/"+name), theirFiles[name]); err != nil {
				return fmt.Errorf("after jlaffaye's upload: %w", err)
			}
		}
		return nil
	})
	st.run("ferry get", func() error {
		for _, name := range slices.Sorted(maps.Keys(theirFiles)) {
			p := filepath.Join(local, "got "+name)
			if _, err := transfer.Get(ctx, fc, dir+"/"+name, p, transfer.GetOptions{}); err != nil {
				return fmt.Errorf("transfer.Get %q: %w", name, err)
			}
			if err := sameFile(p, theirFiles[name]); err != nil {
				return err
			}
		}
		return nil
	})
	st.run("same listing", func() error {
		mine, unparsed, err := fc.ReadDir(ctx, dir)
		if err != nil {
			return err
		}
		if len(unparsed) > 0 {
			return fmt.Errorf("ferry: unparsed lines %q", unparsed)
		}
		gotTheirs, err := jlaffayeListing(jc, s, dir)
		if err != nil {
			return err
		}
		want := map[string]int64{}
		for name, data := range ferryFiles {
			want[name] = int64(len(data))
		}
		for name, data := range theirFiles {
			want[name] = int64(len(data))
		}
		got := map[string]int64{}
		for _, e := range mine {
			got[e.Name] = e.Size
		}
		var errs []error
		if !maps.Equal(got, want) {
			errs = append(errs, fmt.Errorf("ferry lists %v, want %v", got, want))
		}
		if !maps.Equal(gotTheirs, want) {
			errs = append(errs, fmt.Errorf("jlaffaye/ftp lists %v, want %v", gotTheirs, want))
		}
		return errors.Join(errs...)
	})
	st.run("cleanup", func() error {
		// Each deletes the other's files.
		for name := range ferryFiles {
			if err := jc.Delete(dir + "/" + name); err != nil {
				return fmt.Errorf("jlaffaye Delete %q: %w", name, err)
			}
		}
		for name := range theirFiles {
			if err := fc.Dele(ctx, dir+"/"+name); err != nil {
				return err
			}
		}
		if err := jc.RemoveDir(dir); err != nil {
			return fmt.Errorf("jlaffaye RemoveDir: %w", err)
		}
		return absent(onDisk(s, dir))
	})
	st.run("TLS session reuse", func() error {
		if s.Options.TLS == realserver.TLSNone {
			return nil
		}
		_, data, resumed, err := hs.summary(s.SessionReuse)
		if err == nil && s.SessionReuse && resumed != data {
			err = fmt.Errorf("ferry: %d of %d data connections resumed", resumed, data)
		}
		return err
	})
}

// dialJlaffaye connects jlaffaye/ftp to s, with TLS configured by cfg when
// s speaks TLS.
//
// As in internal/realserver's tests: jlaffaye/ftp closes an upload's data
// connection without reading from it, and under TLS 1.3 the server has
// sent session tickets on it by then, so the kernel answers the close with
// a reset and the server loses what it had not read yet. The dial
// function gives jlaffaye/ftp connections that half-close and read to EOF
// before closing. (jlaffaye/ftp then leaves TLS on data connections to
// the dial function.)
func dialJlaffaye(s *realserver.Server, cfg *tls.Config) (*ftp.ServerConn, error) {
	dialFunc := func(network, addr string) (net.Conn, error) {
		c, err := net.DialTimeout(network, addr, 10*time.Second)
		if err != nil {
			return nil, err
		}
		c.SetDeadline(time.Now().Add(time.Minute))
		conn := drainingConn{c.(*net.TCPConn)}
		if s.Options.TLS == realserver.TLSNone || addr == s.Addr {
			return conn, nil
		}
		return tls.Client(conn, cfg), nil
	}
	opts := []ftp.DialOption{ftp.DialWithDialFunc(dialFunc), ftp.DialWithTimeout(20 * time.Second)}
	if s.Options.TLS == realserver.TLSExplicit {
		opts = append(opts, ftp.DialWithExplicitTLS(cfg))
	}
	return ftp.Dial(s.Addr, opts...)
}

// drainingConn closes by sending FIN, reading what the peer still sends
// until its EOF, and only then closing the socket.
type drainingConn struct{ *net.TCPConn }

func (c drainingConn) Close() error {
	c.CloseWrite()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, c.TCPConn)
	return c.TCPConn.Close()
}
