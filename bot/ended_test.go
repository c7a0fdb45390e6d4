package bot_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that /start no longer lists a batch after its last day, not even
// the person's own seat in it ("Anda sudah terdaftar di …"), while
// /status still shows what they held there (issue 11, point 6).
func TestBot_StartOmitsEndedSeat(t *testing.T) {
	e := newEnv(t)
	// Angkatan 1 ended a week ago: inside the retention period.
	e.course.Batches[0].Start = fixedNow.AddDate(0, 0, -14)
	e.start()
	u := siti.user
	err := e.db.Update(func(tx *store.Tx) error {
		p := store.Participant{UserID: u.ID, ChatID: u.ID, Batch: "angkatan-1", Lang: "id",
			Answers: map[string]string{"name": siti.name}, RegisteredAt: e.course.Batches[0].Start.AddDate(0, 0, -7)}
		_, err := tx.ConfirmSeat(p, 16)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	welcome := last(t, e.text(u, "/start"))
	if strings.Contains(welcome.Text, "Angkatan 1") {
		t.Errorf("welcome %q lists Angkatan 1, which has ended", welcome.Text)
	}
	status := last(t, e.text(u, "/status"))
	if !strings.Contains(status.Text, "Angkatan 1") {
		t.Errorf("/status %q does not show the seat held in Angkatan 1", status.Text)
	}
}
