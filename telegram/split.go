package telegram

import (
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's length limits, counted as Telegram counts them: in UTF-16
// code units of the text after HTML parsing (tags do not count, an entity
// counts as what it stands for).
const (
	MaxText  = 4096 // a message text
	MaxToast = 200  // the text of an answer to a button press
)

// ellipsis marks a text that was cut.
const ellipsis = "…"

// Split cuts m into messages Telegram takes, each at most MaxText long,
// in order; the buttons (and a reply keyboard or its removal) go with the
// last. A text that fits is m itself. Cuts fall on line boundaries where a
// line fits, else after a space, else between characters; never inside a
// tag or an entity. A tag open across a cut is closed at the end of one
// part and opened again at the start of the next, so every part is
// well-formed HTML when m is.
func Split(m Message) []Message {
	texts := splitHTML(m.Text, MaxText)
	if len(texts) <= 1 {
		return []Message{m}
	}
	out := make([]Message, len(texts))
	for i, t := range texts {
		out[i] = Message{Text: t}
	}
	last := m
	last.Text = texts[len(texts)-1]
	out[len(out)-1] = last
	return out
}

// Join makes one message of each run of messages to a chat where Telegram
// takes them as one: a message without buttons goes in front of the next
// one's text, a blank line between, and the next one's buttons serve
// both. Over a real network each message is a round trip the person
// waits through before the next one starts, so two messages that can be
// one are one. A message with buttons (inline, or a reply keyboard) keeps
// them under its own text. A reply keyboard's removal goes along onto a
// message without inline buttons only: a message carries one reply
// markup, and a message that removes a keyboard cannot be edited later
// to get buttons (Telegram refuses to edit a message whose markup is not
// inline); a new reply keyboard replaces the old one by itself. A join
// must fit MaxText, else the two stay apart.
func Join(ms []Message) []Message {
	if len(ms) < 2 {
		return ms
	}
	out := make([]Message, 0, len(ms))
	for _, m := range ms {
		n := len(out)
		if n == 0 || !joinable(out[n-1], m) {
			out = append(out, m)
			continue
		}
		prev := out[n-1]
		m.Text = prev.Text + "\n\n" + m.Text
		m.Remove = (prev.Remove || m.Remove) && len(m.Keyboard) == 0
		out[n-1] = m
	}
	return out
}

// joinable reports whether a can go in front of b as one message (Join).
func joinable(a, b Message) bool {
	return len(a.Inline) == 0 && len(a.Keyboard) == 0 &&
		!(a.Remove && len(b.Inline) > 0) &&
		textLength(a.Text)+2+textLength(b.Text) <= MaxText
}

// Fit is m cut to one message Telegram takes, with an ellipsis where the
// text was cut: for an edit, which cannot become several messages.
func Fit(m Message) Message {
	if textLength(m.Text) <= MaxText {
		return m
	}
	m.Text = splitHTML(m.Text, MaxText-textLength(ellipsis))[0] + ellipsis
	return m
}

// Toast is text (plain, as a button's answer is) cut to MaxToast, with an
// ellipsis where it was cut.
func Toast(text string) string {
	if utf16Len(text) <= MaxToast {
		return text
	}
	n, budget := 0, MaxToast-utf16Len(ellipsis)
	for i, r := range text {
		if n += utf16.RuneLen(r); n > budget {
			return strings.TrimRight(text[:i], " \n") + ellipsis
		}
	}
	return text
}

// textLength is the length of HTML text as Telegram counts it.
func textLength(text string) int {
	n := 0
	for _, a := range atoms(text) {
		n += a.len
	}
	return n
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// atom is the smallest piece of HTML text a cut may not enter: a tag, an
// entity or one character.
type atom struct {
	s   string
	len int    // as Telegram counts it
	tag string // the tag's name for a start tag, "/name" for an end tag
}

func atoms(text string) []atom {
	var out []atom
	for i := 0; i < len(text); {
		switch text[i] {
		case '<':
			if end := strings.IndexByte(text[i:], '>'); end > 0 {
				s := text[i : i+end+1]
				name, _, _ := strings.Cut(strings.TrimSpace(s[1:len(s)-1]), " ")
				out = append(out, atom{s: s, tag: strings.ToLower(name)})
				i += end + 1
				continue
			}
		case '&':
			if end := strings.IndexByte(text[i:], ';'); end > 1 && end <= 12 {
				s := text[i : i+end+1]
				out = append(out, atom{s: s, len: utf16Len(html.UnescapeString(s))})
				i += end + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		out = append(out, atom{s: text[i : i+size], len: utf16.RuneLen(r)})
		if r == utf8.RuneError {
			out[len(out)-1].len = 1
		}
		i += size
	}
	return out
}

// splitHTML cuts text into parts of at most limit (see Split).
func splitHTML(text string, limit int) []string {
	// A text's visible length is at most its length in bytes (a UTF-8
	// character takes at least as many bytes as UTF-16 units, a tag counts
	// nothing, an entity less than it is long), so most replies need no
	// parsing at all.
	if len(text) <= limit {
		return []string{text}
	}
	as := atoms(text)
	total := 0
	for _, a := range as {
		total += a.len
	}
	if total <= limit {
		return []string{text}
	}
	var parts []string
	var open []atom // start tags open where the current part begins
	for start := 0; start < len(as); {
		// Skip the line breaks a cut leaves at the start of a part.
		for start < len(as) && as[start].s == "\n" {
			start++
		}
		if start == len(as) {
			break
		}
		cut, closing := cutAt(as, start, open, limit)
		var b strings.Builder
		for _, t := range open {
			b.WriteString(t.s)
		}
		for _, a := range as[start:cut.at] {
			b.WriteString(a.s)
		}
		s := strings.TrimRight(b.String(), "\n")
		for i := len(closing) - 1; i >= 0; i-- {
			s += "</" + closing[i].tag + ">"
		}
		if hasText(as[start:cut.at]) {
			parts = append(parts, s)
		}
		start, open = cut.at, closing
	}
	if len(parts) == 0 {
		return []string{text}
	}
	return parts
}

// boundary is a place a part may end at: before atom at, with the start
// tags open there.
type boundary struct {
	at   int
	open []atom
}

// cutAt finds where the part starting at atom start ends: after the last
// whole line that fits, else after the last space, else after the last
// atom that fits. It returns that place and the tags open there.
func cutAt(as []atom, start int, open []atom, limit int) (boundary, []atom) {
	stack := append([]atom(nil), open...)
	n := 0
	var line, space, any *boundary
	for i := start; i < len(as); i++ {
		a := as[i]
		switch {
		case a.tag == "":
		case strings.HasPrefix(a.tag, "/"):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		default:
			stack = append(stack, a)
		}
		n += a.len
		if n > limit && i > start {
			break
		}
		b := &boundary{at: i + 1, open: append([]atom(nil), stack...)}
		any = b
		switch a.s {
		case "\n":
			line = b
		case " ":
			space = b
		}
		if i+1 == len(as) {
			return *b, b.open
		}
	}
	for _, b := range []*boundary{line, space, any} {
		if b != nil {
			return *b, b.open
		}
	}
	return boundary{at: len(as)}, nil
}

// hasText reports whether as holds something but tags and white space:
// Telegram refuses an empty message.
func hasText(as []atom) bool {
	for _, a := range as {
		if a.tag == "" && strings.TrimSpace(a.s) != "" {
			return true
		}
	}
	return false
}
