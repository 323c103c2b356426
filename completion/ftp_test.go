package completion

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftptest"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
	"github.com/ferry-ftp/ferry/transfer"
)

// connLister lists through a logged-in client connection, as the command
// line's Lister does.
type connLister struct{ c *client.Conn }

func (l connLister) ReadDir(ctx context.Context, dir string) ([]client.Entry, error) {
	return ReadDir(ctx, l.c, dir)
}

func (l connLister) Close() error { return l.c.Close() }

// TestRealServer completes against the in-process FTP server, listing
// with MLSD and, when the server offers no MLST, with LIST.
func TestRealServer(t *testing.T) {
	t.Run("MLSD", func(t *testing.T) { testRealServer(t, nil, "MLSD", []string{"pub/.hidden"}) })
	// Like most servers, the test server's LIST leaves out hidden names.
	t.Run("LIST", func(t *testing.T) { testRealServer(t, []string{"MLST", "MLSD"}, "LIST", nil) })
}

func testRealServer(t *testing.T, disable []string, verb string, hidden []string) {
	srv := ftptest.New(t, ftptest.Config{Disable: disable})
	makeTree(t, srv.Root(), "pub/", "pub/pack.tgz", "pub/patches/", "pub/patches/fix.diff",
		"pub/my file.txt", "pub/.hidden", "readme.txt")
	site := transfer.Site{Addr: srv.Addr(), User: "user", Password: "pass"}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	c, err := transfer.Connect(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	l := connLister{c}
	defer l.Close()

	tests := []struct {
		cwd, prefix string
		want        []string
	}{
		{"", "", []string{"pub/", "readme.txt"}},
		{"", "pub/pa", []string{"pub/pack.tgz", "pub/patches/"}},
		{"", "pub/patches/", []string{"pub/patches/fix.diff"}},
		{"", "pub/my", []string{"pub/my file.txt"}},
		{"", "pub/.", hidden},
		{"/pub", "pa", []string{"pack.tgz", "patches/"}},
		{"", "/pub/m", []string{"/pub/my file.txt"}},
	}
	for _, tt := range tests {
		got, err := Remote(ctx, l, tt.cwd, tt.prefix)
		if err != nil {
			t.Errorf("Remote(%q, %q): %v", tt.cwd, tt.prefix, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Remote(%q, %q) = %q, want %q", tt.cwd, tt.prefix, got, tt.want)
		}
	}

	if !slices.Contains(srv.Commands(), verb+" pub/patches") {
		t.Errorf("no %s pub/patches in %q", verb, srv.Commands())
	}

	// The shell: a cache in front of the session, through readline.
	cache := NewCache(l, time.Minute)
	a := ReadlineAdapter(func(ctx context.Context, line, word string) []string {
		cands, _ := Remote(ctx, cache, "/", word)
		return cands
	}, 5*time.Second)
	got, n := a.Do([]rune("get pub/my"), 10)
	if want := runes([]string{`\ file.txt `}); !slices.EqualFunc(got, want, slices.Equal) || n != 6 {
		t.Errorf("Do = %q, %d; want %q, 6", got, n, want)
	}
	before := len(srv.Commands())
	a.Do([]rune("get pub/pa"), 10)
	for _, cmd := range srv.Commands()[before:] {
		t.Errorf("cached completion sent %q", cmd)
	}
}

// TestRealServerURL completes URLs, dialing the in-process server as the
// command line does for each completion.
func TestRealServerURL(t *testing.T) {
	srv := ftptest.New(t, ftptest.Config{})
	makeTree(t, srv.Root(), "pub/", "pub/a b.txt", "pub/abc/")
	dial := func(ctx context.Context, tg ftpurl.Target) (Lister, error) {
		c, err := transfer.Connect(ctx, transfer.Site{Addr: tg.Addr(), User: tg.User, Password: tg.Password})
		if err != nil {
			return nil, err
		}
		return connLister{c}, nil
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	prefix := "ftp://user:pass@" + srv.Addr() + "/pub/a"
	got, err := URL(ctx, dial, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{prefix + "%20b.txt", prefix + "bc/"}; !slices.Equal(got, want) {
		t.Errorf("URL(%q) = %q, want %q", prefix, got, want)
	}

	// A wrong password is a failure with no candidates.
	got, err = URL(ctx, dial, "ftp://user:wrong@"+srv.Addr()+"/pub/a")
	if got != nil || err == nil {
		t.Errorf("URL with a wrong password = %q, %v", got, err)
	}
}
