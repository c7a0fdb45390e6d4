package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that replies survive what Telegram answers besides OK: a 429 is
// waited out as long as it asks, by every request of the bot (issue 10: a
// 429 pauses the whole bot), a blocked chat is given up at once without
// stopping the bot from answering others.
func TestBot_Send(t *testing.T) {
	t.Run("TooManyRequests", func(t *testing.T) {
		e := startEnv(t)
		u, other := siti.user, budi.user
		e.srv.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 1})
		sendsBefore := e.srv.Requests("sendMessage")
		after := e.srv.LastSeq()
		id := e.srv.SendText(u, "/start")

		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := e.srv.WaitRequests(ctx, "sendMessage", sendsBefore+1); err != nil {
			t.Fatal(err)
		}
		refused := time.Now() // the 429 was answered at or after... this, roughly
		// Someone else writes meanwhile: answered after the pause too.
		otherID := e.srv.SendText(other, "/start")
		// Until retry_after has passed no other request may come.
		// The window leaves 200 ms for this goroutine to wake up late.
		quiet, cancelQuiet := context.WithDeadline(ctx, refused.Add(800*time.Millisecond))
		defer cancelQuiet()
		err := e.srv.WaitRequests(quiet, "sendMessage", sendsBefore+2)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("a sendMessage request came within retry_after of the 429 (err %v, %d requests)", err, e.srv.Requests("sendMessage")-sendsBefore)
		}
		e.waitHandled(id)
		e.waitHandled(otherID)
		if m, ok := find(e.since(after, other.ID), "Selamat datang"); !ok || m.Time.Sub(refused) < 800*time.Millisecond {
			t.Errorf("the other person's welcome %+v came inside the pause", m)
		}
		welcome, ok := find(e.since(after, u.ID), "Selamat datang")
		if !ok {
			t.Fatalf("no welcome after the 429: %q", texts(e.since(after, u.ID)))
		}
		if d := welcome.Time.Sub(refused); d < 800*time.Millisecond {
			t.Errorf("the retry came %v after the 429, want at least retry_after (1 s)", d)
		}
		if n := e.srv.Requests("sendMessage") - sendsBefore; n != 3 {
			t.Errorf("%d sendMessage requests, want 3 (refused, the other's, the retry)", n)
		}
		if n := countSent(e.srv, u.ID, "Selamat datang"); n != 1 {
			t.Errorf("%d welcomes, want 1", n)
		}
		e.assertIdle()
	})

	t.Run("Blocked", func(t *testing.T) {
		e := startEnv(t)
		u, other := siti.user, budi.user
		e.srv.Block(u.ID)
		sendsBefore := e.srv.Requests("sendMessage")
		e.text(u, "/start")
		if n := e.srv.Requests("sendMessage") - sendsBefore; n != 1 {
			t.Errorf("%d sendMessage requests to a chat that blocked the bot, want 1", n)
		}
		e.assertIdle() // the reply is dropped, not kept for ever
		e.act(other, says("/start", "Selamat datang"))

		// Unblocked, the person is answered again.
		e.srv.Unblock(u.ID)
		e.act(u, says("/start", "Selamat datang"))
		e.act(u, presses("Daftar", "Persetujuan"))
	})

	t.Run("ServerErrors", func(t *testing.T) {
		// 5xx and dropped connections are retried until they pass.
		e := startEnv(t)
		e.srv.Inject("sendMessage", telegramtest.Fault{Status: 502, Times: 2})
		e.srv.Inject("sendMessage", telegramtest.Fault{Drop: true, Times: 1})
		e.act(siti.user, says("/start", "Selamat datang"))
		if n := countSent(e.srv, siti.user.ID, "Selamat datang"); n != 1 {
			t.Errorf("%d welcomes, want 1", n)
		}
		e.assertIdle()
	})

	t.Run("BadRequest", func(t *testing.T) {
		// A reply Telegram refuses for good is dropped; the next one goes.
		e := startEnv(t)
		e.srv.Inject("sendMessage", telegramtest.Fault{Status: 400, Times: 1})
		sendsBefore := e.srv.Requests("sendMessage")
		e.text(siti.user, "/start")
		if n := e.srv.Requests("sendMessage") - sendsBefore; n != 1 {
			t.Errorf("%d requests for a refused reply, want 1", n)
		}
		e.assertIdle()
		e.act(siti.user, says("/start", "Selamat datang"))
	})

	t.Run("CallbackAnswerFails", func(t *testing.T) {
		// The toast is not durable: when answering it fails, the step still
		// happens and its reply arrives.
		e := at(t, siti, 1)
		e.srv.Inject("answerCallbackQuery", telegramtest.Fault{Status: 500, Times: 1})
		e.srv.Inject("editMessageReplyMarkup", telegramtest.Fault{Status: 500, Times: 1})
		e.act(siti.user, presses("Daftar", "Persetujuan"))
		e.assertIdle()
	})
}

// Ensure that a toast longer than Telegram shows (200 characters) is cut
// with an ellipsis instead of refused: the roll call's toast names the
// person tapped, whose name may be long.
func TestBot_LongToast(t *testing.T) {
	e := orgEnv(t, true)
	ps := e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 1)
	err := e.db.Update(func(tx *store.Tx) error {
		_, err := tx.UpdateAnswers(store.Seats{Batch: store.Batch{ID: "angkatan-3"}}, ps[0].id, map[string]string{"name": longName}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rc := last(t, e.text(rina, "/absen angkatan-3"))
	before := e.srv.Requests("answerCallbackQuery")
	ms := e.step(rina.ID, func() int64 { return e.srv.Callback(rina, rc.MessageID, rc.Inline[0][0].CallbackData) })
	got, ok := toast(ms)
	if !ok || !strings.HasSuffix(got, "…") || len([]rune(got)) > 200 || !strings.HasPrefix(got, "✅ Siti Nurhaliza") {
		t.Errorf("toast %q (answered: %v, %d requests)", got, ok, e.srv.Requests("answerCallbackQuery")-before)
	}
}
