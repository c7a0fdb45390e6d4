package bot

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testCourse is the Jember sewing course with one closed batch and the
// given open ones.
func testCourse(open ...string) store.Course {
	c := store.Course{
		Title: "Pelatihan Menjahit", Organiser: "Diskopum & BLK", Venue: "Ruang Garment Apparel",
		Location: jakarta, Language: "id", Bring: "Alat tulis",
		Batches: []store.Batch{{ID: "angkatan-1", Name: "Angkatan 1", Start: time.Date(2025, 10, 20, 0, 0, 0, 0, jakarta), Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00"}},
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama lengkap", Labels: map[string]string{"en": "Full name"}, Min: 3, Max: 80},
			{Key: "phone", Kind: store.KindPhone, Label: "Nomor HP", Labels: map[string]string{"en": "Mobile number"}},
			{Key: "nik", Kind: store.KindNIK, Label: "NIK"},
			{Key: "experience", Kind: store.KindChoice, Label: "Pengalaman menjahit", Options: []string{"Belum pernah", "Pemula", "Sudah bisa"}, OptionLabels: map[string][]string{"en": {"Never", "Beginner", "Can sew"}}},
		},
	}
	for i, id := range open {
		c.Batches = append(c.Batches, store.Batch{
			ID: id, Name: "Angkatan " + fmt.Sprint(i+2), Start: time.Date(2027, 2, 1+7*i, 0, 0, 0, 0, jakarta),
			Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: true,
		})
	}
	return c
}

var testNow = time.Date(2026, 11, 28, 10, 0, 0, 0, jakarta)

func testWorld(c store.Course) world {
	w := world{Standing: store.Standing{Taken: map[string]int{}}, cat: store.Catalog{Courses: []store.Course{c}}, now: testNow}
	w.setCourse(c)
	w.retention = 365
	return w
}

func text(s string) input { return input{kind: inText, text: s} }

func command(cmd, arg string) input { return input{kind: inCommand, command: cmd, arg: arg} }

func press(c store.Conversation, action, arg string) input {
	return input{kind: inButton, button: callback.Data{Seq: c.Seq, Action: action, Arg: arg}}
}

// buttons lists every button label of the replies.
func buttons(rs []reply) []string {
	var out []string
	for _, r := range rs {
		for _, row := range append(r.Inline, r.Keyboard...) {
			for _, b := range row {
				out = append(out, b.Text)
			}
		}
	}
	return out
}

func hasButton(rs []reply, label string) bool {
	for _, b := range buttons(rs) {
		if b == label {
			return true
		}
	}
	return false
}

func said(rs []reply, part string) bool {
	for _, r := range rs {
		if strings.Contains(r.Text, part) {
			return true
		}
	}
	return false
}

// at returns a conversation standing at field step with the answers before it.
func at(state string, step int) store.Conversation {
	c := store.Conversation{UserID: 7, ChatID: 7, Lang: "id", State: state, Step: step, Batch: "angkatan-2", Seq: 10, ConsentAt: testNow}
	answers := map[string]string{"name": "Siti Aminah", "phone": "+6281234567890", "nik": "3509015708900001", "experience": "Pemula"}
	c.Answers = map[string]string{}
	for i, f := range testCourse().Fields {
		if i < step || state == stSummary || state == stEditPick {
			c.Answers[f.Key] = answers[f.Key]
		}
	}
	return c
}

// Ensure that each input moves the conversation along the registration
// flow (welcome, consent, batch, questions, summary, seat or waiting list)
// and answers with the right buttons.
func TestNext(t *testing.T) {
	one := testWorld(testCourse("angkatan-2"))
	two := testWorld(testCourse("angkatan-2", "angkatan-3"))
	fresh := store.Conversation{UserID: 7, ChatID: 7, Lang: "id", State: stIdle}
	selCourse := testCourse("angkatan-2", "angkatan-3")
	selCourse.Batches[1].Admission = store.Admission{Selection: true}
	selecting := testWorld(selCourse)

	tests := []struct {
		name  string
		conv  store.Conversation
		in    func(store.Conversation) input
		w     world
		check func(t *testing.T, before store.Conversation, o outcome)
	}{
		{"start shows the course and Daftar", fresh, func(store.Conversation) input { return command("start", "") }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !said(o.replies, "Pelatihan Menjahit") || !said(o.replies, "sisa 16 kursi") || said(o.replies, "Angkatan 1") {
					t.Errorf("welcome lacks course or seats, or lists Angkatan 1, finished in 2025: %+v", o.replies)
				}
				if !hasButton(o.replies, "Daftar") || o.conv.Seq == before.Seq {
					t.Errorf("want a fresh Daftar button, got %v seq %d", buttons(o.replies), o.conv.Seq)
				}
			}},
		{"Daftar asks for consent", fresh, func(c store.Conversation) input { return press(c, actRegister, "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stConsent || !hasButton(o.replies, "Setuju") || !hasButton(o.replies, "Tidak setuju") {
					t.Errorf("state %s buttons %v", o.conv.State, buttons(o.replies))
				}
				if !said(o.replies, "365 hari") || !said(o.replies, "UU No. 27 Tahun 2022") || !said(o.replies, "Nama lengkap") {
					t.Errorf("consent text lacks retention, law or fields: %+v", o.replies[0].Text)
				}
			}},
		{"agreeing records the time and asks the first question", store.Conversation{UserID: 7, Lang: "id", State: stConsent, Seq: 3},
			func(c store.Conversation) input { return press(c, actConsent, "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stField || o.conv.Step != 0 || !o.conv.ConsentAt.Equal(testNow) || o.conv.Batch != "angkatan-2" {
					t.Errorf("got %+v", o.conv)
				}
				if !said(o.replies, "Pertanyaan 1 dari 4") || !hasButton(o.replies, "Kembali") || !hasButton(o.replies, "Batal") {
					t.Errorf("question: %+v", o.replies)
				}
			}},
		{"agreeing with two open batches asks for the batch", store.Conversation{UserID: 7, Lang: "id", State: stConsent, Seq: 3},
			func(c store.Conversation) input { return press(c, actConsent, "") }, two,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stBatch || len(buttons(o.replies)) != 4 {
					t.Errorf("state %s buttons %v", o.conv.State, buttons(o.replies))
				}
			}},
		{"a selection batch is offered as such, not with seats left", store.Conversation{UserID: 7, Lang: "id", State: stConsent, Seq: 3},
			func(c store.Conversation) input { return press(c, actConsent, "") }, selecting,
			func(t *testing.T, _ store.Conversation, o outcome) {
				got := buttons(o.replies)
				if o.conv.State != stBatch || len(got) < 2 || !strings.HasSuffix(got[0], "· seleksi") || !strings.HasSuffix(got[1], "· sisa 16") {
					t.Errorf("state %s buttons %v", o.conv.State, got)
				}
			}},
		{"a deep link skips the batch choice", store.Conversation{UserID: 7, Lang: "id", State: stConsent, Seq: 3, Batch: "angkatan-3"},
			func(c store.Conversation) input { return press(c, actConsent, "") }, two,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stField || o.conv.Batch != "angkatan-3" {
					t.Errorf("got %+v", o.conv)
				}
			}},
		{"declining collects nothing", store.Conversation{UserID: 7, Lang: "id", State: stConsent, Seq: 3},
			func(c store.Conversation) input { return press(c, actDecline, "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stIdle || o.conv.Answers != nil || !o.conv.ConsentAt.IsZero() || !said(o.replies, "tidak ada data") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"a name that is too short is explained and asked again", at(stField, 0), func(store.Conversation) input { return text("Bu") }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !reflect.DeepEqual(o.conv, before) {
					t.Errorf("state changed: %+v", o.conv)
				}
				if !said(o.replies, "minimal 3 huruf") || !said(o.replies, "Pertanyaan 1 dari 4") {
					t.Errorf("replies %+v", o.replies)
				}
			}},
		{"a good name moves to the phone question with Bagikan kontak", at(stField, 0), func(store.Conversation) input { return text("  Siti   Aminah ") }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if o.conv.Step != 1 || o.conv.Answers["name"] != "Siti Aminah" || o.conv.Seq != before.Seq+1 {
					t.Errorf("got %+v", o.conv)
				}
				last := o.replies[len(o.replies)-1]
				if len(last.Keyboard) == 0 || !last.Keyboard[0][0].Contact || last.Keyboard[0][0].Text != "Bagikan kontak" {
					t.Errorf("phone question keyboard %+v", last.Keyboard)
				}
			}},
		{"another person's contact is refused", at(stField, 1), func(store.Conversation) input {
			return input{kind: inContact, phone: "6281299998888", ownContact: false}
		}, one, func(t *testing.T, before store.Conversation, o outcome) {
			if !reflect.DeepEqual(o.conv, before) || !said(o.replies, "kontak Anda sendiri") {
				t.Errorf("got %+v %+v", o.conv, o.replies)
			}
		}},
		{"the own contact is stored as +62 and the keyboard removed", at(stField, 1), func(store.Conversation) input {
			return input{kind: inContact, phone: "6281234567890", ownContact: true}
		}, one, func(t *testing.T, _ store.Conversation, o outcome) {
			if o.conv.Answers["phone"] != "+6281234567890" || o.conv.Step != 2 || !o.replies[0].Remove {
				t.Errorf("got %+v %+v", o.conv, o.replies)
			}
		}},
		{"a typed 08 number is normalised", at(stField, 1), func(store.Conversation) input { return text("0812-3456-7890") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.Answers["phone"] != "+6281234567890" {
					t.Errorf("phone %q", o.conv.Answers["phone"])
				}
			}},
		{"Kembali on the phone keyboard goes back and removes it", at(stField, 1), func(store.Conversation) input { return text("Kembali") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.Step != 0 || !o.replies[0].Remove || o.replies[0].Inline != nil {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"a bad NIK is explained", at(stField, 2), func(store.Conversation) input { return text("1234") }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !reflect.DeepEqual(o.conv, before) || !said(o.replies, "16 digit") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"a choice is answered by button and leads to the summary", at(stField, 3), func(c store.Conversation) input { return press(c, actOption, "1") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stSummary || o.conv.Answers["experience"] != "Pemula" || !o.clear {
					t.Errorf("got %+v", o.conv)
				}
				if !hasButton(o.replies, "Konfirmasi") || !hasButton(o.replies, "Ubah") || !said(o.replies, "Siti Aminah") || !said(o.replies, "Angkatan 2") {
					t.Errorf("summary %+v", o.replies)
				}
			}},
		{"a forged option index changes nothing", at(stField, 3), func(c store.Conversation) input { return press(c, actOption, "9") }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !reflect.DeepEqual(o.conv, before) || o.toast == "" {
					t.Errorf("got %+v toast %q", o.conv, o.toast)
				}
			}},
		{"a stale button changes nothing", at(stField, 3), func(c store.Conversation) input {
			return input{kind: inButton, button: callback.Data{Seq: c.Seq - 1, Action: actOption, Arg: "1"}}
		}, one, func(t *testing.T, before store.Conversation, o outcome) {
			if !reflect.DeepEqual(o.conv, before) || o.toast != locale.For("id").Messages.Stale || len(o.replies) != 0 {
				t.Errorf("got %+v toast %q replies %+v", o.conv, o.toast, o.replies)
			}
		}},
		{"a sticker gets a kind answer and the question again", at(stField, 0), func(store.Conversation) input { return input{kind: inOther} }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !reflect.DeepEqual(o.conv, before) || !said(o.replies, "pesan teks") || !said(o.replies, "Pertanyaan 1") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"an edited message is not read", at(stField, 0), func(store.Conversation) input { return input{kind: inEdited} }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !reflect.DeepEqual(o.conv, before) || !said(o.replies, "diedit") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"Ubah lists the fields", at(stSummary, 0), func(c store.Conversation) input { return press(c, actEdit, "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stEditPick || len(buttons(o.replies)) != 5 {
					t.Errorf("got %s %v", o.conv.State, buttons(o.replies))
				}
			}},
		{"picking a field asks it again as an edit", at(stEditPick, 0), func(c store.Conversation) input { return press(c, actField, "0") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stField || o.conv.Step != 0 || !o.conv.Editing || !said(o.replies, "Siti Aminah") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"an edited answer returns to the summary", func() store.Conversation {
			c := at(stSummary, 0)
			c.State, c.Step, c.Editing = stField, 0, true
			return c
		}(), func(store.Conversation) input { return text("Siti Nur Aminah") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stSummary || o.conv.Editing || o.conv.Answers["name"] != "Siti Nur Aminah" {
					t.Errorf("got %+v", o.conv)
				}
			}},
		{"Konfirmasi asks for a seat", at(stSummary, 0), func(c store.Conversation) input { return press(c, actConfirm, "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.effect.kind != effConfirm {
					t.Errorf("effect %+v, want a confirm", o.effect)
				}
			}},
		{"/batal drops the answers", at(stField, 2), func(store.Conversation) input { return command("batal", "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.State != stIdle || o.conv.Answers != nil || !o.replies[0].Remove {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"/start in the middle continues", at(stField, 2), func(store.Conversation) input { return command("start", "") }, one,
			func(t *testing.T, before store.Conversation, o outcome) {
				if !reflect.DeepEqual(o.conv, before) || !said(o.replies, "Pertanyaan 3 dari 4") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"switching language asks the question again in English", at(stField, 0), func(c store.Conversation) input { return press(c, actLang, "en") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if o.conv.Lang != "en" || !said(o.replies, "Question 1 of 4") || !said(o.replies, "Full name") || !hasButton(o.replies, "Back") {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"a deep link to a closed batch says so", fresh, func(store.Conversation) input { return command("start", "angkatan-1") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if !said(o.replies, "tidak menerima pendaftaran") || o.conv.Batch != "" {
					t.Errorf("got %+v %+v", o.conv, o.replies)
				}
			}},
		{"a deep link to an unknown batch is not echoed", fresh, func(store.Conversation) input { return command("start", "<script>") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if said(o.replies, "<script>") || !said(o.replies, "Tautan itu") {
					t.Errorf("got %+v", o.replies)
				}
			}},
		{"an unknown command is answered", fresh, func(store.Conversation) input { return command("xyz", "") }, one,
			func(t *testing.T, _ store.Conversation, o outcome) {
				if !said(o.replies, "/bantuan") {
					t.Errorf("got %+v", o.replies)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.conv
			o := next(tt.conv, tt.in(tt.conv), tt.w)
			tt.check(t, before, o)
			for _, r := range o.replies {
				if r.Text == "" {
					t.Error("an empty reply")
				}
				for _, row := range r.Inline {
					for _, b := range row {
						if len(b.Data) > callback.MaxLen {
							t.Errorf("callback data %q too long", b.Data)
						}
					}
				}
			}
		})
	}
}

// Ensure that the outcome of each store effect is told as the issue says:
// the seat, the same seat again, the waiting list when full, the position.
func TestSettle(t *testing.T) {
	w := testWorld(testCourse("angkatan-2"))
	c := at(stSummary, 0)
	registered := func(seat int) world {
		w := testWorld(testCourse("angkatan-2"))
		w.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusRegistered, Seat: seat}}
		return w
	}

	o, err := settle(c, registered(5), effect{kind: effConfirm}, result{p: store.Participant{Seat: 5}})
	if err != nil || o.conv.State != stDone || o.conv.Answers != nil || !said(o.replies, "kursi nomor <b>5</b>") {
		t.Errorf("seat: %+v %+v %v", o.conv, o.replies, err)
	}

	o, _ = settle(c, registered(3), effect{kind: effConfirm}, result{before: store.Participant{Seat: 3}, err: store.ErrAlreadyRegistered})
	if o.conv.State != stDone || !said(o.replies, "kursi nomor 3") {
		t.Errorf("already: %+v %+v", o.conv, o.replies)
	}

	o, _ = settle(c, w, effect{kind: effConfirm}, result{err: store.ErrBatchFull})
	if o.conv.State != stFull || !hasButton(o.replies, "Masuk daftar tunggu") || !hasButton(o.replies, "Batal") || o.conv.Answers["name"] != "Siti Aminah" {
		t.Errorf("full: %+v %v", o.conv, buttons(o.replies))
	}
	joined := next(o.conv, press(o.conv, actJoin, ""), w)
	if joined.effect.kind != effJoinWait {
		t.Errorf("pressing Masuk daftar tunggu: effect %+v", joined.effect)
	}
	waiting := testWorld(testCourse("angkatan-2"))
	waiting.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusWaiting}}
	o, _ = settle(joined.conv, waiting, effect{kind: effJoinWait}, result{pos: 4})
	if o.conv.State != stDone || o.conv.Answers != nil || !said(o.replies, "urutan ke-<b>4</b>") {
		t.Errorf("joined: %+v %+v", o.conv, o.replies)
	}

	two := testWorld(testCourse("angkatan-2", "angkatan-3"))
	o, _ = settle(c, two, effect{kind: effConfirm}, result{err: store.ErrBatchFull})
	if !hasButton(o.replies, fmt.Sprintf(locale.For("id").Messages.BatchButton, "Angkatan 3", "8–14 Feb 2027", 16)) {
		t.Errorf("full with another open batch: %v", buttons(o.replies))
	}
	o = next(o.conv, press(o.conv, actBatch, "angkatan-3"), two)
	if o.conv.State != stSummary || o.conv.Batch != "angkatan-3" {
		t.Errorf("after choosing another batch: %+v", o.conv)
	}

	o, _ = settle(store.Conversation{UserID: 7, Lang: "id", State: stErase, Seq: 9}, w, effect{kind: effErase}, result{})
	if o.conv.State != stIdle || o.conv.Seq != 10 || !said(o.replies, "sudah dihapus") {
		t.Errorf("erase: %+v %+v", o.conv, o.replies)
	}

	o, _ = settle(store.Conversation{UserID: 7, Lang: "id", State: stDone, Seq: 9}, w, effect{kind: effAccept, batch: "angkatan-2"}, result{err: store.ErrNoOffer})
	if o.toast == "" || !said(o.replies, "tidak berlaku") {
		t.Errorf("gone offer: %+v", o)
	}
}

// Ensure that /status offers what a person can do next with their place,
// and that cancelling asks first.
func TestNext_SelfService(t *testing.T) {
	w := testWorld(testCourse("angkatan-2"))
	w.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusRegistered, Seat: 2, Answers: map[string]string{"name": "Siti Aminah"}}}
	c := store.Conversation{UserID: 7, Lang: "id", State: stDone, Seq: 4}

	o := next(c, command("status", ""), w)
	for _, b := range []string{"Ubah", "Batalkan pendaftaran", "Hapus data saya"} {
		if !hasButton(o.replies, b) {
			t.Errorf("status lacks %q: %v", b, buttons(o.replies))
		}
	}
	ask := next(o.conv, press(o.conv, actCancelReg, "angkatan-2"), w)
	if ask.conv.State != stCancel || ask.effect.kind != effNone || !said(ask.replies, "Yakin") {
		t.Errorf("cancel asks first: %+v %+v", ask.conv, ask.effect)
	}
	yes := next(ask.conv, press(ask.conv, actCancelReg, "angkatan-2"), w)
	if yes.effect != (effect{kind: effCancel, batch: "angkatan-2"}) {
		t.Errorf("confirming the cancel: %+v", yes.effect)
	}
	back := next(ask.conv, press(ask.conv, actBack, ""), w)
	if back.conv.State != stDone || back.effect.kind != effNone {
		t.Errorf("Kembali from the cancel question: %+v", back.conv)
	}
	forged := next(o.conv, press(o.conv, actCancelReg, "angkatan-1"), w)
	if forged.conv.State != stDone || forged.toast == "" {
		t.Errorf("cancelling a batch one is not in: %+v", forged)
	}

	amend := next(o.conv, press(o.conv, actAmend, "angkatan-2"), w)
	if amend.conv.State != stEditPick || !amend.conv.Amend || amend.conv.Answers["name"] != "Siti Aminah" {
		t.Errorf("amend: %+v", amend.conv)
	}

	erase := next(c, command("hapusdata", ""), w)
	if erase.conv.State != stErase || !hasButton(erase.replies, "Hapus data saya") {
		t.Errorf("hapusdata: %+v %v", erase.conv, buttons(erase.replies))
	}
	if e := next(erase.conv, press(erase.conv, actErase, ""), w); e.effect.kind != effErase {
		t.Errorf("confirming erase: %+v", e.effect)
	}

	mine := next(c, command("dataku", ""), w)
	if !said(mine.replies, "Siti Aminah") || !said(mine.replies, "kursi nomor 2") || !said(mine.replies, "700") && !said(mine.replies, "7") {
		t.Errorf("dataku: %+v", mine.replies)
	}

	w.SignedUp[0].Status, w.SignedUp[0].Seat = store.StatusWaiting, 0
	w.Positions = map[string]int{"angkatan-2": 3}
	w.Offers = map[string]store.Offer{"angkatan-2": {Batch: "angkatan-2", UserID: 7, Until: testNow.Add(time.Hour)}}
	o = next(c, command("status", ""), w)
	for _, b := range []string{"Terima", "Tolak", "Keluar dari daftar tunggu"} {
		if !hasButton(o.replies, b) {
			t.Errorf("waiting status lacks %q: %v", b, buttons(o.replies))
		}
	}
	// Offer buttons come from the outbox with sequence 0: valid anyway.
	acc := next(c, input{kind: inButton, button: callback.Data{Action: actAccept, Arg: "angkatan-2"}}, w)
	if acc.effect != (effect{kind: effAccept, batch: "angkatan-2"}) {
		t.Errorf("accept: %+v", acc.effect)
	}
	w.Offers = nil
	gone := next(c, input{kind: inButton, button: callback.Data{Action: actAccept, Arg: "angkatan-2"}}, w)
	if gone.effect.kind != effNone || gone.toast != locale.For("id").Messages.OfferGone {
		t.Errorf("accept without an offer: %+v", gone)
	}
}

// Ensure that a batch overlapping one the person holds a seat in is not
// offered, and a deep link to it says why.
func TestNext_Overlap(t *testing.T) {
	c := testCourse("angkatan-2", "angkatan-3")
	c.Batches[2].Start = c.Batches[1].Start.AddDate(0, 0, 3) // overlaps angkatan-2
	w := testWorld(c)
	w.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusRegistered, Seat: 1}}
	o := next(store.Conversation{UserID: 7, Lang: "id", State: stDone}, command("start", "angkatan-3"), w)
	if !said(o.replies, "bertabrakan") || hasButton(o.replies, "Daftar") {
		t.Errorf("overlap: %+v", o.replies)
	}
	o = next(store.Conversation{UserID: 7, Lang: "id", State: stDone}, command("start", ""), w)
	if !said(o.replies, "Jadwal <b>Angkatan 3</b> bertabrakan") || hasButton(o.replies, "Daftar") {
		t.Errorf("overlap without a deep link: %+v", o.replies)
	}
}
