package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDemo runs the demo end to end: every step must succeed.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 128 MiB")
	}
	var out, errOut bytes.Buffer
	if err := run(strings.NewReader(""), &out, &errOut, false); err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	for _, want := range []string{"Welcome to the ferry demo server.", "$ ferry put", `"type": "file"`, "guide.txt"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "> DELE incoming/uploaded.iso") {
		t.Errorf("trace lacks DELE:\n%s", errOut.String())
	}
}
