package realserver

import "testing"

// Vectors from the specification of SHA-512 crypt.
var sha512CryptTests = []struct {
	password, salt string
	rounds         int
	want           string
}{
	{"Hello world!", "saltstring", 0,
		"$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"},
	{"Hello world!", "saltstringsaltstring", 10000,
		"$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."},
	{"This is just a test", "toolongsaltstring", 5000,
		"$6$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0"},
	{"a very much longer text to encrypt.  This one even stretches over morethan one line.", "anotherlongsaltstring", 1400,
		"$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1"},
}

func TestSHA512Crypt(t *testing.T) {
	for _, tt := range sha512CryptTests {
		got := sha512Crypt(tt.password, tt.salt, tt.rounds)
		if got != tt.want {
			t.Errorf("sha512Crypt(%q, %q, %d)\n got %s\nwant %s", tt.password, tt.salt, tt.rounds, got, tt.want)
		}
		if !checkSHA512Crypt(tt.password, tt.want) {
			t.Errorf("checkSHA512Crypt(%q, %q) = false", tt.password, tt.want)
		}
		if checkSHA512Crypt(tt.password+"x", tt.want) {
			t.Errorf("checkSHA512Crypt accepted a wrong password for %q", tt.want)
		}
	}
}
