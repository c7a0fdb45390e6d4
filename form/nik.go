package form

import (
	"strings"
	"time"

	"unicode/utf8"

	"github.com/daftar-bot/daftar/store"
)

// provinces holds the two-digit province codes a NIK begins with: the 38
// provinces of Kemendagri's list, with 91–97 for Papua and the provinces
// carved out of it in 2022 (Papua Selatan, Tengah, Pegunungan, Barat Daya),
// whose codes are still settling.
var provinces = map[string]bool{
	// Sumatra, Bangka Belitung, Kepulauan Riau
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"16": true, "17": true, "18": true, "19": true, "21": true,
	// Java
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true,
	// Bali, Nusa Tenggara
	"51": true, "52": true, "53": true,
	// Kalimantan
	"61": true, "62": true, "63": true, "64": true, "65": true,
	// Sulawesi
	"71": true, "72": true, "73": true, "74": true, "75": true, "76": true,
	// Maluku
	"81": true, "82": true,
	// Papua
	"91": true, "92": true, "93": true, "94": true, "95": true, "96": true, "97": true,
}

// daysIn is the length of each month, with 29 days in February: a NIK's
// two-digit year does not say which century, so 29 February always passes.
var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// NIK checks a Nomor Induk Kependudukan, the 16-digit number on the KTP, and
// returns its digits. Spaces, dots and dashes are ignored. The structure is
// checked: province, regency and district (PPKKCC), the birth date (DDMMYY,
// with 40 added to the day for women) and a serial number other than 0000.
// There is no check digit, so a well-formed NIK may still not exist.
func NIK(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if r == '.' || r == '-' {
			return -1
		}
		return r
	}, clean(s))
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return "", fail(CodeEmpty)
	}
	if utf8.RuneCountInString(s) != 16 {
		return "", fail(CodeNIKLength)
	}
	if !isDigits(s) {
		return "", fail(CodeNIKDigits)
	}
	if !provinces[s[0:2]] || s[2:4] == "00" || s[4:6] == "00" {
		return "", fail(CodeNIKRegion)
	}
	day, month := atoi2(s[6:8]), atoi2(s[8:10])
	if day > 40 {
		day -= 40
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn[month] {
		return "", fail(CodeNIKDate)
	}
	if s[12:16] == "0000" {
		return "", fail(CodeNIKSerial)
	}
	return s, nil
}

// atoi2 returns the value of two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// nikKind is an Indonesian identity number.
func nikKind() Kind {
	return Kind{
		Kind:   store.KindNIK,
		Parse:  func(_ store.Field, _, input string, _ time.Time) (string, error) { return NIK(input) },
		Hint:   "nik",
		Errors: []Code{CodeNIKLength, CodeNIKDigits, CodeNIKRegion, CodeNIKDate, CodeNIKSerial, CodeNIKBirth},
	}
}
