package client

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Refusals records the commands a server refused as not implemented, so
// that a session asks each of them at most once and uses its fallback
// from then on (see Conn.Size, Conn.ModTime, Conn.Lookup, Conn.ReadDirFunc
// and the data connection's EPSV). Every Conn has one; connections given
// the same Refusals with WithRefusals (the connections of one pool, say)
// share what each of them learns. A Refusals is safe for concurrent use.
//
// The verbs recorded are FEAT, SIZE, MDTM, MLST, MLSD and EPSV. A refusal
// is a 500 or 502 reply ("unknown command", "not implemented"); 501 ("bad
// argument") counts once the fallback shows the argument was good (the
// file exists, the folder exists); 504 ("not implemented for that
// parameter") makes the call fall back but is not recorded. EPSV is also
// recorded when its port cannot be reached, and FEAT on any 5yz reply.
type Refusals struct {
	mu      sync.Mutex
	refused map[string]error // verb -> the first refusal
	noAhead error            // why lookahead is off (see NoLookahead)
	// noPipeline is why commands go in lockstep (see NoPipelining).
	noPipeline error
}

// NewRefusals returns an empty record, for WithRefusals.
func NewRefusals() *Refusals { return &Refusals{} }

// WithRefusals makes the connection record refusals in r, and skip the
// commands r already holds (connections to one server that share r ask
// each at most once between them). By default each connection has a
// record of its own.
func WithRefusals(r *Refusals) Option { return func(o *options) { o.refusals = r } }

// Has reports whether verb was refused.
func (r *Refusals) Has(verb string) bool {
	return r.Refusal(verb) != nil
}

// Refusal returns the server's first refusal of verb, or nil.
func (r *Refusals) Refusal(verb string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused[strings.ToUpper(verb)]
}

// add records the refusal err of verb and reports whether it is new.
func (r *Refusals) add(verb string, err error) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	verb = strings.ToUpper(verb)
	if r.refused[verb] != nil {
		return false
	}
	if r.refused == nil {
		r.refused = map[string]error{}
	}
	r.refused[verb] = err
	return true
}

// Refusals returns the connection's record of refused commands, to share
// with other connections to the same server (WithRefusals).
func (c *Conn) Refusals() *Refusals {
	if c.refusals == nil {
		c.refusals = c.opts.refusals
		if c.refusals == nil {
			c.refusals = NewRefusals()
		}
	}
	return c.refusals
}

// Refused reports whether the server refused verb in this session (or
// on a connection that shares its Refusals).
func (c *Conn) Refused(verb string) bool { return c.Refusals().Has(verb) }

// refuse records that the server refused verb with err.
func (c *Conn) refuse(verb string, err error) {
	if c.Refusals().add(verb, err) {
		c.tracef("server refused %s (%d); not asking again in this session", verb, ReplyCode(err))
	}
}

// Offers reports whether the server may take the command or feature name:
// it listed it in FEAT, or it refused FEAT (so nothing is known), and it
// has not refused name since. HasFeature is the stricter question: only
// what FEAT listed. Both are false before Features was called.
func (c *Conn) Offers(name string) bool {
	return (c.listed(name) || c.featRefused) && !c.Refused(name)
}

// listed reports whether the server listed name in its FEAT reply.
func (c *Conn) listed(name string) bool {
	_, ok := c.features[strings.ToUpper(name)]
	return ok
}

// refusalKind classifies a server's reply to a command that may not be
// implemented.
type refusalKind int

const (
	notRefused refusalKind = iota
	// refusedCmd: 500 or 502, the command is not there.
	refusedCmd
	// refusedArg: 501, which says the argument is bad and which some
	// servers also use for a command they do not have; it counts once
	// the fallback shows that the argument was good.
	refusedArg
	// refusedParam: 504, not implemented for this argument. The call
	// falls back; the command stays in use.
	refusedParam
)

// refusalOf classifies err, a command's failure.
func refusalOf(err error) refusalKind {
	var re *ReplyError
	if !errors.As(err, &re) {
		return notRefused
	}
	switch re.Code {
	case 500, 502:
		return refusedCmd
	case 501:
		return refusedArg
	case 504:
		return refusedParam
	}
	return notRefused
}

// pending collects the 501 refusals of one call that count once its
// fallback finds the path it asked about (see refusedArg).
type pending struct {
	verbs []string
	errs  []error
	last  error // the last refusal noted, of any kind
}

// note records err, verb's failure, when it is a refusal: a 500 or 502 is
// recorded at once, a 501 when confirm is called. It reports whether the
// call should fall back (a refusal of any kind on a working connection).
func (p *pending) note(c *Conn, verb string, err error) bool {
	if err == nil || c.Err() != nil {
		return false
	}
	switch refusalOf(err) {
	case refusedCmd:
		c.refuse(verb, err)
	case refusedArg:
		p.verbs = append(p.verbs, verb)
		p.errs = append(p.errs, err)
	case refusedParam:
	default:
		return false
	}
	p.last = err
	return true
}

// why returns the refusal that made the call fall back: the last one
// noted, else the recorded refusal of the first of verbs the server
// refused earlier in the session.
func (p *pending) why(c *Conn, verbs ...string) error {
	if p.last != nil {
		return p.last
	}
	for _, v := range verbs {
		if err := c.Refusals().Refusal(v); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s refused", strings.Join(verbs, ", "))
}

// confirm records the 501 refusals noted: the fallback found the path.
func (p *pending) confirm(c *Conn) {
	for i, v := range p.verbs {
		c.refuse(v, p.errs[i])
	}
	p.verbs, p.errs = nil, nil
}

// epsvOff reports whether EPSV is not to be used: the server refused it,
// or its port could not be reached, on this connection or on one that
// shares its Refusals.
func (c *Conn) epsvOff() bool { return c.noEPSV || c.Refused("EPSV") }

// dropEPSV turns EPSV off for the rest of the session (PASV instead)
// after err, its refusal or its unreachable port.
func (c *Conn) dropEPSV(err error) {
	c.noEPSV = true
	c.Refusals().add("EPSV", err)
}
