package client

import (
	"bufio"
	"errors"
	"io"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReadReply(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		code  int
		lines []string
	}{
		{"single", "220 Service ready\r\n", 220, []string{"Service ready"}},
		{"bare LF", "200 OK\n", 200, []string{"OK"}},
		{"code only", "226\r\n", 226, []string{""}},
		{"empty text", "226 \r\n", 226, []string{""}},
		{"multi", "211-Features:\r\n MDTM\r\n SIZE\r\n211 End\r\n", 211, []string{"Features:", " MDTM", " SIZE", "End"}},
		{"multi with inner code-like lines", "250-Start\r\n250-middle\r\n123 other code\r\n250 End\r\n", 250,
			[]string{"Start", "250-middle", "123 other code", "End"}},
		{"multi ending in code only", "220-Hello\r\n220\r\n", 220, []string{"Hello", ""}},
		{"text with spaces kept", "257 \"/a  b\" is cwd\r\n", 257, []string{"\"/a  b\" is cwd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := readReply(bufio.NewReader(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			if r.Code != tt.code || !reflect.DeepEqual(r.Lines, tt.lines) {
				t.Errorf("got %d %q, want %d %q", r.Code, r.Lines, tt.code, tt.lines)
			}
		})
	}
}

func TestReadReplyTwoInOneBuffer(t *testing.T) {
	// 150 and 226 in one packet (curl test126) must be two replies.
	br := bufio.NewReader(strings.NewReader("150 Opening\r\n226 Done\r\n"))
	for _, want := range []int{150, 226} {
		r, err := readReply(br)
		if err != nil || r.Code != want {
			t.Fatalf("got %v, %v; want code %d", r, err, want)
		}
	}
}

func TestReadReplyErrors(t *testing.T) {
	long := "200 " + strings.Repeat("x", maxLineBytes) + "\r\n"
	endless := "211-start\r\n" + strings.Repeat("211-more\r\n", maxReplyLines+1)
	tests := []struct {
		name   string
		in     string
		format bool // errReplyFormat expected, else an EOF kind
	}{
		{"not a code", "hello\r\n", true},
		{"short", "20\r\n", true},
		{"bad separator", "200:OK\r\n", true},
		{"code out of range", "600 what\r\n", true},
		{"zero code", "099 what\r\n", true},
		{"over-long line", long, true},
		{"endless multi-line", endless, true},
		{"eof in multi-line", "211-start\r\n more\r\n", false},
		{"eof mid-line", "200 OK", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readReply(bufio.NewReader(strings.NewReader(tt.in)))
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, errReplyFormat); got != tt.format {
				t.Errorf("format error = %v (%v), want %v", got, err, tt.format)
			}
			if !tt.format && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("got %v, want an EOF error", err)
			}
		})
	}
}

// endlessLines reads as a multi-line reply that never ends: a first line,
// then lines of maxLineBytes bytes each. It counts the bytes read.
type endlessLines struct {
	buf  []byte
	read int
}

func (e *endlessLines) Read(p []byte) (int, error) {
	if len(e.buf) == 0 {
		if e.read == 0 {
			e.buf = []byte("211-start\r\n")
		} else {
			e.buf = []byte(" " + strings.Repeat("x", maxLineBytes-1) + "\r\n")
		}
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	e.read += n
	return n, nil
}

// TestReadReplyByteLimit: a multi-line reply of long lines, far below the
// line count limit, stops at maxReplyBytes.
func TestReadReplyByteLimit(t *testing.T) {
	src := &endlessLines{}
	_, err := readReply(bufio.NewReader(src))
	if !errors.Is(err, errReplyFormat) || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("readReply = %v, want a format error about the size", err)
	}
	if src.read > maxReplyBytes+2*maxLineBytes+4096 {
		t.Errorf("read %d bytes, limit %d", src.read, maxReplyBytes)
	}
	if lines := src.read / maxLineBytes; lines >= maxReplyLines {
		t.Errorf("stopped after %d lines: the line limit, not the byte limit", lines)
	}
}

func TestReadLineLimitExact(t *testing.T) {
	ok := "200 " + strings.Repeat("x", maxLineBytes-4) + "\r\n"
	if _, err := readReply(bufio.NewReaderSize(strings.NewReader(ok), 16)); err != nil {
		t.Errorf("line of exactly %d bytes: %v", maxLineBytes, err)
	}
}

func TestCheckArg(t *testing.T) {
	for _, s := range []string{"a\rb", "a\nb", "a\x00b", "\r\n"} {
		if !errors.Is(checkArg(s), ErrBadArgument) {
			t.Errorf("checkArg(%q) accepted", s)
		}
	}
	for _, s := range []string{"", "a b", "naïve.txt", "x;y"} {
		if err := checkArg(s); err != nil {
			t.Errorf("checkArg(%q) = %v", s, err)
		}
	}
}

func TestParseEPSV(t *testing.T) {
	good := map[string]int{
		"Entering Extended Passive Mode (|||6446|)": 6446,
		"(!!!1!)":              1,
		"EPSV ok (|||65535|).": 65535,
	}
	for in, want := range good {
		if got, err := parseEPSV(in); err != nil || got != want {
			t.Errorf("parseEPSV(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "(|||)", "(|||0|)", "(|||70000|)", "(||1|2|)", "(|!|12|)", "no parens", "(|||12a|)", "(|||12|"} {
		if _, err := parseEPSV(in); err == nil {
			t.Errorf("parseEPSV(%q) accepted", in)
		}
	}
}

func TestParsePASV(t *testing.T) {
	tests := []struct {
		in   string
		ip   string
		port int
	}{
		{"Entering Passive Mode (127,0,0,1,4,1).", "127.0.0.1", 1025},
		{"Entering Passive Mode 10,1,2,3,255,255", "10.1.2.3", 65535},
		{"=192,168,0,1,0,21", "192.168.0.1", 21},
		{"Passive (1999) mode (1,2,3,4,5,6)", "1.2.3.4", 1286},
	}
	for _, tt := range tests {
		ip, port, err := parsePASV(tt.in)
		if err != nil || !ip.Equal(net.ParseIP(tt.ip)) || port != tt.port {
			t.Errorf("parsePASV(%q) = %v, %d, %v; want %s, %d", tt.in, ip, port, err, tt.ip, tt.port)
		}
	}
	for _, in := range []string{"", "Passive (1,2,3,4,5)", "(256,0,0,1,1,1)", "(1,2,3,4,0,0)", "(1,2,3,4,5,6,7)"} {
		if _, _, err := parsePASV(in); err == nil {
			t.Errorf("parsePASV(%q) accepted", in)
		}
	}
}

func TestParse257(t *testing.T) {
	tests := map[string]string{
		`"/" is the current directory`: "/",
		`"/a ""quoted"" dir" created`:  `/a "quoted" dir`,
		`MKD ok "/x y"`:                "/x y",
	}
	for in, want := range tests {
		if got, ok := parse257(in); !ok || got != want {
			t.Errorf("parse257(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"no quotes", `"unterminated`} {
		if _, ok := parse257(in); ok {
			t.Errorf("parse257(%q) accepted", in)
		}
	}
}

func TestParseTimeVal(t *testing.T) {
	tests := map[string]time.Time{
		"20240304123456":     time.Date(2024, 3, 4, 12, 34, 56, 0, time.UTC),
		"20240304123456.5":   time.Date(2024, 3, 4, 12, 34, 56, 500_000_000, time.UTC),
		"19991231235959.123": time.Date(1999, 12, 31, 23, 59, 59, 123_000_000, time.UTC),
	}
	for in, want := range tests {
		if got, err := parseTimeVal(in); err != nil || !got.Equal(want) {
			t.Errorf("parseTimeVal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2024030412345", "20241304123456", "20240304123456.x", "abcdefghijklmn",
		// Out of what a file system holds: placeholders, not times.
		"99991231235959", "00000101000000", "18991231235959"} {
		if _, err := parseTimeVal(in); err == nil {
			t.Errorf("parseTimeVal(%q) accepted", in)
		}
	}
}

func TestMaskedLine(t *testing.T) {
	tests := map[string]string{
		"PASS secret":     "PASS ****",
		"pass secret":     "pass ****",
		"ACCT acc":        "ACCT ****",
		"PASS":            "PASS",
		"USER bob":        "USER bob",
		"SITE PASS maybe": "SITE PASS maybe",
	}
	for in, want := range tests {
		if got := maskedLine(in); got != want {
			t.Errorf("maskedLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeMatches(t *testing.T) {
	tests := []struct {
		code, expect int
		want         bool
	}{
		{226, 2, true}, {226, 22, true}, {226, 226, true}, {226, 250, false},
		{550, 2, false}, {331, 0, true}, {150, 1, true}, {211, 21, true}, {221, 21, false},
	}
	for _, tt := range tests {
		if got := codeMatches(tt.code, tt.expect); got != tt.want {
			t.Errorf("codeMatches(%d, %d) = %v", tt.code, tt.expect, got)
		}
	}
}

func TestAnnouncedSize(t *testing.T) {
	for text, want := range map[string]int64{
		"Opening BINARY mode data connection for a.txt (1234 bytes).": 1234,
		"Opening BINARY mode data connection for (x) (0 bytes)":       0,
		"Opening BINARY mode data connection for a.txt":               -1,
		"Data connection already open; transfer starting.":            -1,
		"Opening data connection for f (12x bytes)":                   -1,
		"Opening data connection for f (-5 bytes)":                    -1,
		"Accepted data connection for f (99999999999999999999 bytes)": -1,
	} {
		if got := announcedSize(text); got != want {
			t.Errorf("announcedSize(%q) = %d, want %d", text, got, want)
		}
	}
	if got := AnnouncedSize(strings.NewReader("")); got != -1 {
		t.Errorf("AnnouncedSize(other reader) = %d, want -1", got)
	}
}
