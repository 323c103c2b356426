package realserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// germanLocale is the locale ftpd-ssl-de runs in.
const germanLocale = "de_DE.UTF-8"

// localeDir is where, in the unpacked tree, the locales the servers run in
// are generated; the servers get it as LOCPATH. glibc looks there before
// its own folders, so nothing of the system's (locale-gen,
// /usr/lib/locale, /etc/locale.gen) is used or changed.
const localeDir = "usr/lib/ferry-locale"

// localePackage has the locale sources (/usr/share/i18n) that localedef
// compiles; it is unpacked into the tree like the servers.
const localePackage = "locales"

// generateLocales compiles germanLocale from the locale sources unpacked
// into root with the system's localedef (from libc-bin, which every Debian
// system has, so the compiled locale fits the system's glibc), into
// root/localeDir.
func generateLocales(ctx context.Context, root string) error {
	i18n := filepath.Join(root, "usr/share/i18n")
	if _, err := os.Stat(filepath.Join(i18n, "locales", "de_DE")); err != nil {
		return fmt.Errorf("realserver: the %s package's locale sources are not in %s: %w", localePackage, i18n, err)
	}
	dir := filepath.Join(root, localeDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("realserver: %w", err)
	}
	out := filepath.Join(dir, germanLocale)
	// -c writes the locale despite warnings, with exit status 1.
	msg, err := run(ctx, "", []string{"I18NPATH=" + i18n}, "localedef", "--no-archive", "-c", "-i", "de_DE", "-f", "UTF-8", out)
	if _, serr := os.Stat(filepath.Join(out, "LC_TIME")); serr != nil {
		return fmt.Errorf("realserver: localedef of %s: %v, %w\n%s", germanLocale, err, serr, msg)
	}
	return nil
}

// localePath returns the LOCPATH of the locales generated in root.
func localePath(root string) (string, error) {
	dir := filepath.Join(root, localeDir)
	if _, err := os.Stat(filepath.Join(dir, germanLocale, "LC_TIME")); err != nil {
		return "", fmt.Errorf("%w: locale %s not generated in %s; %s", ErrNotInstalled, germanLocale, dir, InstallHint)
	}
	return dir, nil
}
