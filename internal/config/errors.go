package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// Error is a configuration file that cannot be used. Its message names
// the file and the line, and says what is wrong and how to put it right in
// the file's own terms (keys, tables, values as written), never in Go's.
type Error struct {
	// Path is the file.
	Path string
	// Line is the line the problem is on, 0 when it is not known.
	Line int
	// Msg says what is wrong and what to write instead.
	Msg string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config: %q, line %d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("config: %q: %s", e.Path, e.Msg)
}

// valueError is a setting whose value is not one it can take.
type valueError struct {
	// site is the site's name, "" for [defaults].
	site string
	// key is "" for the table itself.
	key string
	// value is as the file would write it, "" to leave it out.
	value string
	// tail says what is wrong, or what the value must be.
	tail string
}

// table returns the table as the file writes it.
func (e *valueError) table() string {
	if e.site == "" {
		return "defaults"
	}
	return tableName(e.site)
}

// line returns the line of data the setting is on, or 0.
func (e *valueError) line(data []byte) int {
	t := "defaults"
	if e.site != "" {
		t = "site." + e.site
	}
	if n := lineOf(data, t, e.key); n > 0 || e.key == "" {
		return n
	}
	return lineOf(data, t, "")
}

func (e *valueError) Error() string {
	switch {
	case e.key == "":
		return fmt.Sprintf("[%s]: %s", e.table(), e.tail)
	case e.value == "":
		return fmt.Sprintf("[%s] %s: %s", e.table(), e.key, e.tail)
	}
	return fmt.Sprintf("[%s] %s = %s: %s", e.table(), e.key, e.value, e.tail)
}

// mustBe returns the tail of a valueError for key ("defaults.retries"),
// from wants.
func mustBe(key string) string { return "must be " + wants[key] }

// wants says, for each key, what its value must be.
var wants = map[string]string{
	"defaults.active":        "true or false, without quotes",
	"defaults.no-epsv":       "true or false, without quotes",
	"defaults.tls":           "true or false, without quotes",
	"defaults.insecure":      "true or false, without quotes",
	"defaults.quiet":         "true or false, without quotes",
	"defaults.no-progress":   "true or false, without quotes",
	"defaults.active-addr":   `an IP address in quotes, such as "192.0.2.10"`,
	"defaults.active-ports":  `a port range in quotes, such as "50000-50100"`,
	"defaults.user":          `a login name in quotes, such as "alice"`,
	"defaults.netrc-file":    `a file name in quotes, such as "/home/alice/.netrc"`,
	"defaults.timeout":       `a duration in quotes, such as "30s" or "2m"`,
	"defaults.retries":       "a whole number of 0 or more, without quotes, such as 5 (0 turns retries off)",
	"defaults.parallel":      "a whole number of 1 or more, without quotes, such as 4",
	"defaults.charset":       `a charset name in quotes, such as "cp1251" or "latin1"`,
	"site.host":              `the server's name or IP address in quotes, such as "ftp.example.com"`,
	"site.port":              "a port number from 1 to 65535, without quotes, such as 2121 (leave it out for the usual port)",
	"site.user":              `a login name in quotes, such as "alice"`,
	"site.tls":               `"explicit" or "implicit" (leave it out for plain FTP)`,
	"site.mode":              `"passive" or "active" (leave it out for the default)`,
	"site.path":              `a folder in quotes, such as "/srv/data"`,
	"site.charset":           `a charset name in quotes, such as "cp1251" or "latin1" (leave it out for UTF-8)`,
	"defaults.cacert":        `a PEM file name in quotes, such as "/etc/ssl/private-ca.pem"`,
	"defaults.cert":          `a PEM file name in quotes, such as "/home/alice/.ferry/client.pem"`,
	"defaults.key":           `a PEM file name in quotes, such as "/home/alice/.ferry/client.key"`,
	"defaults.tls-min":       `"1.2" or "1.3", in quotes`,
	"site.cacert":            `a PEM file name in quotes, such as "/etc/ssl/private-ca.pem"`,
	"site.pinnedpubkey":      `pins in quotes, such as "sha256//BASE64;sha256//BASE64", or a public key file name`,
	"site.cert":              `a PEM file name in quotes, such as "/home/alice/.ferry/client.pem"`,
	"site.key":               `a PEM file name in quotes, such as "/home/alice/.ferry/client.key"`,
	"defaults.proxy":         `a proxy URL without a password, in quotes, such as "socks5h://proxy.example:1080"`,
	"defaults.noproxy":       `a list of hosts in quotes, such as "localhost,.corp.example"`,
	"defaults.noop-interval": `a duration in quotes, such as "60s" ("0" sends none)`,
	"site.proxy":             `a proxy URL without a password, in quotes, such as "http://proxy.example:3128"`,
	"defaults.no-pipeline":   "true or false, without quotes",
}

// keysOf returns the keys a table takes ("defaults" or "site"), sorted.
func keysOf(table string) []string {
	var keys []string
	for k := range wants {
		if t, key, _ := strings.Cut(k, "."); t == table {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys
}

// generic returns the key's table kind and name: "site.w.port" is
// "site.port".
// The TOML library matches tables and keys without regard to case, as
// generic does.
func generic(key []string) string {
	switch {
	case len(key) == 2 && strings.EqualFold(key[0], "defaults"):
		return "defaults." + strings.ToLower(key[1])
	case len(key) == 3 && strings.EqualFold(key[0], "site"):
		return "site." + strings.ToLower(key[2])
	}
	return strings.Join(key, ".")
}

// goTypes matches the library's messages that name Go types.
var goTypes = regexp.MustCompile(`^cannot decode (TOML \w+|a key) into .*$`)

// plain rewrites a message of the library that names Go types.
func plain(msg string) string {
	return goTypes.ReplaceAllString(msg, "a value of the wrong kind for this key ($1)")
}

// tableName formats a site's table as the file writes it.
func tableName(site string) string {
	return "site." + bareOrQuoted(site)
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func bareOrQuoted(k string) string {
	if bareKey.MatchString(k) {
		return k
	}
	return strconv.Quote(k)
}

// decodeError turns the TOML library's errors on data into an *Error
// without its Path: the line, and what to write instead.
func decodeError(data []byte, err error) *Error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		e := &Error{}
		var msgs []string
		for i := range strict.Errors {
			de := &strict.Errors[i]
			key := de.Key()
			line, _ := de.Position()
			if len(key) > 0 && isPasswordKey(key[len(key)-1]) {
				return &Error{Line: line, Msg: fmt.Sprintf("key %q holds a password, and ferry keeps no passwords in its configuration: put it in ~/.netrc and remove it here",
					strings.Join(key, "."))}
			}
			msg := unknownKey(key)
			if e.Line == 0 {
				e.Line = line
			} else {
				msg = fmt.Sprintf("line %d: %s", line, msg)
			}
			msgs = append(msgs, msg)
		}
		e.Msg = strings.Join(msgs, "; ")
		return e
	}
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return &Error{Msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	line, col := de.Position()
	key := de.Key()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	text := lineText(data, line)
	if _, ok := wants[generic(key)]; ok {
		// A value of another kind than the key takes, or out of range.
		ve := &valueError{key: key[len(key)-1], value: text, tail: mustBe(generic(key))}
		if len(key) == 3 {
			ve.site = key[1]
		}
		if _, v, ok := strings.Cut(text, "="); ok {
			ve.value = strings.TrimSpace(v)
		}
		return &Error{Line: line, Msg: ve.Error()}
	}
	switch {
	case strings.HasSuffix(msg, "already exists"):
		return &Error{Line: line, Msg: fmt.Sprintf("%s: the table appears twice (%s): keep one, with all its settings", text, msg)}
	case !strings.HasPrefix(msg, "cannot ") || len(key) == 0:
	case len(key) == 1 && strings.EqualFold(key[0], "defaults"):
		return &Error{Line: line, Msg: "defaults is a table: write [defaults] on a line of its own, and its settings (key = value) below it"}
	case strings.EqualFold(key[0], "site") && len(key) < 3:
		return &Error{Line: line, Msg: "each site is a table of its own: write [site.NAME] on a line of its own, and the site's settings (host = ..., user = ...) below it"}
	}
	if len(key) > 0 {
		return &Error{Line: line, Msg: fmt.Sprintf("%s: %s (column %d)", text, plain(msg), col)}
	}
	msg = regexp.MustCompile(`U\+[0-9A-F]{4,} `).ReplaceAllString(msg, "")
	if k, v, ok := strings.Cut(text, "="); ok {
		// A setting of a known key: say what its value must be.
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		t := tableAt(data, line)
		g := "defaults." + strings.ToLower(k)
		site, isSite := "", false
		if len(t) > len("site.") && strings.EqualFold(t[:len("site.")], "site.") {
			site, isSite = t[len("site."):], true
			g = "site." + strings.ToLower(k)
		}
		if _, known := wants[g]; known && (strings.EqualFold(t, "defaults") || isSite) {
			ve := &valueError{site: site, key: k, value: strings.TrimSpace(v),
				tail: fmt.Sprintf("not valid TOML (%s): %s", msg, mustBe(g))}
			return &Error{Line: line, Msg: ve.Error()}
		}
	}
	hint := "write each setting as key = value on a line of its own, text in double quotes"
	if strings.HasPrefix(text, "[") {
		hint = "write a table's name in brackets on a line of its own: [defaults] or [site.NAME]"
	}
	return &Error{Line: line, Msg: fmt.Sprintf("%s: not valid TOML at column %d: %s (%s)", text, col, msg, hint)}
}

// unknownKey says that a key is unknown, which keys its table takes, and
// which one it may be a misspelling of.
func unknownKey(key []string) string {
	switch {
	case len(key) == 2 && strings.EqualFold(key[0], "defaults"):
		return fmt.Sprintf("unknown key %q in [defaults]%s; it takes %s", key[1], didYouMean(key[1], keysOf("defaults")),
			strings.Join(keysOf("defaults"), ", "))
	case len(key) == 3 && strings.EqualFold(key[0], "site"):
		hint := ""
		if strings.EqualFold(key[2], "url") || strings.EqualFold(key[2], "address") {
			hint = fmt.Sprintf(" (ferry bookmark add %s URL writes a site from a URL)", key[1])
		}
		return fmt.Sprintf("unknown key %q in [%s]%s; a site takes %s%s", key[2], tableName(key[1]),
			didYouMean(key[2], keysOf("site")), strings.Join(keysOf("site"), ", "), hint)
	case len(key) > 0 && !strings.EqualFold(key[0], "defaults") && !strings.EqualFold(key[0], "site"):
		return fmt.Sprintf("unknown table or key %q%s: the file holds [defaults] and [site.NAME] tables",
			strings.Join(key, "."), didYouMean(key[0], []string{"defaults", "site"}))
	}
	return fmt.Sprintf("unknown key %q", strings.Join(key, "."))
}

// didYouMean returns ` (did you mean "x"?)` for the closest of options
// within two edits of word, or "".
func didYouMean(word string, options []string) string {
	best, bestD := "", 3
	for _, o := range options {
		if d := editDistance(strings.ToLower(word), o); d < bestD {
			best, bestD = o, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// lineText returns line n of data (1-based), trimmed, with control
// characters escaped, and shortened when long.
func lineText(data []byte, n int) string {
	lines := bytes.Split(data, []byte("\n"))
	if n < 1 || n > len(lines) {
		return ""
	}
	s := strings.TrimSpace(string(lines[n-1]))
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) >= 0 {
		q := strconv.Quote(s)
		return q[1 : len(q)-1]
	}
	return s
}

// lineOf returns the line (1-based) of data where key is set in table
// ("defaults", "site.NAME"), or the table's header when key is "", or 0.
// It reads tables and keys as simple TOML writes them, which is what an
// error message needs.
func lineOf(data []byte, table, key string) int {
	current := ""
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "[") {
			end := strings.LastIndexByte(l, ']')
			if end < 0 {
				continue
			}
			current = normalTable(strings.Trim(l[:end+1], "[]"))
			if key == "" && strings.EqualFold(current, table) {
				return i + 1
			}
			continue
		}
		k, _, ok := strings.Cut(l, "=")
		if ok && strings.EqualFold(current, table) && key != "" && strings.EqualFold(strings.Trim(strings.TrimSpace(k), `"'`), key) {
			return i + 1
		}
	}
	return 0
}

// tableAt returns the table that line n (1-based) of data is in, as
// lineOf reads tables.
func tableAt(data []byte, n int) string {
	current := ""
	for i, l := range strings.Split(string(data), "\n") {
		if i+1 >= n {
			break
		}
		l = strings.TrimSpace(l)
		if end := strings.LastIndexByte(l, ']'); strings.HasPrefix(l, "[") && end > 0 {
			current = normalTable(strings.Trim(l[:end+1], "[]"))
		}
	}
	return current
}

// normalTable turns a table header's text ("site . 'my site'") into
// "site.my site".
func normalTable(h string) string {
	var parts []string
	for _, p := range strings.Split(h, ".") {
		parts = append(parts, strings.Trim(strings.TrimSpace(p), `"'`))
	}
	return strings.Join(parts, ".")
}
