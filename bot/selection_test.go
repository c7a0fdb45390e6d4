package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// words are what a person and an organiser see and press in one language
// through admission's flows.
type words struct {
	lang, experience                                            string
	welcome, register, agree, question1, summary, confirm       string
	applied, cmdSelect, cmdResults, btnSelected, btnReserve     string
	btnNotSelected, full, saved, preview, send, done, sentEarly string
	resultSelected, reserve1, reserve2, attend, notAttend       string
	registered, declined, offer, accept, expired                string
	coming, notComing, ask, thanks, cancelledSeat, flag, logSel string
	statusApplied, cancelReg, edit, editPick, cancelForm        string
	amendCancelled, tagSelection, seatsLeft                     string
}

var admissionWords = []words{{
	lang: "id", experience: "Pemula",
	welcome: "Selamat datang", register: "Daftar", agree: "Setuju", question1: "Pertanyaan 1 dari 6", summary: "Periksa kembali data Anda", confirm: "Konfirmasi",
	applied: "Lamaran Anda untuk Angkatan 2", cmdSelect: "/seleksi", cmdResults: "/hasil",
	btnSelected: "Lolos", btnReserve: "Cadangan", btnNotSelected: "Tidak lolos",
	full: "Kursi sudah penuh", saved: "Tersimpan", preview: "Lolos: 3 dari 3 kursi", send: "Kirim",
	done: "3 lolos, 2 cadangan, 0 tidak lolos", sentEarly: "sudah dikirim",
	resultSelected: "lolos seleksi", reserve1: "cadangan urutan ke-1", reserve2: "cadangan urutan ke-2",
	attend: "Saya ikut", notAttend: "Tidak jadi", registered: "Pendaftaran berhasil", declined: "kami berikan ke cadangan",
	offer: "Ada kursi kosong di Angkatan 2", accept: "Terima", expired: "Waktu konfirmasi kursi",
	coming: "Saya hadir", notComing: "Tidak jadi", ask: "Apakah Anda masih akan hadir?", thanks: "Sampai jumpa",
	cancelledSeat: "sudah dibatalkan", flag: "belum konfirmasi hadir", logSel: "seleksi:",
	statusApplied: "lamaran sedang diseleksi, hasil paling lambat Rabu, 20 Jan 2027", cancelReg: "Batalkan pendaftaran",
	edit: "Ubah", editPick: "Data mana yang ingin diubah?", cancelForm: "/batal",
	amendCancelled: "Perubahan dibatalkan", tagSelection: "seleksi · 3 kursi", seatsLeft: "sisa 3",
}, {
	lang: "en", experience: "Beginner",
	welcome: "Welcome", register: "Register", agree: "I agree", question1: "Question 1 of 6", summary: "Please check your details", confirm: "Confirm",
	applied: "We have received your application for Angkatan 2", cmdSelect: "/select", cmdResults: "/results",
	btnSelected: "Selected", btnReserve: "Reserve", btnNotSelected: "Not selected",
	full: "The seats are full", saved: "Saved", preview: "Selected: 3 of 3 seats", send: "Send",
	done: "3 selected, 2 reserve, 0 not selected", sentEarly: "were sent",
	resultSelected: "You were selected", reserve1: "reserve number 1", reserve2: "reserve number 2",
	attend: "I will attend", notAttend: "I can't come", registered: "You are registered", declined: "goes to a reserve",
	offer: "A seat has come free in Angkatan 2", accept: "Accept", expired: "The time to confirm your seat",
	coming: "I will come", notComing: "I can't come", ask: "Will you still come?", thanks: "See you",
	cancelledSeat: "is cancelled", flag: "has not confirmed", logSel: "selection:",
	statusApplied: "application under selection, results by Wednesday, 20 Jan 2027", cancelReg: "Cancel registration",
	edit: "Edit", editPick: "Which answer do you want to change?", cancelForm: "/cancel",
	amendCancelled: "Changes discarded", tagSelection: "by selection · 3 seats", seatsLeft: "3 seats left",
}}

// apply takes p through the form in w's language and presses Konfirmasi.
func (e *env) apply(p person, w words) []telegramtest.Message {
	e.t.Helper()
	e.script(p.user, []action{
		says("/start", w.welcome),
		presses(w.register, ""),
		presses(w.agree, w.question1),
		says(p.name, ""),
		sharesContact(p.phone, ""),
		says(p.nik, ""),
		says(p.birth, ""),
		says(p.address, ""),
		presses(w.experience, w.summary),
	})
	return e.press(p.user, w.confirm)
}

// admissionPeople are five people who speak w's language.
func admissionPeople(w words, first int64) []person {
	var ps []person
	for i, name := range []string{"Ana Lestari", "Budi Santoso", "Citra Dewi", "Dewi Sartika", "Eka Putri"} {
		p := newPerson(first+int64(i), name)
		p.user.LanguageCode, p.experience = w.lang, w.experience
		ps = append(ps, p)
	}
	return ps
}

// Ensure that on a batch with admission = "selection" Konfirmasi applies,
// organisers decide with /seleksi (no more selected than seats, reserves
// ranked by decision, changeable until the results), /hasil sends every
// applicant their result once, the selected confirm with Saya ikut or
// give the seat up with Tidak jadi, and a seat given up or left
// unconfirmed goes to the first reserve as an offer; in both languages,
// with every press checked.
func TestBot_Selection(t *testing.T) {
	for _, w := range admissionWords {
		t.Run(w.lang, func(t *testing.T) { testSelection(t, w) })
	}
}

func testSelection(t *testing.T, w words) {
	e := newEnv(t)
	admin := rina
	if w.lang == "en" {
		admin = ann
	}
	e.course.Batches[1].Capacity = 3
	e.course.Batches[1].Admission = store.Admission{Selection: true, ConfirmWindow: 48 * time.Hour,
		ResultsBy: time.Date(2027, 1, 20, 0, 0, 0, 0, jakarta)}
	clk := newClock(fixedNow)
	e.opt = func(o *bot.Options) { o.Now = clk.now; o.Admins = []int64{admin.ID}; o.ClaimWindow = 24 * time.Hour }
	e.start()
	// The organiser of a selection batch has /seleksi and /hasil in the menu.
	listed := func() bool {
		for sc, cmds := range e.srv.Commands() {
			for _, c := range cmds {
				if sc.ChatID == admin.ID && sc.LanguageCode == w.lang && "/"+c.Command == w.cmdResults {
					return true
				}
			}
		}
		return false
	}
	e.orgWaitFor("the menu with "+w.cmdResults, wait, listed)
	// The welcome says the batch admits by selection, not how many seats
	// are left: an application takes none.
	visitor := newPerson(799, "Vina")
	visitor.user.LanguageCode = w.lang
	if ms := e.text(visitor.user, "/start"); !said(ms, w.tagSelection) || said(ms, w.seatsLeft) {
		t.Errorf("/start with a selection batch of 3 seats: %q", texts(ms))
	}
	ps := admissionPeople(w, 801)
	for _, p := range ps {
		ms := e.apply(p, w)
		if !said(ms, w.applied) || !said(ms, "2027") {
			t.Fatalf("%s applying got %q", p.name, texts(ms))
		}
		if st := e.status(p.user.ID, "angkatan-2").Status; st != store.StatusApplied {
			t.Fatalf("%s is %q after applying", p.name, st)
		}
	}
	if ms := e.text(ps[0].user, "/status"); !said(ms, w.statusApplied) || !labelled(ms, w.cancelReg) {
		t.Errorf("/status of an applicant: %q", texts(ms))
	}
	// Until the results an application's answers can change.
	e.text(ps[0].user, "/status")
	e.act(ps[0].user, presses(w.edit, w.editPick))
	e.act(ps[0].user, says(w.cancelForm, w.amendCancelled))

	// Only organisers select: anyone else's /seleksi is an unknown
	// command, their forged presses stale.
	unknown := texts(e.text(ps[0].user, "/tidak_ada"))
	if got := texts(e.text(ps[0].user, w.cmdSelect+" angkatan-2")); fmt.Sprint(got) != fmt.Sprint(unknown) {
		t.Errorf("an applicant's %s got %q, want %q", w.cmdSelect, got, unknown)
	}
	own := sends(e.srv.SentTo(ps[0].user.ID))
	for _, data := range []string{fmt.Sprintf("%d:ls:angkatan-2_0", ps[0].user.ID), "0:hk:angkatan-2", "0:lp:angkatan-2"} {
		if msg, _ := toast(e.forge(ps[0].user, own[len(own)-1].MessageID, data)); msg == "" {
			t.Errorf("an applicant pressing %q: no stale toast", data)
		}
	}

	ms := e.text(admin, w.cmdSelect)
	if !said(ms, "1 / 5") && !said(ms, "1 dari 5") && !said(ms, "1 of 5") || !said(ms, ps[0].name) {
		t.Fatalf("/seleksi: %q", texts(ms))
	}
	decide := func(label, wantToast string, next person) {
		t.Helper()
		seq := e.srv.LastSeq()
		e.mustPress(admin, label)
		// The answer and the edit go after the transaction commits.
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		answer, err := e.srv.WaitSent(ctx, seq, func(m telegramtest.Message) bool {
			return m.ChatID == admin.ID && m.Method == "answerCallbackQuery"
		})
		if err != nil || !strings.Contains(answer.Text, wantToast) {
			t.Fatalf("pressing %s: toast %q (%v), want %q", label, answer.Text, err, wantToast)
		}
		e.orgWaitFor("the next applicant", wait, func() bool { return strings.Contains(e.current(admin.ID), next.name) })
	}
	decide(w.btnSelected, w.saved, ps[1])
	decide(w.btnSelected, w.saved, ps[2])
	decide(w.btnSelected, w.saved, ps[3])
	decide(w.btnSelected, w.full, ps[3]) // three seats
	decide(w.btnReserve, w.saved, ps[4])
	decide(w.btnReserve, w.saved, ps[4]) // the last: stays
	decide("◀", "", ps[3])
	decide(w.btnNotSelected, w.saved, ps[4])
	decide("◀", "", ps[3])
	decide(w.btnReserve, w.saved, ps[4]) // Dewi is a reserve again, after Eka now

	e.text(admin, w.cmdResults)
	if cur := e.current(admin.ID); !strings.Contains(cur, w.preview) {
		t.Fatalf("/hasil preview %q, want %q", cur, w.preview)
	}
	seq := e.srv.LastSeq()
	e.mustPress(admin, w.send)
	edits := []telegramtest.Message{e.waitFor(seq, admin.ID, w.done)}
	results := map[int]string{0: w.resultSelected, 1: w.resultSelected, 2: w.resultSelected, 3: w.reserve2, 4: w.reserve1}
	for i, want := range results {
		e.waitFor(seq, ps[i].user.ID, want)
	}
	// Kirim again, and /seleksi, change nothing.
	seq = e.srv.LastSeq()
	e.forge(admin, edits[0].MessageID, "0:hk:angkatan-2")
	e.waitFor(seq, admin.ID, w.sentEarly)
	if ms := e.text(admin, w.cmdSelect+" angkatan-2"); !said(ms, w.sentEarly) {
		t.Errorf("/seleksi after the results: %q", texts(ms))
	}
	for i := range ps {
		if n := countSent(e.srv, ps[i].user.ID, results[i]); n != 1 {
			t.Errorf("%s got %d results", ps[i].name, n)
		}
	}

	// Ana comes; Budi cannot: the seat goes to Eka, the first reserve.
	ms = e.press(ps[0].user, w.attend)
	if !said(ms, w.registered) {
		t.Fatalf("Saya ikut: %q", texts(ms))
	}
	if p := e.status(ps[0].user.ID, "angkatan-2"); p.Status != store.StatusRegistered || p.Seat != 1 {
		t.Fatalf("Ana after Saya ikut: %+v", p)
	}
	seq = e.srv.LastSeq()
	if ms := e.press(ps[1].user, w.notAttend); !said(ms, w.declined) {
		t.Fatalf("Tidak jadi: %q", texts(ms))
	}
	e.waitFor(seq, ps[4].user.ID, w.offer)
	if ms := e.press(ps[4].user, w.accept); !said(ms, w.registered) {
		t.Fatalf("Eka accepting: %q", texts(ms))
	}
	// Citra never answers: after 48 hours her seat goes to Dewi.
	seq = e.srv.LastSeq()
	clk.add(49 * time.Hour)
	e.bot.ExpireOffers()
	e.waitFor(seq, ps[2].user.ID, w.expired)
	e.waitFor(seq, ps[3].user.ID, w.offer)
	if ms := e.press(ps[2].user, w.attend); said(ms, w.registered) {
		t.Errorf("Citra confirming too late: %q", texts(ms))
	}
	want := map[int64]store.Status{ps[0].user.ID: store.StatusRegistered, ps[1].user.ID: store.StatusCancelled,
		ps[2].user.ID: store.StatusCancelled, ps[3].user.ID: store.StatusReserve, ps[4].user.ID: store.StatusRegistered}
	for id, st := range want {
		if got := e.status(id, "angkatan-2").Status; got != st {
			t.Errorf("user %d is %q, want %q", id, got, st)
		}
	}
	if ms := e.text(admin, "/log"); !said(ms, w.logSel) || !said(ms, "→ "+w.btnReserve+"\n") || !said(ms, "selected=3 reserve=2") {
		t.Errorf("/log: %q", texts(ms))
	}
	e.assertIdle()
}

// current is the text of the last message the bot sent chat, as it is
// now (after edits).
func (e *env) current(chat int64) string {
	e.t.Helper()
	own := sends(e.srv.SentTo(chat))
	if len(own) == 0 {
		return ""
	}
	m, _ := e.srv.Current(chat, own[len(own)-1].MessageID)
	return m.Text
}

// Ensure that confirm_days_before days before a first-come batch starts
// each seat holder is asked whether they still come: Saya hadir keeps
// the seat, Tidak jadi frees it for the waiting list at once, silence
// keeps it flagged in /peserta (or, with unconfirmed = "release", gives
// it up); in both languages.
func TestBot_StillComing(t *testing.T) {
	for _, w := range admissionWords {
		for _, release := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/release=%v", w.lang, release), func(t *testing.T) { testStillComing(t, w, release) })
		}
	}
}

func testStillComing(t *testing.T, w words, release bool) {
	e := newEnv(t)
	admin := rina
	if w.lang == "en" {
		admin = ann
	}
	bt := &e.course.Batches[1]
	bt.Capacity = 3
	bt.Admission = store.Admission{AskDaysBefore: 3, ConfirmWindow: 24 * time.Hour, Release: release}
	clk := newClock(fixedNow)
	e.opt = func(o *bot.Options) { o.Now = clk.now; o.Admins = []int64{admin.ID}; o.ClaimWindow = 24 * time.Hour }
	e.start()
	ps := admissionPeople(w, 821)
	for _, p := range ps[:4] {
		e.apply(p, w) // three seats, then the waiting list
	}
	e.press(ps[3].user, map[string]string{"id": "Masuk daftar tunggu", "en": "Join waiting list"}[w.lang])
	if st := e.status(ps[3].user.ID, "angkatan-2").Status; st != store.StatusWaiting {
		t.Fatalf("Dewi is %q, want waiting", st)
	}

	// The scheduler's work (scheduler.TestScheduler_StillComing): ask at
	// 08:00 three days before the start.
	ask, _ := bt.AskAt()
	clk.set(ask)
	seq := e.srv.LastSeq()
	admUpdate(t, e.db, func(tx *store.Tx) error { _, err := tx.AskStillComing(*bt, clk.now()); return err })
	e.bot.Notify()
	var asked []telegramtest.Message
	for _, p := range ps[:3] {
		asked = append(asked, e.waitFor(seq, p.user.ID, w.ask))
	}
	again := buttonData(t, asked[1], w.coming)
	if countSent(e.srv, ps[3].user.ID, w.ask) != 0 {
		t.Errorf("the waiting list was asked")
	}
	if ms := e.press(ps[0].user, w.coming); !said(ms, w.thanks) {
		t.Fatalf("Saya hadir: %q", texts(ms))
	}
	seq = e.srv.LastSeq()
	if ms := e.press(ps[1].user, w.notComing); !said(ms, w.cancelledSeat) {
		t.Fatalf("Tidak jadi: %q", texts(ms))
	}
	e.waitFor(seq, ps[3].user.ID, w.offer) // at once
	if st := e.status(ps[1].user.ID, "angkatan-2").Status; st != store.StatusCancelled {
		t.Errorf("Budi is %q after Tidak jadi", st)
	}
	// A second press of the old question is stale.
	if got, _ := toast(e.forge(ps[1].user, asked[1].MessageID, again)); got == "" {
		t.Errorf("Saya hadir after Tidak jadi: no toast")
	}

	// Citra says nothing.
	clk.add(25 * time.Hour)
	seats := store.Seats{Batch: *bt, Claim: 24 * time.Hour, Batches: e.course.Batches}
	admUpdate(t, e.db, func(tx *store.Tx) error { _, _, err := tx.ExpireStillComing(seats, clk.now()); return err })
	e.bot.Notify()
	list := strings.Join(texts(e.text(admin, "/peserta angkatan-2")), "\n")
	citra := e.status(ps[2].user.ID, "angkatan-2")
	if release {
		if citra.Status != store.StatusCancelled || strings.Contains(list, w.flag) {
			t.Errorf("released: Citra is %q; list %q", citra.Status, list)
		}
	} else {
		if citra.Status != store.StatusRegistered || !strings.Contains(list, w.flag) || strings.Count(list, w.flag) != 1 {
			t.Errorf("kept: Citra is %q; list %q, want her flagged alone", citra.Status, list)
		}
		// Saying it late still counts and clears the flag.
		if ms := e.press(ps[2].user, w.coming); !said(ms, w.thanks) {
			t.Errorf("Saya hadir late: %q", texts(ms))
		}
		if list := strings.Join(texts(e.text(admin, "/peserta angkatan-2")), "\n"); strings.Contains(list, w.flag) {
			t.Errorf("still flagged after answering: %q", list)
		}
	}
	e.assertIdle()
}

// admUpdate runs fn in a transaction of db, failing the test on an error.
func admUpdate(tb testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	tb.Helper()
	if err := db.Update(fn); err != nil {
		tb.Fatal(err)
	}
}
