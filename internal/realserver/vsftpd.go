package realserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// startVsftpd configures vsftpd 3.0.3. It runs as root in the foreground
// (background=NO) and authenticates the ferryftp system account through
// the PAM service ferry-vsftpd (see account.go), chrooted into the home
// folder through local_root.
//
// Choices:
//   - seccomp_sandbox=NO: its seccomp filter kills the session on some
//     kernels and container runtimes; isolate=NO and isolate_network=NO
//     because new namespaces (CLONE_NEWNET, CLONE_NEWPID) are refused in
//     some containers. None matters for a loopback test server.
//   - connect_from_port_20=NO: active mode without binding port 20.
//   - TLS: ssl_ciphers=HIGH (3.0.3's default DES-CBC3-SHA is not offered by
//     Go), no client certificate asked, and require_ssl_reuse left at its
//     default YES: a data connection must resume the control connection's
//     session (see Server.SessionReuse).
//   - delay_failed_login=0 keeps wrong-password tests fast.
//   - port_promiscuous and pasv_promiscuous stay NO (PORT only to the
//     client, data connections only from it) unless Options.FXP.
func startVsftpd(_ context.Context, c *config) ([]string, error) {
	acct, err := vsftpdAccount()
	if err != nil {
		return nil, err
	}
	c.User, c.Password = acct.name, acct.password
	c.uid, c.gid = acct.uid, acct.gid
	c.Log = filepath.Join(c.Dir, "vsftpd.log")
	empty := filepath.Join(c.Dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	lo, hi := c.ports.passive()
	conf := map[string]any{
		"background":              false,
		"anonymous_enable":        false,
		"local_enable":            true,
		"write_enable":            true,
		"local_umask":             "022",
		"file_open_mode":          "0666",
		"chroot_local_user":       true,
		"allow_writeable_chroot":  true,
		"local_root":              c.Home,
		"secure_chroot_dir":       empty,
		"pam_service_name":        vsftpdPAMService,
		"seccomp_sandbox":         false,
		"isolate":                 false,
		"isolate_network":         false,
		"listen_port":             c.port,
		"pasv_enable":             true,
		"pasv_min_port":           lo,
		"pasv_max_port":           hi,
		"pasv_promiscuous":        false,
		"port_enable":             true,
		"port_promiscuous":        false,
		"connect_from_port_20":    false,
		"delay_failed_login":      0,
		"max_login_fails":         3,
		"use_localtime":           false,
		"xferlog_enable":          true,
		"xferlog_std_format":      false,
		"vsftpd_log_file":         c.Log,
		"log_ftp_protocol":        true,
		"dirmessage_enable":       false,
		"ftpd_banner":             "ferry test vsftpd ready",
		"ssl_enable":              c.Options.TLS != TLSNone,
		"max_clients":             200,
		"max_per_ip":              200,
		"idle_session_timeout":    600,
		"data_connection_timeout": 300,
	}
	if c.Options.FXP {
		conf["port_promiscuous"], conf["pasv_promiscuous"] = true, true
	}
	if c.Options.PassiveAddress != "" {
		conf["pasv_address"] = c.Options.PassiveAddress
	}
	if c.Options.IPv6 {
		conf["listen"], conf["listen_ipv6"], conf["listen_address6"] = false, true, c.host
	} else {
		conf["listen"], conf["listen_ipv6"], conf["listen_address"] = true, false, c.host
	}
	if c.Options.TLS != TLSNone {
		conf["rsa_cert_file"] = c.certs.Cert
		conf["rsa_private_key_file"] = c.certs.Key
		conf["ssl_ciphers"] = "HIGH"
		conf["ssl_request_cert"] = false
		conf["force_local_logins_ssl"] = true
		conf["force_local_data_ssl"] = true
		conf["implicit_ssl"] = c.Options.TLS == TLSImplicit
		c.SessionReuse = true // require_ssl_reuse defaults to YES
		if c.Options.RequireClientCert {
			conf["ssl_request_cert"] = true
			conf["require_cert"] = true
			conf["validate_cert"] = true
			conf["ca_certs_file"] = c.CAFile
		}
	}
	name := filepath.Join(c.Dir, "vsftpd.conf")
	// vsftpd refuses a config file not owned by the user running it.
	if err := os.WriteFile(name, []byte(formatVsftpdConf(conf)), 0o600); err != nil {
		return nil, fmt.Errorf("realserver: %w", err)
	}
	return []string{filepath.Join(c.root, "usr/sbin/vsftpd"), name}, nil
}

func formatVsftpdConf(conf map[string]any) string {
	var lines []string
	for k, v := range conf {
		switch v := v.(type) {
		case bool:
			if v {
				lines = append(lines, k+"=YES")
			} else {
				lines = append(lines, k+"=NO")
			}
		default:
			lines = append(lines, fmt.Sprintf("%s=%v", k, v))
		}
	}
	slices.Sort(lines)
	return "# Written by ferry's internal/realserver.\n" + strings.Join(lines, "\n") + "\n"
}
