package ops

// checkASCII refuses the flags that cannot go with -a (ASCII mode): in
// ASCII mode the bytes on the server and the local ones differ in their
// line ends, so offsets (resuming), digests and the size comparisons of
// folder copies do not carry over from one side to the other.
func checkASCII(ascii, resume, recursive, verify bool) error {
	switch {
	case !ascii:
		return nil
	case resume:
		return usageErrorf("-a cannot go with -c: offsets differ between the two sides in ASCII mode, so nothing is resumed")
	case recursive:
		return usageErrorf("-a cannot go with -r: folder copies compare sizes, which ASCII mode changes")
	case verify:
		return usageErrorf("-a cannot go with --verify: the server's digest is of its bytes, which ASCII mode changes")
	}
	return nil
}
