package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// testEpoch is the SOURCE_DATE_EPOCH the tests give the pages: 14 Nov 2023 UTC.
const testEpoch = "1700000000"

// wantPages returns the names of the pages ferry's command tree should
// get, found by walking the tree as the binary builds it: one per
// command, except cobra's help command and hidden commands.
func wantPages(t *testing.T) map[string]*cobra.Command {
	t.Helper()
	pages := make(map[string]*cobra.Command)
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		pages[strings.ReplaceAll(c.CommandPath(), " ", "-")+".1"] = c
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(newTree())
	// The walk must find the commands everybody knows of.
	for _, name := range []string{"ferry.1", "ferry-get.1", "ferry-put.1", "ferry-mirror.1", "ferry-ls.1",
		"ferry-shell.1", "ferry-bookmark-add.1", "ferry-completion.1", "ferry-completion-bash.1", "ferry-version.1"} {
		if pages[name] == nil {
			t.Fatalf("the command tree has no command for %s: %v", name, slices.Sorted(mapKeys(pages)))
		}
	}
	return pages
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// roffText returns the words of a page as a reader sees them, near
// enough: requests (.PP, .EX, ...) dropped but for the text of headings,
// and the escapes go-md2man writes undone.
func roffText(page string) string {
	var b strings.Builder
	for line := range strings.Lines(page) {
		if h, ok := strings.CutPrefix(line, ".SH "); ok {
			line = h
		} else if h, ok := strings.CutPrefix(line, ".SS "); ok {
			line = h
		} else if strings.HasPrefix(line, ".") {
			continue
		}
		b.WriteString(unescape(line))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// unescape undoes the escapes go-md2man writes.
func unescape(s string) string {
	return strings.NewReplacer(`\&`, "", `\fB`, "", `\fP`, "", `\fR`, "", `\fI`, "", `\-`, "-", `\\`, `\`).Replace(s)
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkPages checks the pages in dir against ferry's command tree: the
// exact set of files, the title line, and that each page says what the
// command's --help says (description, flags, examples).
func checkPages(t *testing.T, dir, wantDate string) {
	t.Helper()
	want := wantPages(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if w := slices.Sorted(mapKeys(want)); !slices.Equal(got, w) {
		t.Fatalf("pages in %s:\n got %q\nwant %q", dir, got, w)
	}
	for name, c := range want {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		title := strings.ToUpper(strings.TrimSuffix(name, ".1"))
		head := ".nh\n.TH \"" + title + "\" \"1\" \"" + wantDate + "\" \"ferry\" \"ferry manual\"\n"
		if !strings.HasPrefix(page, head) {
			t.Errorf("%s begins %q, want %q", name, page[:min(len(page), len(head))], head)
		}
		text := roffText(page)
		if s := words(c.Short); !strings.Contains(text, "NAME "+strings.TrimSuffix(name, ".1")+" - "+s) {
			t.Errorf("%s: no NAME line with %q", name, s)
		}
		long := c.Long
		if c.Parent() != nil && c.Parent().CommandPath() == "ferry completion" {
			// cobra's own help for these is Markdown: "#### Linux:" is a heading.
			long = regexp.MustCompile(`(?m)^#+ `).ReplaceAllString(long, "")
		}
		if long != "" && !strings.Contains(text, words(long)) {
			t.Errorf("%s does not hold the command's help text:\n%s\n---- page as text:\n%s", name, c.Long, text)
		}
		c.Flags().VisitAll(func(fl *pflag.Flag) {
			if fl.Hidden {
				return
			}
			_, usage := pflag.UnquoteUsage(fl)
			if !strings.Contains(text, "--"+fl.Name) || !strings.Contains(text, words(usage)) {
				t.Errorf("%s: flag --%s (%q) missing", name, fl.Name, usage)
			}
		})
		for ex := range strings.Lines(c.Example) {
			if !strings.Contains(unescape(page), ex) {
				t.Errorf("%s: example line %q missing", name, ex)
			}
		}
		if strings.Contains(page, "Auto generated") {
			t.Errorf("%s carries cobra's dated footer", name)
		}
	}

	// The exit codes are in ferry.1 line for line, as --help shows them.
	_, codes, ok := strings.Cut(want["ferry.1"].Long, "Exit codes:\n")
	if !ok {
		t.Fatal(`ferry's help has no "Exit codes:"`)
	}
	root, err := os.ReadFile(filepath.Join(dir, "ferry.1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"  0    success", "  8    partial success", "  130  interrupted"} {
		if !strings.Contains(codes, line) {
			t.Fatalf("exit code help %q lacks %q", codes, line)
		}
	}
	for line := range strings.Lines(codes) {
		if !strings.Contains(string(root), "\n"+strings.TrimSuffix(line, "\n")+"\n") {
			t.Errorf("ferry.1 lacks the exit code line %q", line)
		}
	}
}

// TestPages writes the pages in-process and checks them; two runs with
// the same SOURCE_DATE_EPOCH give the same bytes.
func TestPages(t *testing.T) {
	env := func(k string) string {
		if k == "SOURCE_DATE_EPOCH" {
			return testEpoch
		}
		return ""
	}
	var stderr bytes.Buffer
	dirs := []string{filepath.Join(t.TempDir(), "man"), filepath.Join(t.TempDir(), "man")}
	for _, dir := range dirs {
		if code := run([]string{"-dir", dir}, env, &stderr); code != 0 {
			t.Fatalf("mangen exit code %d: %s", code, stderr.String())
		}
	}
	checkPages(t, dirs[0], "Nov 2023")
	for name := range wantPages(t) {
		a, _ := os.ReadFile(filepath.Join(dirs[0], name))
		b, _ := os.ReadFile(filepath.Join(dirs[1], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", name)
		}
	}
}

func TestSourceDate(t *testing.T) {
	d, err := sourceDate(testEpoch)
	if want := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC); err != nil || !d.Equal(want) || d.Location() != time.UTC {
		t.Errorf("sourceDate(%s) = %v, %v; want %v", testEpoch, d, err, want)
	}
	if _, err := sourceDate("yesterday"); err == nil {
		t.Error("sourceDate(yesterday): no error")
	}
	var stderr bytes.Buffer
	code := run([]string{"-dir", t.TempDir()}, func(string) string { return "x" }, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "SOURCE_DATE_EPOCH") {
		t.Errorf("bad SOURCE_DATE_EPOCH: exit %d, %q; want 2 and a message naming it", code, stderr.String())
	}
}

func TestHelpMarkdown(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"globs (*, ?, [a-z])", `globs \(\*, ?, \[a\-z\]\)` + "\n"},
		{"a_b <c> #d", `a\_b \<c\> \#d` + "\n"},
		{"Exit codes:\n  0    success\n\n  1    other\nAfter.", "Exit codes\\:\n\n```\n  0    success\n\n  1    other\n```\n\nAfter\\.\n"},
		{"Table:\n  a *b*\n\n", "Table\\:\n\n```\n  a *b*\n```\n"},
	} {
		if got := helpMarkdown(tt.in); got != tt.want {
			t.Errorf("helpMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
	if got, want := usageMarkdown("keep at most `N` entries (a_b)"), "keep at most `N` entries \\(a\\_b\\)"; got != want {
		t.Errorf("usageMarkdown = %q, want %q", got, want)
	}
}
