package main

import (
	"strings"
)

// cobra/doc reads each command's help as Markdown, but ferry writes its
// help as plain text for the terminal: an asterisk in "globs (*, ?)" would
// start an emphasis and vanish, and so on. The functions below turn
// ferry's plain text into Markdown that renders as the same text.

// markdownSpecial holds the characters that Markdown (blackfriday, which
// go-md2man uses) lets a backslash take literally.
const markdownSpecial = "\\`*_{}[]()#+-.!:|&<>~"

// escapeMarkdown returns s with each character that Markdown could read as
// markup taken literally.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(markdownSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// helpMarkdown returns a command's help text as Markdown. Paragraphs of
// prose are escaped and keep their words; a run of indented lines (a table
// of addresses or exit codes, an example) becomes a fenced code block, so
// that it keeps its lines and columns.
func helpMarkdown(text string) string {
	var b strings.Builder
	inBlock := false
	blanks := 0 // blank lines seen inside a block, not yet written
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, " \t\r\n")
		switch {
		case line == "" && inBlock:
			blanks++
		case line != "" && (line[0] == ' ' || line[0] == '\t'):
			if !inBlock {
				b.WriteString("\n```\n")
				inBlock = true
			}
			b.WriteString(strings.Repeat("\n", blanks) + line + "\n")
			blanks = 0
		default:
			if inBlock {
				b.WriteString("```\n\n")
				inBlock, blanks = false, 0
			}
			b.WriteString(escapeMarkdown(line) + "\n")
		}
	}
	if inBlock {
		b.WriteString("```\n")
	}
	return b.String()
}

// usageMarkdown returns a flag's usage as Markdown: escaped, except that
// the first back-quoted word, which names the flag's value (see
// pflag.UnquoteUsage), stays a code span.
func usageMarkdown(usage string) string {
	before, rest, ok := strings.Cut(usage, "`")
	if !ok {
		return escapeMarkdown(usage)
	}
	name, after, ok := strings.Cut(rest, "`")
	if !ok {
		return escapeMarkdown(usage)
	}
	return escapeMarkdown(before) + "`" + name + "`" + escapeMarkdown(after)
}
