package realserver

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// vsftpd authenticates local users through PAM only, and Linux-PAM reads a
// service's stack from /etc/pam.d/NAME alone: pam_service_name cannot point
// elsewhere (an absolute path falls back to /etc/pam.d/other, which
// denies). Virtual users through pam_exec hang vsftpd: its privileged
// process takes the checker's SIGCHLD for the death of its session process
// and waits forever. So vsftpd's test user is a real system account:
//
//   - ferryftp: a system user with shell /usr/sbin/nologin and home "/"
//     (vsftpd changes into the passwd home before local_root; "/" always
//     exists). Its password is random, made once, kept in
//     CacheDir()/vsftpd-password (mode 0600), and set as a SHA-512 crypt
//     hash with chpasswd -e.
//   - /etc/pam.d/ferry-vsftpd: a stack that lets ferryftp alone in, with
//     pam_unix, so no other account can log in to the test servers.
//
// Both are made when missing and corrected when different, under a lock.
// Nothing else on the system is changed.
const (
	vsftpdUser       = "ferryftp"
	vsftpdPAMService = "ferry-vsftpd"
	pamDir           = "/etc/pam.d"
)

const vsftpdPAMStack = `# Written by ferry's internal/realserver for the vsftpd it runs in tests.
# Only the ferryftp system account can log in through this service.
auth     required pam_succeed_if.so quiet user = ferryftp
auth     required pam_unix.so nodelay
account  required pam_permit.so
session  required pam_permit.so
password required pam_deny.so
`

type account struct {
	name, password string
	uid, gid       int
}

var vsftpdAccount = sync.OnceValues(func() (*account, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return ensureVsftpdAccount(ctx)
})

func ensureVsftpdAccount(ctx context.Context) (*account, error) {
	if os.Geteuid() != 0 {
		return nil, errNeedsRoot
	}
	cache, err := CacheDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(os.TempDir(), "ferry-realserver-account.lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()

	password, err := storedPassword(filepath.Join(cache, "vsftpd-password"))
	if err != nil {
		return nil, err
	}
	u, err := user.Lookup(vsftpdUser)
	if err != nil {
		out, err := run(ctx, "", nil, "useradd", "--system", "--no-create-home", "--home-dir", "/",
			"--shell", "/usr/sbin/nologin", "--comment", "ferry interop tests (vsftpd)", vsftpdUser)
		if err != nil {
			return nil, fmt.Errorf("realserver: useradd %s: %w\n%s", vsftpdUser, err, out)
		}
		if u, err = user.Lookup(vsftpdUser); err != nil {
			return nil, fmt.Errorf("realserver: %w", err)
		}
	}
	if u.HomeDir != "/" {
		if out, err := run(ctx, "", nil, "usermod", "--home", "/", vsftpdUser); err != nil {
			return nil, fmt.Errorf("realserver: usermod %s: %w\n%s", vsftpdUser, err, out)
		}
	}
	hash, err := shadowHash(vsftpdUser)
	if err != nil {
		return nil, err
	}
	if !checkSHA512Crypt(password, hash) {
		line := vsftpdUser + ":" + sha512Crypt(password, randomString(16), 0) + "\n"
		if out, err := runInput(ctx, line, "chpasswd", "-e"); err != nil {
			return nil, fmt.Errorf("realserver: chpasswd %s: %w\n%s", vsftpdUser, err, out)
		}
	}
	pam := filepath.Join(pamDir, vsftpdPAMService)
	if cur, err := os.ReadFile(pam); err != nil || string(cur) != vsftpdPAMStack {
		if err := os.WriteFile(pam, []byte(vsftpdPAMStack), 0o644); err != nil {
			return nil, fmt.Errorf("realserver: %w", err)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &account{name: vsftpdUser, password: password, uid: uid, gid: gid}, nil
}

// storedPassword reads the password kept in name, making one first if
// there is none.
func storedPassword(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err == nil && len(strings.TrimSpace(string(data))) >= 8 {
		return strings.TrimSpace(string(data)), nil
	}
	pw := randomString(20)
	if err := os.WriteFile(name, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("realserver: %w", err)
	}
	return pw, nil
}

// shadowHash returns the password field of name in /etc/shadow.
func shadowHash(name string) (string, error) {
	f, err := os.Open("/etc/shadow")
	if err != nil {
		return "", fmt.Errorf("realserver: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) > 1 && fields[0] == name {
			return fields[1], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("realserver: /etc/shadow: %w", err)
	}
	return "", fmt.Errorf("realserver: %s not in /etc/shadow", name)
}

func runInput(ctx context.Context, input, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// randomString returns n characters from the crypt alphabet, which is safe
// in salts, passwords and config files.
func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = cryptAlphabet[int(b[i])%len(cryptAlphabet)]
	}
	return string(b)
}

var errNeedsRoot = errors.New("realserver: needs root (it runs as root in CI)")
