package form

import (
	"strings"
	"time"
	"unicode"

	"github.com/daftar-bot/daftar/store"
)

// The ages a birth date may give at the start of the batch, inclusive: a
// training centre takes neither children nor a year typed wrong.
const (
	MinAge = 10
	MaxAge = 100
)

// Check checks v, the answer Parse accepted for field f of course c,
// against the rest of the form; answers are the other answers by key (f's
// own is ignored, an empty one counts as not given) and start is the day
// the person's age counts at, the first day of their batch.
//
//   - The name field (store.Course.NameField), when it is a text, must
//     have a letter: CodeNameLetters.
//   - The birth date (store.Course.BirthDateField) must give an age from
//     MinAge to MaxAge at start: CodeAgeRange.
//   - When the form has a NIK and the birth date and both are answered,
//     the NIK must encode that birth date (digits 7–12 are DDMMYY, with 40
//     added to the day for women). The one answered last is the one
//     rejected, as the other was accepted before: CodeDateNIK for the
//     birth date, CodeNIKBirth for the NIK.
//
// The error is an *Error with Field set to f.Key; nil when v passes.
func Check(c store.Course, f store.Field, v string, answers map[string]string, start time.Time) error {
	if err := check(c, f, v, answers, start); err != nil {
		err.Field = f.Key
		return err
	}
	return nil
}

func check(c store.Course, f store.Field, v string, answers map[string]string, start time.Time) *Error {
	if v == "" {
		return nil
	}
	if name, ok := c.NameField(); ok && f.Key == name.Key && f.Kind == store.KindText &&
		strings.IndexFunc(v, unicode.IsLetter) < 0 {
		return fail(CodeNameLetters)
	}
	birth, hasBirth := c.BirthDateField()
	nik, hasNIK := c.First(store.KindNIK)
	switch {
	case hasBirth && f.Key == birth.Key:
		d, err := time.Parse(DateLayout, v)
		if err != nil {
			return nil // not a date Parse stored: nothing to compare
		}
		if a := age(d, start); a < MinAge || a > MaxAge {
			return &Error{Code: CodeAgeRange, Min: MinAge, Max: MaxAge}
		}
		if hasNIK && !nikBorn(answers[nik.Key], d) {
			return fail(CodeDateNIK)
		}
	case hasBirth && hasNIK && f.Key == nik.Key:
		if d, err := time.Parse(DateLayout, answers[birth.Key]); err == nil && !nikBorn(v, d) {
			return fail(CodeNIKBirth)
		}
	}
	return nil
}

// age is how many full years someone born on birth has at day.
func age(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		y--
	}
	return y
}

// nikBorn reports whether nik, as NIK returns it, encodes birth as its
// DDMMYY (day plus 40 for women); a nik that is not 16 digits (not
// answered) agrees with any date.
func nikBorn(nik string, birth time.Time) bool {
	if len(nik) != 16 || !isDigits(nik) {
		return true
	}
	day := atoi2(nik[6:8])
	if day > 40 {
		day -= 40
	}
	return day == birth.Day() && atoi2(nik[8:10]) == int(birth.Month()) && atoi2(nik[10:12]) == birth.Year()%100
}
