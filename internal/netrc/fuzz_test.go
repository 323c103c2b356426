package netrc

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, s := range []string{`"`, `"\`, "macdef", "machine", "login x", "# \"", "\"a\\\nb\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := Parse(strings.NewReader(s))
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && (pe.Line < 1 || pe.Line > strings.Count(s, "\n")+1) {
				t.Fatalf("Parse(%q): error line %d out of range: %v", s, pe.Line, err)
			}
			return
		}
		for _, m := range ms {
			for _, v := range []string{m.Name, m.Login, m.Password, m.Account} {
				if strings.ContainsAny(v, "\r\n\x00") {
					t.Fatalf("Parse(%q): entry %#v holds CR, LF or NUL", s, m)
				}
			}
			if m.Default != (m.Name == "") {
				t.Fatalf("Parse(%q): entry %#v: a default entry has no name, any other has one", s, m)
			}
		}
	})
}
