package form

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/daftar-bot/daftar/store"
)

// Number checks an integer answer and returns it in canonical decimal ("1000",
// "-5"). A sign may lead; thousands may be grouped with dots or spaces, as
// Indonesians write them ("1.000", "1 000 000"), but a group after the first
// must have exactly three digits, so "1.5" (a decimal) is rejected with
// CodeNumberInvalid. A unit word may follow ("30 tahun", "5kg"): it is
// dropped. Min and max are inclusive bounds, each only when not zero; a
// value outside them, or outside int64 beyond one of them, gives
// CodeNumberRange when both are set, else CodeNumberMin or CodeNumberMax,
// so the explanation names only the bound in force.
func Number(s string, min, max int) (string, error) {
	s = clean(s)
	if s == "" {
		return "", fail(CodeEmpty)
	}
	s = withoutUnit(s)
	sign := ""
	if s[0] == '+' || s[0] == '-' {
		sign, s = s[:1], s[1:]
	}
	if !validGrouping(s) {
		return "", fail(CodeNumberInvalid)
	}
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ' ' })
	for i, g := range groups {
		if !isDigits(g) ||
			len(groups) > 1 && (i == 0 && len(g) > 3 || i > 0 && len(g) != 3) {
			return "", fail(CodeNumberInvalid)
		}
	}
	n, err := strconv.ParseInt(sign+strings.Join(groups, ""), 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) && (sign == "-" && min != 0 || sign != "-" && max != 0) {
			return "", rangeError(min, max)
		}
		return "", fail(CodeNumberInvalid)
	}
	if (min != 0 && n < int64(min)) || (max != 0 && n > int64(max)) {
		return "", rangeError(min, max)
	}
	return strconv.FormatInt(n, 10), nil
}

// rangeError is the rejection of a number outside the bounds in force (at
// least one of min and max is not zero).
func rangeError(min, max int) *Error {
	code := CodeNumberRange
	switch {
	case max == 0:
		code = CodeNumberMin
	case min == 0:
		code = CodeNumberMax
	}
	return &Error{Code: code, Min: min, Max: max}
}

// withoutUnit drops a word of letters after the number, with a space
// before it or not ("30 tahun", "30tahun"); s is returned unchanged when
// it does not end in such a word right after a digit.
func withoutUnit(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 || i == len(s)-1 {
		return s
	}
	rest := strings.TrimSuffix(s[:i+1], " ")
	if rest == "" || rest[len(rest)-1] < '0' || rest[len(rest)-1] > '9' {
		return s
	}
	return rest
}

// validGrouping reports whether the separators in s stand alone between
// digits: "1.000" and "1 000" but not "1..000", ".1000", "1000." or "1. 000".
func validGrouping(s string) bool {
	if s == "" {
		return false
	}
	prevDigit := false
	for i := 0; i < len(s); i++ {
		d := s[i] >= '0' && s[i] <= '9'
		if !d && !prevDigit {
			return false
		}
		prevDigit = d
	}
	return prevDigit
}

// numberKind is an integer, bounded in value.
func numberKind() Kind {
	return Kind{
		Kind:   store.KindNumber,
		Parse:  func(f store.Field, _, input string, _ time.Time) (string, error) { return Number(input, f.Min, f.Max) },
		Bound:  BoundValue,
		Hint:   "number",
		Errors: []Code{CodeNumberInvalid, CodeNumberRange, CodeNumberMin, CodeNumberMax},
	}
}
