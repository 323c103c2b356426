package config

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// checkEmptyPins refuses a site whose pinnedpubkey is set to an empty or
// blank string: decoded, it would read as no setting, and the site's
// server would be verified without the pins its author meant to require.
func checkEmptyPins(data []byte) error {
	var raw struct {
		Sites map[string]map[string]any `toml:"site"`
	}
	if toml.NewDecoder(bytes.NewReader(data)).Decode(&raw) != nil {
		return nil // the typed decoding reports what is wrong
	}
	for name, keys := range raw.Sites {
		if v, ok := keys["pinnedpubkey"].(string); ok && strings.TrimSpace(v) == "" {
			return &valueError{site: name, key: "pinnedpubkey", value: strconv.Quote(v),
				tail: "must be " + wants["site.pinnedpubkey"] + "; remove the line to verify without pins"}
		}
	}
	return nil
}
