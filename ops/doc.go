// Package ops holds each user-level operation of ferry once: ls, get,
// put, mirror, cat, stat, mkdir, rm, rmdir, mv, chmod and quote. The
// command line (package cmd) and the shell (package shell) are two thin
// front ends over it: both make an operation from its Command, define its
// flags with AddFlags, hand it the positional arguments with Args and run
// it with an Env, which says how arguments become sessions (URLs on the
// command line, paths on the shell's session), where the local folder is,
// and whom to ask.
//
// An operation expands remote patterns (package pattern: one rule for
// names and dot files), names its targets, moves files over a
// transfer.Pool, shows progress with the live view of package progress,
// prints its result as text or JSON (indented, or one line with
// Env.JSONLines), and returns errors whose exit codes ExitCode gives: the
// one table of them, documented in ExitCodeHelp.
package ops
