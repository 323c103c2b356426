package transfer

import "fmt"

// compare decides, for a file present on both sides, whether the job
// copies it, as the options say: OnlyMissing keeps it, SizeOnly compares
// the sizes alone, Checksum compares the sizes and leaves files of the
// same size to their digests (see mirror.compareDigests); otherwise
// decide compares sizes and times.
func compare(src, dst *node, opt *MirrorOptions, keepsTimes bool) decision {
	if opt.OnlyMissing {
		return decision{reason: "in the destination (--only-missing)"}
	}
	if !opt.SizeOnly && !opt.Checksum {
		return decide(src, dst, opt.Update, keepsTimes)
	}
	switch {
	case src.size < 0 || dst.size < 0:
		// Nothing is called unchanged that was not compared.
		return decision{copy: true, reason: "size unknown", unsure: "size unknown"}
	case src.size != dst.size:
		return decision{copy: true, reason: fmt.Sprintf("size differs: %d, was %d", src.size, dst.size)}
	case opt.Checksum:
		return decision{reason: "same size", byHash: true}
	}
	return decision{reason: "same size (--size-only)"}
}
