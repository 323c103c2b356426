package transfer

import (
	"testing"
	"time"
)

func TestTempName(t *testing.T) {
	src := Source{Site: "h:21", Path: "/d/a.txt", Size: 10, ModTime: time.Unix(1e9, 0)}
	a, ok := TempName("a.txt", src, nil)
	if !ok || !IsTempName(a) {
		t.Fatalf("TempName = %q, %v; want a resumable temporary name", a, ok)
	}
	if b, _ := TempName("a.txt", src, nil); b != a {
		t.Errorf("same source: %q then %q, want the same name", a, b)
	}
	changed := src
	changed.ModTime = changed.ModTime.Add(time.Second)
	if b, _ := TempName("a.txt", changed, nil); b == a {
		t.Errorf("a changed source kept the name %q", a)
	}
	// A name the folder holds is never used, and not resumed.
	b, ok := TempName("a.txt", src, func(n string) bool { return n == a })
	if b == a || ok || !IsTempName(b) {
		t.Errorf("avoiding %q: got %q, %v", a, b, ok)
	}
	// Unidentified sources get a fresh name each time.
	u1, ok1 := TempName("a.txt", Source{Path: "/a", Size: -1}, nil)
	u2, _ := TempName("a.txt", Source{Path: "/a", Size: -1}, nil)
	if ok1 || u1 == u2 || !IsTempName(u1) {
		t.Errorf("unidentified source: %q, %q, resumable %v", u1, u2, ok1)
	}
	for _, n := range []string{"a.txt.part", ".a.txt.part", ".a.ferry-1234567.part", ".a.ferry-1234567G.part",
		".a.ferry-1234ABCD.part", ".ferry-12345678.part", ".a.ferry-12345678-0.part", ".a.ferry-12345678-.part", "a.ferry-12345678.part"} {
		if IsTempName(n) {
			t.Errorf("IsTempName(%q) = true", n)
		}
	}
	for _, n := range []string{".a.ferry-12345678.part", ". .ferry-deadbeef-12.part"} {
		if !IsTempName(n) {
			t.Errorf("IsTempName(%q) = false", n)
		}
	}
}
