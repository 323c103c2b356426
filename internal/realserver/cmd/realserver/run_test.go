package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ferry-ftp/ferry/internal/realserver"
)

func TestParseStart(t *testing.T) {
	tests := []struct {
		args    []string
		want    startOptions
		wantErr string
	}{
		{args: []string{"vsftpd"}, want: startOptions{kind: realserver.Vsftpd}},
		{args: []string{"vsftpd", "-tls", "implicit", "-6"},
			want: startOptions{kind: realserver.Vsftpd, opts: realserver.Options{TLS: realserver.TLSImplicit, IPv6: true}}},
		{args: []string{"-tls", "explicit", "pure-ftpd"},
			want: startOptions{kind: realserver.PureFTPd, opts: realserver.Options{TLS: realserver.TLSExplicit}}},
		{args: []string{}, wantErr: "needs one server kind"},
		{args: []string{"vsftpd", "proftpd"}, wantErr: "needs one server kind"},
		{args: []string{"iis"}, wantErr: `unknown server "iis"`},
		{args: []string{"vsftpd", "-tls", "ssl"}, wantErr: "unknown TLS mode"},
		{args: []string{"pyftpdlib", "-tls", "implicit"}, wantErr: "does not offer TLS implicit"},
		{args: []string{"twisted", "-6"}, wantErr: "does not offer TLS none over IPv6"},
		{args: []string{"-tls", "implicit", "aioftp", "-6"},
			want: startOptions{kind: realserver.Aioftp, opts: realserver.Options{TLS: realserver.TLSImplicit, IPv6: true}}},
		{args: []string{"vsftpd", "-x"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		got, err := parseStart(tt.args)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseStart(%q) error = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseStart(%q): %v", tt.args, err)
			continue
		}
		if *got != tt.want {
			t.Errorf("parseStart(%q) = %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		stdout     string
		stderrPart string
	}{
		{args: nil, code: exitUsage, stderrPart: "missing command"},
		{args: []string{"frobnicate"}, code: exitUsage, stderrPart: `unknown command "frobnicate"`},
		{args: []string{"install", "now"}, code: exitUsage, stderrPart: "install takes no arguments"},
		{args: []string{"start", "pyftpdlib", "-tls", "implicit"}, code: exitFailure, stderrPart: "does not offer"},
		{args: []string{"help"}, code: exitOK, stdout: usage},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("run(%q) = %d, want %d; stderr: %s", tt.args, code, tt.code, stderr.String())
		}
		if tt.stdout != "" && stdout.String() != tt.stdout {
			t.Errorf("run(%q) stdout = %q, want %q", tt.args, stdout.String(), tt.stdout)
		}
		if !strings.Contains(stderr.String(), tt.stderrPart) {
			t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, stderr.String(), tt.stderrPart)
		}
	}
}

func TestList(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"list"}, &out, &out); code != exitOK {
		t.Fatalf("list exited %d: %s", code, out.String())
	}
	for _, want := range []string{
		"vsftpd         none-ipv4=yes explicit-ipv4=yes implicit-ipv4=yes",
		"pure-ftpd      none-ipv4=yes explicit-ipv4=yes implicit-ipv4=-",
		"twisted        none-ipv4=yes explicit-ipv4=- implicit-ipv4=- none-ipv6=-",
		"aioftp         none-ipv4=yes explicit-ipv4=- implicit-ipv4=yes none-ipv6=yes",
		"inetutils-ftpd none-ipv4=yes explicit-ipv4=- implicit-ipv4=- none-ipv6=yes",
		"ftpd-ssl-de    none-ipv4=yes explicit-ipv4=- implicit-ipv4=- none-ipv6=yes",
		"ftpserverlib   none-ipv4=yes explicit-ipv4=yes implicit-ipv4=yes",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("list output lacks %q:\n%s", want, out.String())
		}
	}
}
