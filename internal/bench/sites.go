package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

// The distance scenarios put the server behind relayHost and the client
// behind clientHost (Linux routes all of 127.0.0.0/8 to the loopback
// device): the relay on relayHost forwards to the server from clientHost,
// so the server sees the client there, and in active mode the client
// announces clientHost, where a relay forwards the server's connections
// to the client from relayHost, so the client sees the server there.
const (
	relayHost  = "127.0.0.2"
	clientHost = "127.0.0.3"
)

// siteKind names a server the scenarios run against.
type siteKind int

const (
	// direct is vsftpd on 127.0.0.1, plain FTP: the loopback scenarios.
	direct siteKind = iota
	// relayed is vsftpd naming relayHost in its 227 replies, so that
	// every connection of a session goes through the relay in front of
	// it: the distance scenarios.
	relayed
	// relayedTLS is the same with explicit TLS required on the control
	// and data connections.
	relayedTLS
	siteKinds
)

// sites starts each server the first time a scenario needs it, with the
// data set in its home folder.
type sites struct {
	data    dataSet
	src     string // where the local copy of big.bin goes
	log     io.Writer
	servers [siteKinds]*realserver.Server
	upsrc   bool // the upload source has been written
}

// get returns the server of kind k, starting it if needed.
func (ss *sites) get(ctx context.Context, k siteKind) (*realserver.Server, error) {
	if s := ss.servers[k]; s != nil {
		return s, nil
	}
	opts := realserver.Options{Parent: tmpfsDir()}
	if k != direct {
		opts.PassiveAddress = relayHost
	}
	if k == relayedTLS {
		opts.TLS = realserver.TLSExplicit
	}
	srv, err := realserver.Launch(ctx, realserver.Vsftpd, opts)
	if errors.Is(err, realserver.ErrNotInstalled) {
		fmt.Fprintln(ss.log, "installing the test servers (apt-get download, dpkg-deb -x)")
		if err = realserver.Install(ctx); err == nil {
			srv, err = realserver.Launch(ctx, realserver.Vsftpd, opts)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("bench: starting vsftpd (%s): %w", opts, err)
	}
	ss.servers[k] = srv
	fmt.Fprintf(ss.log, "generating data in %s\n", srv.Home)
	if k == direct {
		err = ss.data.generate(srv.Home, ss.src)
	} else {
		err = ss.data.generateTree(srv.Home)
	}
	if err != nil {
		return nil, err
	}
	if err := srv.Chown(srv.Home); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return srv, nil
}

// uploadSource writes the local tree the upload scenarios send into dir,
// once.
func (ss *sites) uploadSource(dir string) error {
	if ss.upsrc {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := ss.data.writeTree(dir, ss.data.uploadFolders()); err != nil {
		return err
	}
	ss.upsrc = true
	return nil
}

// started returns the servers started so far.
func (ss *sites) started() []*realserver.Server {
	var out []*realserver.Server
	for _, s := range ss.servers {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// stop stops every server started.
func (ss *sites) stop() {
	for _, s := range ss.started() {
		s.Stop()
	}
}
