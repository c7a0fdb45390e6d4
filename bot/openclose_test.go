package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that /tutup and /buka, after confirmation, close and open a
// batch over the config for a participant's /start, and that /log shows
// who did it.
func TestOrganiser_OpenClose(t *testing.T) {
	e := orgEnv(t, false)
	start := func() telegramtest.Message {
		t.Helper()
		return last(t, e.text(siti.user, "/start"))
	}
	if w := start(); !slices.Contains(labels(w), "Daftar") {
		t.Fatalf("Angkatan 2 is not open at first: %q %q", w.Text, labels(w))
	}

	ask := last(t, e.text(rina, "/tutup angkatan-2"))
	if !strings.Contains(ask.Text, "Tutup pendaftaran Angkatan 2? Sekarang: dibuka.") || !slices.Equal(labels(ask), []string{"Ya, tutup", "Batal"}) {
		t.Fatalf("confirmation %q %q", ask.Text, labels(ask))
	}
	if w := start(); !slices.Contains(labels(w), "Daftar") {
		t.Fatal("closed before the confirmation")
	}
	if got := lastEdit(t, e.press(rina, "Ya, tutup")); !strings.Contains(got.Text, "Pendaftaran Angkatan 2 ditutup") {
		t.Errorf("after Ya, tutup: %q", got.Text)
	}
	if w := start(); slices.Contains(labels(w), "Daftar") || !strings.Contains(w.Text, "belum ada angkatan yang membuka pendaftaran") {
		t.Errorf("/start after closing: %q %q", w.Text, labels(w))
	}

	// A restart keeps the override.
	e.restart()
	if w := start(); slices.Contains(labels(w), "Daftar") {
		t.Errorf("/start after a restart: %q %q", w.Text, labels(w))
	}

	pick := last(t, e.text(rina, "/buka"))
	if !slices.Equal(labels(pick), []string{"Angkatan 1 · selesai", "Angkatan 2 · ditutup"}) {
		t.Fatalf("batch choice %q", labels(pick))
	}
	if got := lastEdit(t, e.press(rina, "Angkatan 2 · ditutup")); !strings.Contains(got.Text, "Buka pendaftaran Angkatan 2? Sekarang: ditutup.") {
		t.Fatalf("confirmation %q", got.Text)
	}
	e.press(rina, "Ya, buka")
	if w := start(); !slices.Contains(labels(w), "Daftar") {
		t.Errorf("/start after opening: %q %q", w.Text, labels(w))
	}

	// Opening what is open, and Batal, change nothing.
	e.text(rina, "/open angkatan-2")
	if got := lastEdit(t, e.press(rina, "Ya, buka")); !strings.Contains(got.Text, "dibuka") {
		t.Errorf("opening again: %q", got.Text)
	}
	e.text(rina, "/tutup Angkatan 2")
	if got := lastEdit(t, e.press(rina, "Batal")); got.Text != "Dibatalkan." {
		t.Errorf("Batal: %q", got.Text)
	}
	if w := start(); !slices.Contains(labels(w), "Daftar") {
		t.Error("Batal closed the batch")
	}

	es := e.auditLog()
	if len(es) != 2 || es[0].Action != store.AuditBatchOpened || es[1].Action != store.AuditBatchClosed ||
		es[0].By != rina.ID || es[0].Batch != "angkatan-2" || !es[0].At.Equal(fixedNow) {
		t.Errorf("audit log %+v", es)
	}
	log := last(t, e.text(rina, "/log"))
	for _, want := range []string{"Catatan tindakan panitia", "28-11 10:00 · Rina (#910001): membuka pendaftaran Angkatan 2", "menutup pendaftaran Angkatan 2"} {
		if !strings.Contains(log.Text, want) {
			t.Errorf("/log lacks %q:\n%s", want, log.Text)
		}
	}
	if strings.Index(log.Text, "membuka") > strings.Index(log.Text, "menutup") {
		t.Errorf("/log is not newest first:\n%s", log.Text)
	}
	e.assertIdle()
}

// Ensure that a batch is finished after its last day: /start no longer
// lists it, a running one is "sudah berjalan", the organisers' picker
// says "selesai", and /buka of it is refused with the reason.
func TestOrganiser_OpenEnded(t *testing.T) {
	e := orgEnv(t, true)
	w := last(t, e.text(siti.user, "/start"))
	if strings.Contains(w.Text, "Angkatan 1") || !strings.Contains(w.Text, "Angkatan 3: 25 Nov – 1 Des 2026, pukul 08:00–15:00 — sudah berjalan") {
		t.Errorf("/start: %q", w.Text)
	}
	pick := last(t, e.text(rina, "/buka"))
	if !slices.Equal(labels(pick), []string{"Angkatan 1 · selesai", "Angkatan 2 · dibuka", "Angkatan 3 · ditutup"}) {
		t.Fatalf("batch choice %q", labels(pick))
	}
	got := lastEdit(t, e.press(rina, "Angkatan 1 · selesai"))
	if !strings.Contains(got.Text, "Angkatan 1 sudah selesai (hari terakhirnya Minggu, 26 Okt 2025), jadi pendaftarannya tidak bisa dibuka lagi.") || len(labels(got)) != 0 {
		t.Fatalf("opening a finished batch from the picker: %q %q", got.Text, labels(got))
	}
	if got := last(t, e.text(rina, "/buka angkatan-1")); !strings.Contains(got.Text, "sudah selesai") || len(labels(got)) != 0 {
		t.Fatalf("/buka angkatan-1: %q %q", got.Text, labels(got))
	}
	if got := last(t, e.text(rina, "/tutup angkatan-1")); !strings.Contains(got.Text, "Sekarang: selesai.") {
		t.Errorf("/tutup angkatan-1: %q", got.Text)
	}
	if es := e.auditLog(); len(es) != 0 {
		t.Errorf("audit log %+v, want nothing done", es)
	}
}
