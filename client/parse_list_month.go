package client

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// monthNameLists holds the month names that "ls -l" and FTP servers print
// in the languages they ship, twelve names a string from January to
// December, in lower case and without a trailing dot. They are the
// abbreviated and full names of the glibc locales (LC_TIME abmon, mon and
// the genitive alt_mon forms) and older or unaccented spellings seen in
// listings. A name belongs to one month in every language listed:
// Croatian is left out because its "lis", "lip" and "srp" name other
// months than in Polish and Czech.
var monthNameLists = [...]string{
	// English
	"jan feb mar apr may jun jul aug sep oct nov dec",
	"january february march april may june july august september october november december",
	"jan feb mar apr may jun jul aug sept oct nov dec",
	// German (de_DE, de_AT "Jän", older "Mrz")
	"jan feb mär apr mai jun jul aug sep okt nov dez",
	"januar februar märz april mai juni juli august september oktober november dezember",
	"jän feb mrz apr mai jun jul aug sep okt nov dez",
	"jänner feb maerz apr mai jun jul aug sep okt nov dez",
	// French, and older or unaccented abbreviations
	"janv févr mars avr mai juin juil août sept oct nov déc",
	"janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
	"jan fév mar avr mai jun jul aoû sep oct nov déc",
	"janv fevr mars avr mai juin juil aout sept oct nov dec",
	"janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
	"jan fev mar avr mai jun jul aou sep oct nov dec",
	// Spanish
	"ene feb mar abr may jun jul ago sep oct nov dic",
	"enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
	"ene feb mar abr may jun jul ago set oct nov dic",
	"enero febrero marzo abril mayo junio julio agosto setiembre octubre noviembre diciembre",
	// Italian
	"gen feb mar apr mag giu lug ago set ott nov dic",
	"gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
	// Portuguese
	"jan fev mar abr mai jun jul ago set out nov dez",
	"janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
	"janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
	// Dutch
	"jan feb mrt apr mei jun jul aug sep okt nov dec",
	"januari februari maart april mei juni juli augustus september oktober november december",
	// Swedish
	"jan feb mar apr maj jun jul aug sep okt nov dec",
	"januari februari mars april maj juni juli augusti september oktober november december",
	// Danish
	"januar februar marts april maj juni juli august september oktober november december",
	// Norwegian
	"jan feb mars april mai juni juli aug sep okt nov des",
	"januar februar mars april mai juni juli august september oktober november desember",
	// Polish: abbreviations, genitive and nominative
	"sty lut mar kwi maj cze lip sie wrz paź lis gru",
	"sty lut mar kwi maj cze lip sie wrz paz lis gru",
	"stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
	"styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień",
	// Czech
	"led úno bře dub kvě čen čec srp zář říj lis pro",
	"ledna února března dubna května června července srpna září října listopadu prosince",
	"leden únor březen duben květen červen červenec srpen září říjen listopad prosinec",
	// Slovak
	"jan feb mar apr máj jún júl aug sep okt nov dec",
	"január február marec apríl máj jún júl august september október november december",
	// Hungarian
	"jan febr márc ápr máj jún júl aug szept okt nov dec",
	"január február március április május június július augusztus szeptember október november december",
	// Russian: abbreviations (glibc and CLDR), genitive and nominative
	"янв фев мар апр мая июн июл авг сен окт ноя дек",
	"янв февр мар апр май июн июл авг сент окт нояб дек",
	"января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
	"январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
	// Ukrainian
	"січ лют бер кві тра чер лип сер вер жов лис гру",
	"січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
	"січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень",
	// Belarusian
	"сту лют сак кра мая чэр ліп жні вер кас ліс сне",
	// Bulgarian
	"яну фев мар апр май юни юли авг сеп окт ное дек",
	"януари февруари март април май юни юли август септември октомври ноември декември",
	// Serbian (Cyrillic)
	"јан феб мар апр мај јун јул авг сеп окт нов дец",
	"јануар фебруар март април мај јун јул август септембар октобар новембар децембар",
	// Greek
	"ιαν φεβ μαρ απρ μαΐ ιουν ιουλ αυγ σεπ οκτ νοε δεκ",
	"ιαν φεβ μάρ απρ μάι ιούν ιούλ αύγ σεπ οκτ νοέ δεκ",
	// Turkish
	"oca şub mar nis may haz tem ağu eyl eki kas ara",
	"ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
	// Romanian
	"ian feb mar apr mai iun iul aug sep oct nov dec",
	"ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
	// Finnish
	"tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu",
	"tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu",
	// Estonian
	"jaan veebr märts apr mai juuni juuli aug sept okt nov dets",
	"jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember",
	// Basque
	"urt ots mar api mai eka uzt abu ira urr aza abe",
	"urtarrila otsaila martxoa apirila maiatza ekaina uztaila abuztua iraila urria azaroa abendua",
	// Lithuanian
	"saus vas kov bal geg birž liep rugp rugs spal lapkr gruod",
	"sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio gruodžio",
	// Catalan (ls prints "de gen.", "d’abr."; the article is skipped)
	"gen febr març abr maig juny jul ag set oct nov des",
	"gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
	// Indonesian
	"jan feb mar apr mei jun jul agu sep okt nov des",
	"januari februari maret april mei juni juli agustus september oktober november desember",
	// Slovenian
	"jan feb mar apr maj jun jul avg sep okt nov dec",
	"januar februar marec april maj junij julij avgust september oktober november december",
}

// monthWords maps each name of monthNameLists to its month. It is built
// once and only read.
var monthWords = buildMonthWords()

func buildMonthWords() map[string]time.Month {
	m := make(map[string]time.Month, 512)
	for _, list := range monthNameLists {
		for i, name := range strings.Fields(list) {
			if _, ok := m[name]; !ok {
				m[name] = time.Month(i + 1)
			}
		}
	}
	return m
}

// lookupMonth returns the month a month name names in any of the
// languages of monthNameLists, in any case, with or without a trailing
// "." or "," and a Catalan article ("d’abr."), or 0.
func lookupMonth(s string) time.Month {
	for s != "" && (s[len(s)-1] == '.' || s[len(s)-1] == ',') {
		s = s[:len(s)-1]
	}
	if len(s) > 2 && (s[0] == 'd' || s[0] == 'D') {
		if s[1] == '\'' {
			s = s[2:]
		} else if strings.HasPrefix(s[1:], "’") {
			s = s[1+len("’"):]
		}
	}
	if s == "" || len(s) > 48 {
		return 0
	}
	var buf [64]byte
	b := buf[:0]
	for _, r := range s {
		if r == utf8.RuneError {
			return 0
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
		if len(b) > len(buf)-utf8.UTFMax {
			return 0
		}
	}
	return monthWords[string(b)]
}

// Units that Chinese, Japanese and Korean dates put after a number
// ("2024年 3月 2日", "2024년 3월 2일"), in UTF-8 and in the legacy
// encodings a server may send them in: Shift_JIS, EUC-JP, GBK, Big5 and
// EUC-KR.
var (
	yearUnits  = [...]string{"年", "년", "\x94\x4e", "\xc7\xaf", "\xc4\xea", "\xa6\x7e", "\xb3\xe2"}
	monthUnits = [...]string{"月", "월", "\x8c\x8e", "\xb7\xee", "\xd4\xc2", "\xa4\xeb", "\xbf\xf9"}
	dayUnits   = [...]string{"日", "일", "\x93\xfa", "\xc6\xfc", "\xc8\xd5", "\xa4\xe9", "\xc0\xcf"}
)

// dateUnit says which part of a date a number with a unit is.
type dateUnit uint8

const (
	unitNone dateUnit = iota
	unitYear
	unitMonth
	unitDay
	unitUnknown // bytes above 0x7f that are none of the units above
)

// cutDateUnit reads the unit at the start of s and returns it and the
// rest of s.
func cutDateUnit(s string) (dateUnit, string) {
	if s == "" || s[0] < 0x80 {
		return unitNone, s
	}
	for u, units := range [...]*[7]string{&yearUnits, &monthUnits, &dayUnits} {
		for _, unit := range units {
			if strings.HasPrefix(s, unit) {
				return unitYear + dateUnit(u), s[len(unit):]
			}
		}
	}
	return unitUnknown, ""
}

// totalWords are the words GNU ls prints before the block count ("total
// 12") in the languages it is translated to, in lower case.
var totalWords = [...]string{
	"total", "insgesamt", "totale", "totaal", "totalt", "razem", "celkem",
	"celkom", "összesen", "итого", "усяго", "общо", "укупно", "загалом",
	"σύνολο", "toplam", "yhteensä", "kokku", "guztira", "viso", "skupno",
	"sveukupno", "tổng", "jumlah", "totalo", "iomlán", "omugatte",
	"合計", "합계", "总计", "总用量", "總用量", "總計",
}

// isLocalTotalLine reports whether line is the "total N" line of ls -l in
// one of the languages of totalWords, such as "insgesamt 12" or "合計 8".
func isLocalTotalLine(line string) bool {
	line = strings.TrimRight(line, "\r\n")
	var f [3]listField
	if splitListFields(line, f[:]) != 2 {
		return false
	}
	if _, ok := parseListSize(line[f[1].start:f[1].end]); !ok {
		return false
	}
	word := line[f[0].start:f[0].end]
	for _, w := range totalWords {
		if strings.EqualFold(word, w) {
			return true
		}
	}
	return false
}
