package ops

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Names in JSON output.
//
// A name on an FTP server is bytes, and without --charset ferry keeps
// them as the server sent them; a JSON string holds Unicode text, and
// encoding/json would silently turn bytes that are not UTF-8 into U+FFFD.
// So a name (or path, or link target) that is valid UTF-8 is written as
// it is; one that is not is written with each byte that is not UTF-8
// escaped as \xNN, the form the text output shows ("caf\xe9.txt"), and
// the object that holds it gets a field named after the key with "_bytes"
// appended, holding the exact bytes in base64 ("name_bytes":
// "Y2Fm6S50eHQ="): a program can tell the escape from a name that holds
// a backslash, and recover the name. Messages (error, reason) and
// deleted_paths are escaped the same way, without a _bytes field.

// jsonText returns s with each byte that is not UTF-8 written as \xNN.
func jsonText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// jsonBytes returns the bytes of s when s is not valid UTF-8, for a
// _bytes field; nil otherwise, which leaves the field out.
func jsonBytes(s string) []byte {
	if utf8.ValidString(s) {
		return nil
	}
	return []byte(s)
}

// MarshalJSON writes the entry with its names as jsonText says.
func (j jsonEntry) MarshalJSON() ([]byte, error) {
	type plain jsonEntry
	p := plain(j)
	p.Name, p.Path, p.Target = jsonText(j.Name), jsonText(j.Path), jsonText(j.Target)
	return json.Marshal(struct {
		plain
		NameBytes   []byte `json:"name_bytes,omitempty"`
		PathBytes   []byte `json:"path_bytes,omitempty"`
		TargetBytes []byte `json:"target_bytes,omitempty"`
	}{p, jsonBytes(j.Name), jsonBytes(j.Path), jsonBytes(j.Target)})
}

// MarshalJSON writes the result with its paths as jsonText says.
func (j jsonResult) MarshalJSON() ([]byte, error) {
	type plain jsonResult
	p := plain(j)
	p.Remote, p.Local, p.Error = jsonText(j.Remote), jsonText(j.Local), jsonText(j.Error)
	return json.Marshal(struct {
		plain
		RemoteBytes []byte `json:"remote_bytes,omitempty"`
		LocalBytes  []byte `json:"local_bytes,omitempty"`
	}{p, jsonBytes(j.Remote), jsonBytes(j.Local)})
}

// MarshalJSON writes the operation with its paths as jsonText says.
func (j jsonOp) MarshalJSON() ([]byte, error) {
	type plain jsonOp
	p := plain(j)
	p.Path, p.To, p.Reason, p.Error = jsonText(j.Path), jsonText(j.To), jsonText(j.Reason), jsonText(j.Error)
	return json.Marshal(struct {
		plain
		PathBytes []byte `json:"path_bytes,omitempty"`
		ToBytes   []byte `json:"to_bytes,omitempty"`
	}{p, jsonBytes(j.Path), jsonBytes(j.To)})
}

// MarshalJSON writes the step with its path as jsonText says.
func (j jsonAction) MarshalJSON() ([]byte, error) {
	type plain jsonAction
	p := plain(j)
	p.Path, p.Reason = jsonText(j.Path), jsonText(j.Reason)
	return json.Marshal(struct {
		plain
		PathBytes []byte `json:"path_bytes,omitempty"`
	}{p, jsonBytes(j.Path)})
}

// jsonTexts is a list of paths or lines, each written as jsonText says.
type jsonTexts []string

// MarshalJSON writes the list.
func (l jsonTexts) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("null"), nil
	}
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = jsonText(s)
	}
	return json.Marshal(out)
}
