package form

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// months maps the month names and abbreviations people write, in Indonesian
// and English (lower case), to their number.
var months = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1,
	"februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
	"maret": 3, "march": 3, "mar": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12,
}

// DateLayout is the layout of a date as Parse stores it.
const DateLayout = "2006-01-02"

// Date checks a date such as a birth date and returns midnight of that day in
// now's location. It accepts day-month-year with "-", "/", "." or spaces
// between ("17-08-1990", "17 8 1990"), year-month-day ("1990-08-17"), and the
// month as a name or abbreviation in Indonesian or English ("17 Agustus
// 1990", "17 Aug 1990"). The year must have four digits. A day that does not
// exist, or one before 1900, is rejected with CodeDateInvalid; a day after
// now's with CodeDateFuture.
func Date(s string, now time.Time) (time.Time, error) {
	s = clean(s)
	if s == "" {
		return time.Time{}, fail(CodeEmpty)
	}
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '/' || r == '.' || r == ','
	})
	if len(parts) != 3 {
		return time.Time{}, fail(CodeDateInvalid)
	}
	d, m, y := parts[0], parts[1], parts[2]
	if len(d) == 4 { // year first: only ISO order, with a numeric month
		y, d = d, y
		if _, ok := months[m]; ok {
			return time.Time{}, fail(CodeDateInvalid)
		}
	}
	day, ok1 := digits(d, 1, 2)
	year, ok2 := digits(y, 4, 4)
	month, ok3 := months[m]
	if !ok3 {
		var n int
		n, ok3 = digits(m, 1, 2)
		month = time.Month(n)
	}
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || year < 1900 || day < 1 {
		return time.Time{}, fail(CodeDateInvalid)
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, now.Location())
	if t.Day() != day { // time.Date normalised a day past the month's end
		return time.Time{}, fail(CodeDateInvalid)
	}
	if t.After(now) {
		return time.Time{}, fail(CodeDateFuture)
	}
	return t, nil
}

// digits returns the value of s when it is min to max ASCII digits (max < 19).
func digits(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max || !isDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// dateKind is a day such as a birth date, stored as DateLayout and shown
// with the month's name.
func dateKind() Kind {
	return Kind{
		Kind: store.KindDate,
		Parse: func(_ store.Field, _, input string, now time.Time) (string, error) {
			t, err := Date(input, now)
			if err != nil {
				return "", err
			}
			return t.Format(DateLayout), nil
		},
		Hint:   "date",
		Errors: []Code{CodeDateInvalid, CodeDateFuture, CodeAgeRange, CodeDateNIK},
		Show: func(_ store.Field, _, v string, months *[12]string) string {
			if d, err := time.Parse(DateLayout, v); err == nil {
				return fmt.Sprintf("%d %s %d", d.Day(), months[d.Month()-1], d.Year())
			}
			return v
		},
	}
}
