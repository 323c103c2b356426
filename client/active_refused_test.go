package client

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

// TestActiveRefused: with WithActiveRefused (a dialer through a proxy),
// active mode fails with the reason before PORT or EPRT is sent, and a
// connection whose server refuses passive mode does not switch to it.
func TestActiveRefused(t *testing.T) {
	why := errors.New("not through a proxy")
	for _, tt := range []struct {
		name string
		cfg  ftptest.Config
		opts []Option
	}{
		{"pinned active", ftptest.Config{}, []Option{WithDataMode(Active)}},
		{"passive refused", ftptest.Config{Disable: []string{"EPSV", "PASV"}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := ftptest.New(t, tt.cfg)
			writeFile(t, srv, "f", []byte("data"))
			c := dialLogin(t, srv, append(tt.opts, WithActiveRefused(why))...)
			_, err := c.Retr(testCtx(t), "f", 0)
			if tt.name == "pinned active" && !errors.Is(err, why) {
				t.Fatalf("Retr = %v, want the reason", err)
			}
			if err == nil {
				t.Fatal("Retr worked")
			}
			if cmds := srv.SessionCommands(1); slices.ContainsFunc(cmds, func(s string) bool {
				return strings.HasPrefix(s, "PORT") || strings.HasPrefix(s, "EPRT") || strings.HasPrefix(s, "RETR")
			}) {
				t.Errorf("sent %q", cmds)
			}
		})
	}
}

// failDialer fails every dial.
type failDialer struct{}

func (failDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("no dialing here")
}

// TestWithDialerNilRestores: WithDialer(nil) after another WithDialer
// brings the default dialer back (the shell's open --proxy "").
func TestWithDialerNilRestores(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	c := dialLogin(t, srv, WithDialer(failDialer{}), WithActiveRefused(errors.New("x")), WithDialer(nil), WithActiveRefused(nil))
	if c.opts.customDialer || c.opts.activeRefused != nil {
		t.Errorf("custom dialer %v, active refused %v", c.opts.customDialer, c.opts.activeRefused)
	}
}
