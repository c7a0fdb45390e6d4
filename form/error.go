package form

import "fmt"

// Code says why an answer was rejected. The bot maps each code to a localized
// explanation; codes are stable and only ever added.
type Code string

// The codes of rejected answers.
const (
	CodeEmpty          Code = "empty"            // nothing but white space
	CodeTooShort       Code = "too_short"        // text shorter than Min characters
	CodeTooLong        Code = "too_long"         // text longer than Max characters
	CodeInvalidText    Code = "invalid_text"     // text without any letter or digit
	CodePhoneInvalid   Code = "phone_invalid"    // not a valid phone number
	CodePhoneNotMobile Code = "phone_not_mobile" // a valid number, but not a mobile one
	CodeNIKLength      Code = "nik_length"       // not 16 characters
	CodeNIKDigits      Code = "nik_digits"       // not only digits
	CodeNIKRegion      Code = "nik_region"       // unknown province, or regency/district 00
	CodeNIKDate        Code = "nik_date"         // the encoded birth date does not exist
	CodeNIKSerial      Code = "nik_serial"       // serial number 0000
	CodeDateInvalid    Code = "date_invalid"     // not a date, or before 1900
	CodeDateFuture     Code = "date_future"      // a date after today
	CodeNumberInvalid  Code = "number_invalid"   // not an integer
	CodeNumberRange    Code = "number_range"     // an integer outside [Min, Max]
	CodeChoiceInvalid  Code = "choice_invalid"   // none of the options
	CodeNumberMin      Code = "number_min"       // an integer below Min, the field has no Max
	CodeNumberMax      Code = "number_max"       // an integer above Max, the field has no Min
	CodePhoneForeign   Code = "phone_foreign"    // a foreign mobile number, the field takes Indonesian ones only
	CodeNameLetters    Code = "name_letters"     // the name field's answer has no letter (Check)
	CodeAgeRange       Code = "age_range"        // a birth date giving an age outside [Min, Max] at the batch start (Check)
	CodeDateNIK        Code = "date_nik"         // a birth date that is not the one the NIK encodes (Check)
	CodeNIKBirth       Code = "nik_birth"        // a NIK that does not encode the birth date given (Check)
)

// Error is returned when an answer is rejected. It never holds the answer.
type Error struct {
	Code  Code
	Field string // key of the field; empty when not called through Parse
	// Min and Max are the bounds in force for too_short, too_long,
	// number_range, number_min, number_max (0 means unbounded for the
	// number codes) and age_range.
	Min, Max int
}

// Error describes the rejection in English, for logs. It never contains the
// input, which is personal data.
func (e *Error) Error() string {
	s := "form: "
	if e.Field != "" {
		s += "field " + e.Field + ": "
	}
	s += string(e.Code)
	switch e.Code {
	case CodeTooShort, CodeTooLong, CodeNumberRange, CodeNumberMin, CodeNumberMax, CodeAgeRange:
		s += fmt.Sprintf(" (min %d, max %d)", e.Min, e.Max)
	}
	return s
}

func fail(c Code) *Error { return &Error{Code: c} }

// Args are the bounds the explanation of e.Code names, in the order the
// bot's texts use them: min for too_short and number_min, max for too_long
// and number_max, both for number_range and age_range; none otherwise.
func (e *Error) Args() []any {
	switch e.Code {
	case CodeTooShort, CodeNumberMin:
		return []any{e.Min}
	case CodeTooLong, CodeNumberMax:
		return []any{e.Max}
	case CodeNumberRange, CodeAgeRange:
		return []any{e.Min, e.Max}
	}
	return nil
}
