package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that /jadwal shows an organiser the next reminders per batch with
// their recipients and the outbox backlog, and that for anyone else it
// does not exist.
func TestBot_Schedule(t *testing.T) {
	e := newEnv(t)
	organiser := newPerson(9001, "Panitia Dedi")
	e.opt = func(o *bot.Options) {
		o.Admins = []int64{organiser.user.ID}
		o.Upcoming = func(now time.Time) []store.Reminder {
			b := e.course.Batches[1]
			return []store.Reminder{
				{Batch: b.ID, Day: 1, Slot: store.Evening, At: b.Start.Add(-5 * time.Hour)},
				{Batch: b.ID, Day: 1, Slot: store.Morning, At: b.Start.Add(6 * time.Hour)},
			}
		}
	}
	e.start()
	e.register(newPerson(9101, "Peserta Satu"))
	e.register(newPerson(9102, "Peserta Dua"))

	ms := e.text(organiser.user, "/jadwal")
	for _, want := range []string{"Angkatan 2", "Minggu, 31 Jan 2027 19:00", "malam sebelumnya", "hari 1/7, 2 penerima", "pagi hari", "0 menunggu"} {
		if !said(ms, want) {
			t.Errorf("/jadwal lacks %q: %q", want, texts(ms))
		}
	}
	stranger := newPerson(9201, "Orang Lain")
	if ms := e.text(stranger.user, "/jadwal"); !said(ms, "Perintah itu tidak dikenal") || said(ms, "penerima") {
		t.Errorf("/jadwal for a participant: %q", texts(ms))
	}
}

// Ensure that /jadwal shows a course's organiser the backlog of their
// course only, and telegram.admins the whole bot's.
func TestBot_ScheduleBacklogPerCourse(t *testing.T) {
	e := coursesEnv(t)
	later := fixedNow.AddDate(1, 0, 0) // queued, not due: nothing sends them
	err := e.db.Update(func(tx *store.Tx) error {
		for i, batch := range []string{"angkatan-2", "angkatan-2", "angkatan-2", "las-1"} {
			_, err := tx.Enqueue(store.OutboxEntry{
				Key: fmt.Sprintf("test/%d", i), Kind: store.KindReminder, ChatID: int64(100 + i), UserID: int64(100 + i),
				Data: map[string]string{"batch": batch, "day": "1", "slot": "morning"}, NotBefore: later, CreatedAt: fixedNow,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who  telegramtest.User
		want string
	}{{joko, "3 menunggu"}, {lala, "1 menunggu"}, {rina, "4 menunggu"}} {
		if ms := e.text(tc.who, "/jadwal"); !said(ms, tc.want) {
			t.Errorf("/jadwal for %s: %q, want %q", tc.who.FirstName, texts(ms), tc.want)
		}
	}
}
