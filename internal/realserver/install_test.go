package realserver

import (
	"maps"
	"slices"
	"testing"
)

// TestParseInstalled checks which names count as installed for the
// dependencies of the unpacked packages: installed packages ("ii") and
// what they provide, not removed ones ("rc") or their provides.
func TestParseInstalled(t *testing.T) {
	out := "python3-cffi-backend ii  python3-cffi-backend-api-9729, python3-cffi-backend-api-max (= 9729), python3-cffi-backend-api-min (= 9729)\n" +
		"libc6 ii  \n" +
		"python3-openssl ii  \n" +
		"python3-bcrypt rc  \n" +
		"mawk ii  awk\n" +
		"oldpkg rc  virtual-old\n"
	got := slices.Sorted(maps.Keys(parseInstalled(out)))
	want := []string{"awk", "libc6", "mawk", "python3-cffi-backend", "python3-cffi-backend-api-9729",
		"python3-cffi-backend-api-max", "python3-cffi-backend-api-min", "python3-openssl"}
	if !slices.Equal(got, want) {
		t.Errorf("parseInstalled = %q, want %q", got, want)
	}
}
