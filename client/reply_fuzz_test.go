package client

import (
	"bufio"
	"strings"
	"testing"
)

// FuzzReadReply: the reply reader never panics, never returns a reply
// larger than its limits, and a reply it accepts has a valid code.
func FuzzReadReply(f *testing.F) {
	for _, s := range []string{
		"220 ready\r\n", "211-Features:\r\n MDTM\r\n211 End\r\n", "226\r\n",
		"250-a\r\n250-b\r\n123 x\r\n250 end\r\n", "hello\r\n", "200 OK",
		"150 go\r\n226 done\r\n", "230-\r\n230\r\n", strings.Repeat("x", 9000) + "\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		br := bufio.NewReaderSize(strings.NewReader(in), 16)
		for i := 0; i < 4; i++ {
			r, err := readReply(br)
			if err != nil {
				return
			}
			if r.Code < 100 || r.Code > 599 || len(r.Lines) == 0 || len(r.Lines) > maxReplyLines+1 {
				t.Fatalf("bad reply %d with %d lines from %q", r.Code, len(r.Lines), in)
			}
			for _, l := range r.Lines {
				if len(l) > maxLineBytes {
					t.Fatalf("line of %d bytes accepted", len(l))
				}
			}
		}
	})
}

// FuzzParsePASV: never panics; an accepted reply gives a usable port.
func FuzzParsePASV(f *testing.F) {
	for _, s := range []string{"Entering Passive Mode (127,0,0,1,4,1).", "=1,2,3,4,5,6", "(256,1,1,1,1,1)", "(1,2,3,4,5,6,7)", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ip, port, err := parsePASV(in)
		if err != nil {
			return
		}
		if ip.To4() == nil || port < 1 || port > 65535 {
			t.Fatalf("parsePASV(%q) = %v, %d", in, ip, port)
		}
	})
}

// FuzzParseEPSV: never panics; an accepted reply gives a usable port.
func FuzzParseEPSV(f *testing.F) {
	for _, s := range []string{"Entering Extended Passive Mode (|||6446|)", "(!!!1!)", "(|||0|)", "(|||", ")(", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		port, err := parseEPSV(in)
		if err != nil {
			return
		}
		if port < 1 || port > 65535 {
			t.Fatalf("parseEPSV(%q) = %d", in, port)
		}
	})
}
