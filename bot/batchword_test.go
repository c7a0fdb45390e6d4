package bot_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/bot"
)

// Ensure that a course's batch_word replaces the generic word for a
// batch in what people and organisers read: /start when nothing is open,
// the batch choice, the summary, the consent text, the organisers'
// choices; and that English uses it too.
func TestBot_BatchWord(t *testing.T) {
	e := newEnv(t)
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID} }
	e.course.BatchWord = "Gelombang"
	e.course.Batches[1].Open = false
	e.start()
	u := siti.user

	none := last(t, e.text(u, "/start"))
	if !strings.Contains(none.Text, "belum ada gelombang yang membuka pendaftaran. Pengumuman gelombang berikutnya") || strings.Contains(none.Text, "angkatan") {
		t.Errorf("/start with nothing open: %q", none.Text)
	}
	if got := last(t, e.text(u, "/status")); strings.Contains(strings.ToLower(got.Text), "angkatan") {
		t.Errorf("/status: %q", got.Text)
	}
	for _, cmd := range []string{"/peserta", "/absen", "/buka", "/tutup"} {
		got := last(t, e.text(rina, cmd))
		if !strings.Contains(got.Text, "gelombang mana?") {
			t.Errorf("%s: %q", cmd, got.Text)
		}
	}
	if got := last(t, e.text(rina, "/peserta angkatan-9")); !strings.Contains(got.Text, "Gelombang angkatan-9 tidak dikenal") {
		t.Errorf("/peserta of an unknown batch: %q", got.Text)
	}

	open := newEnv(t)
	open.course.BatchWord = "Gelombang"
	open.start()
	open.act(u, says("/start", "Selamat datang"))
	consent := texts(open.act(u, presses("Daftar", "Persetujuan penggunaan data pribadi")))
	if text := strings.Join(consent, "\n"); !strings.Contains(text, "setelah gelombang Anda selesai") {
		t.Errorf("consent: %q", text)
	}
}
