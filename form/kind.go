package form

import (
	"slices"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Kind is everything the config validation and the conversation know about
// one kind of field. They read it instead of switching on the kind, so that
// a new kind is its own file here, one line in Kinds and its texts in the
// bot's catalogues.
type Kind struct {
	Kind store.FieldKind // the name written in config files
	// Parse checks an answer to a field of this kind (see Parse).
	Parse func(f store.Field, lang, input string, now time.Time) (string, error)
	// Bound says what a field's min and max limit; BoundNone when the
	// kind takes neither. DefaultMin and DefaultMax are the bounds of a
	// field that leaves them out.
	Bound                  Bound
	DefaultMin, DefaultMax int
	Options                bool     // the field lists options (and only such a field may)
	Foreign                bool     // the field may take foreign numbers (store.Field.Foreign)
	Keyboard               Keyboard // what the question offers besides typing
	// Hint is the key of the text shown under the question in the bot's
	// catalogues (Messages.Hints); "" for none.
	Hint string
	// Errors are the codes Parse and Check may return for a field of this
	// kind besides CodeEmpty: each has its explanation in the bot's
	// catalogues (Messages.Errors).
	Errors []Code
	// Show renders a stored answer for a person reading lang, whose
	// catalogue names the months; nil shows the answer as stored.
	Show func(f store.Field, lang, value string, months *[12]string) string
}

// Bound says what a field's min and max limit.
type Bound int

const (
	BoundNone   Bound = iota // the kind takes no min or max
	BoundLength              // the answer's length in characters; max at least 1
	BoundValue               // the answer's value; 0 means unbounded
)

// Keyboard is what a question offers besides typing the answer.
type Keyboard int

const (
	KeyboardNone    Keyboard = iota // only the navigation buttons
	KeyboardContact                 // a reply keyboard whose first button shares the person's contact
	KeyboardOptions                 // one button per option, above the navigation
)

// kinds is the table of field kinds, in the order the config's error
// messages list them. A new kind is one line here. Built once, never
// changed: the conversation looks kinds up on every step.
var kinds = []Kind{textKind(), phoneKind(), nikKind(), dateKind(), choiceKind(), numberKind()}

// Kinds returns the table of field kinds, in the order the config's error
// messages list them.
func Kinds() []Kind { return slices.Clone(kinds) }

// Lookup returns the kind named k.
func Lookup(k store.FieldKind) (Kind, bool) {
	for _, s := range kinds {
		if s.Kind == k {
			return s, true
		}
	}
	return Kind{}, false
}

// Of returns the kind of field f; a kind config validation let through
// counts as text.
func Of(f store.Field) Kind {
	if s, ok := Lookup(f.Kind); ok {
		return s
	}
	s, _ := Lookup(store.KindText)
	return s
}

// Show renders a stored answer to f for a person reading lang.
func Show(f store.Field, lang, value string, months *[12]string) string {
	if s := Of(f); s.Show != nil {
		return s.Show(f, lang, value, months)
	}
	return value
}
