package telegram

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

const senderToken = "434343:sender-test-token"

// logEvents is a slog handler that signals every record's message.
type logEvents chan string

func (l logEvents) Enabled(context.Context, slog.Level) bool { return true }
func (l logEvents) Handle(_ context.Context, r slog.Record) error {
	select {
	case l <- r.Message:
	default:
	}
	return nil
}
func (l logEvents) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l logEvents) WithGroup(string) slog.Handler      { return l }

// wait waits for a log record whose message contains part.
func (l logEvents) wait(t *testing.T, part string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case m := <-l:
			if strings.Contains(m, part) {
				return
			}
		case <-deadline:
			t.Fatalf("no log line %q", part)
		}
	}
}

// newTestClient is a Client of a fresh database against a fake Telegram.
func newTestClient(t *testing.T, log *slog.Logger) (*Client, *telegramtest.Server, *store.DB) {
	t.Helper()
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := openTestDB(t)
	return New(db, Options{Token: senderToken, APIURL: srv.URL(), Logger: log}), srv, db
}

// openTestDB opens a database in t.TempDir(), closed when t ends.
func openTestDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "daftar.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// queueNotice enqueues an outbox entry to chat and returns it as queued.
func queueNotice(t *testing.T, db *store.DB, chat int64) store.OutboxEntry {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		_, err := tx.Enqueue(store.OutboxEntry{Key: "test/" + time.Now().String(), Kind: store.KindNotice, ChatID: chat, UserID: chat})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	es, err := db.Queued(time.Now(), 10, nil)
	if err != nil || len(es) != 1 {
		t.Fatalf("queued %v, %v: want one entry", es, err)
	}
	return es[0]
}

// sentText returns when the fake server took the message with text to chat.
func sentText(t *testing.T, srv *telegramtest.Server, chat int64, text string) time.Time {
	t.Helper()
	for _, m := range srv.SentTo(chat) {
		if m.Text == text {
			return m.Time
		}
	}
	t.Fatalf("%q was not sent to %d", text, chat)
	return time.Time{}
}

func bulk(text string) Render {
	return func(store.OutboxEntry) (Outgoing, error) { return Outgoing{Message: Message{Text: text}}, nil }
}

// Ensure that the bot has one 429 pause: a 429 answered to a direct reply
// stops the outbox for retry_after, and a 429 answered to an outbox
// message holds every reply as long (issue 10: a 429 pauses the whole
// bot; with the limits kept, Telegram has no reason to answer one).
func TestSender_OnePause(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	t.Run("ReplyPausesOutbox", func(t *testing.T) {
		c, srv, db := newTestClient(t, nil)
		s := c.Sender()
		srv.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 1, ChatID: 1})
		_, err := s.SendMessage(ctx, 1, Message{Text: "reply"})
		if _, ok := RetryAfter(err); !ok {
			t.Fatalf("reply: err %v, want a 429", err)
		}
		refused := time.Now()
		d := NewDispatcher(db, s, bulk("bulk"), nil, c.log, time.Now)
		d.dispatch(ctx, queueNotice(t, db, 2))
		if wait := sentText(t, srv, 2, "bulk").Sub(refused); wait < 900*time.Millisecond {
			t.Errorf("the outbox sent %v after a reply's 429 with retry_after 1 s", wait)
		}
		if e, err := db.Outbox(1); err != nil || e.Status != store.OutboxSent {
			t.Errorf("entry %+v, %v: want it sent after the pause", e, err)
		}
	})

	t.Run("OutboxPausesReplies", func(t *testing.T) {
		log := make(logEvents, 64)
		c, srv, db := newTestClient(t, slog.New(log))
		s := c.Sender()
		srv.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 1, ChatID: 3})
		d := NewDispatcher(db, s, bulk("bulk"), nil, c.log, time.Now)
		done := make(chan struct{})
		go func() { defer close(done); d.dispatch(ctx, queueNotice(t, db, 3)) }()
		log.wait(t, "telegram asks to slow down")
		refused := time.Now()
		if _, err := s.SendMessage(ctx, 4, Message{Text: "other"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SendMessage(ctx, 3, Message{Text: "reply"}); err != nil {
			t.Fatal(err)
		}
		<-done
		if wait := sentText(t, srv, 3, "reply").Sub(refused); wait < 800*time.Millisecond {
			t.Errorf("a reply went %v after its chat's 429 with retry_after 1 s", wait)
		}
		if wait := sentText(t, srv, 4, "other").Sub(refused); wait < 800*time.Millisecond {
			t.Errorf("a reply to another chat went %v after a 429 with retry_after 1 s", wait)
		}
		sentText(t, srv, 3, "bulk")
	})
}

// Ensure that replies recorded by earlier releases (JSON of the bot's
// reply type) still decode to the same message.
func TestMessage_RecordedJSON(t *testing.T) {
	old := `{"text":"Pertanyaan 2 dari 6","inline":[[{"text":"Kembali","data":"3:back"},{"text":"Buka","url":"https://t.me/x"}]],` +
		`"keyboard":[[{"text":"Bagikan kontak","contact":true}]],"remove":true}`
	var m Message
	if err := json.Unmarshal([]byte(old), &m); err != nil {
		t.Fatal(err)
	}
	want := Message{
		Text:     "Pertanyaan 2 dari 6",
		Inline:   [][]Button{{{Text: "Kembali", Data: "3:back"}, {Text: "Buka", URL: "https://t.me/x"}}},
		Keyboard: [][]Button{{{Text: "Bagikan kontak", Contact: true}}},
		Remove:   true,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("decoded %+v, want %+v", m, want)
	}
	again, err := json.Marshal(want)
	if err != nil || string(again) != old {
		t.Errorf("encoded %s, %v; want %s", again, err, old)
	}
}
