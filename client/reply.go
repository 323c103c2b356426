package client

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on what the server may send in one reply. A hostile or broken
// server must not make the client buffer without bound (RFC 959 sets no
// limit on reply size; net/textproto has none either).
const (
	maxLineBytes  = 8 << 10  // one reply line, without CRLF
	maxReplyLines = 100_000  // lines in one multi-line reply (STAT of a big folder)
	maxReplyBytes = 16 << 20 // bytes in one reply
)

// Reply is a server reply (RFC 959 section 4.2).
type Reply struct {
	// Code is the three-digit reply code.
	Code int
	// Lines holds the reply text line by line. The code and separator are
	// removed from the first and last lines; inner lines of a multi-line
	// reply are kept as sent (a leading space is kept, too).
	Lines []string
}

// Msg returns the reply text with lines joined by "\n".
func (r *Reply) Msg() string { return strings.Join(r.Lines, "\n") }

// errReplyFormat marks malformed replies; readReply wraps it.
var errReplyFormat = errors.New("malformed reply")

// readLine reads one line ending in LF from r, strips CRLF or LF, and
// refuses lines longer than maxLineBytes.
func readLine(r *bufio.Reader) (string, error) {
	var long []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(long)+len(chunk) > maxLineBytes+2 {
			return "", fmt.Errorf("%w: line longer than %d bytes", errReplyFormat, maxLineBytes)
		}
		switch {
		case err == nil:
			if long != nil {
				chunk = append(long, chunk...)
			}
			chunk = bytes.TrimSuffix(chunk[:len(chunk)-1], []byte{'\r'})
			return string(chunk), nil
		case errors.Is(err, bufio.ErrBufferFull):
			long = append(long, chunk...)
		case errors.Is(err, io.EOF) && (len(chunk) > 0 || long != nil):
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

// parseCode reads the three-digit code and the separator of a first or
// last reply line. sep is ' ', '-' or 0 when the line is only the code.
func parseCode(line string) (code int, sep byte, ok bool) {
	if len(line) < 3 {
		return 0, 0, false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, 0, false
		}
		code = code*10 + int(line[i]-'0')
	}
	if line[0] < '1' || line[0] > '5' {
		return 0, 0, false
	}
	if len(line) == 3 {
		return code, 0, true
	}
	if line[3] != ' ' && line[3] != '-' {
		return 0, 0, false
	}
	return code, line[3], true
}

// readReply reads one complete reply, single- or multi-line. A multi-line
// reply begins "ddd-" and ends at the first line that begins with the same
// code followed by a space (or that is only the code).
func readReply(r *bufio.Reader) (*Reply, error) {
	line, err := readLine(r)
	if err != nil {
		return nil, err
	}
	code, sep, ok := parseCode(line)
	if !ok {
		return nil, fmt.Errorf("%w: %q", errReplyFormat, clip(line))
	}
	reply := &Reply{Code: code}
	if sep != '-' {
		reply.Lines = []string{textAfterCode(line)}
		return reply, nil
	}
	reply.Lines = append(reply.Lines, line[4:])
	total := len(line)
	for {
		line, err = readLine(r)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		total += len(line) + 2
		if total > maxReplyBytes || len(reply.Lines) >= maxReplyLines {
			return nil, fmt.Errorf("%w: multi-line reply longer than %d lines or %d bytes",
				errReplyFormat, maxReplyLines, maxReplyBytes)
		}
		if c, s, ok := parseCode(line); ok && c == code && s != '-' {
			reply.Lines = append(reply.Lines, textAfterCode(line))
			return reply, nil
		}
		reply.Lines = append(reply.Lines, line)
	}
}

func textAfterCode(line string) string {
	if len(line) <= 4 {
		return ""
	}
	return line[4:]
}

// clip shortens s for an error message.
func clip(s string) string {
	const n = 80
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// checkArg refuses a command argument that could end the command line early
// and smuggle in another command (CR, LF, NUL), or that holds the Telnet
// IAC byte 0xFF, which servers reading the control connection as Telnet
// (RFC 959 section 4) take for the start of a Telnet command.
func checkArg(s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r', '\n', 0, 0xFF:
			return ErrBadArgument
		}
	}
	return nil
}
