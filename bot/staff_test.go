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

// laterBatch is a third batch of the test course, open, for moves.
var laterBatch = store.Batch{
	ID: "angkatan-4", Name: "Angkatan 4", Start: time.Date(2027, 4, 5, 0, 0, 0, 0, jakarta),
	Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: true,
}

// deskEnv is orgEnv with laterBatch, and Angkatan 2 holding two seated
// people (1001, 1002, small capacity 2) and one waiting (2001).
func deskEnv(t *testing.T) (*env, []seeded, seeded) {
	t.Helper()
	e := newEnv(t)
	e.opt = func(o *bot.Options) {
		o.Admins = []int64{rina.ID, dewi.ID, ann.ID}
		o.SendRate = 30
	}
	e.course.Batches[1].Capacity = 2
	e.course.Batches = append(e.course.Batches, laterBatch)
	e.start()
	seated := e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 2)
	waiting := e.orgSeed("angkatan-2", store.StatusWaiting, 2001, 1)[0]
	return e, seated, waiting
}

// openDetail shows organiser u the detail screen of the participant
// labelled label in the list of batch.
func (e *env) openDetail(u telegramtest.User, batch, label string) telegramtest.Message {
	e.t.Helper()
	e.text(u, "/peserta "+batch)
	return last(e.t, e.press(u, label))
}

// Ensure that Batalkan on the detail screen cancels on the person's
// behalf with the reason the organiser typed, tells the person with it,
// offers the seat to the first person waiting and logs it; and that of
// two organisers on one person, the second is told and changes nothing.
func TestStaff_Cancel(t *testing.T) {
	e, seated, waiting := deskEnv(t)
	detail := e.openDetail(rina, "angkatan-2", "1. Peserta 001")
	if got := labels(detail); !slices.Equal(got, []string{"Batalkan", "Pindahkan", "Kembali"}) {
		t.Fatalf("detail buttons %q", got)
	}
	dewiDetail := e.openDetail(dewi, "angkatan-2", "1. Peserta 001")
	ask := lastEdit(t, e.press(rina, "Batalkan"))
	if !strings.Contains(ask.Text, "Ketik alasannya") || !slices.Equal(labels(ask), []string{"Lewati", "Kembali"}) {
		t.Fatalf("reason question %q %q", ask.Text, labels(ask))
	}
	e.step(dewi.ID, func() int64 {
		id, err := e.srv.PressButtonIn(dewi, dewiDetail.MessageID, "Batalkan")
		if err != nil {
			t.Fatal(err)
		}
		return id
	})
	seq := e.srv.LastSeq()
	done := last(t, e.text(rina, "Sudah bilang tidak jadi ikut lewat WhatsApp"))
	for _, want := range []string{"Peserta 001", "dibatalkan", "diberi tahu", "ditawarkan ke 1 orang"} {
		if !strings.Contains(done.Text, want) {
			t.Errorf("answer lacks %q:\n%s", want, done.Text)
		}
	}
	told := e.waitFor(seq, seated[0].id, "dibatalkan oleh penyelenggara")
	if !strings.Contains(told.Text, "Alasan: Sudah bilang tidak jadi ikut lewat WhatsApp") {
		t.Errorf("notice %q lacks the reason", told.Text)
	}
	e.waitFor(seq, waiting.id, "Angkatan 2")
	if p := e.status(seated[0].id, "angkatan-2"); p.Status != store.StatusCancelled {
		t.Errorf("after Batalkan: %+v", p)
	}
	// Dewi was asked too, on the same registration as it was then.
	if late := e.press(dewi, "Lewati"); !shown(late, "sudah diubah") {
		t.Errorf("second organiser told %q", texts(late))
	}
	if n := countSent(e.srv, seated[0].id, "dibatalkan oleh penyelenggara"); n != 1 {
		t.Errorf("person told %d times", n)
	}
	found := false
	for _, a := range e.auditLog() {
		if a.Action == store.AuditStaffCancelled && a.Subject == seated[0].id && a.By == rina.ID && a.Detail == "reason" {
			found = true
		}
		if strings.Contains(a.Detail, "WhatsApp") {
			t.Errorf("the reason is in the audit log: %+v", a)
		}
	}
	if !found {
		t.Errorf("no audit entry of the cancellation: %+v", e.auditLog())
	}
	if got := last(t, e.text(rina, "/log")); !strings.Contains(got.Text, "membatalkan pendaftaran Peserta 001 di Angkatan 2") {
		t.Errorf("/log:\n%s", got.Text)
	}
	// Kembali goes back to the detail, now without the actions, and
	// from there to the list's page.
	back := lastEdit(t, e.press(rina, "Kembali"))
	if !strings.Contains(back.Text, "Angkatan 2 · – · batal") || !slices.Equal(labels(back), []string{"Kembali"}) {
		t.Errorf("Kembali showed %q %q", back.Text, labels(back))
	}
	list := lastEdit(t, e.press(rina, "Kembali"))
	if !strings.Contains(list.Text, "Angkatan 2: 1/2 kursi terisi, 1 menunggu, 1 batal") {
		t.Errorf("Kembali showed %q", list.Text)
	}
	e.assertIdle()
}

// Ensure the cancellation in English: the buttons, Skip, the person told
// in their language without a reason.
func TestStaff_Cancel_English(t *testing.T) {
	e, seated, _ := deskEnv(t)
	err := e.db.Update(func(tx *store.Tx) error {
		c, _, err := tx.Conversation(seated[1].id)
		if err != nil {
			return err
		}
		c.Lang = "en"
		return tx.PutConversation(c)
	})
	if err != nil {
		t.Fatal(err)
	}
	detail := e.openDetail(ann, "angkatan-2", "2. Peserta 002")
	if got := labels(detail); !slices.Equal(got, []string{"Cancel registration", "Move", "Back"}) {
		t.Fatalf("detail buttons %q", got)
	}
	ask := lastEdit(t, e.press(ann, "Cancel registration"))
	if !strings.Contains(ask.Text, "Type the reason") {
		t.Errorf("question %q", ask.Text)
	}
	seq := e.srv.LastSeq()
	done := lastEdit(t, e.press(ann, "Skip"))
	if !strings.Contains(done.Text, "is cancelled") || !strings.Contains(done.Text, "has been told") {
		t.Errorf("answer %q", done.Text)
	}
	told := e.waitFor(seq, seated[1].id, "cancelled by the organisers")
	if strings.Contains(told.Text, "Reason") {
		t.Errorf("notice %q has a reason", told.Text)
	}
	e.assertIdle()
}

// Ensure that Pindahkan lists the course's other batches with a free
// seat, moves the seat there, updates both lists, tells the person and
// logs it; and that of two organisers moving one person at once, one
// wins and the other is told.
func TestStaff_Move(t *testing.T) {
	e, seated, waiting := deskEnv(t)
	e.openDetail(rina, "angkatan-2", "2. Peserta 002")
	e.openDetail(dewi, "angkatan-2", "2. Peserta 002")
	pick := lastEdit(t, e.press(rina, "Pindahkan"))
	if !strings.Contains(pick.Text, "ke angkatan mana") || !slices.Equal(labels(pick), []string{"Angkatan 4 (sisa 16)", "Kembali"}) {
		t.Fatalf("move choice %q %q", pick.Text, labels(pick))
	}
	dewiPick := lastEdit(t, e.press(dewi, "Pindahkan"))
	if !slices.Equal(labels(dewiPick), labels(pick)) {
		t.Fatalf("Dewi's choice %q", labels(dewiPick))
	}
	// Both press at once.
	seq := e.srv.LastSeq()
	a := e.mustPress(rina, "Angkatan 4 (sisa 16)")
	b := e.mustPress(dewi, "Angkatan 4 (sisa 16)")
	e.waitHandled(a, b)
	won := 0
	for _, u := range []telegramtest.User{rina, dewi} {
		ms := e.since(seq, u.ID)
		switch {
		case shown(ms, "dipindahkan dari Angkatan 2 ke Angkatan 4, kursi 1"):
			won++
		case shown(ms, "sudah diubah"):
		default:
			t.Errorf("%s got %q; all %v", u.FirstName, texts(ms), methodsOf(e.since(0, u.ID)))
		}
	}
	if won != 1 {
		t.Fatalf("%d organisers moved the person, want 1", won)
	}
	told := e.waitFor(seq, seated[1].id, "memindahkan pendaftaran Anda dari Angkatan 2 ke Angkatan 4")
	_ = told
	e.waitFor(seq, waiting.id, "Angkatan 2") // the seat left goes to the waiting list
	if p := e.status(seated[1].id, "angkatan-4"); p.Status != store.StatusRegistered || p.Seat != 1 {
		t.Errorf("in Angkatan 4: %+v", p)
	}
	if p := e.status(seated[1].id, "angkatan-2"); p.Status != store.StatusCancelled || p.MovedTo != "angkatan-4" {
		t.Errorf("left in Angkatan 2: %+v", p)
	}
	if got := last(t, e.text(rina, "/peserta angkatan-4")); !strings.Contains(got.Text, "1. Peserta 002") {
		t.Errorf("Angkatan 4's list:\n%s", got.Text)
	}
	if got := last(t, e.text(rina, "/peserta angkatan-2")); !strings.Contains(got.Text, "Peserta 002 · +6281200001002 · batal") {
		t.Errorf("Angkatan 2's list:\n%s", got.Text)
	}
	if got := last(t, e.press(rina, "– Peserta 002")); !strings.Contains(got.Text, "Dipindahkan ke Angkatan 4") || slices.Contains(labels(got), "Pindahkan") {
		t.Errorf("detail of the registration left %q %q", got.Text, labels(got))
	}
	if got := last(t, e.text(rina, "/log")); !strings.Contains(got.Text, "memindahkan Peserta 002 dari Angkatan 2 ke Angkatan 4") {
		t.Errorf("/log:\n%s", got.Text)
	}
	e.assertIdle()
}

// Ensure the move in English, and that a forged or stale staff press, or
// one by someone who is not an organiser, changes nothing.
func TestStaff_Move_EnglishAndForged(t *testing.T) {
	e, seated, _ := deskEnv(t)
	detail := e.openDetail(ann, "angkatan-2", "1. Peserta 001")
	pick := lastEdit(t, e.press(ann, "Move"))
	if !strings.Contains(pick.Text, "to which batch") || !slices.Equal(labels(pick), []string{"Angkatan 4 (16 left)", "Back"}) {
		t.Fatalf("move choice %q %q", pick.Text, labels(pick))
	}
	data := buttonData(t, pick, "Angkatan 4 (16 left)")
	stranger := telegramtest.User{ID: 777001, FirstName: "Eko", LanguageCode: "id"}
	before := e.snapshot(seated[0].id)
	for _, forged := range []struct {
		who  telegramtest.User
		data string
	}{
		{stranger, data},
		{stranger, buttonData(t, detail, "Cancel registration")},
		{ann, strings.Replace(data, "angkatan-4", "angkatan-1", 1)}, // a finished batch
		{ann, strings.Replace(data, "angkatan-4", "angkatan-9", 1)}, // no such batch
		{rina, data}, // Rina did not press Move
	} {
		ms := e.forge(forged.who, detail.MessageID, forged.data)
		if tst, _ := toast(ms); !strings.Contains(tst, "tidak berlaku") && !strings.Contains(tst, "no longer") || len(withMethod(ms, "editMessageText")) > 0 {
			t.Errorf("forged %q by %s: toast %q, %q", forged.data, forged.who.FirstName, tst, methodsOf(ms))
		}
	}
	e.assertUnchanged(before, seated[0].id)
	if p := e.status(seated[0].id, "angkatan-2"); p.Status != store.StatusRegistered {
		t.Fatalf("after forged presses: %+v", p)
	}
	seq := e.srv.LastSeq()
	done := lastEdit(t, e.press(ann, "Angkatan 4 (16 left)"))
	if !strings.Contains(done.Text, "moved from Angkatan 2 to Angkatan 4, seat 1") {
		t.Errorf("answer %q", done.Text)
	}
	e.waitFor(seq, seated[0].id, "Angkatan 4")
	// The old screen's button, pressed again.
	if ms := e.forge(ann, detail.MessageID, data); shown(ms, "moved from") {
		t.Errorf("a second press moved again: %q", texts(ms))
	}
	e.assertIdle()
}

// shown reports whether a message sent or edited in ms contains part.
func shown(ms []telegramtest.Message, part string) bool {
	for _, m := range ms {
		if (m.Method == "sendMessage" || m.Method == "editMessageText") && strings.Contains(m.Text, part) {
			return true
		}
	}
	return false
}

// Ensure that any press of the staff's and the walk-in form's buttons, with
// any number and argument, by an organiser in the middle of no action, in
// the middle of one, or by anyone else, is answered without a panic or an
// apology and changes no registration.
func TestStaff_HostilePresses(t *testing.T) {
	e, seated, _ := deskEnv(t)
	detail := e.openDetail(rina, "angkatan-2", "1. Peserta 001")
	e.press(rina, "Pindahkan") // Rina is in the middle of a move
	before := e.participants()
	actions := []string{"dw", "dc", "dk", "dm", "dt", "dd", "wb", "wy", "wn", "wo", "ws", "wk", "wx", "wc"}
	seqs := []string{"0", "1", "2", "3", "1ekf", "zzzzzzzzzzzz", "-1"}
	args := []string{"", "angkatan-2", "angkatan-4", "angkatan-1", "99", "x_y"}
	stranger := telegramtest.User{ID: 777003, FirstName: "Adi", LanguageCode: "id"}
	n := 0
	for i, a := range actions {
		for j, s := range seqs {
			arg := args[(i+j)%len(args)]
			data := s + ":" + a
			if arg != "" {
				data += ":" + arg
			}
			who := []telegramtest.User{rina, ann, stranger}[(i+j)%3]
			ms := e.forge(who, detail.MessageID, data)
			if shown(ms, "Maaf, terjadi kesalahan") || shown(ms, "Sorry, something went wrong") {
				t.Errorf("%s pressing %q got an apology", who.FirstName, data)
			}
			n++
		}
	}
	if c := e.logs.count("panic"); c != 0 {
		t.Errorf("%d panics logged", c)
	}
	after := e.participants()
	if len(after) != len(before) {
		t.Fatalf("%d registrations after %d presses, %d before", len(after), n, len(before))
	}
	for i := range before {
		if before[i].Stamp() != after[i].Stamp() || before[i].Batch != after[i].Batch || before[i].UserID != after[i].UserID {
			t.Errorf("registration %d changed: %+v → %+v", i, before[i], after[i])
		}
	}
	_ = seated
	e.assertIdle()
}

// Ensure that Batalkan and Pindahkan act on the registration as the
// screen showed it: after the person cancelled and registered again, an
// old screen's buttons are refused and change nothing.
func TestStaff_StaleScreen(t *testing.T) {
	e, seated, _ := deskEnv(t)
	e.orgSeed("angkatan-4", store.StatusRegistered, 3001, 1)
	old := []telegramtest.Message{e.openDetail(rina, "angkatan-4", "1. Peserta 001"), e.openDetail(rina, "angkatan-4", "1. Peserta 001")}
	err := e.db.Update(func(tx *store.Tx) error {
		seats := store.Seats{Batch: laterBatch}
		if _, err := tx.CancelRegistration(seats, 3001, fixedNow); err != nil {
			return err
		}
		p, err := tx.Participant("angkatan-4", 3001)
		if err != nil {
			return err
		}
		p.RegisteredAt = fixedNow.Add(time.Minute)
		_, err = tx.ConfirmSeat(p, 16)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	before := e.status(3001, "angkatan-4")
	for i, label := range []string{"Batalkan", "Pindahkan"} {
		ms := e.step(rina.ID, func() int64 {
			id, err := e.srv.PressButtonIn(rina, old[i].MessageID, label)
			if err != nil {
				t.Fatal(err)
			}
			return id
		})
		if !shown(ms, "sudah diubah") {
			t.Errorf("%s on an old screen: %q", label, texts(ms))
		}
	}
	if got := e.status(3001, "angkatan-4"); got.Stamp() != before.Stamp() {
		t.Errorf("registration changed: %+v → %+v", before, got)
	}
	// The screens now show the registration as it is, and work.
	ask := lastEdit(t, e.step(rina.ID, func() int64 {
		id, err := e.srv.PressButtonIn(rina, old[0].MessageID, "Batalkan")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}))
	if !strings.Contains(ask.Text, "Ketik alasannya") {
		t.Errorf("fresh Batalkan: %q", ask.Text)
	}
	_ = seated
	e.assertIdle()
}
