package interop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ferry-ftp/ferry/transfer"
)

// pooled moves the small files and the 1 MiB one through a transfer.Pool
// of two connections, which pipelines EPSV with the transfer command (and
// REST) in passive mode as the command line does: uploads, downloads
// compared byte for byte, and a download resumed from a .part file where
// the server has REST. The files are deleted at the end.
func (x *cell) pooled() error {
	// Handshakes of their own: the pool's control connections would count
	// as data connections in the cell's tally. vsftpd refuses data
	// connections that do not resume their control connection's session.
	var hs handshakes
	p := transfer.NewPool(site(x.s, x.mode, x.s.Password, hs.config(x.s), x.trace), transfer.PoolOptions{Size: 2})
	defer p.Close()
	ctx := x.ctx()
	var errs []error
	var remotes []string
	for _, f := range x.small {
		remote := x.remote("pool-" + f.name)
		local := filepath.Join(x.local, "pool-"+f.name)
		if _, err := p.PutFile(ctx, f.path, remote, transfer.PutOptions{}); err != nil {
			errs = append(errs, fmt.Errorf("Pool.PutFile of %s: %w", f.label, err))
			continue
		}
		remotes = append(remotes, remote)
		if err := sameFile(onDisk(x.s, remote), f.data); err != nil {
			errs = append(errs, fmt.Errorf("Pool.PutFile of %s: %w", f.label, err))
		}
		if _, err := p.GetFile(ctx, remote, local, transfer.GetOptions{}); err != nil {
			errs = append(errs, fmt.Errorf("Pool.GetFile of %s: %w", f.label, err))
		} else if err := sameFile(local, f.data); err != nil {
			errs = append(errs, fmt.Errorf("Pool.GetFile of %s: %w", f.label, err))
		}
	}
	if serverTraits[x.s.Kind].noREST {
		x.t.Logf("%s refuses REST: no resumed download through the pool", x.s.Kind)
		return errors.Join(append(errs, x.deleteAll(remotes))...)
	}
	const cut = 123_457
	local := filepath.Join(x.local, "pool-resumed.bin")
	part, err := downloadPart(x.c.RemoteAddr().String(), x.remote("put-"+x.mib.name), onDisk(x.s, x.remote("put-"+x.mib.name)), local)
	if err != nil {
		return err
	}
	if err := os.WriteFile(part, x.mib.data[:cut], 0o644); err != nil {
		return err
	}
	res, err := p.GetFile(ctx, x.remote("put-"+x.mib.name), local, transfer.GetOptions{Resume: true})
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("Pool.GetFile resumed: %w", err))
	case res.Offset != cut:
		errs = append(errs, fmt.Errorf("Pool.GetFile resumed at %d, want %d", res.Offset, cut))
	default:
		if err := sameFile(local, x.mib.data); err != nil {
			errs = append(errs, fmt.Errorf("Pool.GetFile resumed: %w", err))
		}
	}
	return errors.Join(append(errs, x.deleteAll(remotes))...)
}

// deleteAll deletes the remote files.
func (x *cell) deleteAll(remotes []string) error {
	var errs []error
	for _, r := range remotes {
		if err := x.c.Dele(x.ctx(), r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
