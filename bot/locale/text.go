package locale

import (
	"fmt"
	"html"

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
