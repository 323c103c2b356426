//go:build !unix

package transfer

import (
	"os"
	"time"
)

// changeTime knows no change time here: the size and modification time
// tell alone.
func changeTime(*os.File) time.Time { return time.Time{} }
