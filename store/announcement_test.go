package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

var annAt = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

const organiser = 900001

// seedAudience stores: users 1–3 registered in b1, 4 registered in b2, 1
// also registered in b2, 5 waiting in b2, 6 cancelled in b1, and a
// conversation for every one of them plus 7, who never registered.
func seedAudience(tb testing.TB, db *store.DB) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		reg := func(user int64, batch string) error {
			_, err := tx.ConfirmSeat(store.Participant{UserID: user, ChatID: user, Batch: batch}, 10)
			return err
		}
		for _, u := range []int64{1, 2, 3, 6} {
			if err := reg(u, "b1"); err != nil {
				return err
			}
		}
		for _, u := range []int64{4, 1} {
			if err := reg(u, "b2"); err != nil {
				return err
			}
		}
		if _, err := tx.JoinWaitingList(store.Seats{Batch: store.Batch{ID: "b2", Capacity: 0, Open: true, Start: time.Now().AddDate(1, 0, 0)}}, store.Participant{UserID: 5, ChatID: 5, Batch: "b2"}, time.Now()); err != nil {
			return err
		}
		if _, err := tx.CancelRegistration(store.Seats{Batch: store.Batch{ID: "b1", Capacity: 10}}, 6, annAt); err != nil {
			return err
		}
		for u := int64(1); u <= 7; u++ {
			if err := tx.PutConversation(store.Conversation{UserID: u, ChatID: u, State: "idle"}); err != nil {
				return err
			}
		}
		return nil
	})
}

func recipients(tb testing.TB, db *store.DB, a store.Audience) []int64 {
	tb.Helper()
	var out []int64
	err := db.View(func(tx *store.Tx) error {
		rs, err := tx.Recipients(a)
		for _, r := range rs {
			if r.ChatID != r.UserID {
				return fmt.Errorf("recipient %d: chat %d", r.UserID, r.ChatID)
			}
			out = append(out, r.UserID)
		}
		return err
	})
	if err != nil {
		tb.Fatalf("Recipients(%s): %v", a, err)
	}
	return out
}

// draft creates an announcement of organiser with message 77 and the
// audience, ready to send.
func draft(tb testing.TB, db *store.DB, aud store.Audience) store.Announcement {
	tb.Helper()
	var a store.Announcement
	mustUpdate(tb, db, func(tx *store.Tx) error {
		var err error
		if a, err = tx.NewAnnouncement(organiser, organiser, "id", annAt); err != nil {
			return err
		}
		if _, ok, err := tx.CaptureAnnouncement(organiser, organiser, 77, "text"); err != nil || !ok {
			return fmt.Errorf("capture: %v %v", ok, err)
		}
		a, err = tx.SetAudience(a.ID, aud)
		return err
	})
	return a
}

func send(tb testing.TB, db *store.DB, id uint64) (store.Announcement, bool, error) {
	tb.Helper()
	var (
		a       store.Announcement
		already bool
	)
	err := db.Update(func(tx *store.Tx) error {
		var err error
		a, already, err = tx.SendAnnouncement(id, annAt)
		return err
	})
	return a, already, err
}

func report(tb testing.TB, db *store.DB, id uint64) store.AnnouncementReport {
	tb.Helper()
	var r store.AnnouncementReport
	err := db.View(func(tx *store.Tx) error {
		var err error
		r, err = tx.AnnouncementReport(id)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// Ensure that each audience reaches the right people, each once.
func TestTx_Recipients(t *testing.T) {
	db := mustOpen(t)
	seedAudience(t, db)
	for _, c := range []struct {
		aud  store.Audience
		want []int64
	}{
		{store.AudienceAll, []int64{1, 2, 3, 4}},
		{store.AudienceBatch("b1"), []int64{1, 2, 3}},
		{store.AudienceBatch("b2"), []int64{1, 4}},
		{store.AudienceBatch("b3"), nil},
		{store.AudienceWaiting, []int64{5}},
		{store.AudienceEveryone, []int64{1, 2, 3, 4, 5, 6, 7}},
		{store.AudienceCourse(store.Course{ID: "c", Batches: []store.Batch{{ID: "b2"}, {ID: "b3"}}}), []int64{1, 4}},
		{store.AudienceCourse(store.Course{ID: "c", Batches: []store.Batch{{ID: "b1"}, {ID: "b2"}}}), []int64{1, 2, 3, 4}},
		{store.AudienceCourseWaiting(store.Course{ID: "c", Batches: []store.Batch{{ID: "b2"}}}), []int64{5}},
		{store.AudienceCourseWaiting(store.Course{ID: "c", Batches: []store.Batch{{ID: "b1"}}}), nil},
		{store.AudienceCourse(store.Course{ID: "empty"}), nil},
	} {
		if got := recipients(t, db, c.aud); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: recipients %v, want %v", c.aud, got, c.want)
		}
	}
	if err := db.View(func(tx *store.Tx) error { _, err := tx.Recipients("nobody"); return err }); err == nil {
		t.Error("an unknown audience is accepted")
	}
	if b, ok := store.AudienceBatch("angkatan-2").Batch(); !ok || b != "angkatan-2" {
		t.Errorf("AudienceBatch(angkatan-2).Batch() = %q, %v", b, ok)
	}
	if _, ok := store.AudienceAll.Batch(); ok {
		t.Error("AudienceAll is a batch audience")
	}
}

// Ensure that a draft waits for the organiser's next message, takes it
// once, and that a new /umumkan drops a draft still waiting.
func TestTx_CaptureAnnouncement(t *testing.T) {
	db := mustOpen(t)
	var first, second store.Announcement
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, ok, err := tx.CaptureAnnouncement(organiser, organiser, 5, "text"); ok || err != nil {
			return fmt.Errorf("capture without a draft: %v, %v", ok, err)
		}
		var err error
		if first, err = tx.NewAnnouncement(organiser, organiser, "id", annAt); err != nil {
			return err
		}
		if second, err = tx.NewAnnouncement(organiser, organiser, "id", annAt); err != nil {
			return err
		}
		a, ok, err := tx.CaptureAnnouncement(organiser, organiser, 6, "photo")
		if err != nil || !ok || a.ID != second.ID || a.MessageID != 6 || a.Content != "photo" || a.Status != store.AnnouncementDraft {
			return fmt.Errorf("capture: %+v, %v, %v", a, ok, err)
		}
		if _, ok, err := tx.CaptureAnnouncement(organiser, organiser, 7, "text"); ok || err != nil {
			return fmt.Errorf("second capture: %v, %v", ok, err)
		}
		if s, err := tx.OrganiserState(organiser); err != nil || s.Awaiting != 0 {
			return fmt.Errorf("state after capture: %+v, %v", s, err)
		}
		old, err := tx.Announcement(first.ID)
		if err != nil || old.Status != store.AnnouncementCancelled {
			return fmt.Errorf("the first draft: %+v, %v", old, err)
		}
		return nil
	})
	if first.ID == 0 || second.ID <= first.ID {
		t.Errorf("ids %d, %d: want increasing from 1", first.ID, second.ID)
	}
}

// Ensure that Send puts one entry per recipient into the outbox with the
// announcement's key and data, once, however often it is called, also
// after the database is reopened.
func TestTx_SendAnnouncement(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	seedAudience(t, db)
	a := draft(t, db, store.AudienceAll)

	got, already, err := send(t, db, a.ID)
	if err != nil || already || got.Status != store.AnnouncementSent || got.Recipients != 4 || !got.SentAt.Equal(annAt) {
		t.Fatalf("SendAnnouncement = %+v, %v, %v", got, already, err)
	}
	err = db.View(func(tx *store.Tx) error {
		for _, u := range []int64{1, 2, 3, 4} {
			e, err := tx.OutboxByKey(store.AnnouncementKey(a.ID, u))
			if err != nil {
				return fmt.Errorf("user %d: %w", u, err)
			}
			want := map[string]string{"announcement": fmt.Sprint(a.ID), "from_chat": fmt.Sprint(organiser), "message_id": "77"}
			if e.Kind != store.KindAnnouncement || e.ChatID != u || e.UserID != u || !reflect.DeepEqual(e.Data, want) {
				return fmt.Errorf("entry of user %d: %+v", u, e)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	if _, already, err := send(t, db, a.ID); err != nil || !already {
		t.Errorf("second send: already %v, err %v", already, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, already, err := send(t, db2, a.ID); err != nil || !already {
		t.Errorf("send after reopening: already %v, err %v", already, err)
	}
	counts, err := db2.OutboxCounts()
	if err != nil || counts[store.OutboxQueued] != 4 {
		t.Errorf("outbox %v, %v: want 4 queued", counts, err)
	}
	if r := report(t, db2, a.ID); r.Total != 4 || r.Queued != 4 || r.Finished() {
		t.Errorf("report %+v, want 4 queued", r)
	}
}

// Ensure that a draft that cannot go out says why and changes nothing.
func TestTx_SendAnnouncement_Refused(t *testing.T) {
	db := mustOpen(t)
	seedAudience(t, db)

	t.Run("NoRecipients", func(t *testing.T) {
		a := draft(t, db, store.AudienceBatch("b3"))
		if _, _, err := send(t, db, a.ID); !errors.Is(err, store.ErrNoRecipients) {
			t.Errorf("err %v, want ErrNoRecipients", err)
		}
	})
	t.Run("NoMessage", func(t *testing.T) {
		var a store.Announcement
		mustUpdate(t, db, func(tx *store.Tx) error {
			var err error
			a, err = tx.NewAnnouncement(organiser, organiser, "id", annAt)
			return err
		})
		if _, _, err := send(t, db, a.ID); !errors.Is(err, store.ErrAnnouncementNotReady) {
			t.Errorf("err %v, want ErrAnnouncementNotReady", err)
		}
		err := db.Update(func(tx *store.Tx) error { _, err := tx.SetAudience(a.ID, store.AudienceAll); return err })
		if !errors.Is(err, store.ErrAnnouncementNotReady) {
			t.Errorf("SetAudience before the message: %v", err)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		a := draft(t, db, store.AudienceAll)
		mustUpdate(t, db, func(tx *store.Tx) error { _, err := tx.CancelAnnouncement(a.ID); return err })
		mustUpdate(t, db, func(tx *store.Tx) error { _, err := tx.CancelAnnouncement(a.ID); return err })
		if _, _, err := send(t, db, a.ID); !errors.Is(err, store.ErrAnnouncementCancelled) {
			t.Errorf("err %v, want ErrAnnouncementCancelled", err)
		}
	})
	t.Run("CancelAfterSend", func(t *testing.T) {
		a := draft(t, db, store.AudienceWaiting)
		if _, _, err := send(t, db, a.ID); err != nil {
			t.Fatal(err)
		}
		err := db.Update(func(tx *store.Tx) error { _, err := tx.CancelAnnouncement(a.ID); return err })
		if !errors.Is(err, store.ErrAnnouncementSent) {
			t.Errorf("cancel after send: %v", err)
		}
		err = db.Update(func(tx *store.Tx) error { _, err := tx.SetAudience(a.ID, store.AudienceAll); return err })
		if !errors.Is(err, store.ErrAnnouncementSent) {
			t.Errorf("audience after send: %v", err)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		if _, _, err := send(t, db, 999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("err %v, want ErrNotFound", err)
		}
	})
	counts, err := db.OutboxCounts()
	if err != nil || counts[store.OutboxQueued] != 1 {
		t.Errorf("outbox %v, %v: want only the waiting list's entry", counts, err)
	}
}

// Ensure that the report counts the outcome of each copy and groups the
// reasons of failures, and that an announcement leaves Unreported once
// reported.
func TestTx_AnnouncementReport(t *testing.T) {
	db := mustOpen(t)
	seedAudience(t, db)
	a := draft(t, db, store.AudienceEveryone) // 7 recipients
	if _, _, err := send(t, db, a.ID); err != nil {
		t.Fatal(err)
	}
	other := draft(t, db, store.AudienceAll) // must not be counted with a
	if _, _, err := send(t, db, other.ID); err != nil {
		t.Fatal(err)
	}
	ids := map[int64]uint64{}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 7; u++ {
			e, err := tx.OutboxByKey(store.AnnouncementKey(a.ID, u))
			if err != nil {
				return err
			}
			ids[u] = e.ID
		}
		return nil
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.MarkSent(ids[1], 10, annAt))
	must(db.MarkSent(ids[2], 11, annAt))
	must(db.MarkUndeliverable(ids[3], "Forbidden: bot was blocked by the user", annAt))
	must(db.MarkFailed(ids[4], "Bad Request: chat not found"))
	must(db.MarkFailed(ids[5], "Bad Request: chat not found"))
	must(db.MarkSkipped(ids[6], "gone"))

	want := store.AnnouncementReport{Total: 7, Sent: 2, Undeliverable: 1, Failed: 2, Skipped: 1, Queued: 1,
		Reasons: map[string]int{"Bad Request: chat not found": 2}}
	if got := report(t, db, a.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("report\n got %+v\nwant %+v", got, want)
	}
	if got := report(t, db, a.ID); got.Finished() || got.Done() != 6 {
		t.Errorf("Finished %v, Done %d: want false, 6", got.Finished(), got.Done())
	}

	unreported, err := db.Unreported()
	if err != nil || len(unreported) != 2 {
		t.Fatalf("Unreported = %d, %v; want both", len(unreported), err)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if err := tx.SetProgressMessage(a.ID, 42); err != nil {
			return err
		}
		return tx.MarkReported(a.ID, annAt)
	})
	unreported, err = db.Unreported()
	if err != nil || len(unreported) != 1 || unreported[0].ID != other.ID {
		t.Errorf("Unreported after the report = %+v, %v", unreported, err)
	}
	err = db.View(func(tx *store.Tx) error {
		got, err := tx.Announcement(a.ID)
		if err == nil && (got.ProgressID != 42 || !got.ReportedAt.Equal(annAt)) {
			err = fmt.Errorf("announcement %+v", got)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

// Ensure that RecentAnnouncements lists sent announcements only, newest
// first, up to the limit.
func TestTx_RecentAnnouncements(t *testing.T) {
	db := mustOpen(t)
	seedAudience(t, db)
	var sent []uint64
	for i := 0; i < 4; i++ {
		a := draft(t, db, store.AudienceAll)
		if i == 2 {
			continue // stays a draft
		}
		if _, _, err := send(t, db, a.ID); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, a.ID)
	}
	var got []uint64
	err := db.View(func(tx *store.Tx) error {
		as, err := tx.RecentAnnouncements(2)
		for _, a := range as {
			got = append(got, a.ID)
		}
		return err
	})
	if want := []uint64{sent[2], sent[1]}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("RecentAnnouncements(2) = %v, %v; want %v", got, err, want)
	}
}

// Ensure that the reasons of failed copies come the most frequent first,
// ties by name.
func TestAnnouncementReport_ReasonsByCount(t *testing.T) {
	r := store.AnnouncementReport{Reasons: map[string]int{"b": 1, "a": 1, "c": 3}}
	if got := r.ReasonsByCount(); !slices.Equal(got, []string{"c", "a", "b"}) {
		t.Errorf("ReasonsByCount = %q, want [c a b]", got)
	}
}
