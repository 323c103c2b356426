package client

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchReplies returns a control-connection stream of n copies of reply.
func benchReplies(reply string, n int) []byte {
	return []byte(strings.Repeat(reply, n))
}

// benchReadReplies measures readReply over a stream of 100 copies of
// reply; each op reads all 100, and ns/reply is the time per reply.
func benchReadReplies(b *testing.B, reply string) {
	const n = 100
	stream := benchReplies(reply, n)
	r := bytes.NewReader(stream)
	br := bufio.NewReader(r)
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		r.Reset(stream)
		br.Reset(r)
		for range n {
			if _, err := readReply(br); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/reply")
}

// BenchmarkReadReplySingle reads the one-line replies of a transfer
// (150, 226, 229), the common case.
func BenchmarkReadReplySingle(b *testing.B) {
	benchReadReplies(b, "226 Transfer complete.\r\n")
}

// BenchmarkReadReplyFEAT reads vsftpd's multi-line FEAT reply.
func BenchmarkReadReplyFEAT(b *testing.B) {
	benchReadReplies(b, "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n"+
		" SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n")
}

// BenchmarkReadReplySTAT reads a 1,000-line STAT reply, as a server sends
// for a folder's listing over the control connection.
func BenchmarkReadReplySTAT(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("213-Status follows:\r\n")
	for _, line := range benchListing() {
		sb.WriteString(line + "\r\n")
	}
	sb.WriteString("213 End of status\r\n")
	stream := []byte(sb.String())
	r := bytes.NewReader(stream)
	br := bufio.NewReader(r)
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		r.Reset(stream)
		br.Reset(r)
		if _, err := readReply(br); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDOSListing returns 1,000 IIS/DOS listing lines.
func benchDOSListing() []string {
	lines := make([]string, 0, 1000)
	for i := range 1000 {
		day := fmt.Sprintf("%02d-%02d-%02d  %02d:%02d%s", 1+i%12, 1+i%28, 20+i%6, 1+i%12, i%60, [2]string{"AM", "PM"}[i%2])
		if i%10 == 0 {
			lines = append(lines, fmt.Sprintf("%s       <DIR>          folder %04d", day, i))
		} else {
			lines = append(lines, fmt.Sprintf("%s            %8d report-%04d.csv", day, i*104729, i))
		}
	}
	return lines
}

func BenchmarkParseListDOS(b *testing.B) {
	lines := benchDOSListing()
	p := &ListParser{Location: time.UTC}
	if entries, unparsed := p.Parse(lines); len(entries) != len(lines) || len(unparsed) != 0 {
		b.Fatalf("Parse gave %d entries and %d unparsed lines, want %d and 0", len(entries), len(unparsed), len(lines))
	}
	b.ReportAllocs()
	b.SetBytes(benchBytes(lines))
	for b.Loop() {
		p.Parse(lines)
	}
}

// BenchmarkParseListLine measures one Unix LIST line, the unit of work
// of a large listing, for its allocations.
func BenchmarkParseListLine(b *testing.B) {
	const line = "-rw-r--r--    1 1000     1000       104729 Mar 04 12:34 report-0001.csv"
	p := &ListParser{
		Now:      func() time.Time { return time.Date(2025, time.March, 10, 15, 0, 0, 0, time.UTC) },
		Location: time.UTC,
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.ParseLine(line); err != nil {
			b.Fatal(err)
		}
	}
}
