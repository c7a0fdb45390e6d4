package locale

import (
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// The small pieces of text that the conversation (bot/conversation) and
// the bot's other messages (bot) both write, kept here so that each is
// written once.

// Hours is a batch's daily hours, "08:00–15:00".
func Hours(b store.Batch) string { return b.DailyStart + "–" + b.DailyEnd }

// Shorten cuts s to at most n runes, ending in "…" when cut.
func Shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ContactLine is how to reach the organisers after sep, in m's language,
// or "" when the course names no contact.
func ContactLine(m *Messages, c store.Course, sep string) string {
	if c.Contact == "" {
		return ""
	}
	return sep + fmt.Sprintf(m.Contact, html.EscapeString(c.Contact))
}

// ConsentText is the consent statement (UU PDP) for course co in m's
// language: the questions as lang asks them, the purpose, who keeps the
// data and with whom it is shared, and retentionDays. The person's own
// conversation and the walk-in desk (read out to the person) show the
// same text.
func (m *Messages) ConsentText(co store.Course, lang string, retentionDays int) string {
	keys := make([]string, len(co.Fields))
	for i, f := range co.Fields {
		keys[i] = html.EscapeString(f.Question(lang))
	}
	purpose := fmt.Sprintf(m.ConsentPurpose, html.EscapeString(co.Title))
	if co.Purpose != "" {
		purpose = html.EscapeString(co.Purpose)
	}
	shared := m.ConsentNotShared
	if co.SharedWith != "" {
		shared = fmt.Sprintf(m.ConsentSharedWith, html.EscapeString(co.SharedWith))
	}
	return fmt.Sprintf(m.Consent, strings.Join(keys, "; "), purpose, html.EscapeString(co.Organiser), shared, retentionDays)
}

// Explain turns an answer's form error into the sentence that says what
// is expected, with the bounds it names; any other error reads as an
// invalid text.
func (m *Messages) Explain(err error) string {
	var fe *form.Error
	if !errors.As(err, &fe) {
		return m.Errors[form.CodeInvalidText]
	}
	text, ok := m.Errors[fe.Code]
	if !ok {
		return m.Errors[form.CodeInvalidText]
	}
	if args := fe.Args(); len(args) > 0 {
		return fmt.Sprintf(text, args...)
	}
	return text
}
