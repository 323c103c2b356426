package client

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/internal/ftptest"
)

func TestZoneFrom(t *testing.T) {
	exact := time.Date(2026, 12, 6, 10, 0, 35, 0, time.UTC)
	for _, tc := range []struct {
		listed string // wall clock the server listed, "2006-01-02 15:04"
		want   string // zone name, or "" when it disagrees
	}{
		{"2026-12-06 10:00", "UTC"},
		{"2026-12-06 13:00", "UTC+03:00"},
		{"2026-12-06 05:00", "UTC-05:00"},
		{"2026-12-06 15:45", "UTC+05:45"}, // Nepal
		{"2026-12-06 23:00", "UTC+13:00"}, // Tonga
		{"2026-12-06 10:01", "UTC"},       // a server that rounds 10:00:35 up
		{"2026-12-06 13:07", ""},          // changed between LIST and MDTM
		{"2026-12-07 02:00", ""},          // 16 hours: no zone
		{"2026-12-06 09:59", ""},          // a minute early: no server cuts so
	} {
		listed, err := time.Parse("2006-01-02 15:04", tc.listed)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := zoneFrom(listed, exact)
		switch {
		case tc.want == "" && !errors.Is(err, ErrZoneDisagrees):
			t.Errorf("zoneFrom(%s) = %v, %v; want ErrZoneDisagrees", tc.listed, loc, err)
		case tc.want != "" && (err != nil || loc.String() != tc.want):
			t.Errorf("zoneFrom(%s) = %v, %v; want %s", tc.listed, loc, err, tc.want)
		}
	}
}

// TestLearnListZone lists a folder of a LIST-only server that lists times
// in UTC+03:00: the session asks MDTM for one file, once, and reads its
// later listings in that zone, so that the entries have their true times.
func TestLearnListZone(t *testing.T) {
	zone := time.FixedZone("server", 3*3600)
	srv := ftptest.New(t, ftptest.Config{Disable: []string{"MLST", "MLSD"}, ListZone: zone})
	now := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
	writeFile(t, srv, "d/a.txt", []byte("a"))
	writeFile(t, srv, "d/b.txt", []byte("b"))
	setTime(t, srv, "d/a.txt", now)
	setTime(t, srv, "d/b.txt", now.Add(-time.Minute))
	c := dialLogin(t, srv)
	entries, _, err := c.List(testCtx(t), "d")
	if err != nil || len(entries) != 2 {
		t.Fatalf("List = %v, %v", entries, err)
	}
	if entries[0].ModTime.Equal(now.Truncate(time.Minute)) {
		t.Fatalf("the first listing already has the true time %v: the server does not list in another zone", entries[0].ModTime)
	}
	loc, err := c.LearnListZone(testCtx(t), "d/a.txt", entries[0])
	if err != nil || loc.String() != "UTC+03:00" {
		t.Fatalf("LearnListZone = %v, %v; want UTC+03:00", loc, err)
	}
	if e := InZone(entries[1], loc); !e.ModTime.Equal(now.Add(-time.Minute).Truncate(time.Minute)) {
		t.Errorf("InZone(b.txt) = %v, want %v", e.ModTime, now.Add(-time.Minute).Truncate(time.Minute))
	}
	if _, err := c.LearnListZone(testCtx(t), "d/b.txt", entries[1]); err != nil {
		t.Errorf("second LearnListZone: %v", err)
	}
	again, _, err := c.List(testCtx(t), "d")
	if err != nil || len(again) != 2 || !again[0].ModTime.Equal(now.Truncate(time.Minute)) || !again[1].ModTime.Equal(now.Add(-time.Minute).Truncate(time.Minute)) {
		t.Errorf("List after learning = %+v, %v; want the true times %v and %v", again, err, now.Truncate(time.Minute), now.Add(-time.Minute).Truncate(time.Minute))
	}
	var mdtm []string
	for _, cmd := range srv.SessionCommands(1) {
		if len(cmd) > 4 && cmd[:4] == "MDTM" {
			mdtm = append(mdtm, cmd)
		}
	}
	if !slices.Equal(mdtm, []string{"MDTM d/a.txt"}) {
		t.Errorf("MDTM commands %q, want one for d/a.txt", mdtm)
	}
}

// setTime sets the modification time of a file under the server's root.
func setTime(t *testing.T, srv *ftptest.Server, name string, when time.Time) {
	t.Helper()
	p := filepath.Join(srv.Root(), filepath.FromSlash(name))
	if err := os.Chtimes(p, when, when); err != nil {
		t.Fatal(err)
	}
}
