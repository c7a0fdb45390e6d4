package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that an organiser can announce to a selection batch's applicants
// (who hold no seat before the results, so the batch's own audience
// misses them): /umumkan offers "<batch> — pelamar (n)" for a selection
// batch only, the copies reach every applicant once and nobody else, and
// a forged applicants token for a batch the config does not have is
// refused; in both languages.
func TestAnnounce_Applicants(t *testing.T) {
	for _, w := range admissionWords {
		t.Run(w.lang, func(t *testing.T) { testAnnounceApplicants(t, w) })
	}
}

func testAnnounceApplicants(t *testing.T, w words) {
	e := newEnv(t)
	admin := rina
	label, named := "Angkatan 2 — pelamar (%d)", "pelamar Angkatan 2"
	if w.lang == "en" {
		admin = ann
		label, named = "Angkatan 2 — applicants (%d)", "the applicants of Angkatan 2"
	}
	e.course.Batches[1].Capacity = 3
	e.course.Batches[1].Admission = store.Admission{Selection: true, ConfirmWindow: 48 * time.Hour}
	e.opt = func(o *bot.Options) { o.Admins = []int64{admin.ID}; o.SendRate = 30 }
	e.start()
	ps := admissionPeople(w, 901)[:4]
	for _, p := range ps {
		if ms := e.apply(p, w); !said(ms, w.applied) {
			t.Fatalf("%s applying got %q", p.name, texts(ms))
		}
	}
	// One withdraws: no longer among the applicants.
	if err := e.db.Update(func(tx *store.Tx) error {
		_, err := tx.CancelRegistration(store.Seats{Batch: e.course.Batches[1]}, ps[3].user.ID, fixedNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e.text(admin, map[string]string{"id": "/umumkan", "en": "/announce"}[w.lang])
	choice := last(t, e.text(admin, "Tes tertulis hari Senin pukul 09.00"))
	want := fmt.Sprintf(label, 3)
	if !slices.Contains(labels(choice), want) {
		t.Fatalf("audience buttons %q lack %q", labels(choice), want)
	}
	if slices.ContainsFunc(labels(choice), func(l string) bool { return strings.HasPrefix(l, "Angkatan 1 —") }) {
		t.Errorf("a first-come batch offered its applicants: %q", labels(choice))
	}
	// A forged token: a batch no course has.
	data := buttonData(t, choice, want)
	forged := strings.Replace(data, "p_angkatan-2", "p_angkatan-9", 1)
	if forged == data {
		t.Fatalf("the applicants button's data %q has no p_angkatan-2", data)
	}
	stale := map[string]string{"id": "Tombol ini sudah tidak berlaku.", "en": "This button is no longer valid."}[w.lang]
	if got, _ := toast(e.forge(admin, choice.MessageID, forged)); got != stale {
		t.Errorf("a forged applicants audience: toast %q, want %q", got, stale)
	}
	ms := e.press(admin, want)
	prompt := last(t, ms)
	if !strings.Contains(prompt.Text, named) {
		t.Errorf("prompt %q does not name %q", prompt.Text, named)
	}
	e.press(admin, w.send)
	e.waitReported(1, 20*time.Second)
	got := e.annCopies()
	for _, p := range ps[:3] {
		if n := len(got[p.user.ID]); n != 1 {
			t.Errorf("%s got %d copies, want 1", p.name, n)
		}
	}
	if len(got) != 3 {
		t.Errorf("copies went to %d chats, want the 3 applicants", len(got))
	}
}
