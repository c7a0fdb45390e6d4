package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that a handler that panics neither crashes the bot nor leaves the
// update in the journal to crash it again after a restart, and that the
// person gets an apology instead of silence.
func TestBot_Recoverer(t *testing.T) {
	const token = "424242:recoverer-test-token"
	const user = 77
	srv := telegramtest.NewServer(token)
	defer srv.Close()
	db, err := store.Open(filepath.Join(t.TempDir(), "daftar.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var log strings.Builder
	b := New(db, store.Catalog{Courses: []store.Course{testCourse("angkatan-2")}}, Options{
		Token: token, APIURL: srv.URL(), Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(&log, nil)),
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	from := map[string]any{"id": user, "is_bot": false, "first_name": "Siti", "language_code": "en"}
	private := map[string]any{"id": user, "type": "private"}
	// srv.Callback registers callback query "1", so that it can be answered.
	srv.Callback(telegramtest.User{ID: user, FirstName: "Siti"}, 1, "0:reg")

	nextID := int64(10)
	handle := func(t *testing.T, body map[string]any, panicking func()) {
		t.Helper()
		nextID++
		body["update_id"] = nextID
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Journal([]store.Update{{ID: nextID, Raw: raw}}, nextID+1); err != nil {
			t.Fatal(err)
		}
		// As Run decodes it, for a bot named daftar_test_bot.
		upd, err := telegram.Decode(nextID, raw, "daftar_test_bot")
		if err != nil {
			t.Fatal(err)
		}
		telegram.Guard(b.log, func(context.Context, *telegram.Update) { panicking() }, b.onPanic)(ctx, upd)
		if j, err := db.Journaled(); err != nil || len(j) != 0 {
			t.Errorf("journal %v, %v after a panic: want it empty", j, err)
		}
		if p, err := db.PendingReplies(); err != nil || len(p) != 0 {
			t.Errorf("pending replies %v, %v: want none", p, err)
		}
	}
	secret := "Siti Aminah 3509015708900001"

	t.Run("Message", func(t *testing.T) {
		after := srv.LastSeq()
		handle(t, map[string]any{"message": map[string]any{"message_id": 1, "date": 1, "from": from, "chat": private, "text": secret}},
			func() { panic(secret) })
		ms := sentAfter(srv, after)
		if len(ms) != 1 || ms[0].ChatID != user || ms[0].Text != locale.For("en").Messages.Apology {
			t.Errorf("the bot did %+v, want the English apology to %d", ms, user)
		}
	})

	t.Run("RuntimeError", func(t *testing.T) {
		after := srv.LastSeq()
		handle(t, map[string]any{"message": map[string]any{"message_id": 2, "date": 1, "from": from, "chat": private, "text": "x"}},
			func() {
				var m map[string]int
				m["boom"]++
			})
		if ms := sentAfter(srv, after); len(ms) != 1 || ms[0].Text != locale.For("en").Messages.Apology {
			t.Errorf("the bot did %+v, want the apology", ms)
		}
		if !strings.Contains(log.String(), "assignment to entry in nil map") {
			t.Errorf("the runtime error is not logged:\n%s", log.String())
		}
	})

	t.Run("Callback", func(t *testing.T) {
		after := srv.LastSeq()
		handle(t, map[string]any{"callback_query": map[string]any{
			"id": "1", "from": from, "chat_instance": "1", "data": "0:reg",
			"message": map[string]any{"message_id": 1, "date": 1, "chat": private},
		}}, func() { panic(secret) })
		ms := sentAfter(srv, after)
		// The reply first, the spinner stopped after it (issue 10: one
		// round trip per step).
		if len(ms) != 2 || ms[0].Text != locale.For("en").Messages.Apology || ms[1].Method != "answerCallbackQuery" {
			t.Errorf("the bot did %+v, want the apology and the spinner stopped", ms)
		}
	})

	t.Run("Group", func(t *testing.T) {
		// No apology where nobody asked the bot anything.
		after := srv.LastSeq()
		handle(t, map[string]any{"message": map[string]any{"message_id": 3, "date": 1, "from": from,
			"chat": map[string]any{"id": -100, "type": "group", "title": "FKJOB"}, "text": "halo"}},
			func() { panic(secret) })
		if ms := sentAfter(srv, after); len(ms) != 0 {
			t.Errorf("the bot did %+v after a panic on a group chatter", ms)
		}
	})

	t.Run("NoSender", func(t *testing.T) {
		after := srv.LastSeq()
		handle(t, map[string]any{}, func() { panic(secret) })
		if ms := sentAfter(srv, after); len(ms) != 0 {
			t.Errorf("the bot did %+v", ms)
		}
	})

	if n := strings.Count(log.String(), "panic while handling an update"); n != 5 {
		t.Errorf("%d panics logged, want 5:\n%s", n, log.String())
	}
	if strings.Contains(log.String(), "Aminah") || strings.Contains(log.String(), "3509015708900001") {
		t.Errorf("the panic value, which holds personal data, is logged:\n%s", log.String())
	}
}

func sentAfter(srv *telegramtest.Server, seq int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range srv.Sent() {
		if m.Seq > seq {
			out = append(out, m)
		}
	}
	return out
}
