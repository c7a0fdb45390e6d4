package telegram

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that the progress loop, fed by the dispatcher's notices, sends
// one progress message to the organiser's chat, edits it into the report
// with the texts it is given once every copy is done (a blocked chat
// counted), and marks the announcement reported.
func TestProgress_OneMessageEndsInReport(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	const organiser = 100
	var id uint64
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
	texts := func(_ *store.Tx, a store.Announcement, rep store.AnnouncementReport) (string, string) {
		return fmt.Sprintf("pengumuman #%d: %d/%d", a.ID, rep.Done(), rep.Total),
			fmt.Sprintf("laporan #%d: %d terkirim, %d memblokir", a.ID, rep.Sent, rep.Undeliverable)
	}
	p := NewProgress(db, c.send, texts, c.log, time.Now)
	d := NewDispatcher(db, c.send, bulk("halo"), func(store.OutboxEntry) { p.Notify() }, c.log, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{}, 2)
	go func() { d.Run(ctx, ctx); done <- struct{}{} }()
	go func() { p.Run(ctx); done <- struct{}{} }()
	for deadline := time.Now().Add(30 * time.Second); ; {
		as, err := db.Unreported()
		if err != nil {
			t.Fatal(err)
		}
		if len(as) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the announcement was never reported")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	<-done
	var sent []int64
	for _, m := range srv.SentTo(organiser) {
		if m.Method == "sendMessage" {
			sent = append(sent, m.MessageID)
		}
	}
	if len(sent) != 1 {
		t.Fatalf("%d messages to the organiser, want one progress message: %v", len(sent), srv.SentTo(organiser))
	}
	want := fmt.Sprintf("laporan #%d: 2 terkirim, 1 memblokir", id)
	if m, ok := srv.Current(organiser, sent[0]); !ok || m.Text != want {
		t.Errorf("the progress message reads %q, want %q", m.Text, want)
	}
	var a store.Announcement
	err = db.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.Announcement(id)
		return err
	})
	if err != nil || a.ProgressID != int(sent[0]) {
		t.Errorf("announcement %+v (%v): want its progress message %d recorded", a, err, sent[0])
	}
}
