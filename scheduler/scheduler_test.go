package scheduler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/daftar-bot/daftar/store"
)

const (
	evening = "0 19 * * *"
	morning = "0 6 * * *"
)

// mustOpen opens a new database in a temporary directory, closed at the
// end of the test.
func mustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "daftar.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// mustRegister gives userID a seat in b, registered at the given time.
func mustRegister(tb testing.TB, db *store.DB, b store.Batch, userID int64, at time.Time) {
	tb.Helper()
	err := db.Update(func(tx *store.Tx) error {
		_, err := tx.ConfirmSeat(store.Participant{
			UserID: userID, ChatID: userID + 1000, Batch: b.ID,
			Answers: map[string]string{"name": "Siti Aminah", "phone": "+6281234567890"},
			Lang:    "id", ConsentAt: at, RegisteredAt: at,
		}, b.Capacity)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func mustSetLastTick(tb testing.TB, db *store.DB, at time.Time) {
	tb.Helper()
	if err := db.Update(func(tx *store.Tx) error { return tx.SetLastTick(at) }); err != nil {
		tb.Fatal(err)
	}
}

func lastTick(tb testing.TB, db *store.DB) time.Time {
	tb.Helper()
	var t time.Time
	if err := db.View(func(tx *store.Tx) error { t = tx.LastTick(); return nil }); err != nil {
		tb.Fatal(err)
	}
	return t
}

func key(batch string, day int, kind string, userID int64) string {
	return fmt.Sprintf("reminder/%s/%d/%s/%d", batch, day, kind, userID)
}

// enqueued returns the names ("angkatan-1/2/evening") of the reminders of
// rs that are in the outbox for userID.
func enqueued(tb testing.TB, db *store.DB, rs []store.Reminder, userID int64) []string {
	tb.Helper()
	var out []string
	err := db.View(func(tx *store.Tx) error {
		for _, r := range rs {
			_, err := tx.OutboxByKey(key(r.Batch, r.Day, string(r.Slot), userID))
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, reminderName(r))
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func queued(tb testing.TB, db *store.DB) int {
	tb.Helper()
	counts, err := db.OutboxCounts()
	if err != nil {
		tb.Fatal(err)
	}
	return counts[store.OutboxQueued]
}

// Ensure that Tick enqueues one entry per seated participant and due
// reminder in one transaction, records the tick, and never enqueues a key
// twice.
func TestScheduler_Tick(t *testing.T) {
	jakarta := mustLoad(t, "Asia/Jakarta")
	wib := func(day, hour, min int) time.Time { return time.Date(2025, 10, day, hour, min, 0, 0, jakarta) }
	b := batch(jakarta)
	later := b
	later.ID, later.Start = "angkatan-2", time.Date(2025, 11, 10, 0, 0, 0, 0, jakarta)
	c := course(jakarta, b, later)
	all, err := Timeline(b, evening, morning)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("enqueues, records the tick, wakes the dispatcher", func(t *testing.T) {
		db := mustOpen(t)
		mustRegister(t, db, b, 1, wib(1, 9, 0))
		mustRegister(t, db, b, 2, wib(2, 9, 0))
		var woken atomic.Int32
		s := New(db, one(c), Options{Evening: evening, Morning: morning, OnEnqueue: func() { woken.Add(1) }})
		now := wib(19, 19, 0)

		n, err := s.Tick(now)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || woken.Load() != 1 {
			t.Fatalf("enqueued %d, OnEnqueue called %d times; want 2, 1", n, woken.Load())
		}
		if got := lastTick(t, db); !got.Equal(now) {
			t.Fatalf("LastTick = %s, want %s", got, now)
		}
		var e store.OutboxEntry
		if err := db.View(func(tx *store.Tx) error {
			var err error
			e, err = tx.OutboxByKey("reminder/angkatan-1/1/evening/2")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if e.Kind != store.KindReminder || e.ChatID != 1002 || e.UserID != 2 || e.Status != store.OutboxQueued ||
			!e.CreatedAt.Equal(now) || !e.NotBefore.IsZero() ||
			fmt.Sprint(e.Data) != "map[batch:angkatan-1 day:1 slot:evening]" {
			t.Fatalf("entry = %+v", e)
		}

		// The same now again: nothing new, nobody woken.
		if n, err := s.Tick(now); err != nil || n != 0 {
			t.Fatalf("second tick: %d, %v; want 0, nil", n, err)
		}
		// An overlapping window: the store keeps one entry per key.
		mustSetLastTick(t, db, wib(19, 18, 0))
		if n, err := s.Tick(now.Add(time.Minute)); err != nil || n != 0 {
			t.Fatalf("overlapping tick: %d, %v; want 0, nil", n, err)
		}
		if got := queued(t, db); got != 2 || woken.Load() != 1 {
			t.Fatalf("%d entries queued, OnEnqueue called %d times; want 2, 1", got, woken.Load())
		}
	})

	t.Run("a whole course: everyone gets what came due while seated", func(t *testing.T) {
		db := mustOpen(t)
		mustRegister(t, db, b, 1, wib(1, 9, 0))
		mustRegister(t, db, later, 4, wib(1, 9, 0)) // another batch only
		s := New(db, one(c), Options{Evening: evening, Morning: morning})
		total, joined := 0, false
		for _, r := range all {
			if !joined && r.At.After(wib(21, 12, 0)) {
				mustRegister(t, db, b, 3, wib(21, 12, 0)) // joins on Tuesday noon
				joined = true
			}
			n, err := s.Tick(r.At)
			if err != nil {
				t.Fatal(err)
			}
			total += n
		}
		if got := len(enqueued(t, db, all, 1)); got != 14 {
			t.Errorf("user 1 has %d reminders, want 14", got)
		}
		got := enqueued(t, db, all, 3)
		if len(got) != 10 || got[0] != "angkatan-1/3/evening" {
			t.Errorf("user 3, seated on day 2, has %v; want the 10 from the evening before day 3", got)
		}
		if got := enqueued(t, db, all, 4); len(got) != 0 {
			t.Errorf("user 4, seated in another batch, has %v", got)
		}
		if total != 24 || queued(t, db) != 24 {
			t.Errorf("enqueued %d, %d queued; want 24", total, queued(t, db))
		}
	})

	t.Run("waiting and cancelled participants get none", func(t *testing.T) {
		t.Skip("store has no API yet to write a waiting or cancelled participant; RegisteredIn filters on StatusRegistered")
	})

	t.Run("missed reminders are logged without personal data", func(t *testing.T) {
		db := mustOpen(t)
		mustRegister(t, db, b, 1, wib(1, 9, 0))
		mustSetLastTick(t, db, wib(20, 18, 0))
		var buf bytes.Buffer
		s := New(db, one(c), Options{Evening: evening, Morning: morning, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
		n, err := s.Tick(wib(21, 7, 0))
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("enqueued %d, want 1 (the evening reminder for day 2)", n)
		}
		log := buf.String()
		if !strings.Contains(log, "count=1 reminders=angkatan-1/2/morning") {
			t.Errorf("log does not name the missed reminder:\n%s", log)
		}
		for _, secret := range []string{"Siti", "+62812", "1001"} {
			if strings.Contains(log, secret) {
				t.Errorf("log contains %q:\n%s", secret, log)
			}
		}
	})

	t.Run("a bad spec changes nothing", func(t *testing.T) {
		db := mustOpen(t)
		mustRegister(t, db, b, 1, wib(1, 9, 0))
		s := New(db, one(c), Options{Evening: "0 25 * * *", Morning: morning})
		if _, err := s.Tick(wib(19, 19, 0)); err == nil {
			t.Fatal("no error")
		}
		if got := lastTick(t, db); !got.IsZero() {
			t.Fatalf("LastTick = %s after a failed tick", got)
		}
	})
}

// Ensure that Run catches up at start, then ticks when the specs fire and
// writes the nightly backup, in the course time zone, until ctx is done.
func TestScheduler_Run(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jakarta := mustLoad(t, "Asia/Jakarta")
		wib := func(day, hour, min int) time.Time { return time.Date(2025, 10, day, hour, min, 0, 0, jakarta) }
		// The bubble's clock starts at midnight UTC, 1 January 2000: shift it
		// by whole days to Monday 20 October 2025, 07:00 WIB, so cron (which
		// reads time.Now) fires at the same times of day as the scheduler's
		// clock says.
		start := time.Now()
		if start.UTC().Hour() != 0 || start.UTC().Minute() != 0 {
			t.Fatalf("the bubble starts at %s, not at midnight UTC", start)
		}
		offset := time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC).Sub(start)
		now := func() time.Time { return time.Now().Add(offset).In(jakarta) }
		if got := now(); !got.Equal(wib(20, 7, 0)) {
			t.Fatalf("now = %s", got)
		}

		db := mustOpen(t)
		b := batch(jakarta)
		all, err := Timeline(b, evening, morning)
		if err != nil {
			t.Fatal(err)
		}
		mustRegister(t, db, b, 1, wib(1, 9, 0))
		mustRegister(t, db, b, 2, wib(2, 9, 0))
		mustSetLastTick(t, db, wib(19, 18, 0)) // down since Sunday 18:00
		backups := filepath.Join(t.TempDir(), "backups")
		var woken atomic.Int32
		s := New(db, one(course(jakarta, b)), Options{
			Evening: evening, Morning: morning, BackupDir: backups,
			Now: now, OnEnqueue: func() { woken.Add(1) },
		})

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- s.Run(ctx) }()

		// Catch-up at 07:00: the evening reminder for day 1 is still
		// useful, the morning one is not.
		synctest.Wait()
		if got := strings.Join(enqueued(t, db, all, 2), " "); got != "angkatan-1/1/evening" {
			t.Fatalf("after the catch-up user 2 has %q", got)
		}
		if got := woken.Load(); got != 1 {
			t.Fatalf("OnEnqueue called %d times, want 1", got)
		}

		time.Sleep(12 * time.Hour) // 19:00
		synctest.Wait()
		if got := strings.Join(enqueued(t, db, all, 2), " "); got != "angkatan-1/1/evening angkatan-1/2/evening" {
			t.Fatalf("after 19:00 user 2 has %q", got)
		}

		time.Sleep(11 * time.Hour) // Tuesday 06:00, past the 02:30 backup
		synctest.Wait()
		if got := len(enqueued(t, db, all, 1)); got != 3 || queued(t, db) != 6 || woken.Load() != 3 {
			t.Fatalf("at 06:00 user 1 has %d reminders, %d queued, OnEnqueue %d times; want 3, 6, 3", got, queued(t, db), woken.Load())
		}
		if got := lastTick(t, db); !got.Equal(wib(21, 6, 0)) {
			t.Fatalf("LastTick = %s", got)
		}
		backup, err := store.Open(filepath.Join(backups, "daftar-20251021-023000.db"), store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("nightly backup: %v", err)
		}
		backup.Close()

		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run = %v", err)
		}
	})

	t.Run("a bad spec", func(t *testing.T) {
		s := New(mustOpen(t), one(course(time.UTC)), Options{Evening: evening, Morning: "TZ=UTC 0 6 * * *"})
		if err := s.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "morning") {
			t.Fatalf("Run = %v, want a morning spec error", err)
		}
	})
}

// Ensure that Run fires on Options.Now, not on the machine's clock: a
// clock set hours ahead (daftar demo -now) gets the evening reminder at its
// own 19:00.
func TestScheduler_RunOnItsClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jakarta := mustLoad(t, "Asia/Jakarta")
		// The bubble starts at midnight UTC (07:00 WIB); this clock says
		// 18:58 WIB the evening before the first session, in 2025.
		offset := time.Date(2025, 10, 19, 18, 58, 0, 0, jakarta).Sub(time.Now())
		now := func() time.Time { return time.Now().Add(offset).In(jakarta) }
		db := mustOpen(t)
		b := batch(jakarta)
		mustRegister(t, db, b, 1, now())
		mustSetLastTick(t, db, now())
		var woken atomic.Int32
		s := New(db, one(course(jakarta, b)), Options{
			Evening: evening, Morning: morning, Now: now, OnEnqueue: func() { woken.Add(1) },
		})
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		time.Sleep(3 * time.Minute) // to 19:01 on the scheduler's clock
		synctest.Wait()
		if woken.Load() == 0 {
			t.Error("no reminder enqueued at 19:00 on the scheduler's clock")
		}
		err := db.View(func(tx *store.Tx) error {
			_, err := tx.OutboxByKey(store.ReminderKey(store.ReminderPayload{Batch: b.ID, Day: 1, Slot: store.Evening}, 1))
			return err
		})
		if err != nil {
			t.Errorf("the evening reminder of day 1: %v", err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// Ensure that each course's reminders follow its own specs where it has
// them ([courses.reminders]) and the bot-wide ones otherwise, and that a
// tick enqueues those of every course.
func TestScheduler_TickCourses(t *testing.T) {
	jakarta := mustLoad(t, "Asia/Jakarta")
	wib := func(day, hour, min int) time.Time { return time.Date(2025, 10, day, hour, min, 0, 0, jakarta) }
	sewing := course(jakarta, batch(jakarta))
	sewing.ID = "menjahit"
	weld := batch(jakarta)
	weld.ID = "las-1"
	welding := course(jakarta, weld)
	welding.ID, welding.EveningBefore = "las", "0 18 * * *"
	db := mustOpen(t)
	mustRegister(t, db, sewing.Batches[0], 1, wib(1, 9, 0))
	mustRegister(t, db, weld, 2, wib(1, 9, 0))
	s := New(db, store.Catalog{Courses: []store.Course{sewing, welding}}, Options{Evening: evening, Morning: morning})

	if n, err := s.Tick(wib(19, 18, 0)); err != nil || n != 1 {
		t.Fatalf("tick at 18:00: %d, %v; want the welding reminder only", n, err)
	}
	if err := db.View(func(tx *store.Tx) error {
		_, err := tx.OutboxByKey("reminder/las-1/1/evening/2")
		return err
	}); err != nil {
		t.Fatalf("welding's evening reminder at its own 18:00: %v", err)
	}
	if n, err := s.Tick(wib(19, 19, 0)); err != nil || n != 1 {
		t.Fatalf("tick at 19:00: %d, %v; want the sewing reminder only", n, err)
	}
	if err := db.View(func(tx *store.Tx) error {
		_, err := tx.OutboxByKey("reminder/angkatan-1/1/evening/1")
		return err
	}); err != nil {
		t.Fatalf("sewing's evening reminder at the bot-wide 19:00: %v", err)
	}
}
