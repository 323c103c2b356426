package ops

import (
	"context"
	"errors"
	"testing"

	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/transfer"
)

// TestCpFlags checks what cp's flags become, and which are usage errors.
func TestCpFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		mode transfer.FXPMode
		err  bool
	}{
		{args: []string{"ftp://a/f", "ftp://b/"}, mode: transfer.FXPAuto},
		{args: []string{"--fxp", "-c", "ftp://a/f", "ftp://b/"}, mode: transfer.FXPForce},
		{args: []string{"--no-fxp", "--limit-rate", "1M", "ftp://a/f", "ftp://b/"}, mode: transfer.FXPNever},
		{args: []string{"--fxp", "--no-fxp", "ftp://a/f", "ftp://b/"}, err: true},
		{args: []string{"--limit-rate", "fast", "ftp://a/f", "ftp://b/"}, err: true},
		{args: []string{"ftp://a/f"}, err: true},
		{args: []string{"-r", "ftp://a/d", "ftp://b/"}, err: true},
	} {
		op, err := parse(t, "cp", tc.args...)
		if tc.err {
			if ExitCode(err) != ExitUsage {
				t.Errorf("%q: err = %v, want a usage error", tc.args, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if o := op.(*CpOptions); o.fxpMode() != tc.mode {
			t.Errorf("%q: FXP mode %d, want %d", tc.args, o.fxpMode(), tc.mode)
		}
	}
}

// A source that names a folder by its form (the login folder, a path
// ending in "/") is refused before anything connects.
func TestCpFolderSourceRefused(t *testing.T) {
	for _, src := range []string{"ftp://a/", "ftp://a/dir/"} {
		op, err := parse(t, "cp", src, "ftp://b/")
		if err != nil {
			t.Fatal(err)
		}
		env := &Env{Opts: &GlobalOptions{}, Resolve: func(arg string) (Remote, error) {
			tg, err := ftpurl.Parse(arg)
			return Remote{Target: tg}, err
		}, Open: func(context.Context, Remote) (*transfer.Session, error) {
			return nil, errors.New("connected")
		}}
		if err := op.Run(context.Background(), env); ExitCode(err) != ExitUsage {
			t.Errorf("cp %s: %v, want a usage error", src, err)
		}
	}
	if ExitCode(transfer.ErrFXPRefused) != ExitRemote {
		t.Errorf("ErrFXPRefused is exit %d, want %d", ExitCode(transfer.ErrFXPRefused), ExitRemote)
	}
}
