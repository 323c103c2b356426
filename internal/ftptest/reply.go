package ftptest

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Command is one command line a client sent, as passed to Config.Hook.
type Command struct {
	Session int    // session number, 1-based in accept order
	Seq     int    // 1-based number of the command within its session
	Global  int    // 1-based number over the server's life (what Fault421At counts)
	Verb    string // upper-cased, Telnet IAC sequences removed
	Arg     string // everything after the first space, as sent
	Raw     string // the line exactly as received, without CRLF
	// Queued says that the line had arrived, in whole or in part, before
	// the server answered the command before it: the client sent it
	// without waiting for that reply (see Server.Batches).
	Queued bool
}

// Reply is a reply a test substitutes for the server's own, from
// Config.Hook, Config.Greeting or a Transfer.
//
// A reply with a Code, Raw, Endless or Stall replaces the normal handling:
// after Delay the server writes Raw (or Code and Text, or the endless
// reply), then stalls when Stall is set, and closes the control connection
// when Close is set or Code is 421. &Reply{Stall: true} never answers;
// commands that arrive during a stall are recorded but not handled.
//
// A reply with none of these only adjusts the normal handling: the server
// waits Delay, handles the command as usual (applying Transfer to a
// transfer command), and closes the control connection afterwards when
// Close is set. &Reply{Delay: 2 * time.Second} answers late.
type Reply struct {
	Code    int
	Text    string        // lines separated by "\n" make a multi-line reply (RFC 959 section 4.2)
	Raw     []byte        // when set, written exactly instead of Code/Text
	Delay   time.Duration // wait before writing
	Endless bool          // write an endless multi-line reply ("123-line N") until the peer goes away
	Close   bool          // close the control connection after writing
	Stall   bool          // stop answering (after Raw or Code, if any); hold the connection until the peer or the server closes
	// Transfer adjusts a transfer command handled normally (only in a reply
	// with no Code, Raw, Endless or Stall).
	Transfer *Transfer
	// Wait, when set, holds the reply (after Delay) until the channel is
	// closed or the session ends: a hook closes it when it sees the
	// command the reply must wait for.
	Wait <-chan struct{}
	// AfterTransfer makes a reply that replaces the normal handling wait
	// for the end of a transfer under way (its final reply), as the
	// replies of a server that reads no command during a transfer come;
	// without it, such a reply goes out at once.
	AfterTransfer bool
	// Sent, when set, is called once the reply was written (a reply that
	// replaces the normal handling, or a Transfer's Mark or Final): with
	// Wait, a test orders replies that different goroutines write.
	Sent func()
}

// Transfer adjusts a transfer command (RETR, STOR, STOU, APPE, LIST, NLST,
// MLSD) that is otherwise handled normally. A hook returns it in a Reply
// with no Code: &Reply{Transfer: &Transfer{FinalFirst: true}}.
type Transfer struct {
	// Mark replaces the preliminary "150" reply, sent once the data
	// connection is open.
	Mark *Reply
	// Final replaces the final reply: "226", or the 4xx/5xx a failure
	// would get. &Reply{Stall: true} never sends it; a reply with Close or
	// code 421 closes the control connection after it.
	Final *Reply
	// FinalFirst sends the final reply ("226") right after the mark, before
	// any data moves.
	FinalFirst bool
	// Coalesce writes the mark and the final reply in one Write before any
	// data moves (implies FinalFirst). Only their Raw or Code and Text
	// count.
	Coalesce bool
	// Data replaces the file (RETR, converted in TYPE A like a file) or the
	// listing (LIST, NLST, MLSD); the file need not exist.
	Data []byte
	// Source, when set, replaces the file or the listing like Data but
	// with the bytes a reader yields: an endless or huge stream costs the server no memory. It is called once per transfer.
	Source func() io.Reader
	// DropAfter > 0 cuts this transfer's data connection abruptly after so
	// many bytes, like Config.DropDataAfter.
	DropAfter int64
	// Pause stops moving data after PauseAfter bytes and holds the data
	// connection open until ABOR, the end of the session or Close.
	Pause      bool
	PauseAfter int64
}

// replaces reports whether r replaces the normal handling (rather than
// adjusting it).
func (r *Reply) replaces() bool {
	return r.Code != 0 || r.Raw != nil || r.Endless || r.Stall
}

// action says what follows a written reply.
type action int

const (
	actContinue action = iota
	actClose           // close the control connection
	actStall           // answer nothing more
)

// formatReply renders code and text as a reply, multi-line when text has
// several lines (RFC 959 section 4.2). Inner lines starting with a digit
// are indented by one space so that they cannot end the reply.
func formatReply(code int, text string) []byte {
	text = strings.ReplaceAll(text, "\r", "")
	lines := strings.Split(text, "\n")
	var b strings.Builder
	c := fmt.Sprintf("%03d", code)
	if len(lines) == 1 {
		b.WriteString(c + " " + text + "\r\n")
		return []byte(b.String())
	}
	b.WriteString(c + "-" + lines[0] + "\r\n")
	for _, l := range lines[1 : len(lines)-1] {
		if l != "" && l[0] >= '0' && l[0] <= '9' {
			l = " " + l
		}
		b.WriteString(l + "\r\n")
	}
	b.WriteString(c + " " + lines[len(lines)-1] + "\r\n")
	return []byte(b.String())
}

// replyBytes renders r, or the default reply when r does not set one.
func replyBytes(r *Reply, code int, text string) []byte {
	switch {
	case r != nil && r.Raw != nil:
		return r.Raw
	case r != nil && r.Code != 0:
		return formatReply(r.Code, r.Text)
	default:
		return formatReply(code, text)
	}
}

// send writes r, or the default reply (code, text) when r is nil or only
// adjusts; ctx ends a Delay or an endless reply early.
func (s *session) send(ctx context.Context, r *Reply, code int, text string) action {
	if r == nil {
		r = &Reply{}
	}
	if !r.pause(ctx) {
		return actClose
	}
	switch {
	case r.Endless:
		s.endless(ctx, r)
		return actClose
	case r.Raw != nil:
		s.write(r.Raw)
	case r.Code != 0:
		code = r.Code
		s.write(formatReply(r.Code, r.Text))
	case !r.Stall:
		s.write(formatReply(code, text))
	}
	if r.Sent != nil {
		r.Sent()
	}
	switch {
	case r.Stall:
		return actStall
	case r.Close || (r.Raw == nil && code == 421):
		return actClose
	}
	return actContinue
}

// reply writes a normal reply.
func (s *session) reply(code int, format string, args ...any) {
	text := format
	if len(args) > 0 {
		text = fmt.Sprintf(format, args...)
	}
	s.write(formatReply(code, text))
}

// write sends b on the control connection. Errors are left for the next
// read to find.
func (s *session) write(b []byte) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.silenced {
		return
	}
	s.srv.recordReplies(s.id, b)
	_, _ = s.conn.Write(b)
}

// endless writes "123-line N" lines until the write fails or ctx ends.
func (s *session) endless(ctx context.Context, r *Reply) {
	code := r.Code
	if code == 0 {
		code = 123
	}
	prefix := fmt.Sprintf("%03d-line ", code)
	n := 0
	for ctx.Err() == nil {
		var b []byte
		for range 64 {
			n++
			b = append(b, prefix...)
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, '\r', '\n')
		}
		s.wmu.Lock()
		_, err := s.conn.Write(b)
		s.wmu.Unlock()
		if err != nil {
			return
		}
	}
}

// pause waits r's Delay, then for r's Wait; it reports false when ctx
// ended first.
func (r *Reply) pause(ctx context.Context) bool {
	if r.Delay > 0 && !sleep(ctx, r.Delay) {
		return false
	}
	if r.Wait != nil {
		select {
		case <-r.Wait:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// parseCommand splits a raw line into an upper-cased verb and its
// argument, after removing Telnet IAC sequences (RFC 854; clients send
// "IAC IP IAC DM" before ABOR).
func parseCommand(raw string) (verb, arg string) {
	line := stripTelnet(raw)
	verb, arg, _ = strings.Cut(line, " ")
	return strings.ToUpper(verb), arg
}

func stripTelnet(s string) string {
	if strings.IndexByte(s, 0xFF) < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != 0xFF {
			b = append(b, c)
			continue
		}
		if i+1 >= len(s) {
			break
		}
		switch next := s[i+1]; {
		case next == 0xFF: // escaped 255
			b = append(b, 0xFF)
			i++
		case next >= 251 && next <= 254: // WILL, WONT, DO, DONT + option
			i += 2
		case next >= 240: // IP, DM, AO, ...
			i++
		}
		// IAC before a plain byte: drop the IAC alone (the DM may have
		// been taken out of band).
	}
	return string(b)
}
