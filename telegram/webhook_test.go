package telegram

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// freeAddr returns a loopback address nothing listens on: the webhook's
// URL names its port before the client listens on it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// newWebhookClient is newTestClient with updates pushed to a webhook on
// loopback; it returns the webhook's URL too.
func newWebhookClient(t *testing.T, db *store.DB, srv *telegramtest.Server) (*Client, string) {
	t.Helper()
	addr := freeAddr(t)
	url := "http://" + addr + "/tg"
	return New(db, Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{URL: url, Listen: addr}}), url
}

// webhookDB opens a database for a webhook test.
func webhookDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "daftar.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitHandled waits for the update id among the handled ones.
func waitHandled(t *testing.T, handled <-chan int64, id int64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-handled:
			if got == id {
				return
			}
		case <-timeout:
			t.Fatalf("update %d not handled", id)
		}
	}
}

// postUpdate posts raw to the webhook at url as Telegram does, with the
// secret given, and returns the answer's status; it retries while the
// webhook is not listening yet.
func postUpdate(t *testing.T, url, secret string, raw []byte) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return resp.StatusCode
		}
		if time.Now().After(deadline) {
			t.Fatalf("post to the webhook: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// textUpdate is the JSON of a private text message as Telegram pushes it.
func textUpdate(id, user int64, text string) []byte {
	return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":%d,"type":"private","first_name":"Rina"},"from":{"id":%d,"is_bot":false,"first_name":"Rina"},"text":%q}}`, id, id, user, user, text)
}

// Ensure that with a webhook the updates Telegram pushes are handled, in
// order within a chat, and each confirmed to Telegram once journaled.
func TestWebhook_HandlesPushes(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := webhookDB(t)
	c, _ := newWebhookClient(t, db, srv)
	var mu sync.Mutex
	var order []string
	handled, done := make(chan int64, 16), make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	handle := func(ctx context.Context, u *Update) {
		if err := db.Batch(func(tx *store.Tx) error { return tx.DoneUpdate(u.ID) }); err != nil {
			t.Error(err)
		}
		mu.Lock()
		order = append(order, u.Text)
		mu.Unlock()
		handled <- u.ID
	}
	go func() { done <- c.Run(ctx, Service{Handle: handle, OnPanic: handle}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()
	rina := telegramtest.User{ID: 5, FirstName: "Rina"}
	var last int64
	for i := range 5 {
		last = srv.SendText(rina, fmt.Sprint("pesan ", i+1))
	}
	waitHandled(t, handled, last)
	mu.Lock()
	if want := []string{"pesan 1", "pesan 2", "pesan 3", "pesan 4", "pesan 5"}; fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("handled %q, want %q in order", order, want)
	}
	mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for !srv.Confirmed(last) {
		if time.Now().After(deadline) {
			t.Fatalf("update %d handled but never confirmed to Telegram", last)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := srv.Requests("getUpdates"); n != 0 {
		t.Errorf("%d getUpdates with a webhook, want none", n)
	}
}

// Ensure that the webhook takes updates from Telegram only: a request
// without the secret, or with another one, is refused and changes
// nothing; and that an update pushed again, handled or not yet, is
// handled once.
func TestWebhook_SecretAndPushedAgain(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := webhookDB(t)
	c, url := newWebhookClient(t, db, srv)
	handled, _ := serve(t, c, db)

	raw := textUpdate(900, 77, "halo")
	for _, secret := range []string{"", "not-the-secret", webhookSecret(senderToken + "x")} {
		if got := postUpdate(t, url, secret, raw); got != http.StatusUnauthorized {
			t.Errorf("push with secret %q answered %d, want 401", secret, got)
		}
	}
	if js, err := db.Journaled(); err != nil || len(js) != 0 {
		t.Fatalf("journal after refused pushes: %v, %v; want empty", js, err)
	}
	secret := webhookSecret(senderToken)
	if got := postUpdate(t, url, secret, raw); got != http.StatusOK {
		t.Fatalf("push answered %d, want 200", got)
	}
	waitHandled(t, handled, 900)
	// Telegram pushes again what it had no answer for: once handled, the
	// same update is answered 200 and not handled again.
	if got := postUpdate(t, url, secret, raw); got != http.StatusOK {
		t.Errorf("push again answered %d, want 200", got)
	}
	if got := postUpdate(t, url, secret, textUpdate(901, 77, "lagi")); got != http.StatusOK {
		t.Errorf("next push answered %d, want 200", got)
	}
	waitHandled(t, handled, 901)
	select {
	case id := <-handled:
		t.Errorf("update %d handled again", id)
	default:
	}
	for _, bad := range []struct {
		method, body string
		want         int
	}{
		{http.MethodGet, "", http.StatusMethodNotAllowed},
		{http.MethodPost, `{"message":{}}`, http.StatusOK}, // no update_id: skipped, never pushed again
	} {
		req, _ := http.NewRequest(bad.method, url, strings.NewReader(bad.body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != bad.want {
			t.Errorf("%s %q answered %d, want %d", bad.method, bad.body, resp.StatusCode, bad.want)
		}
	}
}

// Ensure that an update journaled from a push but not handled when the
// bot stopped is handled at the next start, and pushed again then, once.
func TestWebhook_UnhandledAfterRestart(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := webhookDB(t)
	raw := textUpdate(700, 8, "belum")
	// As the journal leaves it when the bot is killed after answering the
	// push and before handling it.
	if _, err := db.JournalPushedThen([]store.Update{{ID: 700, Raw: raw}}, nil, time.Now().Add(-store.PushedKeep), nil); err != nil {
		t.Fatal(err)
	}
	c, url := newWebhookClient(t, db, srv)
	handled, _ := serve(t, c, db)
	waitHandled(t, handled, 700)
	if got := postUpdate(t, url, webhookSecret(senderToken), raw); got != http.StatusOK {
		t.Errorf("push again answered %d, want 200", got)
	}
	if got := postUpdate(t, url, webhookSecret(senderToken), textUpdate(701, 8, "baru")); got != http.StatusOK {
		t.Errorf("next push answered %d, want 200", got)
	}
	waitHandled(t, handled, 701)
	select {
	case id := <-handled:
		t.Errorf("update %d handled twice", id)
	default:
	}
}

// Ensure that Run says why when it cannot listen on the webhook's address.
func TestWebhook_ListenFails(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := New(webhookDB(t), Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{URL: "http://" + ln.Addr().String() + "/tg", Listen: ln.Addr().String()}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = c.Run(ctx, Service{Handle: func(context.Context, *Update) {}, OnPanic: func(context.Context, *Update) {}})
	if err == nil || !strings.Contains(err.Error(), "webhook") || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("Run = %v, want an error naming the webhook and the address in use", err)
	}
}
