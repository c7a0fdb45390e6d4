package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// recordReply stores a reply to chat as a handler's transaction does.
func recordReply(t *testing.T, db *store.DB, chat int64, text string) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		_, err := tx.AddReply(chat, fmt.Appendf(nil, `{"text":%q}`, text))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// serve runs c until the test ends and returns the channel of handled
// update ids and the channel of Run's result.
func serve(t *testing.T, c *Client, db *store.DB) (handled chan int64, done chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	handled, done = make(chan int64, 16), make(chan error, 1)
	handle := func(ctx context.Context, u *Update) {
		if err := db.Batch(func(tx *store.Tx) error { return tx.DoneUpdate(u.ID) }); err != nil {
			t.Error(err)
		}
		handled <- u.ID
	}
	go func() { done <- c.Run(ctx, Service{Handle: handle, OnPanic: handle}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return handled, done
}

// Ensure that a reply to a group that became a supergroup is dropped as
// refused for good, and that resending old replies never holds up
// polling: others are answered meanwhile.
func TestClient_MigratedGroupReply(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	const group = -4001
	recordReply(t, db, group, "untuk grup")
	srv.Inject("sendMessage", telegramtest.Fault{Status: 400, MigrateTo: -1004001, ChatID: group})
	handled, _ := serve(t, c, db)
	id := srv.SendText(telegramtest.User{ID: 5, FirstName: "Rina"}, "halo")
	select {
	case got := <-handled:
		if got != id {
			t.Fatalf("handled update %d, want %d", got, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no update handled while an old reply to a migrated group was pending")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		pending, err := db.PendingReplies()
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reply to the migrated group is still recorded: %d pending", len(pending))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Ensure that several 409 answers in a row stop Run with ErrConflict: a
// second process polling with the token would split the people between
// two databases.
func TestClient_ConflictStops(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	srv.Inject("getUpdates", telegramtest.Fault{Status: 409})
	_, done := serve(t, c, db)
	select {
	case err := <-done:
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("Run = %v, want ErrConflict", err)
		}
		if !strings.Contains(err.Error(), "another daftar process polls with this token") {
			t.Errorf("error %q does not say what happened", err)
		}
		done <- err // for the cleanup
	case <-time.After(60 * time.Second):
		t.Fatal("Run goes on polling after repeated 409s")
	}
}

// Ensure that a few 409s in quick succession, as a restart overlapping the
// old process or a passing fault gives, do not stop Run: it goes on
// polling and handles the next update.
func TestClient_ConflictPasses(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	srv.Inject("getUpdates", telegramtest.Fault{Status: 409, Times: maxConflicts + 1})
	handled, done := serve(t, c, db)
	srv.SendText(telegramtest.User{ID: 7, FirstName: "Sari"}, "/start")
	select {
	case <-handled:
	case err := <-done:
		done <- err
		t.Fatalf("Run stopped after %d quick 409s: %v", maxConflicts+1, err)
	case <-time.After(30 * time.Second):
		t.Fatal("the update after the 409s was not handled")
	}
}

// Ensure that a 404 on getMe, Telegram's answer to a token that is no
// token, stops Run with a clear error instead of retrying forever.
func TestClient_BadToken(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	srv.Inject("getMe", telegramtest.Fault{Status: 404})
	_, done := serve(t, c, db)
	select {
	case err := <-done:
		if !errors.Is(err, ErrBadToken) {
			t.Fatalf("Run = %v, want ErrBadToken", err)
		}
		done <- err
	case <-time.After(10 * time.Second):
		t.Fatal("Run goes on retrying after 404 on getMe")
	}
}

// Ensure that a 403 on a direct reply marks the person unreachable, as a
// 403 on an outbox message does, and drops the reply.
func TestClient_DeliverForbidden(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	const person = 77
	srv.Block(person)
	recordReply(t, db, person, "halo")
	pending, err := db.PendingReplies()
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v, %v", pending, err)
	}
	c.Deliver(context.Background(), pending[0])
	var blocked bool
	if err := db.View(func(tx *store.Tx) error { blocked = tx.Unreachable(person); return nil }); err != nil {
		t.Fatal(err)
	}
	if !blocked {
		t.Error("the person who blocked the bot is not recorded as unreachable")
	}
	if pending, _ := db.PendingReplies(); len(pending) != 0 {
		t.Errorf("%d replies still recorded", len(pending))
	}
}

// Ensure that the token is masked in an error in every form it takes,
// URL-escaped included, and that the error's chain survives.
func TestRedact(t *testing.T) {
	const token = "123456:AB/C+d e"
	for _, form := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
		err := redact(fmt.Errorf("post https://api.telegram.org/bot%s/getMe: %w", form, ErrForbidden), token)
		if strings.Contains(err.Error(), form) || !strings.Contains(err.Error(), "<token>") {
			t.Errorf("redact(%q) = %q", form, err)
		}
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("redact(%q) loses the error chain", form)
		}
	}
}

// Ensure that Refused knows every refusal that sending again cannot mend.
func TestRefused(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("%w, Forbidden: bot was blocked by the user", ErrForbidden), true},
		{errors.New("error response from telegram for method sendMessage, 413 Request Entity Too Large"), true},
		{errors.New("error response from telegram for method sendMessage, 500 Internal Server Error"), false},
		{errors.New("dial tcp: connection refused"), false},
	} {
		if got := Refused(tt.err); got != tt.want {
			t.Errorf("Refused(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
