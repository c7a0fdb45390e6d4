package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that /peserta lists a batch by seat, ten to a page, turns pages in
// the same message, and shows a participant's answers on a tap.
func TestOrganiser_Participants(t *testing.T) {
	e := orgEnv(t, false)
	reg := e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 23)
	odd := e.orgSeed("angkatan-2", store.StatusRegistered, 3001, 1)[0]
	e.orgSeed("angkatan-2", store.StatusWaiting, 2001, 2)
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := tx.Participant("angkatan-2", odd.id)
		if err != nil {
			return err
		}
		p.Answers["name"] = `Siti "Ani" <b>&</b>, Ajung`
		_, err = tx.UpdateAnswers(store.Seats{Batch: store.Batch{ID: "angkatan-2"}}, odd.id, p.Answers, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	choose := last(t, e.text(rina, "/peserta"))
	if !strings.Contains(choose.Text, "angkatan mana") || !slices.Equal(labels(choose), []string{"Angkatan 1 (0)", "Angkatan 2 (26)"}) {
		t.Fatalf("batch choice %q %q", choose.Text, labels(choose))
	}
	page1 := lastEdit(t, e.press(rina, "Angkatan 2 (26)"))
	for _, want := range []string{"Angkatan 2: 24/16 kursi terisi, 2 menunggu, 0 batal — halaman 1/3", "1. Peserta 001 · " + reg[0].phone + " · terdaftar", "10. Peserta 010"} {
		if !strings.Contains(page1.Text, want) {
			t.Errorf("page 1 lacks %q:\n%s", want, page1.Text)
		}
	}
	if strings.Contains(page1.Text, "Peserta 011") {
		t.Errorf("page 1 shows an 11th participant:\n%s", page1.Text)
	}
	page2 := lastEdit(t, e.press(rina, "▶"))
	if page2.MessageID != choose.MessageID || !strings.Contains(page2.Text, "11. Peserta 011") || !strings.Contains(page2.Text, "halaman 2/3") {
		t.Errorf("page 2 (message %d, list %d):\n%s", page2.MessageID, choose.MessageID, page2.Text)
	}
	page3 := lastEdit(t, e.press(rina, "▶"))
	for _, want := range []string{`24. Siti "Ani" <b>&</b>, Ajung`, "T1. Peserta 001 · +6281200002001 · menunggu", "T2. Peserta 002"} {
		if !strings.Contains(page3.Text, want) {
			t.Errorf("page 3 lacks %q:\n%s", want, page3.Text)
		}
	}
	if got := lastEdit(t, e.press(rina, "◀")); !strings.Contains(got.Text, "halaman 2/3") {
		t.Errorf("◀ went to:\n%s", got.Text)
	}

	detail := last(t, e.press(rina, "12. Peserta 012"))
	for _, want := range []string{"Peserta 012", "Angkatan 2 · 12. · terdaftar", "Kehadiran: 0 dari 7 hari", ": 3509015708900001", reg[11].phone, "Pengalaman menjahit: Pemula", "Tanggal lahir", ": –"} {
		if !strings.Contains(detail.Text, want) {
			t.Errorf("details lack %q:\n%s", want, detail.Text)
		}
	}

	if got := last(t, e.text(rina, "/peserta angkatan-9")); !strings.Contains(got.Text, "tidak dikenal") || !strings.Contains(got.Text, "angkatan-2") {
		t.Errorf("unknown batch: %q", got.Text)
	}
	if got := last(t, e.text(rina, "/participants Angkatan 1")); !strings.Contains(got.Text, "Belum ada pendaftar di Angkatan 1") {
		t.Errorf("empty batch: %q", got.Text)
	}
	e.assertIdle()
}
