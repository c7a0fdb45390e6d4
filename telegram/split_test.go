package telegram

import (
	"context"
	"strings"
	"testing"
)

// Ensure that a text too long for one message goes as several that
// Telegram takes: each within the limit as Telegram counts it, every part
// well-formed HTML (a tag open across a cut is closed and opened again),
// cut between lines, nothing lost, the buttons on the last part; and that
// an edit is cut to one message and a toast to 200 characters.
func TestSender_Split(t *testing.T) {
	c, srv, _ := newTestClient(t, nil)
	ctx := context.Background()
	var lines []string
	for i := range 400 {
		// Entities and two-unit emoji count as Telegram counts them.
		lines = append(lines, strings.Repeat("x", i%7)+"&amp; baris <i>nomor</i> 😀 "+strings.Repeat("y", i%13))
	}
	text := "<b>Kepala</b>\n<blockquote>" + strings.Join(lines, "\n") + "</blockquote>\n<a href=\"https://t.me/x\">akhir</a>"
	m := Message{Text: text, Inline: [][]Button{{{Text: "Konfirmasi", Data: "ok"}}}}
	if _, err := c.Sender().SendMessage(ctx, 5, m); err != nil {
		t.Fatalf("send: %v", err)
	}
	sent := srv.SentTo(5)
	if len(sent) < 3 {
		t.Fatalf("%d messages, want the text in several", len(sent))
	}
	var plain []string
	for i, s := range sent {
		if n := len([]rune(s.Text)) + strings.Count(s.Text, "😀"); n > MaxText {
			t.Errorf("part %d has %d units", i, n)
		}
		if (len(s.Inline) > 0) != (i == len(sent)-1) {
			t.Errorf("part %d has buttons %v", i, s.Inline)
		}
		if i > 0 && !strings.HasPrefix(s.RawText, "<blockquote>") && i < len(sent)-1 {
			t.Errorf("part %d does not open the quote again: %.40q", i, s.RawText)
		}
		plain = append(plain, s.Text)
	}
	want := strings.NewReplacer("<b>", "", "</b>", "", "<blockquote>", "", "</blockquote>", "", "<i>", "", "</i>", "", "&amp;", "&", "<a href=\"https://t.me/x\">", "", "</a>", "").Replace(text)
	if got := strings.Join(plain, "\n"); got != want {
		t.Errorf("the parts do not add up to the text:\n got %.200q\nwant %.200q", got, want)
	}

	// An edit cannot become two messages: it is cut, with an ellipsis.
	last := sent[len(sent)-1]
	if err := c.Sender().Edit(ctx, 5, int(last.MessageID), m); err != nil {
		t.Fatalf("edit: %v", err)
	}
	if cur, ok := srv.Current(5, last.MessageID); !ok || !strings.HasSuffix(cur.Text, "…") || len(cur.Inline) != 1 {
		t.Errorf("edited message %.60q %v", cur.Text, cur.Inline)
	}

	// One line longer than a message is cut after a space.
	long := strings.Repeat("kata ", 2000)
	parts := Split(Message{Text: long})
	if len(parts) != 3 || strings.Join(partTexts(parts), " ") != strings.TrimSpace(long) {
		t.Errorf("a long line in %d parts", len(parts))
	}
	if got := Toast(strings.Repeat("é", 300)); len([]rune(got)) != MaxToast || !strings.HasSuffix(got, "…") {
		t.Errorf("toast of %d characters", len([]rune(got)))
	}
}

// partTexts is the text of each of ms, trimmed.
func partTexts(ms []Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, strings.TrimSpace(m.Text))
	}
	return out
}

// Ensure that messages without buttons go in front of the next one as
// one message, that buttons stay under their own text, that a keyboard's
// removal never goes onto a message with inline buttons (a message has one
// reply markup) but does onto a new reply keyboard, which replaces the old
// one, and that a join too long for one message is not made.
func TestJoin(t *testing.T) {
	inline := [][]Button{{{Text: "Kembali", Data: "b"}}}
	keyboard := [][]Button{{{Text: "Bagikan kontak", Contact: true}}}
	long := strings.Repeat("kata ", 500) // 2,500 of the 4,096
	for _, tc := range []struct {
		name string
		in   []Message
		want []Message
	}{
		{"one message is itself", []Message{{Text: "a"}}, []Message{{Text: "a"}}},
		{"a text goes onto the question after it",
			[]Message{{Text: "salah"}, {Text: "tanya", Inline: inline}},
			[]Message{{Text: "salah\n\ntanya", Inline: inline}}},
		{"a run of texts is one",
			[]Message{{Text: "a"}, {Text: "b"}, {Text: "c"}},
			[]Message{{Text: "a\n\nb\n\nc"}}},
		{"buttons stay under their own text",
			[]Message{{Text: "a", Inline: inline}, {Text: "b"}},
			[]Message{{Text: "a", Inline: inline}, {Text: "b"}}},
		{"a reply keyboard stays under its own text",
			[]Message{{Text: "a", Keyboard: keyboard}, {Text: "b"}},
			[]Message{{Text: "a", Keyboard: keyboard}, {Text: "b"}}},
		{"a removal goes onto a message without buttons",
			[]Message{{Text: "tersimpan", Remove: true}, {Text: "NIK"}},
			[]Message{{Text: "tersimpan\n\nNIK", Remove: true}}},
		{"a removal and inline buttons are two messages",
			[]Message{{Text: "tersimpan", Remove: true}, {Text: "pilih", Inline: inline}},
			[]Message{{Text: "tersimpan", Remove: true}, {Text: "pilih", Inline: inline}}},
		{"a text before a removal and inline buttons goes with the removal",
			[]Message{{Text: "a"}, {Text: "tersimpan", Remove: true}, {Text: "pilih", Inline: inline}},
			[]Message{{Text: "a\n\ntersimpan", Remove: true}, {Text: "pilih", Inline: inline}}},
		{"a new reply keyboard replaces the old one: the removal goes",
			[]Message{{Text: "a", Remove: true}, {Text: "nomor", Keyboard: keyboard}},
			[]Message{{Text: "a\n\nnomor", Keyboard: keyboard}}},
		{"a join longer than a message is not made",
			[]Message{{Text: long}, {Text: long, Inline: inline}},
			[]Message{{Text: long}, {Text: long, Inline: inline}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Join(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("Join = %d messages %+v, want %d", len(got), got, len(tc.want))
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.Text != w.Text || g.Remove != w.Remove || len(g.Inline) != len(w.Inline) || len(g.Keyboard) != len(w.Keyboard) {
					t.Errorf("message %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
