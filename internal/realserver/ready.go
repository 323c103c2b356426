package realserver

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/textproto"
	"os/user"
	"strconv"
	"time"
)

// waitReady polls the server until it sends its 220 greeting (after the
// TLS handshake for implicit TLS), the process exits, or ctx ends.
func waitReady(ctx context.Context, s *Server) error {
	for {
		if done, err := s.proc.exited(); done {
			return fmt.Errorf("realserver: %s exited during startup: %v", s.Kind, err)
		}
		err := greet(ctx, s)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("realserver: %s not ready at %s: %v (%w)", s.Kind, s.Addr, err, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// greet connects once and reads the greeting.
func greet(ctx context.Context, s *Server) error {
	d := net.Dialer{Timeout: time.Second}
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(3 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetDeadline(deadline)
	var rw net.Conn = conn
	if s.Options.TLS == TLSImplicit {
		cfg := &tls.Config{RootCAs: s.CertPool, ServerName: s.Host()}
		if s.Options.RequireClientCert {
			c, err := clientKeyPair()
			if err != nil {
				return err
			}
			cfg.Certificates = []tls.Certificate{c}
		}
		tc := tls.Client(conn, cfg)
		if err := tc.Handshake(); err != nil {
			return err
		}
		rw = tc
	}
	tp := textproto.NewConn(rw)
	if _, _, err := tp.ReadResponse(220); err != nil {
		return err
	}
	if err := tp.PrintfLine("QUIT"); err == nil {
		tp.ReadResponse(221)
	}
	return nil
}

type userIDs struct{ uid, gid int }

func lookupUser(name string) (userIDs, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return userIDs{}, err
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return userIDs{}, fmt.Errorf("realserver: user %s has ids %s:%s", name, u.Uid, u.Gid)
	}
	return userIDs{uid, gid}, nil
}

func lookupGroupName(gid int) (string, error) {
	g, err := user.LookupGroupId(strconv.Itoa(gid))
	if err != nil {
		return "", err
	}
	return g.Name, nil
}
