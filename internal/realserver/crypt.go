package realserver

import (
	"crypto/sha512"
	"fmt"
	"strconv"
	"strings"
)

// cryptAlphabet is the base-64 alphabet of crypt(3), which differs from
// RFC 4648.
const cryptAlphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

const defaultCryptRounds = 5000

// sha512Crypt returns the "$6$" crypt(3) hash of password, as defined in
// Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512". proftpd's
// AuthUserFile, pure-ftpd's puredb and /etc/shadow all accept it, so the
// package needs neither openssl nor mkpasswd to make a password file.
// salt is cut to 16 characters; rounds other than 5000 are written into
// the hash.
func sha512Crypt(password, salt string, rounds int) string {
	if len(salt) > 16 {
		salt = salt[:16]
	}
	if rounds == 0 {
		rounds = defaultCryptRounds
	}
	rounds = max(1000, min(rounds, 999999999))
	p, s := []byte(password), []byte(salt)

	b := sha512.New()
	b.Write(p)
	b.Write(s)
	b.Write(p)
	sumB := b.Sum(nil)

	a := sha512.New()
	a.Write(p)
	a.Write(s)
	n := len(p)
	for ; n > 64; n -= 64 {
		a.Write(sumB)
	}
	a.Write(sumB[:n])
	for i := len(p); i > 0; i >>= 1 {
		if i&1 != 0 {
			a.Write(sumB)
		} else {
			a.Write(p)
		}
	}
	sumA := a.Sum(nil)

	dp := sha512.New()
	for range len(p) {
		dp.Write(p)
	}
	pSeq := repeatTo(dp.Sum(nil), len(p))

	ds := sha512.New()
	for range 16 + int(sumA[0]) {
		ds.Write(s)
	}
	sSeq := repeatTo(ds.Sum(nil), len(s))

	c := sumA
	for r := range rounds {
		h := sha512.New()
		if r&1 != 0 {
			h.Write(pSeq)
		} else {
			h.Write(c)
		}
		if r%3 != 0 {
			h.Write(sSeq)
		}
		if r%7 != 0 {
			h.Write(pSeq)
		}
		if r&1 != 0 {
			h.Write(c)
		} else {
			h.Write(pSeq)
		}
		c = h.Sum(nil)
	}

	var out strings.Builder
	out.WriteString("$6$")
	if rounds != defaultCryptRounds {
		fmt.Fprintf(&out, "rounds=%d$", rounds)
	}
	out.WriteString(salt)
	out.WriteByte('$')
	// The byte order below is fixed by the specification.
	for i := range 21 {
		x, y, z := i, i+21, i+42
		switch i % 3 {
		case 1:
			x, y, z = y, z, x
		case 2:
			x, y, z = z, x, y
		}
		encode24(&out, c[x], c[y], c[z], 4)
	}
	encode24(&out, 0, 0, c[63], 2)
	return out.String()
}

func repeatTo(sum []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out)+len(sum) <= n {
		out = append(out, sum...)
	}
	return append(out, sum[:n-len(out)]...)
}

func encode24(out *strings.Builder, b2, b1, b0 byte, n int) {
	w := uint32(b2)<<16 | uint32(b1)<<8 | uint32(b0)
	for range n {
		out.WriteByte(cryptAlphabet[w&0x3f])
		w >>= 6
	}
}

// checkSHA512Crypt reports whether hash is a "$6$" hash of password.
func checkSHA512Crypt(password, hash string) bool {
	rest, ok := strings.CutPrefix(hash, "$6$")
	if !ok {
		return false
	}
	rounds := defaultCryptRounds
	if r, ok := strings.CutPrefix(rest, "rounds="); ok {
		num, after, found := strings.Cut(r, "$")
		n, err := strconv.Atoi(num)
		if !found || err != nil {
			return false
		}
		rounds, rest = n, after
	}
	salt, _, found := strings.Cut(rest, "$")
	if !found {
		return false
	}
	return sha512Crypt(password, salt, rounds) == hash
}
