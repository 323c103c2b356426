//go:build !unix

package trust

import "io/fs"

// checkModes is false where files have no Unix modes and owners (Windows
// reports 0666 for any writable file): CheckPerms checks nothing there.
const checkModes = false

// ownerOf reports no owner where the system has no user ids.
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }
