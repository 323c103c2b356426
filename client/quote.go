package client

import (
	"context"
	"fmt"
	"strings"
)

// quoteRefusals lists the commands Quote does not send, with the reason:
// they change state the engine keeps track of, or need a data connection,
// which only the transfer methods set up.
var quoteRefusals = map[string]string{
	"REST": "sets the offset of the next transfer, which resumed transfers send",
	"AUTH": "changes the security of the connection, which is chosen when connecting",
	"PBSZ": "changes data protection, which Login sets up",
	"PROT": "changes data protection, which Login sets up",
	"CCC":  "changes the security of the connection",
	"PASV": "sets up a data connection, which the transfer methods do",
	"EPSV": "sets up a data connection, which the transfer methods do",
	"PORT": "sets up a data connection, which the transfer methods do",
	"EPRT": "sets up a data connection, which the transfer methods do",
	"ABOR": "aborts a transfer, which closing the transfer does",
	"REIN": "resets the session",
	"RETR": "needs a data connection, which only transfers and listings set up",
	"STOR": "needs a data connection, which only transfers and listings set up",
	"STOU": "needs a data connection",
	"APPE": "needs a data connection, which only transfers and listings set up",
	"LIST": "needs a data connection, which only transfers and listings set up",
	"NLST": "needs a data connection, which only transfers and listings set up",
	"MLSD": "needs a data connection, which only transfers and listings set up",
}

// quoteRefusal returns why Quote does not send verb with arg, or "".
func quoteRefusal(verb, arg string) string {
	verb = strings.ToUpper(verb)
	if why, ok := quoteRefusals[verb]; ok {
		return why
	}
	switch {
	case verb == "":
		return "is empty"
	case verb == "MODE" && !strings.EqualFold(strings.TrimSpace(arg), "S"):
		return "selects a transfer mode other than stream (S), which the client does not speak"
	case verb == "STRU" && !strings.EqualFold(strings.TrimSpace(arg), "F"):
		return "selects a file structure other than file (F), which the client does not speak"
	}
	return ""
}

// Quote sends a raw command line and returns the final reply's code and
// text, whatever the code; preliminary (1yz) replies are read past. The
// line must not hold CR, LF, NUL or 0xFF.
//
// Quote refuses, before sending anything, commands that would put the
// server in a state the client does not know about or that need a data
// connection: REST, AUTH, PBSZ, PROT, CCC, PASV, EPSV, PORT, EPRT, ABOR,
// REIN, RETR, STOR, STOU, APPE, LIST, NLST, MLSD, and MODE or STRU with a
// value other than S or F. The error is of KindOther and matches
// ErrQuoteRefused. USER, PASS and ACCT are sent; the arguments of PASS and
// ACCT are masked in errors and traces. A successful TYPE updates
// CurrentType, and a successful QUIT closes the connection.
func (c *Conn) Quote(ctx context.Context, line string) (code int, text string, err error) {
	verb, arg, _ := strings.Cut(line, " ")
	if err := checkArg(verb); err != nil {
		return 0, "", &Error{Kind: KindOther, Op: "quote", Err: err}
	}
	if why := quoteRefusal(verb, arg); why != "" {
		return 0, "", &Error{Kind: KindOther, Op: "quote", Err: fmt.Errorf("%w: %s %s", ErrQuoteRefused, strings.ToUpper(verb), why)}
	}
	reply, err := c.exchange(ctx, 0, verb, arg)
	if err != nil {
		return 0, "", err
	}
	if reply.Code/100 == 2 {
		switch strings.ToUpper(verb) {
		case "TYPE":
			c.curType = typeOf(arg)
		case "QUIT":
			c.Close()
		}
	}
	return reply.Code, reply.Msg(), nil
}

// typeOf returns the TransferType a TYPE argument selects: "A" and "A N"
// are TypeASCII, "I" and "L 8" TypeBinary, anything else as given (upper
// case, single spaces).
func typeOf(arg string) TransferType {
	switch t := strings.ToUpper(strings.Join(strings.Fields(arg), " ")); t {
	case "A", "A N":
		return TypeASCII
	case "I", "L 8":
		return TypeBinary
	default:
		return TransferType(t)
	}
}
