package form

import (
	"strings"
	"time"
	"unicode"

	"unicode/utf8"

	"github.com/daftar-bot/daftar/store"
)

// MaxText is the length limit, in characters, of a text answer whose field
// sets no Max.
const MaxText = 200

// LongestText is the most a text field's max may be, in characters. A
// character is at most two of the units Telegram counts, so one answer at
// the cap with its label always fits one message (4096): the summary and
// /dataku, which split between answers, never have to cut an answer. It is
// also more than any question of a registration form needs.
const LongestText = 1000

// Text checks a free-text answer of min to max characters (runes) and
// returns it sanitized: control and format characters removed (newlines
// become spaces), invalid UTF-8 replaced by U+FFFD, white space collapsed to
// single spaces and trimmed. Min 0 means 1; max 0 means MaxText. A text
// without any letter or digit is rejected with CodeInvalidText. HTML
// characters are kept: escaping is the business of whoever displays it.
func Text(s string, min, max int) (string, error) {
	if min <= 0 {
		min = 1
	}
	if max <= 0 {
		max = MaxText
	}
	s = clean(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return "", fail(CodeEmpty)
	case n < min:
		return "", &Error{Code: CodeTooShort, Min: min, Max: max}
	case n > max:
		return "", &Error{Code: CodeTooLong, Min: min, Max: max}
	}
	if strings.IndexFunc(s, isLetterOrDigit) < 0 {
		return "", fail(CodeInvalidText)
	}
	return s, nil
}

func isLetterOrDigit(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Nl, r)
}

// clean removes what a person cannot see or did not mean to type: control
// characters (line breaks become spaces), format characters (zero-width
// spaces and joiners, bidirectional overrides that can disguise a text, the
// BOM, soft hyphens), and letters that render as blanks. Invalid UTF-8 becomes
// U+FFFD; runs of white space become one space; the result is trimmed.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false        // a space is pending: written before the next visible rune
	for _, r := range s { // invalid UTF-8 decodes as utf8.RuneError (U+FFFD)
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r), isBlankLetter(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isBlankLetter reports the fillers that Unicode calls letters but that
// render as nothing: they would make an invisible "name".
func isBlankLetter(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0':
		return true
	}
	return false
}

// textKind is a free-text answer, bounded in length.
func textKind() Kind {
	return Kind{
		Kind: store.KindText,
		Parse: func(f store.Field, _, input string, _ time.Time) (string, error) {
			return Text(input, f.Min, f.Max)
		},
		Bound: BoundLength, DefaultMin: 1, DefaultMax: MaxText,
		Errors: []Code{CodeTooShort, CodeTooLong, CodeInvalidText, CodeNameLetters},
	}
}
