package completion

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/ftpurl"
)

// fakeDialer records the targets it dials and serves one fakeLister.
type fakeDialer struct {
	l       Lister
	err     error
	mu      sync.Mutex
	targets []ftpurl.Target
	closed  int
}

func (d *fakeDialer) Dial(_ context.Context, t ftpurl.Target) (Lister, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.targets = append(d.targets, t)
	if d.err != nil {
		return nil, d.err
	}
	return closingLister{d.l, d}, nil
}

// closingLister counts Close calls on its dialer.
type closingLister struct {
	Lister
	d *fakeDialer
}

func (c closingLister) Close() error {
	c.d.mu.Lock()
	c.d.closed++
	c.d.mu.Unlock()
	return nil
}

func urlTree() *fakeLister {
	return &fakeLister{dirs: map[string][]client.Entry{
		"":           {dir("pub"), file("welcome.msg"), file(".hidden")},
		"pub":        {file("pack.tgz"), dir("patches"), file("pa ss.txt"), file("100%.txt"), file("a#b?c;d"), file("naïve.txt"), dir("my dir")},
		"pub/my dir": {file("x")},
		"/etc":       {file("passwd")},
	}}
}

func TestURL(t *testing.T) {
	tests := []struct {
		prefix string
		want   []string
		listed string
		host   string
		port   int
		user   string
	}{
		{"ftp://host/pub/pa", []string{"ftp://host/pub/pa%20ss.txt", "ftp://host/pub/pack.tgz", "ftp://host/pub/patches/"}, "pub", "host", 21, ""},
		{"ftp://host/", []string{"ftp://host/pub/", "ftp://host/welcome.msg"}, "", "host", 21, ""},
		{"ftp://host/.", []string{"ftp://host/.hidden"}, "", "host", 21, ""},
		{"ftp://host/p", []string{"ftp://host/pub/"}, "", "host", 21, ""},
		{"FTP://Joe@Host:2121/pub/pac", []string{"FTP://Joe@Host:2121/pub/pack.tgz"}, "pub", "Host", 2121, "Joe"},
		{"ftp://joe:s%40cret@host/pub/pack", []string{"ftp://joe:s%40cret@host/pub/pack.tgz"}, "pub", "host", 21, "joe"},
		{"ftps://[::1]:990/pub/pat", []string{"ftps://[::1]:990/pub/patches/"}, "pub", "::1", 990, ""},
		{"ftpes://[fe80::1%25eth0]/pub/pat", []string{"ftpes://[fe80::1%25eth0]/pub/patches/"}, "pub", "fe80::1%eth0", 21, ""},
		// Typed escapes stay as typed, even needless ones; only the
		// completed part is encoded.
		{"ftp://host/p%75b/pa%20", []string{"ftp://host/p%75b/pa%20ss.txt"}, "pub", "host", 21, ""},
		{"ftp://host/pub/pa ", []string{"ftp://host/pub/pa ss.txt"}, "pub", "host", 21, ""},
		{"ftp://host/pub/1", []string{"ftp://host/pub/100%25.txt"}, "pub", "host", 21, ""},
		{"ftp://host/pub/a", []string{"ftp://host/pub/a%23b%3Fc%3Bd"}, "pub", "host", 21, ""},
		{"ftp://host/pub/na", []string{"ftp://host/pub/naïve.txt"}, "pub", "host", 21, ""},
		{"ftp://host/pub/my%20dir/", []string{"ftp://host/pub/my%20dir/x"}, "pub/my dir", "host", 21, ""},
		{"ftp://host//etc/p", []string{"ftp://host//etc/passwd"}, "/etc", "host", 21, ""},
		{"ftp://host/%2Fetc/p", []string{"ftp://host/%2Fetc/passwd"}, "/etc", "host", 21, ""},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			l := urlTree()
			d := &fakeDialer{l: l}
			got, err := URL(t.Context(), d.Dial, tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("URL(%q) = %q, want %q", tt.prefix, got, tt.want)
			}
			if calls := l.Calls(); len(calls) != 1 || calls[0] != tt.listed {
				t.Errorf("listed %q, want [%q]", calls, tt.listed)
			}
			if len(d.targets) != 1 {
				t.Fatalf("dialed %d times", len(d.targets))
			}
			tg := d.targets[0]
			if tg.Host != tt.host || tg.Port != tt.port || tg.User != tt.user {
				t.Errorf("dialed %s@%s port %d, want %s@%s port %d", tg.User, tg.Host, tg.Port, tt.user, tt.host, tt.port)
			}
			if d.closed != 1 {
				t.Errorf("closed the lister %d times, want once", d.closed)
			}
		})
	}
}

func TestURLKeepsPassword(t *testing.T) {
	d := &fakeDialer{l: urlTree()}
	got, _ := URL(t.Context(), d.Dial, "ftp://joe:pw@host/w")
	if want := []string{"ftp://joe:pw@host/welcome.msg"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if tg := d.targets[0]; tg.Password != "pw" || !tg.HasPassword {
		t.Errorf("dialed with password %q", tg.Password)
	}
}

func TestURLNothingToDo(t *testing.T) {
	for _, prefix := range []string{
		"", "ftp", "ftp:", "ftp:/", "ftp://", "ftp://ho", "ftp://user@host:21", "ftp://[::1]",
		"/local/path", "work:pub/", "ftp://host/pub/pa%2", "ftp://host/pub/%",
	} {
		d := &fakeDialer{l: urlTree()}
		got, err := URL(t.Context(), d.Dial, prefix)
		if got != nil || err != nil || len(d.targets) != 0 {
			t.Errorf("URL(%q) = %q, %v after %d dials; want nothing", prefix, got, err, len(d.targets))
		}
	}
}

func TestURLErrors(t *testing.T) {
	dialErr := errors.New("connection refused")
	for _, tt := range []struct {
		prefix string
		d      *fakeDialer
	}{
		{"http://host/x", &fakeDialer{l: urlTree()}},
		{"ftp://ho st/x", &fakeDialer{l: urlTree()}},
		{"ftp://host:99999/x", &fakeDialer{l: urlTree()}},
		{"ftp://host/x", &fakeDialer{err: dialErr}},
		{"ftp://host/nowhere/x", &fakeDialer{l: urlTree()}},
	} {
		got, err := URL(t.Context(), tt.d.Dial, tt.prefix)
		if got != nil || err == nil {
			t.Errorf("URL(%q) = %q, %v; want nil and an error", tt.prefix, got, err)
		}
	}
}

func TestURLDeadline(t *testing.T) {
	l := urlTree()
	l.block = make(chan struct{})
	defer close(l.block)
	d := &fakeDialer{l: l}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	got, err := URL(ctx, d.Dial, "ftp://host/pub/")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("URL took %v past a 50ms deadline", elapsed)
	}
	if got != nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("URL = %q, %v; want nil, DeadlineExceeded", got, err)
	}
}

func TestEscapeName(t *testing.T) {
	for in, want := range map[string]string{
		"plain.txt": "plain.txt",
		"a b":       "a%20b",
		"50%":       "50%25",
		"x#y?z;w":   "x%23y%3Fz%3Bw",
		"tab\there": "tab%09here",
		"ünï":       "ünï",
		"(a)+[b]":   "(a)+[b]",
	} {
		if got := escapeName(in); got != want {
			t.Errorf("escapeName(%q) = %q, want %q", in, got, want)
		}
		// The result must parse back to the name.
		tg, err := ftpurl.Parse("ftp://h/" + escapeName(in))
		if err != nil || tg.Path != in {
			t.Errorf("ftp://h/%s parses to %q, %v", escapeName(in), tg.Path, err)
		}
	}
}
