package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// selDeskEnv is a bot whose Angkatan 2 admits by selection, 2 seats, and
// five applicants in lang (ids 951-955, names of admissionPeople), each
// applied through the store; decide, when not nil, runs before the bot
// starts with the batch's Seats.
func selDeskEnv(t *testing.T, lang string, decide func(tx *store.Tx, seats store.Seats) error) *env {
	t.Helper()
	e := newEnv(t)
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID, ann.ID}; o.SendRate = 30 }
	e.course.Batches[1].Capacity = 2
	e.course.Batches[1].Admission = store.Admission{Selection: true, ConfirmWindow: 48 * time.Hour,
		ResultsBy: time.Date(2027, 1, 20, 0, 0, 0, 0, jakarta)}
	seats := store.Seats{Batch: e.course.Batches[1], Claim: 24 * time.Hour, Intake: e.course.Intake()}
	admUpdate(t, e.db, func(tx *store.Tx) error {
		for i, name := range []string{"Ana Lestari", "Budi Santoso", "Citra Dewi", "Dewi Sartika", "Eka Putri"} {
			id := int64(951 + i)
			if err := tx.PutConversation(store.Conversation{UserID: id, ChatID: id, Lang: lang, State: "done"}); err != nil {
				return err
			}
			p := store.Participant{UserID: id, ChatID: id, Lang: lang, RegisteredAt: fixedNow.Add(time.Duration(i) * time.Minute),
				Answers: map[string]string{"name": name, "phone": "+6281200000" + string(rune('1'+i)), "nik": personNIK(id), "experience": "Pemula"}}
			if _, err := tx.Apply(seats, p, fixedNow); err != nil {
				return err
			}
		}
		if decide != nil {
			return decide(tx, seats)
		}
		return nil
	})
	e.start()
	return e
}

// Ensure that Batalkan works on a selection's places after the results:
// the seat held for a selected person goes to the first reserve as an
// offer, a reserve leaves the list with nobody's rank skipped; each is
// told (with the reason typed), each cancellation logged; and that
// Pindahkan is not offered for these places and a forged press says why.
func TestStaff_CancelSelection(t *testing.T) {
	e := selDeskEnv(t, "id", func(tx *store.Tx, seats store.Seats) error {
		for _, d := range []struct {
			u  int64
			st store.Status
		}{{951, store.StatusSelected}, {952, store.StatusSelected}, {953, store.StatusReserve}, {954, store.StatusReserve}, {955, store.StatusReserve}} {
			if err := tx.Decide(seats, d.u, d.st, fixedNow); err != nil {
				return err
			}
		}
		_, _, err := tx.SendResults(seats, fixedNow)
		return err
	})
	// A selected person: only Batalkan, and a word why not Pindahkan.
	detail := e.openDetail(rina, "angkatan-2", "– Ana Lestari")
	if got := labels(detail); !slices.Equal(got, []string{"Batalkan", "Kembali"}) {
		t.Fatalf("a selected person's buttons %q", got)
	}
	if !strings.Contains(detail.Text, "Pindahkan hanya untuk peserta yang memegang kursi") {
		t.Errorf("detail does not say why there is no Pindahkan:\n%s", detail.Text)
	}
	forged := strings.Replace(buttonData(t, detail, "Batalkan"), ":dc:", ":dm:", 1)
	if got := lastEdit(t, e.forge(rina, detail.MessageID, forged)); !strings.Contains(got.Text, "Ana Lestari belum memegangnya") {
		t.Errorf("a forged Pindahkan of a selected person answered %q", got.Text)
	}
	if p := e.status(951, "angkatan-2"); p.Status != store.StatusSelected {
		t.Fatalf("after the forged move: %+v", p)
	}
	detail = e.openDetail(rina, "angkatan-2", "– Ana Lestari")
	if ask := lastEdit(t, e.press(rina, "Batalkan")); !strings.Contains(ask.Text, "Ketik alasannya") {
		t.Fatalf("reason question %q", ask.Text)
	}
	seq := e.srv.LastSeq()
	done := last(t, e.text(rina, "Sudah diterima bekerja"))
	for _, want := range []string{"Ana Lestari", "dibatalkan", "diberi tahu", "ditawarkan ke 1 orang"} {
		if !strings.Contains(done.Text, want) {
			t.Errorf("answer lacks %q:\n%s", want, done.Text)
		}
	}
	told := e.waitFor(seq, 951, "dibatalkan oleh penyelenggara")
	if !strings.Contains(told.Text, "Alasan: Sudah diterima bekerja") {
		t.Errorf("notice %q lacks the reason", told.Text)
	}
	e.waitFor(seq, 953, "Ada kursi kosong di Angkatan 2") // the first reserve
	if p := e.status(951, "angkatan-2"); p.Status != store.StatusCancelled {
		t.Errorf("the selected person after Batalkan: %+v", p)
	}
	ana := telegramtest.User{ID: 951, FirstName: "Ana", LanguageCode: "id"}
	e.waitFor(0, ana.ID, "lolos seleksi")
	if got := texts(e.press(ana, "Saya ikut")); slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "Pendaftaran berhasil") }) {
		t.Errorf("the cancelled selected person confirmed: %q", got)
	}

	// The second reserve: Lewati; the third becomes the second.
	e.openDetail(rina, "angkatan-2", "C2. Dewi Sartika")
	e.press(rina, "Batalkan")
	seq = e.srv.LastSeq()
	done = lastEdit(t, e.press(rina, "Lewati"))
	if !strings.Contains(done.Text, "Dewi Sartika") || !strings.Contains(done.Text, "dibatalkan") || strings.Contains(done.Text, "ditawarkan") {
		t.Errorf("cancelling a reserve answered %q", done.Text)
	}
	if told := e.waitFor(seq, 954, "dibatalkan oleh penyelenggara"); strings.Contains(told.Text, "Alasan") {
		t.Errorf("notice %q has a reason", told.Text)
	}
	err := e.db.View(func(tx *store.Tx) error {
		for u, want := range map[int64]int{953: 1, 955: 2, 954: 0} {
			if r, err := tx.ReserveRank("angkatan-2", u); err != nil || r != want {
				t.Errorf("user %d is reserve %d (%v), want %d", u, r, err, want)
			}
		}
		for u, want := range map[int64]int{952: 1, 953: 2, 955: 3} {
			if pos, err := tx.WaitingPosition("angkatan-2", u); err != nil || pos != want {
				t.Errorf("user %d waits at %d (%v), want %d", u, pos, err, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := last(t, e.text(rina, "/peserta angkatan-2")); !strings.Contains(got.Text, "C2. Eka Putri") {
		t.Errorf("the list after the reserve left:\n%s", got.Text)
	}
	var logged []int64
	for _, a := range e.auditLog() {
		if a.Action == store.AuditStaffCancelled && a.By == rina.ID {
			logged = append(logged, a.Subject)
		}
	}
	slices.Sort(logged)
	if !slices.Equal(logged, []int64{951, 954}) {
		t.Errorf("cancellations logged for %v, want 951, 954", logged)
	}
	e.assertIdle()
}

// Ensure in English that Cancel registration withdraws an application
// before the results: the applicant is told in their language, the
// application leaves the selection, and Move is not offered.
func TestStaff_CancelApplication_English(t *testing.T) {
	e := selDeskEnv(t, "en", func(tx *store.Tx, seats store.Seats) error {
		return tx.Decide(seats, 952, store.StatusSelected, fixedNow)
	})
	detail := e.openDetail(ann, "angkatan-2", "– Budi Santoso")
	if got := labels(detail); !slices.Equal(got, []string{"Cancel registration", "Back"}) {
		t.Fatalf("an applicant's buttons %q", got)
	}
	if !strings.Contains(detail.Text, "Move is only for participants holding a seat") {
		t.Errorf("detail does not say why there is no Move:\n%s", detail.Text)
	}
	e.press(ann, "Cancel registration")
	seq := e.srv.LastSeq()
	done := lastEdit(t, e.press(ann, "Skip"))
	if !strings.Contains(done.Text, "Budi Santoso") || !strings.Contains(done.Text, "is cancelled") || !strings.Contains(done.Text, "has been told") {
		t.Errorf("answer %q", done.Text)
	}
	e.waitFor(seq, 952, "cancelled by the organisers")
	if p := e.status(952, "angkatan-2"); p.Status != store.StatusCancelled {
		t.Errorf("the applicant after Cancel registration: %+v", p)
	}
	err := e.db.View(func(tx *store.Tx) error {
		as, err := tx.Applicants("angkatan-2")
		if n := store.CountDecisions(as); err != nil || n != (store.SelectionCounts{Applied: 4, Undecided: 4}) {
			t.Errorf("the selection after the withdrawal: %+v, %v", n, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ms := e.text(ann, "/select angkatan-2"); said(ms, "Budi Santoso") || !said(ms, "Ana Lestari") || !said(ms, "of 4") {
		t.Errorf("/select after the withdrawal: %q", texts(ms))
	}
	found := false
	for _, a := range e.auditLog() {
		found = found || a.Action == store.AuditStaffCancelled && a.Subject == 952 && a.By == ann.ID && a.Detail == ""
	}
	if !found {
		t.Errorf("no audit entry of the withdrawal: %+v", e.auditLog())
	}
	e.assertIdle()
}
