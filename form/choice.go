package form

import (
	"strconv"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Choice checks the answer to a choice field and returns the chosen option as
// stored: f.Options[i], in Indonesian. The answer may be an option's text in
// either language (case and surrounding or repeated spaces do not matter) or
// its 1-based number. Options in lang are matched first, should the two
// languages share a text for different options.
func Choice(f store.Field, lang, s string) (string, error) {
	s = clean(s)
	if s == "" {
		return "", fail(CodeEmpty)
	}
	other := "en"
	if lang == "en" {
		other = "id"
	}
	for _, l := range []string{lang, other} {
		for i := range f.Options {
			if strings.EqualFold(clean(f.Option(l, i)), s) {
				return f.Options[i], nil
			}
		}
	}
	if i, err := strconv.Atoi(s); err == nil && i >= 1 && i <= len(f.Options) && s[0] != '+' && s[0] != '-' {
		return f.Options[i-1], nil
	}
	return "", fail(CodeChoiceInvalid)
}

// choiceKind is one of the field's options, offered as buttons and shown
// in the reader's language.
func choiceKind() Kind {
	return Kind{
		Kind:     store.KindChoice,
		Parse:    func(f store.Field, lang, input string, _ time.Time) (string, error) { return Choice(f, lang, input) },
		Options:  true,
		Keyboard: KeyboardOptions,
		Hint:     "choice",
		Errors:   []Code{CodeChoiceInvalid},
		Show: func(f store.Field, lang, v string, _ *[12]string) string {
			for i, o := range f.Options {
				if o == v {
					return f.Option(lang, i)
				}
			}
			return v
		},
	}
}
