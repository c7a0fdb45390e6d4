package bot_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that an answer sent twice by the same update id (Telegram retrying
// a batch) is handled once.
func TestBot_DuplicateUpdate(t *testing.T) {
	t.Run("SameBatch", func(t *testing.T) {
		e := newEnv(t)
		// Queued before the bot polls: both come in one getUpdates answer.
		first := e.srv.SendText(siti.user, "/start")
		e.srv.SetNextUpdateID(first)
		if again := e.srv.SendText(siti.user, "/start"); again != first {
			t.Fatalf("the server gave id %d, want %d again", again, first)
		}
		e.start()
		e.waitHandled(first)
		e.act(siti.user, says("/bantuan", "Perintah"))
		if n := countSent(e.srv, siti.user.ID, "Selamat datang"); n != 1 {
			t.Errorf("%d welcomes, want 1", n)
		}
		if n := e.handled.times(first); n != 1 {
			t.Errorf("update %d handled %d times", first, n)
		}
	})

	t.Run("AfterHandling", func(t *testing.T) {
		// Telegram sends an update again after the bot handled it (the
		// offset was lost on its side): the journal knows it.
		e := startEnv(t)
		as := toSummary(siti)
		e.script(siti.user, as[:3])
		before := e.snapshot(siti.user.ID)
		id := e.srv.SendText(siti.user, siti.name)
		e.waitHandled(id)
		raw := rawUpdate(t, map[string]any{"update_id": id, "message": map[string]any{
			"message_id": 99, "date": 1, "text": siti.name,
			"from": map[string]any{"id": siti.user.ID, "is_bot": false, "first_name": "Siti"},
			"chat": map[string]any{"id": siti.user.ID, "type": "private"},
		}})
		if err := e.stop(); err != nil {
			t.Fatal(err)
		}
		fresh, err := e.db.Journal([]store.Update{{ID: id, Raw: raw}}, id+1)
		if err != nil {
			t.Fatal(err)
		}
		if len(fresh) != 0 {
			t.Errorf("the journal took update %d again", id)
		}
		e.start()
		e.act(siti.user, sharesContact(siti.phone, "Pertanyaan 3 dari 6"))
		if n := countSent(e.srv, siti.user.ID, "Pertanyaan 2 dari 6"); n != 1 {
			t.Errorf("the phone question was asked %d times, want 1", n)
		}
		if c, _ := e.conversation(siti.user.ID); c.Answers["name"] != siti.name || reflect.DeepEqual(before.Conv.Answers, c.Answers) {
			t.Errorf("answers %q", c.Answers)
		}
	})
}

// Ensure that the poller waits out what Telegram asks it to: a 429 as
// long as retry_after says, a 409 (another instance polling) and server
// errors with a back-off, and then goes on.
func TestBot_Poll(t *testing.T) {
	t.Run("TooManyRequests", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("getUpdates", telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 1})
		e.start()
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := e.srv.WaitRequests(ctx, "getUpdates", 1); err != nil {
			t.Fatal(err)
		}
		refused := time.Now()
		quiet, cancelQuiet := context.WithDeadline(ctx, refused.Add(800*time.Millisecond))
		defer cancelQuiet()
		if err := e.srv.WaitRequests(quiet, "getUpdates", 2); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("getUpdates asked again within retry_after (err %v)", err)
		}
		e.act(siti.user, says("/start", "Selamat datang"))
	})

	t.Run("Conflict", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("getUpdates", telegramtest.Fault{Status: 409, Times: 2})
		e.start()
		e.act(siti.user, says("/start", "Selamat datang"))
		if e.logs.count("getUpdates conflict") != 2 {
			t.Errorf("the conflicts are not logged as such:\n%s", e.logs.String())
		}
	})

	t.Run("Confirmed", func(t *testing.T) {
		// What the bot handled is confirmed by its next poll and never
		// comes again, across a restart.
		e := startEnv(t)
		id := e.srv.SendText(siti.user, "/start")
		e.waitHandled(id)
		e.restart()
		e.act(siti.user, says("/bantuan", "Perintah"))
		if !e.srv.Confirmed(id) {
			t.Errorf("update %d is not confirmed", id)
		}
		if n := e.handled.times(id); n != 1 {
			t.Errorf("update %d handled %d times", id, n)
		}
		if off, err := e.db.Offset(); err != nil || off <= id {
			t.Errorf("stored offset %d, %v; want above %d", off, err, id)
		}
	})
}
