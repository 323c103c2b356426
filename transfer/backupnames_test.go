package transfer

import "testing"

// A backup takes its own name when free, else one more than the highest
// numbered name of it; other names do not count.
func TestBackupNames(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, "a.txt"},
		{[]string{"b.txt", "12~", "a.txt.bak", "a.txt.~x~", "a.txt.~07~"}, "a.txt"},
		{[]string{"a.txt"}, "a.txt.~1~"},
		{[]string{"a.txt", "a.txt.~1~", "a.txt.~3~", "a.txt.~2~.~1~"}, "a.txt.~4~"},
		{[]string{"a.txt.~2~"}, "a.txt.~3~"},
	} {
		b := backupNames{name: "a.txt"}
		for _, n := range tc.names {
			b.see(n, false)
		}
		if got := b.free(); got != tc.want {
			t.Errorf("names %q: free = %q, want %q", tc.names, got, tc.want)
		}
	}
	for name, want := range map[string]bool{"a.txt.bak": true, "a.txt.bak.~3~": true, "a.txt": false, ".bak": false, "a.txt.bak.~x~": false, "dir.bak": true} {
		if got := isBackupName(name, ".bak"); got != want {
			t.Errorf("isBackupName(%q) = %v", name, got)
		}
	}
}
