package locale

import (
	"slices"

	"github.com/daftar-bot/daftar/report"
)

// Catalogue is one language the bot speaks: everything it says to
// participants, organisers and in reports, and its names of the commands.
type Catalogue struct {
	// Code is the language code: stored as a conversation's and a
	// participant's language, matched against the start of Telegram's
	// language_code, and the key of a field's labels and options.
	Code      string
	Messages  *Messages
	Organiser *OrganiserMessages
	Paper     *PaperMessages
	Intake    *IntakeMessages    // the intake rules (intake_messages.go)
	Desk      *DeskMessages      // the staff's actions and the walk-in desk (desk_messages.go)
	Selection *SelectionMessages // admission (selection_messages.go)
	Offer     *OfferMessages     // seat offers when registration closes (offer_messages.go)
	Report    *report.Texts
	// Commands are this language's names of the commands, by canonical
	// (Indonesian) name, where they differ: the menu shows them. Aliases
	// are further names that work but are not in the menu, with the
	// canonical name each stands for. Every language's names work in any.
	Commands map[string]string
	Aliases  map[string]string
	// withWord builds this catalogue with a course's word for a batch
	// (Worded).
	withWord func(word string) Catalogue
}

// worded is c with the texts m, o, p and d, built for a batch word.
func (c Catalogue) worded(m Messages, o OrganiserMessages, p PaperMessages, d DeskMessages) Catalogue {
	c.Messages, c.Organiser, c.Paper, c.Desk, c.withWord = &m, &o, &p, &d, nil
	return c
}

// Command returns this language's name of the command named canonical.
func (c *Catalogue) Command(canonical string) string {
	if n, ok := c.Commands[canonical]; ok {
		return n
	}
	return canonical
}

// registry is the set of catalogues, keyed by language code.
type registry struct {
	list     []*Catalogue // in menu order; the first is the fallback
	byCode   map[string]*Catalogue
	commands map[string]string // every language's command names and aliases: canonical name
}

// languages is every language the bot speaks, Indonesian (the fallback)
// first. A new language is its catalogue files and one line here. Built
// once from the catalogues, never changed.
var languages = newRegistry(
	catalogueID(),
	catalogueEN(),
)

func newRegistry(cs ...Catalogue) registry {
	r := registry{byCode: map[string]*Catalogue{}, commands: map[string]string{}}
	for i := range cs {
		c := &cs[i]
		r.list = append(r.list, c)
		r.byCode[c.Code] = c
		for canonical, name := range c.Commands {
			r.commands[name] = canonical
		}
		for alias, canonical := range c.Aliases {
			r.commands[alias] = canonical
		}
	}
	return r
}

// Codes returns the codes of the languages the bot speaks, the
// fallback first: the values course.language may take.
func Codes() []string {
	codes := make([]string, len(languages.list))
	for i, c := range languages.list {
		codes[i] = c.Code
	}
	return codes
}

// All returns the catalogues of every language the bot speaks, the
// fallback first.
func All() []*Catalogue { return slices.Clone(languages.list) }

// For returns the catalogue of code, the fallback's when the bot
// does not speak it.
func For(code string) *Catalogue {
	if c, ok := languages.byCode[code]; ok {
		return c
	}
	return languages.list[0]
}

// Speaks reports whether the bot has a catalogue for code.
func Speaks(code string) bool {
	_, ok := languages.byCode[code]
	return ok
}

// Canonical returns the canonical name of a command named in any
// language ("cancel": "batal"); a name no catalogue knows is returned as is.
func Canonical(name string) string {
	if c, ok := languages.commands[name]; ok {
		return c
	}
	return name
}
