package realserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// The servers' Debian packages. They conflict with each other as installed
// packages (all want port 21 and /etc files), so they are only unpacked
// into the cache with dpkg-deb -x, never installed.
var serverPackages = map[Kind][]string{
	Vsftpd:    {"vsftpd"},
	PureFTPd:  {"pure-ftpd", "pure-ftpd-common"},
	ProFTPD:   {"proftpd-core", "proftpd-mod-crypto"}, // mod_tls.so is in -mod-crypto
	Pyftpdlib: {"python3-pyftpdlib"},
	Twisted:   {"python3-twisted"},
	Aioftp:    {"python3-aioftp"},

	InetutilsFTPd: {"inetutils-ftpd"},
	FtpdSSLDE:     {"ftpd-ssl", localePackage},
}

// keyFiles are the files, relative to the unpacked tree, that a kind needs.
var keyFiles = map[Kind][]string{
	Vsftpd:    {"usr/sbin/vsftpd"},
	PureFTPd:  {"usr/sbin/pure-ftpd", "usr/bin/pure-pw"},
	ProFTPD:   {"usr/sbin/proftpd", "usr/lib/proftpd/mod_tls.so"},
	Pyftpdlib: {"usr/lib/python3/dist-packages/pyftpdlib/__init__.py"},
	Twisted:   {"usr/lib/python3/dist-packages/twisted/protocols/ftp.py"},
	Aioftp:    {"usr/lib/python3/dist-packages/aioftp/server.py"},

	InetutilsFTPd: {"usr/sbin/ftpd"},
	FtpdSSLDE:     {"usr/sbin/in.ftpd", localeDir + "/" + germanLocale + "/LC_TIME"},
}

// systemPython is Debian's interpreter. python3 on PATH may be another one
// (pyenv) that lacks Debian's modules; pyftpdlib runs under this one.
const systemPython = "/usr/bin/python3"

// Packages installed with apt-get when missing: pyftpdlib's interpreter and
// pyOpenSSL for its TLS. They are ordinary packages that conflict with
// nothing, and too deep in dependencies to unpack by hand.
var pythonPackages = []string{"python3", "python3-openssl"}

// InstallHint says how to get the servers; skip messages end with it.
const InstallHint = "install them with: go run ./internal/realserver/cmd/realserver install " +
	"(as root; downloads Debian packages into the cache, see FERRY_SERVER_CACHE)"

// ErrNotInstalled is returned by Start when the server's packages are not
// unpacked in the cache.
var ErrNotInstalled = errors.New("realserver: server not installed")

const stampName = "installed.txt"

// CacheDir returns the folder the servers are unpacked into:
// $FERRY_SERVER_CACHE, else $XDG_CACHE_HOME/ferry/servers, else
// ~/.cache/ferry/servers.
func CacheDir() (string, error) {
	if d := os.Getenv("FERRY_SERVER_CACHE"); d != "" {
		return filepath.Abs(d)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("realserver: no cache folder (set FERRY_SERVER_CACHE): %w", err)
	}
	return filepath.Join(base, "ferry", "servers"), nil
}

// Install downloads the servers' and the proxies' Debian packages with apt-get download
// and unpacks them with dpkg-deb -x into CacheDir()/root, together with any
// shared libraries they need that the system lacks (found through the
// packages' Depends and checked with ldd, run with LD_LIBRARY_PATH into the
// tree). It runs apt-get update when apt has no lists, installs python3 and
// python3-openssl with apt-get when Debian's interpreter or pyOpenSSL is
// missing, and prepares the system account vsftpd logs in with (see
// vsftpdAccount). It does nothing that is already done, and is safe to run
// from several processes at once.
func Install(ctx context.Context) error {
	cache, err := CacheDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(cache, ".lock"))
	if err != nil {
		return err
	}
	defer unlock()

	// Python first: the Python packages it brings are not unpacked again.
	if err := ensurePython(ctx); err != nil {
		return err
	}
	if missingFiles(cache) != nil {
		if err := unpackAll(ctx, cache); err != nil {
			return err
		}
	}
	if os.Geteuid() == 0 {
		if _, err := vsftpdAccount(); err != nil {
			return err
		}
	}
	// The helper programs, built now so that the first test does not
	// wait for them.
	for _, name := range helperNames {
		if _, err := helperBinary(name); err != nil {
			return err
		}
	}
	return nil
}

// missingFiles lists what is missing for a complete install.
func missingFiles(cache string) []string {
	var missing []string
	if _, err := os.Stat(filepath.Join(cache, stampName)); err != nil {
		missing = append(missing, stampName)
	}
	for _, kind := range Kinds {
		for _, f := range keyFiles[kind] {
			if _, err := os.Stat(filepath.Join(cache, "root", f)); err != nil {
				missing = append(missing, f)
			}
		}
	}
	for _, kind := range ProxyKinds {
		for _, f := range proxyKeyFiles[kind] {
			if _, err := os.Stat(filepath.Join(cache, "root", f)); err != nil {
				missing = append(missing, f)
			}
		}
	}
	return missing
}

// installedRoot returns the unpacked tree if kind is installed in it.
func installedRoot(kind Kind) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	root := filepath.Join(cache, "root")
	check := append([]string{"../" + stampName}, keyFiles[kind]...)
	for _, f := range check {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			return "", fmt.Errorf("%w: %s not found in %s; %s", ErrNotInstalled, kind, cache, InstallHint)
		}
	}
	return root, nil
}

// unpackAll downloads and unpacks everything into a new tree, checks it,
// and then puts it in place of the old one.
func unpackAll(ctx context.Context, cache string) error {
	for _, tool := range []string{"apt-get", "dpkg-deb", "dpkg-query", "ldd", "localedef"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("realserver: %s not found: the servers come from Debian packages", tool)
		}
	}
	debs := filepath.Join(cache, "debs")
	newRoot := filepath.Join(cache, "root.new")
	for _, d := range []string{debs, newRoot} {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("realserver: %w", err)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("realserver: %w", err)
		}
	}
	var want []string
	for _, kind := range Kinds {
		want = append(want, serverPackages[kind]...)
	}
	want = append(want, proxyPackageList()...)
	var record []string
	done := map[string]bool{}
	for len(want) > 0 {
		files, err := download(ctx, debs, want)
		if err != nil {
			return err
		}
		for _, p := range want {
			done[p] = true
		}
		var depends []string
		for _, f := range files {
			if out, err := run(ctx, "", nil, "dpkg-deb", "-x", f, newRoot); err != nil {
				return fmt.Errorf("realserver: unpack %s: %w\n%s", f, err, out)
			}
			fields, err := run(ctx, "", nil, "dpkg-deb", "-f", f, "Package", "Version", "Depends", "Pre-Depends")
			if err != nil {
				return fmt.Errorf("realserver: read %s: %w\n%s", f, err, fields)
			}
			ctrl := parseControl(fields)
			record = append(record, ctrl["Package"]+" "+ctrl["Version"])
			depends = append(depends, ctrl["Depends"], ctrl["Pre-Depends"])
		}
		// Shared libraries the system lacks are unpacked too, and their own
		// dependencies in the next round.
		want, err = missingLibraries(ctx, depends, done)
		if err != nil {
			return err
		}
	}
	if err := checkLibraries(ctx, newRoot); err != nil {
		return err
	}
	if err := checkPythonModules(ctx, newRoot); err != nil {
		return err
	}
	if err := generateLocales(ctx, newRoot); err != nil {
		return err
	}
	oldRoot := filepath.Join(cache, "root")
	os.Remove(filepath.Join(cache, stampName))
	if err := os.RemoveAll(oldRoot); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	if err := os.Rename(newRoot, oldRoot); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	slices.Sort(record)
	stamp := fmt.Sprintf("# unpacked by ferry's internal/realserver on %s\n%s\n",
		time.Now().UTC().Format(time.RFC3339), strings.Join(record, "\n"))
	if err := os.WriteFile(filepath.Join(cache, stampName), []byte(stamp), 0o644); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	return nil
}

// download runs apt-get download for pkgs in dir and returns the .deb files
// it fetched. When apt cannot find a package, its lists may be empty (a
// fresh machine): it runs apt-get update once and tries again.
func download(ctx context.Context, dir string, pkgs []string) ([]string, error) {
	before, _ := filepath.Glob(filepath.Join(dir, "*.deb"))
	// fetched returns the .deb files that are new since before.
	fetched := func() []string {
		after, _ := filepath.Glob(filepath.Join(dir, "*.deb"))
		var files []string
		for _, f := range after {
			if !slices.Contains(before, f) {
				files = append(files, f)
			}
		}
		return files
	}
	args := []string{"download"}
	if os.Geteuid() == 0 {
		// apt drops to the _apt user to download, who cannot write here.
		args = append(args, "-o", "APT::Sandbox::User=root")
	}
	args = append(args, pkgs...)
	out, err := run(ctx, dir, nil, "apt-get", args...)
	if err != nil {
		if os.Geteuid() != 0 {
			return nil, fmt.Errorf("realserver: apt-get download %s: %w\n%s(not root, so apt-get update was not tried)", strings.Join(pkgs, " "), err, out)
		}
		// A failed download may have fetched some packages at the versions
		// of old lists; after the update they could differ, and two
		// versions of one package would be unpacked over each other.
		for _, f := range fetched() {
			os.Remove(f)
		}
		if up, uerr := run(ctx, "", nil, "apt-get", "update"); uerr != nil {
			return nil, fmt.Errorf("realserver: apt-get download failed and apt-get update too: %w\n%s\n%s", uerr, out, up)
		}
		if out, err = run(ctx, dir, nil, "apt-get", args...); err != nil {
			return nil, fmt.Errorf("realserver: apt-get download %s: %w\n%s", strings.Join(pkgs, " "), err, out)
		}
	}
	files := fetched()
	if len(files) < len(pkgs) {
		return nil, fmt.Errorf("realserver: apt-get download %s fetched %d files\n%s", strings.Join(pkgs, " "), len(files), out)
	}
	return files, nil
}

// missingLibraries returns the library packages named in depends (Debian
// Depends fields) of which no alternative is installed on the system
// (itself, or a package that provides it) and that were not fetched
// already: shared libraries ("lib...") and Python modules ("python3-...",
// for the servers written in Python). Other dependencies (adduser,
// debconf, inetd, ...) are for installed packages and not needed to run
// from the tree.
func missingLibraries(ctx context.Context, depends []string, done map[string]bool) ([]string, error) {
	var groups [][]string
	for _, field := range depends {
		groups = append(groups, parseDepends(field)...)
	}
	installed := map[string]bool{}
	if len(groups) > 0 {
		out, err := run(ctx, "", nil, "dpkg-query", "-W", "-f", installedFormat)
		if err != nil {
			return nil, fmt.Errorf("realserver: dpkg-query: %w\n%s", err, out)
		}
		installed = parseInstalled(out)
	}
	var want []string
	for _, g := range groups {
		ok := slices.ContainsFunc(g, func(n string) bool { return installed[n] || done[n] })
		unpacked := strings.HasPrefix(g[0], "lib") || strings.HasPrefix(g[0], "python3-")
		if !ok && unpacked && !slices.Contains(want, g[0]) {
			want = append(want, g[0])
		}
	}
	return want, nil
}

// installedFormat is dpkg-query's output format for parseInstalled.
const installedFormat = "${Package} ${db:Status-Abbrev} ${Provides}\n"

// parseInstalled returns the names of the installed packages in the output
// of dpkg-query -W -f installedFormat, and the names they provide
// (python3-cffi-backend provides python3-cffi-backend-api-min, which
// python3-bcrypt depends on).
func parseInstalled(out string) map[string]bool {
	installed := map[string]bool{}
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[1], "ii") {
			continue
		}
		installed[f[0]] = true
		for _, g := range parseDepends(strings.Join(f[2:], " ")) {
			installed[g[0]] = true
		}
	}
	return installed
}

// parseDepends splits a Depends field into groups of alternatives, keeping
// only the package names.
func parseDepends(field string) [][]string {
	var groups [][]string
	for group := range strings.SplitSeq(field, ",") {
		var alts []string
		for alt := range strings.SplitSeq(group, "|") {
			f := strings.Fields(alt)
			if len(f) == 0 {
				continue
			}
			name, _, _ := strings.Cut(f[0], ":") // python3:any
			alts = append(alts, name)
		}
		if len(alts) > 0 {
			groups = append(groups, alts)
		}
	}
	return groups
}

// parseControl reads "Field: value" lines as printed by dpkg-deb -f.
func parseControl(s string) map[string]string {
	m := map[string]string{}
	last := ""
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\n")
		if strings.HasPrefix(line, " ") && last != "" {
			m[last] += " " + strings.TrimSpace(line)
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			last = k
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// checkLibraries runs ldd on the unpacked programs and fails when a
// shared library is still not found.
func checkLibraries(ctx context.Context, root string) error {
	bins := []string{"usr/sbin/vsftpd", "usr/sbin/pure-ftpd", "usr/bin/pure-pw", "usr/sbin/proftpd", "usr/lib/proftpd/mod_tls.so", "usr/sbin/ftpd", "usr/sbin/in.ftpd"}
	env := []string{"LD_LIBRARY_PATH=" + libraryPath(root)}
	var missing []string
	for _, b := range bins {
		out, err := run(ctx, "", env, "ldd", filepath.Join(root, b))
		if err != nil {
			return fmt.Errorf("realserver: ldd %s: %w\n%s", b, err, out)
		}
		for line := range strings.Lines(out) {
			if strings.Contains(line, "not found") {
				missing = append(missing, b+": "+strings.TrimSpace(line))
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("realserver: shared libraries not found:\n%s", strings.Join(missing, "\n"))
	}
	return nil
}

// libraryPath is LD_LIBRARY_PATH for programs from the unpacked tree.
func libraryPath(root string) string {
	var dirs []string
	for _, pat := range []string{"usr/lib/*-linux-gnu", "lib/*-linux-gnu", "usr/lib", "lib"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		dirs = append(dirs, m...)
	}
	return strings.Join(dirs, ":")
}

// pythonModules are the modules each server written in Python imports,
// checked after unpacking.
var pythonModules = []string{"pyftpdlib.servers", "twisted.protocols.ftp", "twisted.cred.portal", "aioftp"}

// checkPythonModules imports the Python servers' modules with Debian's
// interpreter and PYTHONPATH into the unpacked tree, as the servers run,
// and fails when a dependency is still missing.
func checkPythonModules(ctx context.Context, root string) error {
	env := []string{"PYTHONPATH=" + filepath.Join(root, "usr/lib/python3/dist-packages"), "PYTHONNOUSERSITE=1", "PYTHONDONTWRITEBYTECODE=1"}
	code := "import " + strings.Join(pythonModules, ", ")
	if out, err := run(ctx, "", env, systemPython, "-c", code); err != nil {
		return fmt.Errorf("realserver: %s cannot run the Python servers from the tree: %w\n%s", systemPython, err, out)
	}
	return nil
}

// ensurePython installs Debian's python3 and pyOpenSSL when missing.
func ensurePython(ctx context.Context) error {
	check := func() error {
		out, err := run(ctx, "", nil, systemPython, "-c", "import OpenSSL, asynchat")
		if err != nil {
			return fmt.Errorf("%w\n%s", err, out)
		}
		return nil
	}
	err := check()
	if err == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("realserver: %s cannot import pyOpenSSL (%v); install %s as root", systemPython, err, strings.Join(pythonPackages, " "))
	}
	env := []string{"DEBIAN_FRONTEND=noninteractive"}
	args := append([]string{"install", "-y", "--no-install-recommends"}, pythonPackages...)
	if _, err := run(ctx, "", env, "apt-get", args...); err != nil {
		// Perhaps the package lists are empty (a fresh machine).
		if up, uerr := run(ctx, "", nil, "apt-get", "update"); uerr != nil {
			return fmt.Errorf("realserver: apt-get update: %w\n%s", uerr, up)
		}
		if out, err := run(ctx, "", env, "apt-get", args...); err != nil {
			return fmt.Errorf("realserver: apt-get install: %w\n%s", err, out)
		}
	}
	return check()
}

// run runs a command and returns its combined output. env is added to the
// process's environment.
func run(ctx context.Context, dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.String(), err
}

// lockFile takes an exclusive flock on name, polling so that ctx can end
// the wait. The returned func releases it.
func lockFile(ctx context.Context, name string) (func(), error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("realserver: lock %s: %w", name, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
