package form

import (
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"unicode/utf8"

	"github.com/daftar-bot/daftar/store"
)

// maxPhone bounds the length of a phone answer, in characters before
// sanitizing: no honest number, however punctuated, is longer, and the
// library never sees a long input.
const maxPhone = 40

// Phone checks a mobile phone number and returns it in E.164 ("+6281234567890").
// It accepts the ways Indonesians write one ("0812-3456-7890", "+62 812 3456
// 7890", "62812…", "812…", "(0812) …", with spaces, dots or dashes) and the
// number of a contact shared from Telegram ("6281234567890"). An Indonesian
// number must be a mobile one (CodePhoneNotMobile). A foreign number in
// international form ("+60…") is accepted when foreign is set and it is a
// valid mobile number; without foreign it is rejected with
// CodePhoneForeign. Letters, extensions and anything else are rejected with
// CodePhoneInvalid.
func Phone(s string, foreign bool) (string, error) {
	if utf8.RuneCountInString(s) > maxPhone {
		return "", fail(CodePhoneInvalid)
	}
	s = clean(s)
	if s == "" {
		return "", fail(CodeEmpty)
	}
	if !phoneChars(s) {
		return "", fail(CodePhoneInvalid)
	}
	n, err := phonenumbers.Parse(s, "ID")
	if err != nil || n.GetExtension() != "" || !phonenumbers.IsValidNumber(n) {
		return "", fail(CodePhoneInvalid)
	}
	if !foreign && n.GetCountryCode() != 62 {
		return "", fail(CodePhoneForeign)
	}
	switch phonenumbers.GetNumberType(n) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", fail(CodePhoneNotMobile)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// phoneChars reports whether s has only digits and the punctuation people put
// in phone numbers, with a plus sign only in front. The library would also
// take letters ("0800-FLOWERS"), extensions and other scripts' digits.
func phoneChars(s string) bool {
	s = strings.TrimPrefix(s, "+")
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ', r == '.', r == '-', r == '(', r == ')', r == '/':
		default:
			return false
		}
	}
	return digits > 0
}

// phoneKind is a mobile number, typed or shared as the person's contact.
func phoneKind() Kind {
	return Kind{
		Kind:     store.KindPhone,
		Parse:    func(f store.Field, _, input string, _ time.Time) (string, error) { return Phone(input, f.Foreign) },
		Keyboard: KeyboardContact,
		Foreign:  true,
		Hint:     "phone",
		Errors:   []Code{CodePhoneInvalid, CodePhoneNotMobile, CodePhoneForeign},
	}
}
