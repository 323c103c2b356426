package interop

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

// packageOf names the Debian package each server comes from, as listed in
// realserver's installed.txt.
var packageOf = map[realserver.Kind]string{
	realserver.Vsftpd:    "vsftpd",
	realserver.PureFTPd:  "pure-ftpd",
	realserver.ProFTPD:   "proftpd-core",
	realserver.Pyftpdlib: "python3-pyftpdlib",
	realserver.Twisted:   "python3-twisted",
	realserver.Aioftp:    "python3-aioftp",

	realserver.InetutilsFTPd: "inetutils-ftpd",
	realserver.FtpdSSLDE:     "ftpd-ssl",
}

// moduleOf names the Go module of each server built from one, whose
// version is the one go.mod requires.
var moduleOf = map[realserver.Kind]string{
	realserver.Ftpserverlib: "github.com/fclairamb/ftpserverlib",
}

// localeOf names the locale of the servers that do not run in C.
var localeOf = map[realserver.Kind]string{
	realserver.FtpdSSLDE: "de_DE.UTF-8",
}

// writeReport writes the matrix to path when the run covered all of it,
// and reports whether it did. A run that skipped or left out anything
// (a missing server, -run, -short) writes nothing, so it never replaces a
// real result.
func (r *registry) writeReport(path string) (bool, error) {
	if ok, _ := r.complete(); !ok {
		return false, nil
	}
	text := r.render(time.Now().UTC(), serverVersions())
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, path)
}

// kindsSorted returns the servers by name, for stable rows.
func kindsSorted() []realserver.Kind {
	kinds := slices.Clone(realserver.Kinds)
	slices.Sort(kinds)
	return kinds
}

// render formats the report. Rows are sorted by server, TLS mode and IP
// family, so two runs with the same results differ only in the date.
func (r *registry) render(now time.Time, versions map[realserver.Kind]string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	w("# Interop matrix")
	w("")
	w("Written by `go test ./internal/interop/` on %s (%s, %s/%s);", now.Format("2006-01-02"), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	w("a run that covers the whole matrix rewrites this file, a partial or skipped one leaves it.")
	w("")
	w("Servers (Debian packages unpacked by internal/realserver, and Go modules it builds):")
	w("")
	for _, kind := range kindsSorted() {
		if mod, ok := moduleOf[kind]; ok {
			w("- %s: `%s %s` (Go module, a server program in internal/realserver)", kind, mod, moduleVersion(mod))
			continue
		}
		v := versions[kind]
		if v == "" {
			v = "version unknown"
		}
		line := fmt.Sprintf("- %s: `%s %s`", kind, packageOf[kind], v)
		if loc, ok := localeOf[kind]; ok {
			line += fmt.Sprintf(" under `LC_ALL=%s`", loc)
		}
		w("%s", line)
	}
	w("- independent client: github.com/jlaffaye/ftp %s", moduleVersion("github.com/jlaffaye/ftp"))
	w("")
	w("Legend: pass = every step passed; **FAIL** (step; n more) = the first step that failed and how many later ones did (see the test log); not offered = the server has no such mode")
	w("(Twisted's FTP server has no TLS and, without EPSV and EPRT, no IPv6; aioftp has implicit TLS only and no active mode).")
	w("")
	w("## ferry's engine (package client and package transfer)")
	w("")
	w("Each cell: login with the certificate verified; mkdir; upload of 0 B, 1 B and 1 MiB random files")
	if bigEverywhere() {
		w("with transfer.Put and with Stor, and of a 64 MiB random file with transfer.Put,")
	} else {
		w("with transfer.Put and with Stor (64 MiB once per server and mode: explicit TLS, IPv4, FERRY_INTEROP_BIG=one),")
	}
	w("each compared with the file in the server's folder; MLSD (where offered) and LIST names,")
	w("types, sizes and times; SIZE and MDTM; downloads with transfer.Get and Retr, compared;")
	w("resumed download (a partial file under its temporary name, and Retr from an offset) and resumed upload (REST+STOR,")
	w("APPE, transfer.Put of a partial upload); the small files up and down through a transfer.Pool, which")
	w("pipelines EPSV (and REST) with RETR or STOR, and a resumed download through it; rename;")
	w("names with spaces and non-ASCII characters;")
	w("a missing file (550) and a permission refusal, then a listing and a download on the same")
	w("session; delete; rmdir; a wrong password (KindAuth).")
	w("TLS cells also check that data connections resumed the control connection's session")
	w("where the server requires it. Each cell runs on a server instance of its own. vsftpd,")
	w("inetutils-ftpd and ftpd-ssl-de offer no MLSD (ftpd-ssl-de has no FEAT at all), nor do Twisted")
	w("and aioftp (aioftp has MLSD but refuses FEAT, so it is not asked).")
	w("The Python servers write as root, which ignores file modes: pyftpdlib's permission refusal is a")
	w("link out of the user's root instead of a read-only folder; Twisted and aioftp follow such links,")
	w("so theirs is an immutable folder (chattr +i), and aioftp refuses with 451 \"file system error\".")
	w("Twisted refuses REST and APPE: its cells leave out the resumed transfers and upload those files whole.")
	w("Twisted reads commands as Latin-1 but writes names as UTF-8, so non-ASCII names come back")
	w("double-encoded: its name steps and cross-check use ASCII names with spaces.")
	w("aioftp refuses NOOP (the session is checked with PWD), and SIZE, MDTM and FEAT, which ferry")
	w("must work around (with MLST).")
	w("inetutils-ftpd and ftpd-ssl-de are BSD ftpds run per")
	w("connection, as from inetd; they answer LIST by running ls with the argument split at spaces,")
	w("so a folder whose name has spaces is listed after CWD into it (ferry does that for any such")
	w("name). ftpd-ssl-de lists in German (`insgesamt 8`, `6. Dez 16:31`, `5. Mär 2024`). Neither")
	w("offers TLS: inetutils-ftpd has none, and Debian's ftpd-ssl answers AUTH TLS but never loads")
	w("a certificate, so no handshake succeeds.")
	w("")
	w("| Server | TLS | IP | Passive | Active | TLS data connections |")
	w("|---|---|---|---|---|---|")
	for _, kind := range kindsSorted() {
		for _, v6 := range []bool{false, true} {
			for m := realserver.TLSNone; m <= realserver.TLSImplicit; m++ {
				opts := realserver.Options{TLS: m, IPv6: v6}
				if !realserver.Supports(kind, opts) {
					w("| %s | %s | %s | not offered | not offered | — |", kind, tlsLabel(m), ipLabel(v6))
					continue
				}
				p := r.cells[cellKey{kind, opts, modes[0]}]
				a := r.cells[cellKey{kind, opts, modes[1]}]
				active, notes := a.String(), tlsNotes(p, a)
				if !offersMode(kind, modes[1]) {
					active, notes = "not offered", tlsNotes(p, p)
				}
				w("| %s | %s | %s | %s | %s | %s |", kind, tlsLabel(m), ipLabel(v6), p, active, notes)
			}
		}
	}
	w("")
	w("## Cross-check with jlaffaye/ftp (passive, IPv4)")
	w("")
	w("jlaffaye/ftp downloads what ferry uploaded, ferry downloads what jlaffaye/ftp uploaded,")
	w("both compared byte for byte, and both list the folder with the same names and sizes.")
	w("jlaffaye/ftp's data connections half-close and drain before closing (see realserver_test.go).")
	w("Against inetutils-ftpd and ftpd-ssl-de it lists after CWD into the folder, and against")
	w("ftpd-ssl-de, whose German listing its parser does not read, it takes names from NLST and")
	w("sizes from SIZE.")
	w("")
	w("| Server | Plain | Explicit TLS |")
	w("|---|---|---|")
	for _, kind := range kindsSorted() {
		var cols []string
		for _, tls := range crossTLS {
			if realserver.Supports(kind, realserver.Options{TLS: tls}) {
				cols = append(cols, r.cross[crossKey{kind, tls}].String())
			} else {
				cols = append(cols, "not offered")
			}
		}
		w("| %s | %s |", kind, strings.Join(cols, " | "))
	}
	w("")
	w("## Command line on every server (plain, IPv4)")
	w("")
	w("`put -r` of a tree (names with spaces, UTF-8 and a leading dot, an empty file and folder,")
	w("three levels) into a new remote folder, `ls`, `ls -l -a --json`, `stat` of a file and a folder,")
	w("`mirror` down twice (the second copies nothing), `mirror -R --delete` of a changed copy and")
	w("`mirror -R` into a new folder, `get --parallel 1` of six files over one connection, `rm -r`;")
	w("each step checks the exit code and the whole trees. Lookahead: in each mode, how many of the")
	w("five files after the first were sent ahead (EPSV or EPRT, and RETR, before the final reply of")
	w("the file before), or why ferry served the server without it.")
	w("")
	w("| Server | Passive | Active | Lookahead (passive) | Lookahead (active) |")
	w("|---|---|---|---|---|")
	for _, kind := range kindsSorted() {
		cols := make([]string, len(modes))
		for i, mode := range modes {
			cols[i] = "not offered"
			if offersMode(kind, mode) {
				cols[i] = r.every[everyKey{kind, mode}].String()
			}
		}
		w("| %s | %s | %s | %s |", kind, strings.Join(cols, " | "), orDash(r.every[everyKey{kind, modes[0]}].lookahead()),
			orDash(r.every[everyKey{kind, modes[1]}].lookahead()))
	}
	w("")
	w("## Command line against vsftpd (IPv4)")
	w("")
	w("`ls`, `ls -l`, `mkdir -p`, `put`, `cat`, `get`, `get -c` after a cut partial file, `get` of a")
	w("missing and an existing file (exit code 8, the second file arrives), `stat --json`,")
	w("`mv`, `chmod`, `quote SYST`, `rm -r`, `rm`, `rmdir`, and the exit codes of a missing file,")
	w("a wrong password and a folder that is not empty; explicit TLS through `ftpes://`.")
	w("")
	w("| TLS | Passive | Active |")
	w("|---|---|---|")
	for _, tls := range cliTLS {
		w("| %s | %s | %s |", tlsLabel(tls), r.cli[cliKey{tls, modes[0]}], r.cli[cliKey{tls, modes[1]}])
	}
	return b.String()
}

// serverVersions reads the versions realserver unpacked from its
// installed.txt.
func serverVersions() map[realserver.Kind]string {
	out := map[realserver.Kind]string{}
	dir, err := realserver.CacheDir()
	if err != nil {
		return out
	}
	f, err := os.Open(filepath.Join(dir, "installed.txt"))
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, version, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		for kind, pkg := range packageOf {
			if pkg == name {
				out[kind] = version
			}
		}
	}
	return out
}

// moduleVersion returns the version of a module the main module requires,
// from its go.mod (test binaries carry no dependency list).
func moduleVersion(path string) string {
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		return "(version unknown)"
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && f[0] == path {
			return f[1]
		}
	}
	return "(version unknown)"
}
