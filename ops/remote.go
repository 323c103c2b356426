package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ferry-ftp/ferry/client"
	"github.com/ferry-ftp/ferry/internal/pattern"
	"github.com/ferry-ftp/ferry/internal/progress"
	"github.com/ferry-ftp/ferry/transfer"
)

// splitRemote splits a remote path into folder and name; the folder is ""
// for the login folder.
func splitRemote(p string) (dir, name string) { return pattern.Split(p) }

// JoinRemote joins a remote folder ("" for the login folder) and a name.
func JoinRemote(dir, name string) string { return pattern.Join(dir, name) }

// listDir lists a remote folder and returns its entries (without names
// that start with "." unless all), reporting unparseable lines as
// warnings. The entries count against the command's budget.
func listDir(ctx context.Context, f *Env, c *client.Conn, dir string, all bool) ([]client.Entry, error) {
	var entries []client.Entry
	budget := f.ListBudget()
	err := c.ReadDirFunc(ctx, dir, client.ListOptions{Hidden: all, Unparsed: f.warnUnparsed}, func(e client.Entry) error {
		if !all && strings.HasPrefix(e.Name, ".") {
			return nil
		}
		if err := budget.KeepPath(e.Name); err != nil {
			return err
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// warnUnparsed reports a listing line that cannot be parsed.
func (f *Env) warnUnparsed(line string) {
	f.Warn("cannot parse listing line %q", line)
}

// untimedLines reports the listing lines whose dates are in no form the
// parser knows (client.ListOptions.Untimed): their entries are shown
// without a time. The first line is named; the rest are counted, and end
// says how many there were.
type untimedLines struct{ n int }

func (u *untimedLines) add(f *Env, line string) {
	if u.n == 0 {
		f.Warn("cannot read the date in listing line %q: listed without a time", line)
	}
	u.n++
}

func (u *untimedLines) end(f *Env) {
	if u.n > 1 {
		f.Warn("and %d more listing lines with dates ferry cannot read", u.n-1)
	}
}

// isRemoteDir reports whether p names a folder on the server (see
// transfer.Session.IsDir).
func isRemoteDir(ctx context.Context, s *transfer.Session, _ *client.Conn, p string) (bool, error) {
	return s.IsDir(ctx, p)
}

// jsonEntry is the JSON shape of a listing entry.
type jsonEntry struct {
	Name     string `json:"name"`
	Path     string `json:"path,omitempty"`
	Type     string `json:"type"`
	Size     *int64 `json:"size,omitempty"`
	Modified string `json:"modified,omitempty"`
	Mode     string `json:"mode,omitempty"`
	Target   string `json:"target,omitempty"`
}

func toJSONEntry(e client.Entry, p string) jsonEntry {
	j := jsonEntry{Name: e.Name, Path: p, Type: e.Type.String(), Target: e.Target}
	if e.Size >= 0 {
		size := e.Size
		j.Size = &size
	}
	switch e.Precision {
	case client.TimeDay:
		// A date, in the zone the listing was read in.
		j.Modified = e.ModTime.Format(time.RFC3339)
	case client.TimeMinute, client.TimeExact:
		j.Modified = e.ModTime.UTC().Format(time.RFC3339)
	}
	if e.Mode != 0 {
		j.Mode = fmt.Sprintf("%04o", e.Mode.Perm())
	}
	return j
}

// WriteJSON prints v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// longLine formats an entry in ferry's one long-listing format, whatever
// the server's style: type and permissions, size, time, name.
func longLine(e client.Entry, name string, human bool) string {
	typ := map[client.EntryType]byte{client.EntryFile: '-', client.EntryDir: 'd', client.EntryLink: 'l'}[e.Type]
	if typ == 0 {
		typ = '?'
	}
	perm := "?????????"
	if e.Mode != 0 {
		perm = e.Mode.Perm().String()[1:]
	}
	size := "-"
	switch {
	case e.Size >= 0 && human:
		size = progress.FormatBytes(e.Size)
	case e.Size >= 0:
		size = fmt.Sprint(e.Size)
	}
	when := "                "
	switch e.Precision {
	case client.TimeDay:
		when = e.ModTime.Format("2006-01-02") + "      "
	case client.TimeMinute, client.TimeExact:
		when = e.ModTime.UTC().Format("2006-01-02 15:04")
	}
	line := fmt.Sprintf("%c%s %12s %s %s", typ, perm, size, when, name)
	if e.Type == client.EntryLink && e.Target != "" {
		line += " -> " + e.Target
	}
	return line
}
