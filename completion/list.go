package completion

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ferry-ftp/ferry/client"
)

// MaxEntries is the most entries of one folder that completion considers:
// a longer listing, such as an endless one from a hostile server, offers
// no candidates rather than costing memory. It bounds what a Cache keeps
// for each folder too.
const MaxEntries = 20_000

// ErrTooManyEntries reports a folder whose listing is longer than
// MaxEntries. Test with errors.Is.
var ErrTooManyEntries = fmt.Errorf("folder holds more than %d entries: nothing to complete", MaxEntries)

// ReadDir lists dir over c for completion, as a Lister does: at most
// MaxEntries entries, each with only its name and type, read as the
// listing comes. A longer listing stops at once with ErrTooManyEntries.
func ReadDir(ctx context.Context, c *client.Conn, dir string) ([]client.Entry, error) {
	var out []client.Entry
	err := c.ReadDirFunc(ctx, dir, client.ListOptions{}, func(e client.Entry) error {
		if len(out) == MaxEntries {
			return ErrTooManyEntries
		}
		out = append(out, client.Entry{Name: strings.Clone(e.Name), Type: e.Type})
		return nil
	})
	if errors.Is(err, ErrTooManyEntries) {
		return nil, ErrTooManyEntries
	}
	return out, err
}
