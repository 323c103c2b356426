package client

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// allListTables returns every LIST table by group and table name ("ls
// locales/de_DE"): the server tables, the other formats', the Unix
// variants' and the GNU ls locale tables, timed and untimed. The fuzz
// target uses them as seeds and TestListTableCounts counts them.
func allListTables() map[string][]listCase {
	all := make(map[string][]listCase)
	for group, part := range map[string]map[string][]listCase{
		"servers":       listTables(),
		"formats":       familyListTables(),
		"unix variants": unixVariantTables(),
		"ls locales":    lsLocaleTables(),
		"ls untimed":    lsUntimedTests,
	} {
		for name, cases := range part {
			all[group+"/"+name] = cases
		}
	}
	return all
}

// tableLanguage returns the language of a GNU ls locale table ("de" for
// "ls locales/de_DE ls -lgA"), or "en" for the other tables, whose dates
// are English or numeric.
func tableLanguage(table string) string {
	group, name, _ := strings.Cut(table, "/")
	if !strings.HasPrefix(group, "ls ") {
		return "en"
	}
	lang, _, _ := strings.Cut(name, "_")
	return lang
}

// tableFamily returns the format the lines of a table are in: the
// listFamilies entry that reads them, but AIX for the AIX tables, whose
// day-first dates the Unix parser reads itself now.
func tableFamily(table string, fam int) string {
	if strings.HasSuffix(table, "/AIX") {
		return listFamilies[famAIX].name
	}
	return listFamilies[fam].name
}

// TestListTableCounts counts the table lines by format (see tableFamily;
// and MLSx), by the parser that reads them, by table and by the language
// of their dates (see tableLanguage), logs the counts (go test -v -run
// TestListTableCounts) and checks what issue 14 asks of the tables: at
// least 400 lines, 14 formats and 12 languages whose dates are read.
func TestListTableCounts(t *testing.T) {
	byFamily := make(map[string]int)
	byParser := make(map[string]int)
	byTable := make(map[string]int)
	byLanguage := make(map[string]int)
	timedLanguage := make(map[string]bool)
	total := 0
	for name, cases := range allListTables() {
		lang := tableLanguage(name)
		for _, c := range cases {
			var e Entry
			fam, err := parseListLine(c.line, lsTestNow, listTestZone, &e)
			if errors.Is(err, ErrSkipLine) {
				t.Errorf("table %s: %q holds no entry", name, c.line)
				continue
			}
			if err != nil {
				t.Errorf("table %s: %v", name, err)
				continue
			}
			byFamily[tableFamily(name, fam)]++
			byParser[listFamilies[fam].name]++
			byTable[name]++
			byLanguage[lang]++
			if e.Precision != TimeUnknown {
				timedLanguage[lang] = true
			}
			total++
		}
	}
	for name, cases := range mlsxTables() {
		byFamily["MLSx"] += len(cases)
		byParser["MLSx"] += len(cases)
		byTable["MLSx "+name] += len(cases)
		byLanguage["en"] += len(cases)
		total += len(cases)
	}
	logCounts(t, "format", byFamily)
	logCounts(t, "parser", byParser)
	logCounts(t, "table", byTable)
	logCounts(t, "language", byLanguage)
	t.Logf("%d lines, %d formats (%d parsers), %d tables, %d languages (%d with dates read)",
		total, len(byFamily), len(byParser), len(byTable), len(byLanguage), len(timedLanguage))
	if total < 400 {
		t.Errorf("the tables hold %d lines, want at least 400", total)
	}
	if len(byFamily) < 14 {
		t.Errorf("the tables cover %d formats, want at least 14", len(byFamily))
	}
	if len(timedLanguage) < 12 {
		t.Errorf("the tables read dates in %d languages, want at least 12", len(timedLanguage))
	}
}

// logCounts logs counts by key, in key order.
func logCounts(t *testing.T, what string, counts map[string]int) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%s %-32s %4d", what, k, counts[k])
	}
}
