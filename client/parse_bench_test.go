package client

import (
	"fmt"
	"testing"
	"time"
)

// benchListing returns 1,000 LIST lines as vsftpd would send them for a
// busy folder: mostly files, some folders and links, a third of them old
// enough to show a year, some names with spaces.
func benchListing() []string {
	months := [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	lines := make([]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		when := fmt.Sprintf("%s %02d %02d:%02d", months[i%12], 1+i%28, i%24, i%60)
		if i%3 == 0 {
			when = fmt.Sprintf("%s %02d  %d", months[i%12], 1+i%28, 2015+i%9)
		}
		var line string
		switch {
		case i%10 == 0:
			line = fmt.Sprintf("drwxr-xr-x    2 1000     1000         4096 %s folder-%04d", when, i)
		case i%25 == 1:
			line = fmt.Sprintf("lrwxrwxrwx    1 1000     1000           16 %s link-%04d -> ../target-%04d", when, i, i)
		case i%7 == 0:
			line = fmt.Sprintf("-rw-r--r--    1 1000     1000     %8d %s Holiday photo %04d.jpg", i*7919, when, i)
		default:
			line = fmt.Sprintf("-rw-r--r--    1 1000     1000     %8d %s report-%04d.csv", i*104729, when, i)
		}
		lines = append(lines, line)
	}
	return lines
}

// benchMLSDListing returns 1,000 MLSD lines in proftpd's style.
func benchMLSDListing() []string {
	lines := make([]string, 0, 1000)
	for i := 0; i < 1000; i++ {
		modify := fmt.Sprintf("20%02d%02d%02d%02d%02d%02d", 15+i%10, 1+i%12, 1+i%28, i%24, i%60, (i*7)%60)
		var line string
		switch {
		case i%10 == 0:
			line = fmt.Sprintf("modify=%s;perm=flcdmpe;type=dir;unique=FD00U%X;UNIX.group=1000;UNIX.mode=0755;UNIX.owner=1000; folder-%04d", modify, i, i)
		case i%25 == 1:
			line = fmt.Sprintf("modify=%s;perm=adfrw;size=16;type=OS.unix=slink:../target-%04d;unique=FD00U%X;UNIX.group=1000;UNIX.mode=0777;UNIX.owner=1000; link-%04d", modify, i, i, i)
		default:
			line = fmt.Sprintf("modify=%s;perm=adfrw;size=%d;type=file;unique=FD00U%X;UNIX.group=1000;UNIX.mode=0644;UNIX.owner=1000; report %04d.csv", modify, i*104729, i, i)
		}
		lines = append(lines, line)
	}
	return lines
}

func benchBytes(lines []string) int64 {
	n := 0
	for _, l := range lines {
		n += len(l) + 2
	}
	return int64(n)
}

func BenchmarkParseListUnix(b *testing.B) {
	lines := benchListing()
	p := &ListParser{
		Now:      func() time.Time { return time.Date(2025, time.March, 10, 15, 0, 0, 0, time.UTC) },
		Location: time.UTC,
	}
	if entries, unparsed := p.Parse(lines); len(entries) != len(lines) || len(unparsed) != 0 {
		b.Fatalf("Parse gave %d entries and %d unparsed lines, want %d and 0", len(entries), len(unparsed), len(lines))
	}
	b.ReportAllocs()
	b.SetBytes(benchBytes(lines))
	for b.Loop() {
		p.Parse(lines)
	}
}

func BenchmarkParseMLSx(b *testing.B) {
	lines := benchMLSDListing()
	for _, l := range lines {
		if _, err := ParseMLSxLine(l); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.SetBytes(benchBytes(lines))
	for b.Loop() {
		for _, l := range lines {
			ParseMLSxLine(l)
		}
	}
}
