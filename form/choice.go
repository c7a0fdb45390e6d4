package form

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Choice checks the answer to a choice field and returns the chosen option as
// stored: f.Options[i], in the course language. The answer may be an
// option's text in any language (case and surrounding or repeated spaces do
// not matter) or its 1-based number. Options in lang are matched first,
// then the stored ones, then the other languages', should two languages
// share a text for different options.
func Choice(f store.Field, lang, s string) (string, error) {
	s = clean(s)
	if s == "" {
		return "", fail(CodeEmpty)
	}
	lists := [][]string{f.OptionLabels[lang], f.Options}
	for _, l := range slices.Sorted(maps.Keys(f.OptionLabels)) {
		lists = append(lists, f.OptionLabels[l])
	}
	for _, texts := range lists {
		for i := range f.Options {
			if i < len(texts) && strings.EqualFold(clean(texts[i]), s) {
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
