package shell

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/ferry-ftp/ferry/ops"
)

// argKind says how an argument completes.
type argKind int

const (
	argNone      argKind = iota // nothing to offer
	argRemote                   // a remote path
	argRemoteDir                // a remote folder
	argLocal                    // a local path
	argLocalDir                 // a local folder
	argBookmark                 // a bookmark name or URL scheme
	argCommand                  // a shell command name
)

// command is one entry of the command table, which drives dispatch, help
// and completion.
type command struct {
	name    string
	aliases []string
	usage   string
	short   string // for the list that help prints
	help    string // one paragraph, for help CMD
	// args is the completion kind of each argument; the last one repeats.
	args     []argKind
	min, max int // argument count; max -1 is no limit
	conn     bool
	// retry runs the command again when the connection it started on
	// turns out to have been dropped by the server (421 or EOF) before
	// the command reached it. Only commands that are safe to repeat
	// have it.
	retry bool
	run   func(s *Shell, ctx context.Context, args []string) error

	// op names the operation (package ops) the command runs, as the
	// command line's ferry OP does, with the same flags; run is then
	// not used. opArgs maps the command's words to the operation's
	// arguments; confirm asks before each file when prompting is on;
	// changes says the command changes the remote side (completion
	// lists it again).
	op      string
	opArgs  opArgs
	confirm bool
	changes bool
	// opEnv, when set, adapts the operation's environment (cp: addresses
	// of other servers) and returns what to do once it ran; the command
	// then runs without an open connection too.
	opEnv func(s *Shell, ctx context.Context, env *ops.Env) (done func())
}

// commands is the command table, in the order help lists it. Each entry's
// handler is the Shell method cmdX for command x; the entry's help text
// documents it.
var commands []*command

func init() { commands = commandTable() }

// commandTable returns the command table. It is built by init because
// help refers to the table.
func commandTable() []*command {
	r, l, b := argRemote, argLocal, argBookmark
	return []*command{
		{name: "open", usage: "open [--tls] [--insecure] [--charset NAME] [--proxy URL] URL|BOOKMARK|HOST [PORT]", short: "connect to a server", args: []argKind{b, argNone}, min: 1, max: 8, run: (*Shell).cmdOpen,
			help: `Connect and log in; an open connection is closed once the new one has logged in, and kept when it fails. The address is an ftp://, ftps:// or ftpes:// URL, a bookmark (NAME or NAME:/path), or a host name with an optional port. Credentials come from the URL, then --user with $FERRY_PASSWORD or ~/.netrc, then a prompt (with no user known, the interactive shell asks "Name (host:USER):" first, as ftp does; Enter takes $USER); a URL path is entered after login. --tls requires explicit TLS (AUTH TLS) on an ftp:// address, as ftpes:// does; --insecure does not verify the server's certificate (for a server you trust whose certificate cannot be checked), for this connection and its reconnections. --charset NAME is for a server whose names are not UTF-8 (cp1251, latin1, shift_jis...): names are converted both ways, and a bookmark saved from the session keeps it; without it, the bookmark's or ferry's --charset applies. --proxy URL connects through that proxy (socks5://, socks5h:// or http://, as ferry's --proxy; NO_PROXY and --noproxy still apply), and --proxy "" directly, for this connection and its reconnections.`},
		{name: "close", usage: "close", short: "close the connection", max: 0, run: (*Shell).cmdClose,
			help: `Log out (QUIT) and close the connection; the shell stays open for another open.`},
		{name: "user", usage: "user NAME [PASSWORD]", short: "log in as another user", args: []argKind{argNone}, min: 1, max: 2, conn: true, run: (*Shell).cmdUser,
			help: `Log in again on the same server as NAME. Without PASSWORD the shell asks for it, or reads $FERRY_PASSWORD in batch mode. The history never keeps the password.`},
		{name: "ls", usage: "ls [-l] [-a] [-R] [-h] [-t] [PATH]", short: "list a remote folder", args: []argKind{r}, max: -1, conn: true, retry: true, op: "ls", opArgs: lsArgs,
			help: `List the names in a remote folder, the current one by default, in the server's order, as ferry ls does. -l prints ferry's long format (type, permissions, size, time, name) whatever the server's style, -h with sizes in units; -a includes names starting with a dot; -t lists newest first; -R lists sub-folders too.`},
		{name: "dir", usage: "dir [PATH]", short: "list a remote folder as the server does", args: []argKind{r}, max: 1, conn: true, retry: true, run: (*Shell).cmdDir,
			help: `Print the server's own LIST output for a remote folder or file, unparsed.`},
		{name: "nlist", usage: "nlist [PATH]", short: "list remote names (NLST)", args: []argKind{r}, max: 1, conn: true, retry: true, run: (*Shell).cmdNlist,
			help: `Print the names the server returns for NLST, one per line, as sent.`},
		{name: "cd", usage: "cd PATH|-", short: "change the remote folder", args: []argKind{argRemoteDir}, min: 1, max: 1, conn: true, retry: true, run: (*Shell).cmdCd,
			help: `Change the remote folder. The session returns to it after reconnecting. "cd -" goes back to the folder before the last cd and prints it.`},
		{name: "cdup", usage: "cdup", short: "go to the parent remote folder", max: 0, conn: true, retry: true, run: (*Shell).cmdCdup,
			help: `Change to the parent of the remote folder.`},
		{name: "pwd", usage: "pwd", short: "print the remote folder", max: 0, conn: true, retry: true, run: (*Shell).cmdPwd,
			help: `Ask the server for the remote folder (PWD) and print it.`},
		{name: "lcd", usage: "lcd [PATH|-]", short: "change the local folder", args: []argKind{argLocalDir}, max: 1, run: (*Shell).cmdLcd,
			help: `Change the local folder that get, put and lls use; without PATH, go to the home folder; "lcd -" goes back to the folder before the last lcd.`},
		{name: "lpwd", usage: "lpwd", short: "print the local folder", max: 0, run: (*Shell).cmdLpwd,
			help: `Print the local folder.`},
		{name: "lls", usage: "lls [PATH]", short: "list a local folder", args: []argKind{l}, max: 1, run: (*Shell).cmdLls,
			help: `List the names in a local folder, the local folder by default, with "/" after folders.`},
		{name: "get", usage: "get [FLAGS] REMOTE [LOCAL|-]", short: "download a file", args: []argKind{r, l}, min: 1, max: -1, conn: true, retry: true, op: "get", opArgs: getArgs,
			help: `Download REMOTE to LOCAL, by default its name in the local folder. The data goes to a hidden temporary file beside LOCAL (.LOCAL.ferry-TAG.part, TAG naming the server's file by its site, path, size and time), renamed to LOCAL only when complete, so an existing file is never replaced by a partial one; no more than the size the server announced is written. After Ctrl-C or a failure the temporary file is kept when the server told the file's size and time: reget resumes it. A file that replaces another keeps its permissions; a device or FIFO as LOCAL (/dev/null) is written into, never replaced. --direct writes straight to LOCAL, with no temporary file (ferry does so on its own, with a warning, when the temporary file cannot be made).`},
		{name: "reget", usage: "reget [FLAGS] REMOTE [LOCAL]", short: "resume a download", args: []argKind{r, l}, min: 1, max: -1, conn: true, retry: true, op: "get", opArgs: regetArgs,
			help: `Like get, but continue from the temporary file an interrupted get of the same version of the same file left (REST), instead of starting again.`},
		{name: "mget", usage: "mget [FLAGS] PATTERN...", short: "download several files", args: []argKind{r}, min: 1, max: -1, conn: true, op: "get", opArgs: mgetArgs, confirm: true,
			help: `Download the remote files each pattern matches ("*.txt", matched against the folder's listing) into the local folder, asking before each one when prompt is on (y, n, a for all, q to stop). ` + patternRule + ` Folders a pattern matches are skipped and reported. Names from the server that hold a path separator, "..", a control character or a leading "|" are refused. In binary type, several files come down at once, each over a connection of its own (ferry shell --parallel, 4 by default).`},
		{name: "put", usage: "put [FLAGS] LOCAL [REMOTE]", short: "upload a file", args: []argKind{l, r}, min: 1, max: -1, conn: true, retry: true, op: "put", opArgs: putArgs, changes: true,
			help: `Upload LOCAL to REMOTE, by default its name in the remote folder (a REMOTE ending in "/" is a folder). The data goes to a temporary name beside REMOTE (.REMOTE.ferry-TAG.part, TAG standing for the local file's path, size and time), renamed when complete and its size checked, so a failed upload never leaves a truncated file under the final name, and the old file is kept until the new one is in place and its permissions are given to the new one (SITE CHMOD). --direct writes straight to REMOTE.`},
		{name: "reput", usage: "reput [FLAGS] LOCAL [REMOTE]", short: "resume an upload", args: []argKind{l, r}, min: 1, max: -1, conn: true, retry: true, op: "put", opArgs: reputArgs, changes: true,
			help: `Like put, but continue the partial upload of the same version of LOCAL that an interrupted put left on the server.`},
		{name: "mput", usage: "mput [FLAGS] PATTERN...", short: "upload several files", args: []argKind{l}, min: 1, max: -1, conn: true, op: "put", opArgs: mputArgs, confirm: true, changes: true,
			help: `Upload the local files each pattern matches (relative to the local folder) into the remote folder, asking before each one when prompt is on (y, n, a for all, q to stop). In binary type, several files go up at once, each over a connection of its own (ferry shell --parallel, 4 by default).`},
		{name: "mirror", usage: "mirror [FLAGS] [SOURCE [TARGET]]", short: "copy a folder tree, only what changed", args: []argKind{r, l}, max: -1, conn: true, op: "mirror", opArgs: mirrorArgs, changes: true,
			help: `Make a local folder a copy of a remote one, or with -R a remote folder a copy of a local one, as lftp's mirror does. ` + mirrorEnds + ` New files are copied, changed ones (another size or time) copied again, unchanged ones skipped, over -P (--parallel) connections at once. --delete removes what the source lacks, only inside the target, and keeps ferry's own partial files for a later run; when the source is empty it asks first (a batch script refuses) unless --allow-empty-source is given; -n (--only-newer) keeps destination files that are newer; -x (--exclude) and -i (--include) take globs matched against the relative path and the base name; --dry-run prints the plan and changes nothing (with --json, the whole plan with each action's reason); -c (--continue) resumes partial files of the same source files. What counts as changed: --size-only, --checksum (the server's digests against the local files'), --only-missing, --only-existing. Filters: --exclude-rx and --include-rx (Go regular expressions), --exclude-from and --include-from (pattern files), ** in globs, --min-size, --max-size, --newer-than, --older-than, --max-depth, --no-empty-dirs. Safety: --delete-excluded, --max-delete N, --backup-dir DIR (on the destination's side), --suffix SUFFIX (earlier backups are kept, numbered), --remove-source-files (move mode). Control: --max-errors N, --loop, --log FILE (one JSON line per action). Names from the server that could escape the target are refused, and symbolic links are never followed or made: links, special files, type conflicts and listing lines that cannot be read are skipped, each reported with its reason, and the command then fails with exit code 8.`},
		{name: "check", usage: "check [FLAGS] [SOURCE [TARGET]]", short: "compare a folder tree with its copy, copying nothing", args: []argKind{r, l}, max: -1, conn: true, retry: true, op: "check", opArgs: mirrorArgs,
			help: `Compare a remote folder with a local one (with -R, a local folder with a remote one) by the rules mirror uses, and list the differences: what is missing on either side, and the files that differ, with the reason. SOURCE and TARGET default as in mirror. --size-only, --checksum and the filters (-x, -i, --exclude-rx, --include-rx, --exclude-from, --include-from, --min-size, --max-size, --newer-than, --older-than, --max-depth) work as in mirror. Nothing is copied or deleted. The command succeeds when the folders match, and fails with exit code 1 when they differ (8 when some paths could not be compared).`},
		{name: "cp", usage: "cp [FLAGS] SOURCE [TARGET]", short: "copy a file to or from another server", args: []argKind{r, r}, min: 1, max: -1, op: "cp", opArgs: cpArgs, opEnv: cpEnv, changes: true,
			help: cpHelp},
		{name: "delete", aliases: []string{"rm"}, usage: "delete [-r] PATH...", short: "delete a remote file", args: []argKind{r}, min: 1, max: -1, conn: true, op: "rm", changes: true,
			help: `Delete a remote file (DELE).`},
		{name: "mdelete", usage: "mdelete [FLAGS] PATTERN...", short: "delete several remote files", args: []argKind{r}, min: 1, max: -1, conn: true, op: "rm", confirm: true, changes: true,
			help: `Delete the remote files each pattern matches, asking before each one when prompt is on (y, n, a for all, q to stop). ` + patternRule + ` Folders a pattern matches are skipped and reported.`},
		{name: "mkdir", usage: "mkdir [-p] PATH...", short: "create a remote folder", args: []argKind{argRemoteDir}, min: 1, max: -1, conn: true, op: "mkdir", changes: true,
			help: `Create a remote folder (MKD).`},
		{name: "rmdir", usage: "rmdir PATH...", short: "remove an empty remote folder", args: []argKind{argRemoteDir}, min: 1, max: -1, conn: true, op: "rmdir", changes: true,
			help: `Remove an empty remote folder (RMD).`},
		{name: "rename", aliases: []string{"mv"}, usage: "rename FROM TO", short: "rename a remote file", args: []argKind{r}, min: 2, max: 2, conn: true, op: "mv", changes: true,
			help: `Rename or move a remote file or folder (RNFR and RNTO).`},
		{name: "chmod", usage: "chmod MODE PATH...", short: "change remote permissions", args: []argKind{argNone, r}, min: 2, max: -1, conn: true, retry: true, op: "chmod", changes: true,
			help: `Change the permissions of remote files with SITE CHMOD; MODE is octal, such as 644.`},
		{name: "size", usage: "size PATH", short: "print a remote file's size", args: []argKind{r}, min: 1, max: 1, conn: true, retry: true, run: (*Shell).cmdSize,
			help: `Print the size in bytes of a remote file (SIZE).`},
		{name: "modtime", usage: "modtime PATH", short: "print a remote file's modification time", args: []argKind{r}, min: 1, max: 1, conn: true, retry: true, run: (*Shell).cmdModtime,
			help: `Print the modification time of a remote file (MDTM), in UTC.`},
		{name: "stat", usage: "stat [PATH]", short: "describe a remote file, or the session", args: []argKind{r}, max: -1, conn: true, retry: true, op: "stat", opArgs: statArgs,
			help: `With PATH, print the type, size, modification time and permissions of a remote file or folder, from MLST where the server offers it and SIZE and MDTM otherwise. Without PATH, print the server's STAT reply about the session.`},
		{name: "cat", usage: "cat [-a] PATH...", short: "print a remote file", args: []argKind{r}, min: 1, max: -1, conn: true, retry: true, op: "cat",
			help: `Download a remote file to the standard output.`},
		{name: "binary", aliases: []string{"bin", "image"}, usage: "binary", short: "transfer files byte for byte", max: 0, conn: true, retry: true, run: (*Shell).cmdBinary,
			help: `Set the transfer type to binary (TYPE I), the default: files arrive byte for byte.`},
		{name: "ascii", usage: "ascii", short: "convert line endings in transfers", max: 0, conn: true, retry: true, run: (*Shell).cmdASCII,
			help: `Set the transfer type to ASCII (TYPE A), for text files, as ftp's ascii and lftp's get -a do. Line ends cross the network as CRLF: ferry writes each CRLF of a download as LF, and sends each LF of an upload as CRLF (a CRLF the file already has goes as it is, and a CR that ends no line is kept both ways); the server converts its own side. Sizes then differ between the two sides and are checked as far as line ends allow. Offsets differ too, so reget and reput start from the beginning, and mget and mput move one file at a time. binary switches back.`},
		{name: "passive", usage: "passive", short: "use passive mode", max: 0, run: (*Shell).cmdPassive,
			help: `Use passive mode for data connections: the server listens and ferry connects (EPSV or PASV). It applies from the next transfer on, also after reconnecting.`},
		{name: "active", usage: "active", short: "use active mode", max: 0, run: (*Shell).cmdActive,
			help: `Use active mode for data connections: ferry listens and the server connects (EPRT or PORT). It applies from the next transfer on, also after reconnecting.`},
		{name: "status", usage: "status", short: "show the shell's settings", max: 0, run: (*Shell).cmdStatus,
			help: `Show the server, user, folders, data mode, transfer type, TLS and the verbose and prompt settings.`},
		{name: "quote", usage: "quote COMMAND...", short: "send a raw FTP command", args: []argKind{argNone, r}, min: 1, max: -1, conn: true, op: "quote", opArgs: quoteArgs,
			help: `Send one raw FTP command and print the reply code and text. A reply of 400 or above fails the command. Commands that need a data connection are refused; use the shell's commands for those.`},
		{name: "site", usage: "site ARGUMENTS...", short: "send a SITE command", args: []argKind{argNone, r}, min: 1, max: -1, conn: true, run: (*Shell).cmdSite,
			help: `Send SITE with the arguments (such as "site help") and print the reply.`},
		{name: "verbose", usage: "verbose", short: "toggle the protocol trace", max: 0, run: (*Shell).cmdVerbose,
			help: `Turn printing of the protocol exchange on stderr on or off. Passwords are masked.`},
		{name: "prompt", usage: "prompt", short: "toggle confirmation in mget, mput, mdelete", max: 0, run: (*Shell).cmdPrompt,
			help: `Turn asking before each file of mget, mput and mdelete on or off. It starts on in the interactive shell; batch scripts never ask.`},
		{name: "bookmark", usage: "bookmark [NAME]", short: "list bookmarks, or save this place as one", args: []argKind{argNone}, max: 1, run: (*Shell).cmdBookmark,
			help: `Without NAME, list the bookmarks. With NAME, save the server, user (the session's, also when it came from --user or ~/.netrc) and remote folder as bookmark NAME (never the password), for 'open NAME' and NAME:/path addresses. Over an existing bookmark it asks first; a batch script refuses.`},
		{name: "!", usage: "!COMMAND", short: "run a local shell command", args: []argKind{l}, max: 1, run: (*Shell).cmdBang,
			help: `Run COMMAND with $SHELL -c (/bin/sh by default) in the local folder; "!" alone starts an interactive shell.`},
		{name: "help", aliases: []string{"?"}, usage: "help [COMMAND]", short: "list commands, or explain one", args: []argKind{argCommand}, max: 1, run: (*Shell).cmdHelp,
			help: `Without COMMAND, list the commands. With COMMAND, print its usage and what it does.`},
		{name: "bye", aliases: []string{"quit", "exit"}, usage: "bye", short: "leave the shell", max: 0, run: (*Shell).cmdBye,
			help: `Close the connection and leave the shell; Ctrl-D at the prompt does the same.`},
	}
}

// mirrorEnds says, in the help of mirror, what mirrorArgs makes of
// SOURCE and TARGET.
const mirrorEnds = `Without arguments, mirror makes the local current folder itself a copy of the remote current folder (with -R, the remote current folder a copy of the local one): so "mirror --delete" alone deletes from the local current folder whatever the remote current folder lacks (with -R, from the remote current folder what the local one lacks). SOURCE is a folder on the source's side (the remote one; with -R, the local one); given alone, its copy is a folder of its name in the other side's current folder ("mirror site" makes ./site). TARGET names the copy itself; a TARGET ending in "/" receives the source under its own name.`

// patternRule says, in the help of mget and mdelete, when a name is a
// pattern.
const patternRule = `A name the remote folder holds exactly as written ("qm?.txt", "report-[draft].txt") is that file, never a pattern; "\" takes the character after it as it is. --literal takes every name as it is, without reading the listing; --glob expands a pattern even where a file has that very name.`

// lookup returns the command named name or one of its aliases, or nil.
func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
		for _, a := range c.aliases {
			if a == name {
				return c
			}
		}
	}
	return nil
}

// commandNames returns every command name and alias, for completion.
func commandNames() []string {
	var out []string
	for _, c := range commands {
		out = append(out, c.name)
		out = append(out, c.aliases...)
	}
	sort.Strings(out)
	return out
}

func (s *Shell) cmdHelp(_ context.Context, args []string) error {
	if len(args) == 1 {
		c := lookup(args[0])
		if c == nil {
			return usageErrorf("no command %q; type help for a list", args[0])
		}
		fmt.Fprintf(s.out, "usage: %s\n", c.usage)
		if len(c.aliases) > 0 {
			fmt.Fprintf(s.out, "aliases: %s\n", strings.Join(c.aliases, ", "))
		}
		fmt.Fprintf(s.out, "\n%s\n", wrap(c.help, 72))
		if c.op != "" {
			spec := ops.Lookup(c.op)
			if flags := s.opFlags(c, spec.New(), &ops.GlobalOptions{}).FlagUsages(); flags != "" {
				fmt.Fprintf(s.out, "\nFlags (those of ferry %s):\n%s", spec.Name, flags)
			}
			fmt.Fprintf(s.out, "\nAs ferry %s --help explains it, with paths for URLs:\n\n%s\n", spec.Name, spec.Long)
		}
		return nil
	}
	fmt.Fprintln(s.out, "Commands (help COMMAND explains one):")
	_, err := io.WriteString(s.out, CommandList())
	return err
}

// CommandList returns the shell's commands, one a line with their
// aliases and what they do, as help lists them; ferry shell --help and
// its man page show it too.
func CommandList() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		name := c.name
		if len(c.aliases) > 0 {
			name += " (" + strings.Join(c.aliases, ", ") + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, c.short)
	}
	tw.Flush()
	return b.String()
}

func (s *Shell) cmdBye(context.Context, []string) error { return errBye }

// wrap breaks a paragraph into lines of at most width bytes where it can.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len(w) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// usageErrorf returns a usage error (exit code 2).
func usageErrorf(format string, args ...any) error { return ops.UsageErrorf(format, args...) }
