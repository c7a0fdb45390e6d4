package telegram

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that the answer to a pressed button goes reply first: the answer
// to the press and the clearing of the old buttons come after it on the
// wire, and the update counts as handled only when all of it is done,
// while the handler itself returned at once.
func TestClient_AnswerReplyFirst(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	srv.SetLatency(50 * time.Millisecond)
	ann := telegramtest.User{ID: 31, FirstName: "Ann"}
	// A message with a button to press.
	_, err := c.send.SendMessage(context.Background(), ann.ID, Message{Text: "Pilih", Inline: [][]Button{{{Text: "Ya", Data: "1:yes"}}}})
	if err != nil {
		t.Fatal(err)
	}
	after := srv.LastSeq()
	returned := make(chan struct{}, 1)
	handled := make(chan int64, 1)
	handle := func(ctx context.Context, u *Update) {
		var sent []store.Reply
		err := db.Batch(func(tx *store.Tx) error {
			id, err := tx.AddReply(u.ChatID, []byte(`{"text":"Terima kasih"}`))
			sent = []store.Reply{{ID: id, ChatID: u.ChatID, Payload: []byte(`{"text":"Terima kasih"}`)}}
			if err != nil {
				return err
			}
			return tx.DoneUpdate(u.ID)
		})
		if err != nil {
			t.Error(err)
		}
		c.Answer(ctx, Answer{Chat: u.ChatID, Replies: sent, CallbackID: u.CallbackID, Toast: "ok", Clear: u.CallbackMessage})
		returned <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- c.Run(ctx, Service{Handle: handle, OnPanic: handle, OnHandled: func(id int64) { handled <- id }})
	}()
	defer func() { cancel(); <-done }()
	if _, err := srv.PressButton(ann, "Ya"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not return")
	}
	select {
	case <-handled:
	case <-time.After(10 * time.Second):
		t.Fatal("the update was not reported handled")
	}
	var methods []string
	for _, m := range srv.Sent() {
		if m.Seq > after {
			methods = append(methods, m.Method)
		}
	}
	if len(methods) != 3 || methods[0] != "sendMessage" {
		t.Fatalf("the bot did %v, want the reply first, then answerCallbackQuery and editMessageReplyMarkup", methods)
	}
	if rest := methods[1] + " " + methods[2]; rest != "answerCallbackQuery editMessageReplyMarkup" && rest != "editMessageReplyMarkup answerCallbackQuery" {
		t.Errorf("after the reply the bot did %s, want the press answered and the buttons cleared", rest)
	}
	if p, err := db.PendingReplies(); err != nil || len(p) != 0 {
		t.Errorf("pending replies %v, %v: want the reply forgotten once sent", p, err)
	}
}

// Ensure that an organiser's answer goes edit first, then the preview
// copy and the replies in order, the press answered alongside, and its
// Then after all of them, in the chat's turn: the handler returned
// before any of it.
func TestClient_AnswerEditCopyThen(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	srv.SetLatency(50 * time.Millisecond)
	org := telegramtest.User{ID: 32, FirstName: "Org"}
	_, err := c.send.SendMessage(context.Background(), org.ID, Message{Text: "Kepada siapa?", Inline: [][]Button{{{Text: "Semua", Data: "1:all"}}}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := c.send.SendMessage(context.Background(), org.ID, Message{Text: "Pengumuman"})
	if err != nil {
		t.Fatal(err)
	}
	after := srv.LastSeq()
	returned := make(chan time.Time, 1)
	then := make(chan int64, 1) // the Seq of the newest action when Then runs
	handle := func(ctx context.Context, u *Update) {
		var sent []store.Reply
		err := db.Batch(func(tx *store.Tx) error {
			for _, text := range []string{"Satu", "Dua"} {
				payload := []byte(`{"text":"` + text + `"}`)
				id, err := tx.AddReply(u.ChatID, payload)
				if err != nil {
					return err
				}
				sent = append(sent, store.Reply{ID: id, ChatID: u.ChatID, Payload: payload})
			}
			return tx.DoneUpdate(u.ID)
		})
		if err != nil {
			t.Error(err)
		}
		c.Answer(ctx, Answer{
			Chat: u.ChatID, Replies: sent, CallbackID: u.CallbackID, Toast: "ok",
			Edit: u.CallbackMessage, EditTo: Message{Text: "Dikirim ke semua"},
			CopyFrom: [2]int64{org.ID, int64(src)},
			Then:     func(context.Context) { then <- srv.LastSeq() },
		})
		returned <- time.Now()
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, Service{Handle: handle, OnPanic: handle}) }()
	defer func() { cancel(); <-done }()
	if _, err := srv.PressButton(org, "Semua"); err != nil {
		t.Fatal(err)
	}
	var back time.Time
	select {
	case back = <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not return")
	}
	var last int64
	select {
	case last = <-then:
	case <-time.After(10 * time.Second):
		t.Fatal("Then did not run")
	}
	var methods []string
	for _, m := range srv.Sent() {
		if m.Seq <= after {
			continue
		}
		if m.Time.Before(back) {
			t.Errorf("%s was carried out before the handler returned", m.Method)
		}
		if m.Method == "answerCallbackQuery" {
			continue // alongside: anywhere after the edit
		}
		methods = append(methods, m.Method+" "+m.Text)
	}
	want := []string{"editMessageText Dikirim ke semua", "copyMessage Pengumuman", "sendMessage Satu", "sendMessage Dua"}
	if !slices.Equal(methods, want) {
		t.Fatalf("the bot did %q, want %q", methods, want)
	}
	if calls := srv.Requests("answerCallbackQuery"); calls != 1 {
		t.Errorf("answerCallbackQuery %d times, want once", calls)
	}
	if first := srv.Sent()[after]; first.Method != "editMessageText" {
		t.Errorf("first request %s, want the edit", first.Method)
	}
	if last < after+4 {
		t.Errorf("Then ran after %d actions, want after the edit, the copy and both replies", last-after)
	}
}

// Ensure that one chat's backlog is bounded: while its first update is
// being handled, a flood from it fills its backlog and the rest go to
// Overflow, reported first once until its backlog is empty again, out of
// the journal; another chat is handled meanwhile and the poller goes on.
func TestClient_Backlog(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	c.opt.Backlog = 5
	flood := telegramtest.User{ID: 41, FirstName: "Flood"}
	other := telegramtest.User{ID: 42, FirstName: "Other"}
	release := make(chan struct{})
	handledBy := make(chan int64, 256)
	var (
		mu       sync.Mutex
		dropped  int
		firsts   int
		overflow = make(chan struct{}, 256)
	)
	handle := func(ctx context.Context, u *Update) {
		if u.ChatID == flood.ID {
			<-release
		}
		if err := db.Batch(func(tx *store.Tx) error { return tx.DoneUpdate(u.ID) }); err != nil {
			t.Error(err)
		}
		handledBy <- u.ChatID
	}
	svc := Service{Handle: handle, OnPanic: handle, Overflow: func(ctx context.Context, chat int64, us []*Update, first bool) {
		err := db.Batch(func(tx *store.Tx) error {
			for _, u := range us {
				if err := tx.DoneUpdate(u.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		if chat != flood.ID {
			t.Errorf("chat %d overflowed", chat)
		}
		dropped += len(us)
		if first {
			firsts++
		}
		mu.Unlock()
		for range us {
			overflow <- struct{}{}
		}
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, svc) }()
	defer func() { cancel(); <-done }()

	const n = 60
	for i := range n {
		srv.SendText(flood, "spam "+string(rune('a'+i%26)))
	}
	wait := time.After(20 * time.Second)
	for got := 0; got < n-5; got++ {
		select {
		case <-overflow:
		case <-wait:
			t.Fatalf("%d of %d flood updates overflowed, want all but the backlog", got, n-5)
		}
	}
	srv.SendText(other, "/start")
	select {
	case chat := <-handledBy:
		if chat != other.ID {
			t.Fatalf("chat %d handled while the flood's handler is held", chat)
		}
	case <-wait:
		t.Fatal("another chat was not handled while one chat's backlog was full")
	}
	close(release)
	for range 5 {
		select {
		case <-handledBy:
		case <-wait:
			t.Fatal("the flood's backlog was not handled")
		}
	}
	mu.Lock()
	if dropped != n-5 || firsts != 1 {
		t.Errorf("%d dropped (want %d), first reported %d times (want once)", dropped, n-5, firsts)
	}
	mu.Unlock()
	// Once its backlog is empty, the chat is handled as anyone.
	for deadline := time.Now().Add(10 * time.Second); ; {
		j, err := db.Journaled()
		if err != nil {
			t.Fatal(err)
		}
		if len(j) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d updates left in the journal", len(j))
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.SendText(flood, "halo lagi")
	select {
	case chat := <-handledBy:
		if chat != flood.ID {
			t.Fatalf("chat %d handled", chat)
		}
	case <-wait:
		t.Fatal("the chat is not handled after its backlog emptied")
	}
}

// Ensure that the side requests of an answer give way to the first
// requests of other answers still being handed over, and only for a
// while: a bot that is never idle still answers presses.
func TestClient_YieldToReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &Client{}
		c.unwritten.add(2) // two other chats' replies not on the wire yet
		yielded := make(chan struct{})
		go func() { c.yieldToReplies(context.Background()); close(yielded) }()
		synctest.Wait()
		select {
		case <-yielded:
			t.Fatal("the side requests went ahead of replies not yet written")
		default:
		}
		c.unwritten.add(-1)
		synctest.Wait()
		select {
		case <-yielded:
			t.Fatal("the side requests went ahead of the second reply")
		default:
		}
		c.unwritten.add(-1)
		synctest.Wait()
		select {
		case <-yielded:
		default:
			t.Fatal("the side requests still wait with every reply written")
		}

		c.unwritten.add(1) // a reply that never gets written
		start := time.Now()
		c.yieldToReplies(context.Background())
		if waited := time.Since(start); waited != sideYield {
			t.Errorf("waited %v for a reply never written, want sideYield (%v)", waited, sideYield)
		}
	})
}
