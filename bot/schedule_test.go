package bot_test

import (
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
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
