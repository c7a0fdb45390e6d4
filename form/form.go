package form

import (
	"errors"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Parse checks input, the answer in language lang (a code) to field f,
// and returns the value to store, or an *Error with Field set to f.Key. Text
// and number answers are bounded by f.Min and f.Max; a date is stored as
// "YYYY-MM-DD" and must not be after now. An answer that is empty once
// invisible characters and white space are removed gives CodeEmpty, whatever
// the kind: the bot handles optional fields before calling Parse.
func Parse(f store.Field, lang, input string, now time.Time) (string, error) {
	v, err := parse(f, lang, input, now)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Field = f.Key
		}
		return "", err
	}
	return v, nil
}

func parse(f store.Field, lang, input string, now time.Time) (string, error) {
	if clean(input) == "" {
		return "", fail(CodeEmpty)
	}
	return Of(f).Parse(f, lang, input, now)
}
