package realserver

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// pythonServer prepares a server written in Python (pyftpdlib, Twisted,
// aioftp): it writes script, embedded in the package, into c.Dir as name,
// sets a user "ferry" with a random password that reaches the script
// through FERRY_FTP_PASSWORD (argv is readable by every user in ps), and
// returns the command line that runs it under Debian's /usr/bin/python3
// with PYTHONPATH into the unpacked tree. The scripts take --host, --port,
// --user, --home, --passive LO-HI and --log; extra is added. They run as
// the test's user, root in CI, and write files as it.
func pythonServer(c *config, name string, script []byte, extra ...string) ([]string, error) {
	if _, err := os.Stat(systemPython); err != nil {
		return nil, fmt.Errorf("%w: %s missing; %s", ErrNotInstalled, systemPython, InstallHint)
	}
	c.User, c.Password = "ferry", randomString(16)
	c.uid, c.gid = os.Geteuid(), os.Getegid()
	c.Log = filepath.Join(c.Dir, string(c.Kind)+".log")
	path := filepath.Join(c.Dir, name)
	if err := os.WriteFile(path, script, 0o644); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	c.env = append(c.env,
		"PYTHONPATH="+filepath.Join(c.root, "usr/lib/python3/dist-packages"),
		"PYTHONNOUSERSITE=1",
		"PYTHONDONTWRITEBYTECODE=1",
		"PYTHONWARNINGS=ignore::DeprecationWarning",
		"FERRY_FTP_PASSWORD="+c.Password,
	)
	lo, hi := c.ports.passive()
	argv := []string{systemPython, "-u", path,
		"--host", c.host,
		"--port", strconv.Itoa(c.port),
		"--user", c.User,
		"--home", c.Home,
		"--passive", fmt.Sprintf("%d-%d", lo, hi),
		"--log", c.Log,
	}
	return append(argv, extra...), nil
}
