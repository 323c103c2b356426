package ops

import (
	"context"
	"path"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/transfer"
)

// CpOptions are the options of `ferry cp`.
type CpOptions struct {
	F              *Env
	Source, Target string
	Continue       bool
	FXP, NoFXP     bool
	// TrustPASV passes on a PASV address that is not the passive
	// server's own (--fxp-trust-pasv).
	TrustPASV bool
	Engine    engineFlags
}

var cpCommand = Command{
	Name:    "cp",
	Use:     "cp SRC_URL DST_URL [-c] [--fxp|--no-fxp]",
	Short:   "Copy a file from one server to another",
	MinArgs: 2, MaxArgs: 2,
	New: func() Operation { return &CpOptions{} },
	Long: `Copy a file from one server (or place on a server) to another, without
the local disk. When DST_URL names a folder (it ends in "/", or is a folder
on the server), the file keeps its name inside it.

Where both servers allow it, they send the file to each other (FXP, as
lftp does): the destination is put in passive mode (PASV) and the source
told its address (PORT), then the destination is sent STOR and the source
RETR, so the data never passes through ferry; when a server refuses, the
reverse (the source passive) is tried. Many servers refuse it by default
(vsftpd's port_promiscuous and pasv_promiscuous, pure-ftpd's -w): ferry then
streams the file through itself, RETR piped into STOR through a buffer of
fixed size, and says so once. --fxp copies by FXP only (a refusal fails
with exit code 5); --no-fxp always streams. FXP is tried over plain FTP
and IPv4 only, and not through a proxy: with TLS on either side the copy
streams (each side's data connection then uses TLS).

A PASV address is the passive server's word, and with FXP the other server
connects to it and sends it the file: ferry passes it on only when it is
the address ferry reached that server at, and only to a server for which it
names the same host (a loopback or private address only to a server ferry
reaches at one of the same kind). --fxp-trust-pasv passes on a PASV address
that differs from the server's own (a server behind NAT that names its
public address).

The destination is written as put writes it: under a hidden temporary
name beside the target, .NAME.ferry-TAG.part, whose size is checked
against the source's before it is renamed to NAME, so a short or failed
copy never replaces the old file, and exits non-zero. TAG stands for the
source's site, path, size and time: -c (in any later run) resumes the
partial copy of the same version of the same file, with REST on both
sides, and --retries retries and resumes on its own. A file that replaces
another gets its permissions (SITE CHMOD).

cp copies single files; a folder as the source is refused (exit code 2).`,
	Example: `  ferry cp ftp://user@old.example.org/pub/big.iso ftp://user@new.example.org/pub/
  ferry cp -c ftp://a.example.org/data.tar ftp://b.example.org/backup/data.tar
  ferry cp --no-fxp ftps://a.example.org/report.pdf ftp://b.example.org/in/
  ferry cp ftp://user@example.org/draft.txt ftp://user@example.org/archive/draft.txt`,
}

// AddFlags defines cp's flags.
func (o *CpOptions) AddFlags(fl *pflag.FlagSet) {
	fl.BoolVarP(&o.Continue, "continue", "c", false, "resume a partial copy of the same file")
	fl.BoolVar(&o.FXP, "fxp", false, "copy only by FXP (the servers send the file to each other): fail when they refuse")
	fl.BoolVar(&o.NoFXP, "no-fxp", false, "never use FXP: stream the file through ferry")
	fl.BoolVar(&o.TrustPASV, "fxp-trust-pasv", false, "with FXP, pass on a PASV address that is not the passive server's own")
	fl.StringVar(&o.Engine.LimitRate, "limit-rate", "", "cap the rate of a streamed copy at `RATE` bytes/s; K, M, G suffixes are powers of 1024 (500K, 10M)")
}

// Args takes the two addresses and checks the flags.
func (o *CpOptions) Args(fl *pflag.FlagSet, args []string) error {
	o.Source, o.Target = args[0], args[1]
	o.Engine.Parallel = 1
	if o.FXP && o.NoFXP {
		return usageErrorf("--fxp and --no-fxp cannot go together")
	}
	return o.Engine.check()
}

// Run copies.
func (o *CpOptions) Run(ctx context.Context, env *Env) error {
	o.F = env
	return cpRun(ctx, o)
}

// fxpMode returns the FXP mode the flags ask for.
func (o *CpOptions) fxpMode() transfer.FXPMode {
	switch {
	case o.FXP:
		return transfer.FXPForce
	case o.NoFXP:
		return transfer.FXPNever
	}
	return transfer.FXPAuto
}

func cpRun(ctx context.Context, o *CpOptions) error {
	f := o.F
	sr, err := f.Resolve(o.Source)
	if err != nil {
		return err
	}
	dr, err := f.Resolve(o.Target)
	if err != nil {
		return err
	}
	from := sr.Path()
	if strings.TrimSuffix(from, "/") == "" || strings.HasSuffix(from, "/") {
		return usageErrorf("cp copies a file: %s names a folder", client.Sanitize(sr.Target.String()))
	}
	ss := newSessions(f)
	defer ss.closeAll()
	s, err := ss.get(ctx, sr)
	if err != nil {
		return err
	}
	if dir, err := s.IsDir(ctx, from); err != nil {
		return err
	} else if dir {
		return usageErrorf("cp copies files: %s is a folder (copy a folder with mirror, through a local one)", client.Sanitize(from))
	}
	ds, err := ss.get(ctx, dr)
	if err != nil {
		return err
	}
	to := dr.Path()
	into := to == "" || strings.HasSuffix(to, "/")
	if !into {
		if into, err = ds.IsDir(ctx, to); err != nil {
			return err
		}
	}
	if into {
		to = JoinRemote(to, path.Base(from))
	}
	if sr.key() == dr.key() && path.Clean(from) == path.Clean(to) {
		return usageErrorf("cp: %s and %s are the same file", client.Sanitize(sr.Target.String()), client.Sanitize(dr.Target.String()))
	}
	// A copy holds a connection to each server: one pool for a copy
	// within one server needs two.
	ps := newPools(f, &o.Engine, ss, 2)
	defer ps.closeAll()
	sp, err := ps.get(ctx, sr)
	if err != nil {
		return err
	}
	dp, err := ps.get(ctx, dr)
	if err != nil {
		return err
	}
	rep := newManyReporter(f, &o.Engine, 1)
	if rep.bars != nil {
		rep.bars.SetTotals(1, -1)
	}
	cp := transfer.NewCopier(sp, dp, transfer.CopyOptions{FXP: o.fxpMode(), TrustPASV: o.TrustPASV,
		Progress: rep.progress, Limit: o.Engine.limit, Notify: func(msg string) { f.Warn("%s", msg) }})
	defer cp.Close()
	res, err := cp.CopyFile(ctx, from, to, transfer.CopyFileOptions{Resume: o.Continue})
	rep.copied(from, to, res, err)
	return rep.finish(nil)
}

// copied records a copy's outcome: the source's path as the result's
// remote and the destination's as its target.
func (r *reporter) copied(from, to string, res transfer.Result, err error) {
	r.done(from, "", res, err)
	r.mu.Lock()
	r.results[len(r.results)-1].Target = to
	r.mu.Unlock()
}
