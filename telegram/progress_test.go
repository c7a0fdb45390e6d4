package telegram

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// progressTexts are the texts the tests' progress loops show.
func progressTexts(_ *store.Tx, a store.Announcement, rep store.AnnouncementReport) (string, string) {
	return fmt.Sprintf("pengumuman #%d: %d/%d", a.ID, rep.Done(), rep.Total),
		fmt.Sprintf("laporan #%d: %d terkirim, %d memblokir", a.ID, rep.Sent, rep.Undeliverable)
}

// progressAnnouncement stores announcement id of organiser to everyone,
// three people, ready to go out, the second of whom blocked the bot.
func progressAnnouncement(t *testing.T, srv *telegramtest.Server, db *store.DB, organiser int64) (id uint64) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		for u := int64(1); u <= 3; u++ {
			if err := tx.PutConversation(store.Conversation{UserID: u, ChatID: u, State: "idle"}); err != nil {
				return err
			}
		}
		a, err := tx.NewAnnouncement(organiser, organiser, "id", time.Now())
		if err != nil {
			return err
		}
		if _, _, err := tx.CaptureAnnouncement(organiser, organiser, 5, ""); err != nil {
			return err
		}
		if _, err := tx.SetAudience(a.ID, store.AudienceEveryone); err != nil {
			return err
		}
		_, _, err = tx.SendAnnouncement(a.ID, time.Now())
		id = a.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Block(2)
	return id
}

// waitAllReported waits until no announcement is left unreported.
func waitAllReported(t *testing.T, db *store.DB, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); ; {
		as, err := db.Unreported()
		if err != nil {
			t.Fatal(err)
		}
		if len(as) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the announcement was never reported")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// progressMessages returns what went to the organiser: the messages
// sent, and the texts of the edits.
func progressMessages(srv *telegramtest.Server, organiser int64) (sent []int64, edits []string) {
	for _, m := range srv.SentTo(organiser) {
		switch m.Method {
		case "sendMessage":
			sent = append(sent, m.MessageID)
		case "editMessageText":
			edits = append(edits, m.Text)
		}
	}
	return sent, edits
}

// runProgress runs a dispatcher sending to c that notifies p, and p,
// until stop, which waits for both to end and may be called again.
func runProgress(c *Client, db *store.DB, p *Progress) (stop func()) {
	d := NewDispatcher(db, c.send, bulk("halo"), func(store.OutboxEntry) { p.Notify() }, c.log, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { d.Run(ctx, ctx) })
	wg.Go(func() { p.Run(ctx) })
	return func() { cancel(); wg.Wait() }
}

// Ensure that the progress loop, fed by the dispatcher's notices, sends
// one progress message to the organiser's chat, edits it into the report
// with the texts it is given once every copy is done (a blocked chat
// counted), and marks the announcement reported.
func TestProgress_OneMessageEndsInReport(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	const organiser = 100
	id := progressAnnouncement(t, srv, db, organiser)
	p := NewProgress(db, c.send, progressTexts, c.log, time.Now)
	stop := runProgress(c, db, p)
	waitAllReported(t, db, 30*time.Second)
	stop()
	sent, _ := progressMessages(srv, organiser)
	if len(sent) != 1 {
		t.Fatalf("%d messages to the organiser, want one progress message: %v", len(sent), srv.SentTo(organiser))
	}
	want := fmt.Sprintf("laporan #%d: 2 terkirim, 1 memblokir", id)
	if m, ok := srv.Current(organiser, sent[0]); !ok || m.Text != want {
		t.Errorf("the progress message reads %q, want %q", m.Text, want)
	}
	var a store.Announcement
	err := db.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.Announcement(id)
		return err
	})
	if err != nil || a.ProgressID != int(sent[0]) {
		t.Errorf("announcement %+v (%v): want its progress message %d recorded", a, err, sent[0])
	}
}

// Ensure that the report replaces the progress message as soon as the
// last copy is done, however long the least time between two edits is,
// and that the copies done meanwhile edit nothing within that time.
func TestProgress_ReportAtOnce(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	const organiser = 100
	id := progressAnnouncement(t, srv, db, organiser)
	p := NewProgress(db, c.send, progressTexts, c.log, time.Now)
	p.every = time.Hour
	d := NewDispatcher(db, c.send, bulk("halo"), func(store.OutboxEntry) { p.Notify() }, c.log, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{}, 2)
	go func() { p.Run(ctx); done <- struct{}{} }()
	// The progress message is there before any copy goes.
	waitCtx, waitCancel := context.WithTimeout(ctx, 30*time.Second)
	defer waitCancel()
	first, err := srv.WaitSent(waitCtx, 0, func(m telegramtest.Message) bool { return m.ChatID == organiser })
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("pengumuman #%d: 0/3", id); first.Method != "sendMessage" || first.Text != want {
		t.Fatalf("first to the organiser: %s %q, want the progress message %q", first.Method, first.Text, want)
	}
	go func() { d.Run(ctx, ctx); done <- struct{}{} }()
	waitAllReported(t, db, 30*time.Second)
	cancel()
	<-done
	<-done
	sent, edits := progressMessages(srv, organiser)
	want := fmt.Sprintf("laporan #%d: 2 terkirim, 1 memblokir", id)
	if len(sent) != 1 || len(edits) != 1 || edits[0] != want {
		t.Errorf("to the organiser %d messages and edits %q, want the progress message edited once, into %q", len(sent), edits, want)
	}
}

// Ensure that when the first progress message may be on screen without
// its id known (its request's answer was lost), the report that goes as
// a message of its own at the end is tried again when Telegram answered
// it with an error (so it surely did not go out), and arrives once.
func TestProgress_LostReportRetried(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	const organiser = 100
	id := progressAnnouncement(t, srv, db, organiser)
	srv.Inject("sendMessage", telegramtest.Fault{Drop: true, Times: 1, ChatID: organiser})
	srv.Inject("sendMessage", telegramtest.Fault{Status: 502, Times: 1, ChatID: organiser})
	p := NewProgress(db, c.send, progressTexts, c.log, time.Now)
	p.every = 50 * time.Millisecond
	stop := runProgress(c, db, p)
	defer stop()
	want := fmt.Sprintf("laporan #%d: 2 terkirim, 1 memblokir", id)
	waitCtx, waitCancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer waitCancel()
	if _, err := srv.WaitSent(waitCtx, 0, func(m telegramtest.Message) bool { return m.ChatID == organiser && m.Text == want }); err != nil {
		t.Fatalf("the report never reached the organiser: %v; to the organiser: %v", err, srv.SentTo(organiser))
	}
	waitAllReported(t, db, 30*time.Second)
	stop()
	if n := srv.PendingFaults("sendMessage"); n != 0 {
		t.Errorf("%d faults never met a request", n)
	}
	reports := 0
	for _, m := range srv.SentTo(organiser) {
		if m.Text == want {
			reports++
		}
	}
	if reports != 1 {
		t.Errorf("the report arrived %d times, want once", reports)
	}
}
