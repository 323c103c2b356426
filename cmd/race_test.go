//go:build race

package cmd_test

func init() { raceEnabled = true }
