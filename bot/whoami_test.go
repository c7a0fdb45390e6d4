package bot_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that /id tells anyone their Telegram id, in a private chat and in
// a group (with the group's id), in their language, and leaves nothing
// stored and a form where it was.
func TestBot_ID(t *testing.T) {
	e := startEnv(t)

	t.Run("Stranger", func(t *testing.T) {
		before := e.snapshot(budi.user.ID)
		ms := e.text(budi.user, "/id")
		if len(ms) != 1 || ms[0].Text != "🪪 ID Telegram Anda: 700002" {
			t.Fatalf("the bot answered %q", texts(ms))
		}
		if before.Found || e.snapshot(budi.user.ID).Found {
			t.Error("a conversation was stored for /id")
		}
		e.assertUnchanged(before, budi.user.ID)
		e.assertIdle()
	})

	t.Run("English", func(t *testing.T) {
		ann := telegramtest.User{ID: 700009, FirstName: "Ann", LanguageCode: "en-GB"}
		ms := e.text(ann, "/id@daftar_test_bot")
		if len(ms) != 1 || ms[0].Text != "🪪 Your Telegram id: 700009" {
			t.Fatalf("the bot answered %q", texts(ms))
		}
	})

	t.Run("InTheForm", func(t *testing.T) {
		e.script(siti.user, toSummary(siti)[:4]) // at question 2
		before := e.snapshot(siti.user.ID)
		ms := e.text(siti.user, "/id")
		if len(ms) != 1 || !strings.Contains(ms[0].Text, "700001") {
			t.Fatalf("the bot answered %q", texts(ms))
		}
		e.assertUnchanged(before, siti.user.ID)
		e.act(siti.user, sharesContact(siti.phone, "Pertanyaan 3 dari 6"))
	})

	t.Run("Group", func(t *testing.T) {
		const group = -1001234567890
		for _, text := range []string{"/id", "/id@daftar_test_bot"} {
			before := e.snapshot(budi.user.ID)
			ms := e.step(group, func() int64 { return e.srv.SendGroupText(budi.user, group, text) })
			if len(ms) != 1 || ms[0].Text != "🪪 ID Telegram Anda: 700002\nID grup ini: -1001234567890" {
				t.Fatalf("%s: the bot answered %q in the group", text, texts(ms))
			}
			e.assertUnchanged(before, budi.user.ID)
		}
		// Another bot's /id is not for this one.
		after := e.srv.LastSeq()
		e.rejects(budi.user.ID, func() int64 { return e.srv.SendGroupText(budi.user, group, "/id@other_bot") })
		if ms := e.srv.Sent(); len(ms) > int(after) {
			t.Errorf("the bot answered %q in chat %d", ms[after].Text, ms[after].ChatID)
		}
	})
}
