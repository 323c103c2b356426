package interop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/realserver"
	"github.com/ferry-ftp/ferry/internal/testsupport"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestMatrix runs ferry's engine against every server in every TLS mode
// and IP family it offers, in passive and (where offered) active mode,
// each cell on a server instance of its own. IPv4 servers without implicit TLS also get
// the jlaffaye/ftp cross-check, on an instance of its own too.
//
// Separate instances keep one cell's sessions from disturbing another's:
// pyftpdlib 1.5.7 stalls other sessions' control and data connections
// while a session uses active mode (curl -P shows it too), which would
// fail passive cells for a server bug.
func TestMatrix(t *testing.T) {
	skipShort(t)
	for _, kind := range realserver.Kinds {
		for _, opts := range realserver.AllOptions() {
			if !realserver.Supports(kind, opts) {
				continue // the report shows it as not offered
			}
			name := string(kind) + "/" + opts.String() + "/"
			for _, mode := range modes {
				if !offersMode(kind, mode) {
					continue // the report shows it as not offered
				}
				t.Run(name+mode.String(), func(t *testing.T) {
					t.Parallel()
					runCell(t, realserver.StartOrSkip(t, kind, opts), mode)
				})
			}
			if !opts.IPv6 && slices.Contains(crossTLS, opts.TLS) {
				t.Run(name+"jlaffaye", func(t *testing.T) {
					t.Parallel()
					crossCheck(t, realserver.StartOrSkip(t, kind, opts))
				})
			}
		}
	}
}

// offersMode reports whether kind offers the data connection mode.
func offersMode(kind realserver.Kind, mode client.DataMode) bool {
	return mode != client.Active || realserver.ActiveMode(kind)
}

// spaceDir is a sub-folder of every cell's folder.
const spaceDir = "dir with space"

// cell is one run of the engine against a server in one mode.
type cell struct {
	steps
	mode  client.DataMode
	c     *client.Conn
	dir   string // the cell's remote folder, relative to the login folder
	local string // local scratch folder
	hs    handshakes
	files []*fixture // uploaded with transfer.Put
	small []*fixture // uploaded with Stor as well
	mib   *fixture
}

func runCell(t *testing.T, s *realserver.Server, mode client.DataMode) {
	small, big := mustFixtures(t)
	x := &cell{
		steps: steps{t: t, s: s, out: results.cell(t, s, mode), trace: &testsupport.LockedBuffer{}},
		mode:  mode, dir: mode.String(), local: t.TempDir(),
		files: small, small: small, mib: small[2],
	}
	x.broken = func() bool { return x.c == nil || x.c.Err() != nil }
	if bigCell(s.Options) {
		x.files = append(slices.Clone(small), big)
	}
	ctx := t.Context()
	start := time.Now()
	defer x.noteTLS()

	// pure-ftpd delays a failed login by 3 to 6 s: check it alongside
	// there, and after the other steps elsewhere.
	var wrongPW chan error
	if s.Kind == realserver.PureFTPd {
		wrongPW = make(chan error, 1)
		go func() { wrongPW <- wrongPassword(ctx, s, mode) }()
	}

	x.must("login", x.login)
	x.must("mkdir", x.mkdir)
	x.run("put", x.put)
	x.run("stor", x.stor)
	x.run("MLSD", x.mlsd)
	x.run("LIST", x.list)
	x.run("SIZE and MDTM", x.sizeAndTime)
	x.run("get", x.get)
	x.run("lookahead", x.lookahead)
	x.run("resumed get", x.resumedGet)
	x.run("resumed put", x.resumedPut)
	x.run("pooled, pipelined", x.pooled)
	x.run("rename", x.rename)
	x.namesSteps()
	x.run("missing file", x.missing)
	x.run("permission denied", x.permissionDenied)
	x.run("transfer after refusals", x.afterRefusals)
	x.run("delete", x.deleteFiles)
	x.run("rmdir", x.rmdir)
	x.run("TLS session reuse", x.sessionReuse)
	x.run("quit", func() error { return x.c.Quit(ctx) })
	x.run("wrong password", func() error {
		if wrongPW != nil {
			return <-wrongPW
		}
		return wrongPassword(ctx, s, mode)
	})
	t.Logf("%s %s %s: ran in %v", s.Kind, s.Options, mode, time.Since(start).Round(time.Millisecond))
}

func (x *cell) ctx() context.Context { return x.t.Context() }

// remote returns a path in the cell's folder.
func (x *cell) remote(name string) string { return path.Join(x.dir, name) }

func (x *cell) login() error {
	c, err := transfer.Connect(x.ctx(), site(x.s, x.mode, x.s.Password, x.hs.config(x.s), x.trace))
	if err != nil {
		return err
	}
	x.c = c
	x.t.Cleanup(func() { c.Close() })
	if _, ok := c.TLSState(); ok != (x.s.Options.TLS != realserver.TLSNone) {
		return fmt.Errorf("control connection TLS is %t, want %t", ok, !ok)
	}
	return nil
}

func (x *cell) mkdir() error {
	for _, d := range []string{x.dir, x.remote(spaceDir)} {
		if _, err := x.c.Mkd(x.ctx(), d); err != nil {
			return err
		}
		if fi, err := os.Stat(onDisk(x.s, d)); err != nil || !fi.IsDir() {
			return fmt.Errorf("MKD %q made no folder on disk: %v", d, err)
		}
	}
	return nil
}

// put uploads every fixture with transfer.Put, as "put-NAME".
func (x *cell) put() error {
	var errs []error
	for _, f := range x.files {
		remote := x.remote("put-" + f.name)
		res, err := transfer.Put(x.ctx(), x.c, f.path, remote, transfer.PutOptions{})
		if err != nil {
			errs = append(errs, fmt.Errorf("transfer.Put of %s to %q: %w", f.label, remote, err))
			if x.c.Err() != nil {
				break
			}
			continue
		}
		if res.Bytes != int64(len(f.data)) {
			errs = append(errs, fmt.Errorf("transfer.Put of %s moved %d bytes", f.label, res.Bytes))
		}
		if err := sameFile(onDisk(x.s, remote), f.data); err != nil {
			errs = append(errs, fmt.Errorf("after transfer.Put of %s: %w", f.label, err))
		}
		if tmp, err := uploadTemp(f.path, remote); err != nil {
			errs = append(errs, err)
		} else if err := absent(onDisk(x.s, tmp)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// stor uploads the small fixtures with Stor, as "stor-NAME".
func (x *cell) stor() error {
	var errs []error
	for _, f := range x.small {
		remote := x.remote("stor-" + f.name)
		w, err := x.c.Stor(x.ctx(), remote, 0)
		if err == nil {
			err = writeAllClose(w, f.data)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("STOR of %s to %q: %w", f.label, remote, err))
			if x.c.Err() != nil {
				break
			}
			continue
		}
		if err := sameFile(onDisk(x.s, remote), f.data); err != nil {
			errs = append(errs, fmt.Errorf("after STOR of %s: %w", f.label, err))
		}
	}
	return errors.Join(errs...)
}

// get downloads every fixture with transfer.Get and the small ones with
// Retr, and compares them.
func (x *cell) get() error {
	var errs []error
	for _, f := range x.files {
		remote, local := x.remote("put-"+f.name), filepath.Join(x.local, "get-"+f.name)
		res, err := transfer.Get(x.ctx(), x.c, remote, local, transfer.GetOptions{})
		if err == nil {
			err = sameFile(local, f.data)
		}
		if err == nil && res.Size != int64(len(f.data)) {
			err = fmt.Errorf("Result.Size %d", res.Size)
		}
		if err == nil {
			err = noTempFiles(filepath.Dir(local))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("transfer.Get of %s from %q: %w", f.label, remote, err))
			if x.c.Err() != nil {
				return errors.Join(errs...)
			}
		}
	}
	for _, f := range x.small {
		remote := x.remote("stor-" + f.name)
		r, err := x.c.Retr(x.ctx(), remote, 0)
		var got []byte
		if err == nil {
			got, err = readAllClose(r)
		}
		if err == nil {
			err = sameBytes("RETR data", got, f.data)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("RETR of %s from %q: %w", f.label, remote, err))
			if x.c.Err() != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// resumedGet completes a download from a partial file holding its start,
// and reads a file from an offset with Retr, where the server has REST.
func (x *cell) resumedGet() error {
	if serverTraits[x.s.Kind].noREST {
		x.t.Logf("%s refuses REST: no resumed download", x.s.Kind)
		return nil
	}
	const cut, offset = 300_001, 777_777
	remote, local := x.remote("put-"+x.mib.name), filepath.Join(x.local, "resumed.bin")
	part, err := downloadPart(x.c.RemoteAddr().String(), remote, onDisk(x.s, remote), local)
	if err != nil {
		return err
	}
	if err := os.WriteFile(part, x.mib.data[:cut], 0o644); err != nil {
		return err
	}
	res, err := transfer.Get(x.ctx(), x.c, remote, local, transfer.GetOptions{Resume: true})
	if err != nil {
		return fmt.Errorf("transfer.Get with a %d-byte .part file: %w", cut, err)
	}
	if res.Offset != cut || res.Bytes != int64(len(x.mib.data))-cut {
		return fmt.Errorf("transfer.Get resumed at %d and moved %d bytes, want %d and %d", res.Offset, res.Bytes, cut, len(x.mib.data)-cut)
	}
	if err := sameFile(local, x.mib.data); err != nil {
		return fmt.Errorf("resumed download: %w", err)
	}
	r, err := x.c.Retr(x.ctx(), remote, offset)
	if err != nil {
		return fmt.Errorf("RETR from offset %d: %w", offset, err)
	}
	got, err := readAllClose(r)
	if err != nil {
		return fmt.Errorf("RETR from offset %d: %w", offset, err)
	}
	return sameBytes(fmt.Sprintf("RETR from offset %d", offset), got, x.mib.data[offset:])
}

// resumedPut completes uploads that hold the first bytes of the 1 MiB
// file: with REST and STOR, with APPE, and with transfer.Put of the
// partial upload (under its temporary name) left on the server. On a
// server without REST (or APPE) the files are uploaded whole instead, for
// the steps after this one.
func (x *cell) resumedPut() error {
	const k = 400_003
	data := x.mib.data
	ctx := x.ctx()
	storAt := func(remote string, offset int64, part []byte) error {
		w, err := x.c.Stor(ctx, remote, offset)
		if err != nil {
			return err
		}
		return writeAllClose(w, part)
	}
	if tr := serverTraits[x.s.Kind]; tr.noREST || tr.noAPPE {
		x.t.Logf("%s refuses REST (%t) and APPE (%t): uploading the files whole", x.s.Kind, tr.noREST, tr.noAPPE)
		for _, name := range []string{"rest.bin", "appe.bin", "tput.bin"} {
			if err := storAt(x.remote(name), 0, data); err != nil {
				return fmt.Errorf("STOR of %s: %w", name, err)
			}
		}
		return nil
	}
	rest := x.remote("rest.bin")
	if err := storAt(rest, 0, data[:k]); err != nil {
		return fmt.Errorf("STOR of the first %d bytes: %w", k, err)
	}
	if err := storAt(rest, k, data[k:]); err != nil {
		return fmt.Errorf("REST %d + STOR: %w", k, err)
	}
	if err := sameFile(onDisk(x.s, rest), data); err != nil {
		return fmt.Errorf("after REST + STOR: %w", err)
	}

	appe := x.remote("appe.bin")
	if err := storAt(appe, 0, data[:k]); err != nil {
		return fmt.Errorf("STOR of the first %d bytes: %w", k, err)
	}
	w, err := x.c.Appe(ctx, appe)
	if err == nil {
		err = writeAllClose(w, data[k:])
	}
	if err != nil {
		return fmt.Errorf("APPE: %w", err)
	}
	if err := sameFile(onDisk(x.s, appe), data); err != nil {
		return fmt.Errorf("after APPE: %w", err)
	}

	tput := x.remote("tput.bin")
	tmp, err := uploadTemp(x.mib.path, tput)
	if err != nil {
		return err
	}
	if err := storAt(tmp, 0, data[:k]); err != nil {
		return fmt.Errorf("STOR of the first %d bytes to the temporary name: %w", k, err)
	}
	res, err := transfer.Put(ctx, x.c, x.mib.path, tput, transfer.PutOptions{Resume: true})
	if err != nil {
		return fmt.Errorf("transfer.Put resuming a %d-byte partial upload: %w", k, err)
	}
	if res.Offset != k {
		return fmt.Errorf("transfer.Put resumed at %d, want %d", res.Offset, k)
	}
	if err := sameFile(onDisk(x.s, tput), data); err != nil {
		return fmt.Errorf("after resumed transfer.Put: %w", err)
	}
	return absent(onDisk(x.s, tmp))
}

// uploadTemp returns the temporary path on the server of an upload of the
// local file local to remote.
func uploadTemp(local, remote string) (string, error) {
	fi, err := os.Stat(local)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(local)
	if err != nil {
		return "", err
	}
	dir, base := path.Split(remote)
	name, _ := transfer.TempName(base, transfer.Source{Site: "local", Path: abs, Size: fi.Size(), ModTime: fi.ModTime()}, nil)
	return dir + name, nil
}

// rename renames a file within the folder and into the sub-folder.
func (x *cell) rename() error {
	ctx := x.ctx()
	from, to := x.remote("rest.bin"), x.remote("renamed.bin")
	if err := x.c.Rename(ctx, from, to); err != nil {
		return err
	}
	into := x.remote(spaceDir + "/moved.bin")
	if err := x.c.Rename(ctx, to, into); err != nil {
		return err
	}
	if err := absent(onDisk(x.s, from)); err != nil {
		return err
	}
	if err := absent(onDisk(x.s, to)); err != nil {
		return err
	}
	if err := sameFile(onDisk(x.s, into), x.mib.data); err != nil {
		return err
	}
	return x.c.Dele(ctx, into)
}

// wrongPassword logs in with a wrong password, which must fail with
// KindAuth.
func wrongPassword(ctx context.Context, s *realserver.Server, mode client.DataMode) error {
	var hs handshakes
	c, err := transfer.Connect(ctx, site(s, mode, s.Password+"-wrong", hs.config(s), nil))
	if err == nil {
		c.Close()
		return errors.New("login with a wrong password succeeded")
	}
	if k := client.KindOf(err); k != client.KindAuth {
		return fmt.Errorf("wrong password: %v has kind %s, want %s", err, k, client.KindAuth)
	}
	if code := client.ReplyCode(err); code != 530 {
		return fmt.Errorf("wrong password: %v has reply code %d, want 530", err, code)
	}
	return nil
}

// sessionReuse checks what the TLS data connections did: every one must
// have resumed the control connection's session on servers that require
// it (vsftpd's require_ssl_reuse=YES, proftpd), which also accepted them.
func (x *cell) sessionReuse() error {
	if x.s.Options.TLS == realserver.TLSNone {
		return nil
	}
	_, data, resumed, err := x.hs.summary(x.s.SessionReuse)
	if err != nil {
		return err
	}
	x.t.Logf("TLS data connections: %d, resumed %d", data, resumed)
	if x.s.SessionReuse && resumed != data {
		return fmt.Errorf("%s requires TLS session reuse, but %d of %d data connections resumed", x.s.Kind, resumed, data)
	}
	return nil
}

// noteTLS records for the report what the TLS data connections did, also
// when the cell stopped early.
func (x *cell) noteTLS() {
	if x.s.Options.TLS == realserver.TLSNone {
		return
	}
	if note, _, _, err := x.hs.summary(x.s.SessionReuse); err == nil {
		x.out.setTLS(note)
	}
}
