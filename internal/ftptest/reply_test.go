package ftptest

import (
	"testing"
	"time"
)

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct{ raw, verb, arg string }{
		{"RETR file", "RETR", "file"},
		{"retr  two spaces ", "RETR", " two spaces "},
		{"NOOP", "NOOP", ""},
		{"", "", ""},
		{"\xff\xf4\xff\xf2ABOR", "ABOR", ""},
		{"\xff\xf4\xffABOR", "ABOR", ""}, // DM taken out of band
		{"\xff\xfb\x01NOOP", "NOOP", ""}, // IAC WILL ECHO
		{"STOR a\xff\xffb", "STOR", "a\xffb"},
	} {
		verb, arg := parseCommand(tc.raw)
		if verb != tc.verb || arg != tc.arg {
			t.Errorf("parseCommand(%q) = %q, %q; want %q, %q", tc.raw, verb, arg, tc.verb, tc.arg)
		}
	}
}

func TestFormatReply(t *testing.T) {
	for _, tc := range []struct {
		code int
		text string
		want string
	}{
		{200, "OK.", "200 OK.\r\n"},
		{211, "Features:\n EPSV\nEnd", "211-Features:\r\n EPSV\r\n211 End\r\n"},
		{220, "a\n220 b\nc", "220-a\r\n 220 b\r\n220 c\r\n"},
		{250, "x\r\ny", "250-x\r\n250 y\r\n"},
		{421, "", "421 \r\n"},
	} {
		if got := string(formatReply(tc.code, tc.text)); got != tc.want {
			t.Errorf("formatReply(%d, %q) = %q, want %q", tc.code, tc.text, got, tc.want)
		}
	}
}

func TestGreetingDelay(t *testing.T) {
	s := newServer(t, Config{Greeting: &Reply{Delay: 100 * time.Millisecond}})
	start := time.Now()
	c := dialRaw(t, s)
	if msg := c.expectReply(220); msg != "ftptest ready." {
		t.Errorf("greeting %q", msg)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("greeting after %v", d)
	}
}
