package conversation

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

func testWorld(c store.Course) World {
	w := World{Standing: store.Standing{Taken: map[string]int{}}, Catalog: store.Catalog{Courses: []store.Course{c}}, Now: testNow}
	w.SetCourse(c)
	w.Retention = 365
	return w
}

func text(s string) Input { return Input{Kind: inText, Text: s} }

func command(cmd, arg string) Input { return Input{Kind: inCommand, Command: cmd, Arg: arg} }

func press(c store.Conversation, action, arg string) Input {
	return Input{Kind: inButton, Button: callback.Data{Seq: c.Seq, Action: action, Arg: arg}}
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

// removesWith reports whether rs is one message that removes the contact
// keyboard, has no other markup (a message has one), contains every part
// and names the words to type instead of the buttons.
func removesWith(rs []reply, parts ...string) bool {
	if len(rs) != 1 || !rs[0].Remove || rs[0].Inline != nil || rs[0].Keyboard != nil {
		return false
	}
	for _, p := range append(parts, "Ketik <b>", "<b>Kembali</b> untuk kembali", "<b>Batal</b> untuk berhenti") {
		if !strings.Contains(rs[0].Text, p) {
			return false
		}
	}
	return true
}

// at returns a conversation standing at field step with the answers before it.
func at(state string, step int) store.Conversation {
	c := store.Conversation{UserID: 7, ChatID: 7, Lang: "id", State: state, Step: step, Batch: "angkatan-2", Seq: 10, ConsentAt: testNow}
	answers := map[string]string{"name": "Siti Aminah", "phone": "+6281234567890", "nik": "3509015708900001", "experience": "Pemula"}
	c.Answers = map[string]string{}
	for i, f := range testCourse().Fields {
		if i < step || state == StateSummary || state == StateEditPick {
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
	fresh := store.Conversation{UserID: 7, ChatID: 7, Lang: "id", State: StateIdle}
	optionalNIK, choiceNext := testCourse("angkatan-2"), testCourse("angkatan-2")
	optionalNIK.Fields[2].Optional = true
	choiceNext.Fields = append(choiceNext.Fields[:2:2], choiceNext.Fields[3]) // name, phone, experience
	skipToChoice := testCourse("angkatan-2")
	skipToChoice.Fields = append(skipToChoice.Fields[:2:2], skipToChoice.Fields[3])
	skipToChoice.Fields[1].Optional = true
	selCourse := testCourse("angkatan-2", "angkatan-3")
	selCourse.Batches[1].Admission = store.Admission{Selection: true}
	selecting := testWorld(selCourse)

	tests := []struct {
		name  string
		conv  store.Conversation
		in    func(store.Conversation) Input
		w     World
		check func(t *testing.T, before store.Conversation, o Outcome)
	}{
		{"start shows the course and Daftar", fresh, func(store.Conversation) Input { return command("start", "") }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !said(o.Replies, "Pelatihan Menjahit") || !said(o.Replies, "sisa 16 kursi") || said(o.Replies, "Angkatan 1") {
					t.Errorf("welcome lacks course or seats, or lists Angkatan 1, finished in 2025: %+v", o.Replies)
				}
				if !hasButton(o.Replies, "Daftar") || o.Conv.Seq == before.Seq {
					t.Errorf("want a fresh Daftar button, got %v seq %d", buttons(o.Replies), o.Conv.Seq)
				}
			}},
		{"Daftar asks for consent", fresh, func(c store.Conversation) Input { return press(c, ActRegister, "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateConsent || !hasButton(o.Replies, "Setuju") || !hasButton(o.Replies, "Tidak setuju") {
					t.Errorf("state %s buttons %v", o.Conv.State, buttons(o.Replies))
				}
				if !said(o.Replies, "365 hari") || !said(o.Replies, "UU No. 27 Tahun 2022") || !said(o.Replies, "Nama lengkap") {
					t.Errorf("consent text lacks retention, law or fields: %+v", o.Replies[0].Text)
				}
			}},
		{"agreeing records the time and asks the first question", store.Conversation{UserID: 7, Lang: "id", State: StateConsent, Seq: 3},
			func(c store.Conversation) Input { return press(c, ActConsent, "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateField || o.Conv.Step != 0 || !o.Conv.ConsentAt.Equal(testNow) || o.Conv.Batch != "angkatan-2" {
					t.Errorf("got %+v", o.Conv)
				}
				if !said(o.Replies, "Pertanyaan 1 dari 4") || !hasButton(o.Replies, "Kembali") || !hasButton(o.Replies, "Batal") {
					t.Errorf("question: %+v", o.Replies)
				}
			}},
		{"agreeing with two open batches asks for the batch", store.Conversation{UserID: 7, Lang: "id", State: StateConsent, Seq: 3},
			func(c store.Conversation) Input { return press(c, ActConsent, "") }, two,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateBatch || len(buttons(o.Replies)) != 4 {
					t.Errorf("state %s buttons %v", o.Conv.State, buttons(o.Replies))
				}
			}},
		{"a selection batch is offered as such, not with seats left", store.Conversation{UserID: 7, Lang: "id", State: StateConsent, Seq: 3},
			func(c store.Conversation) Input { return press(c, ActConsent, "") }, selecting,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				got := buttons(o.Replies)
				if o.Conv.State != StateBatch || len(got) < 2 || !strings.HasSuffix(got[0], "· seleksi") || !strings.HasSuffix(got[1], "· sisa 16") {
					t.Errorf("state %s buttons %v", o.Conv.State, got)
				}
			}},
		{"a deep link skips the batch choice", store.Conversation{UserID: 7, Lang: "id", State: StateConsent, Seq: 3, Batch: "angkatan-3"},
			func(c store.Conversation) Input { return press(c, ActConsent, "") }, two,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateField || o.Conv.Batch != "angkatan-3" {
					t.Errorf("got %+v", o.Conv)
				}
			}},
		{"declining collects nothing", store.Conversation{UserID: 7, Lang: "id", State: StateConsent, Seq: 3},
			func(c store.Conversation) Input { return press(c, ActDecline, "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateIdle || o.Conv.Answers != nil || !o.Conv.ConsentAt.IsZero() || !said(o.Replies, "tidak ada data") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"a name that is too short is explained and asked again", at(StateField, 0), func(store.Conversation) Input { return text("Bu") }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !reflect.DeepEqual(o.Conv, before) {
					t.Errorf("state changed: %+v", o.Conv)
				}
				if !said(o.Replies, "minimal 3 huruf") || !said(o.Replies, "Pertanyaan 1 dari 4") {
					t.Errorf("replies %+v", o.Replies)
				}
			}},
		{"a good name moves to the phone question with Bagikan kontak", at(StateField, 0), func(store.Conversation) Input { return text("  Siti   Aminah ") }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if o.Conv.Step != 1 || o.Conv.Answers["name"] != "Siti Aminah" || o.Conv.Seq != before.Seq+1 {
					t.Errorf("got %+v", o.Conv)
				}
				last := o.Replies[len(o.Replies)-1]
				if len(last.Keyboard) == 0 || !last.Keyboard[0][0].Contact || last.Keyboard[0][0].Text != "Bagikan kontak" {
					t.Errorf("phone question keyboard %+v", last.Keyboard)
				}
			}},
		{"another person's contact is refused", at(StateField, 1), func(store.Conversation) Input {
			return Input{Kind: inContact, Phone: "6281299998888", OwnContact: false}
		}, one, func(t *testing.T, before store.Conversation, o Outcome) {
			if !reflect.DeepEqual(o.Conv, before) || !said(o.Replies, "kontak Anda sendiri") {
				t.Errorf("got %+v %+v", o.Conv, o.Replies)
			}
		}},
		{"the own contact is stored as +62, and one message confirms it, asks the NIK and removes the keyboard", at(StateField, 1), func(store.Conversation) Input {
			return Input{Kind: inContact, Phone: "6281234567890", OwnContact: true}
		}, one, func(t *testing.T, _ store.Conversation, o Outcome) {
			if o.Conv.Answers["phone"] != "+6281234567890" || o.Conv.Step != 2 || !removesWith(o.Replies, "Nomor +6281234567890 tersimpan.", "Pertanyaan 3 dari 4") {
				t.Errorf("got %+v %+v", o.Conv, o.Replies)
			}
		}},
		{"a typed 08 number is normalised, answered the same", at(StateField, 1), func(store.Conversation) Input { return text("0812-3456-7890") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.Answers["phone"] != "+6281234567890" || !removesWith(o.Replies, "Nomor +6281234567890 tersimpan.", "Pertanyaan 3 dari 4") {
					t.Errorf("phone %q, replies %+v", o.Conv.Answers["phone"], o.Replies)
				}
			}},
		{"Kembali on the phone keyboard goes back and removes it, in one message", at(StateField, 1), func(store.Conversation) Input { return text("Kembali") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.Step != 0 || !removesWith(o.Replies, "Pertanyaan 1 dari 4") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"an optional question after the contact names Lewati too", at(StateField, 1), func(store.Conversation) Input {
			return Input{Kind: inContact, Phone: "6281234567890", OwnContact: true}
		}, testWorld(optionalNIK), func(t *testing.T, _ store.Conversation, o Outcome) {
			if !removesWith(o.Replies, "Nomor +6281234567890 tersimpan.", "Ketik <b>Lewati</b>") {
				t.Errorf("got %+v", o.Replies)
			}
		}},
		{"a choice after the contact is two messages: the removal, then the choice with its buttons", at(StateField, 1), func(store.Conversation) Input {
			return Input{Kind: inContact, Phone: "6281234567890", OwnContact: true}
		}, testWorld(choiceNext), func(t *testing.T, _ store.Conversation, o Outcome) {
			if len(o.Replies) != 2 || !o.Replies[0].Remove || o.Replies[0].Inline != nil || !said(o.Replies[:1], "tersimpan") ||
				o.Replies[1].Remove || !hasButton(o.Replies[1:], "Pemula") || !hasButton(o.Replies[1:], "Kembali") {
				t.Errorf("got %+v", o.Replies)
			}
		}},
		{"skipping an optional phone question onto a choice closes the keyboard without saying back", at(StateField, 1), func(store.Conversation) Input { return text("Lewati") },
			testWorld(skipToChoice), func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.Step != 2 || len(o.Replies) != 2 || !o.Replies[0].Remove || o.Replies[0].Text != "Baik." || !hasButton(o.Replies[1:], "Pemula") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"a bad NIK is explained with the question, in one message", at(StateField, 2), func(store.Conversation) Input { return text("1234") }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !reflect.DeepEqual(o.Conv, before) || len(o.Replies) != 1 || !said(o.Replies, "NIK harus 16 digit") || !said(o.Replies, "Pertanyaan 3 dari 4") || !hasButton(o.Replies, "Kembali") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"a choice is answered by button and leads to the summary", at(StateField, 3), func(c store.Conversation) Input { return press(c, ActOption, "1") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateSummary || o.Conv.Answers["experience"] != "Pemula" || !o.Clear {
					t.Errorf("got %+v", o.Conv)
				}
				if !hasButton(o.Replies, "Konfirmasi") || !hasButton(o.Replies, "Ubah") || !said(o.Replies, "Siti Aminah") || !said(o.Replies, "Angkatan 2") {
					t.Errorf("summary %+v", o.Replies)
				}
			}},
		{"a forged option index changes nothing", at(StateField, 3), func(c store.Conversation) Input { return press(c, ActOption, "9") }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !reflect.DeepEqual(o.Conv, before) || o.Toast == "" {
					t.Errorf("got %+v toast %q", o.Conv, o.Toast)
				}
			}},
		{"a stale button changes nothing", at(StateField, 3), func(c store.Conversation) Input {
			return Input{Kind: inButton, Button: callback.Data{Seq: c.Seq - 1, Action: ActOption, Arg: "1"}}
		}, one, func(t *testing.T, before store.Conversation, o Outcome) {
			if !reflect.DeepEqual(o.Conv, before) || o.Toast != locale.For("id").Messages.Stale || len(o.Replies) != 0 {
				t.Errorf("got %+v toast %q replies %+v", o.Conv, o.Toast, o.Replies)
			}
		}},
		{"a sticker gets a kind answer and the question again", at(StateField, 0), func(store.Conversation) Input { return Input{Kind: inOther} }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !reflect.DeepEqual(o.Conv, before) || !said(o.Replies, "pesan teks") || !said(o.Replies, "Pertanyaan 1") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"an edited message is not read", at(StateField, 0), func(store.Conversation) Input { return Input{Kind: inEdited} }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !reflect.DeepEqual(o.Conv, before) || !said(o.Replies, "diedit") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"Ubah lists the fields", at(StateSummary, 0), func(c store.Conversation) Input { return press(c, ActEdit, "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateEditPick || len(buttons(o.Replies)) != 5 {
					t.Errorf("got %s %v", o.Conv.State, buttons(o.Replies))
				}
			}},
		{"picking a field asks it again as an edit", at(StateEditPick, 0), func(c store.Conversation) Input { return press(c, ActField, "0") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateField || o.Conv.Step != 0 || !o.Conv.Editing || !said(o.Replies, "Siti Aminah") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"an edited answer returns to the summary", func() store.Conversation {
			c := at(StateSummary, 0)
			c.State, c.Step, c.Editing = StateField, 0, true
			return c
		}(), func(store.Conversation) Input { return text("Siti Nur Aminah") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateSummary || o.Conv.Editing || o.Conv.Answers["name"] != "Siti Nur Aminah" {
					t.Errorf("got %+v", o.Conv)
				}
			}},
		{"Konfirmasi asks for a seat", at(StateSummary, 0), func(c store.Conversation) Input { return press(c, ActConfirm, "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Effect.Kind != EffConfirm {
					t.Errorf("effect %+v, want a confirm", o.Effect)
				}
			}},
		{"/batal drops the answers", at(StateField, 2), func(store.Conversation) Input { return command("batal", "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.State != StateIdle || o.Conv.Answers != nil || !o.Replies[0].Remove {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"/start in the middle continues", at(StateField, 2), func(store.Conversation) Input { return command("start", "") }, one,
			func(t *testing.T, before store.Conversation, o Outcome) {
				if !reflect.DeepEqual(o.Conv, before) || !said(o.Replies, "Pertanyaan 3 dari 4") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"switching language asks the question again in English", at(StateField, 0), func(c store.Conversation) Input { return press(c, ActLang, "en") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if o.Conv.Lang != "en" || !said(o.Replies, "Question 1 of 4") || !said(o.Replies, "Full name") || !hasButton(o.Replies, "Back") {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"a deep link to a closed batch says so", fresh, func(store.Conversation) Input { return command("start", "angkatan-1") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if !said(o.Replies, "tidak menerima pendaftaran") || o.Conv.Batch != "" {
					t.Errorf("got %+v %+v", o.Conv, o.Replies)
				}
			}},
		{"a deep link to an unknown batch is not echoed", fresh, func(store.Conversation) Input { return command("start", "<script>") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if said(o.Replies, "<script>") || !said(o.Replies, "Tautan itu") {
					t.Errorf("got %+v", o.Replies)
				}
			}},
		{"an unknown command is answered", fresh, func(store.Conversation) Input { return command("xyz", "") }, one,
			func(t *testing.T, _ store.Conversation, o Outcome) {
				if !said(o.Replies, "/bantuan") {
					t.Errorf("got %+v", o.Replies)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.conv
			o := Next(tt.conv, tt.in(tt.conv), tt.w)
			tt.check(t, before, o)
			for _, r := range o.Replies {
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
	c := at(StateSummary, 0)
	registered := func(seat int) World {
		w := testWorld(testCourse("angkatan-2"))
		w.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusRegistered, Seat: seat}}
		return w
	}

	o, err := Settle(c, registered(5), Effect{Kind: EffConfirm}, Result{Participant: store.Participant{Seat: 5}})
	if err != nil || o.Conv.State != StateDone || o.Conv.Answers != nil || !said(o.Replies, "kursi nomor <b>5</b>") {
		t.Errorf("seat: %+v %+v %v", o.Conv, o.Replies, err)
	}

	o, _ = Settle(c, registered(3), Effect{Kind: EffConfirm}, Result{Before: store.Participant{Seat: 3}, Err: store.ErrAlreadyRegistered})
	if o.Conv.State != StateDone || !said(o.Replies, "kursi nomor 3") {
		t.Errorf("already: %+v %+v", o.Conv, o.Replies)
	}

	o, _ = Settle(c, w, Effect{Kind: EffConfirm}, Result{Err: store.ErrBatchFull})
	if o.Conv.State != StateFull || !hasButton(o.Replies, "Masuk daftar tunggu") || !hasButton(o.Replies, "Batal") || o.Conv.Answers["name"] != "Siti Aminah" {
		t.Errorf("full: %+v %v", o.Conv, buttons(o.Replies))
	}
	joined := Next(o.Conv, press(o.Conv, ActJoin, ""), w)
	if joined.Effect.Kind != EffJoinWait {
		t.Errorf("pressing Masuk daftar tunggu: effect %+v", joined.Effect)
	}
	waiting := testWorld(testCourse("angkatan-2"))
	waiting.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusWaiting}}
	o, _ = Settle(joined.Conv, waiting, Effect{Kind: EffJoinWait}, Result{Position: 4})
	if o.Conv.State != StateDone || o.Conv.Answers != nil || !said(o.Replies, "urutan ke-<b>4</b>") {
		t.Errorf("joined: %+v %+v", o.Conv, o.Replies)
	}

	two := testWorld(testCourse("angkatan-2", "angkatan-3"))
	o, _ = Settle(c, two, Effect{Kind: EffConfirm}, Result{Err: store.ErrBatchFull})
	if !hasButton(o.Replies, fmt.Sprintf(locale.For("id").Messages.BatchButton, "Angkatan 3", "8–14 Feb 2027", 16)) {
		t.Errorf("full with another open batch: %v", buttons(o.Replies))
	}
	o = Next(o.Conv, press(o.Conv, ActBatch, "angkatan-3"), two)
	if o.Conv.State != StateSummary || o.Conv.Batch != "angkatan-3" {
		t.Errorf("after choosing another batch: %+v", o.Conv)
	}

	o, _ = Settle(store.Conversation{UserID: 7, Lang: "id", State: StateErase, Seq: 9}, w, Effect{Kind: EffErase}, Result{})
	if o.Conv.State != StateIdle || o.Conv.Seq != 10 || !said(o.Replies, "sudah dihapus") {
		t.Errorf("erase: %+v %+v", o.Conv, o.Replies)
	}

	o, _ = Settle(store.Conversation{UserID: 7, Lang: "id", State: StateDone, Seq: 9}, w, Effect{Kind: EffAccept, Batch: "angkatan-2"}, Result{Err: store.ErrNoOffer})
	if o.Toast == "" || !said(o.Replies, "tidak berlaku") {
		t.Errorf("gone offer: %+v", o)
	}
}

// Ensure that /status offers what a person can do next with their place,
// and that cancelling asks first.
func TestNext_SelfService(t *testing.T) {
	w := testWorld(testCourse("angkatan-2"))
	w.SignedUp = []store.Participant{{Batch: "angkatan-2", Status: store.StatusRegistered, Seat: 2, Answers: map[string]string{"name": "Siti Aminah"}}}
	c := store.Conversation{UserID: 7, Lang: "id", State: StateDone, Seq: 4}

	o := Next(c, command("status", ""), w)
	for _, b := range []string{"Ubah", "Batalkan pendaftaran", "Hapus data saya"} {
		if !hasButton(o.Replies, b) {
			t.Errorf("status lacks %q: %v", b, buttons(o.Replies))
		}
	}
	ask := Next(o.Conv, press(o.Conv, ActCancelReg, "angkatan-2"), w)
	if ask.Conv.State != StateCancel || ask.Effect.Kind != EffNone || !said(ask.Replies, "Yakin") {
		t.Errorf("cancel asks first: %+v %+v", ask.Conv, ask.Effect)
	}
	yes := Next(ask.Conv, press(ask.Conv, ActCancelReg, "angkatan-2"), w)
	if yes.Effect != (Effect{Kind: EffCancel, Batch: "angkatan-2"}) {
		t.Errorf("confirming the cancel: %+v", yes.Effect)
	}
	back := Next(ask.Conv, press(ask.Conv, ActBack, ""), w)
	if back.Conv.State != StateDone || back.Effect.Kind != EffNone {
		t.Errorf("Kembali from the cancel question: %+v", back.Conv)
	}
	forged := Next(o.Conv, press(o.Conv, ActCancelReg, "angkatan-1"), w)
	if forged.Conv.State != StateDone || forged.Toast == "" {
		t.Errorf("cancelling a batch one is not in: %+v", forged)
	}

	amend := Next(o.Conv, press(o.Conv, ActAmend, "angkatan-2"), w)
	if amend.Conv.State != StateEditPick || !amend.Conv.Amend || amend.Conv.Answers["name"] != "Siti Aminah" {
		t.Errorf("amend: %+v", amend.Conv)
	}

	erase := Next(c, command("hapusdata", ""), w)
	if erase.Conv.State != StateErase || !hasButton(erase.Replies, "Hapus data saya") {
		t.Errorf("hapusdata: %+v %v", erase.Conv, buttons(erase.Replies))
	}
	if e := Next(erase.Conv, press(erase.Conv, ActErase, ""), w); e.Effect.Kind != EffErase {
		t.Errorf("confirming erase: %+v", e.Effect)
	}

	mine := Next(c, command("dataku", ""), w)
	if !said(mine.Replies, "Siti Aminah") || !said(mine.Replies, "kursi nomor 2") || !said(mine.Replies, "700") && !said(mine.Replies, "7") {
		t.Errorf("dataku: %+v", mine.Replies)
	}

	w.SignedUp[0].Status, w.SignedUp[0].Seat = store.StatusWaiting, 0
	w.Positions = map[string]int{"angkatan-2": 3}
	w.Offers = map[string]store.Offer{"angkatan-2": {Batch: "angkatan-2", UserID: 7, Until: testNow.Add(time.Hour)}}
	o = Next(c, command("status", ""), w)
	for _, b := range []string{"Terima", "Tolak", "Keluar dari daftar tunggu"} {
		if !hasButton(o.Replies, b) {
			t.Errorf("waiting status lacks %q: %v", b, buttons(o.Replies))
		}
	}
	// Offer buttons come from the outbox with sequence 0: valid anyway.
	acc := Next(c, Input{Kind: inButton, Button: callback.Data{Action: ActAccept, Arg: "angkatan-2"}}, w)
	if acc.Effect != (Effect{Kind: EffAccept, Batch: "angkatan-2"}) {
		t.Errorf("accept: %+v", acc.Effect)
	}
	w.Offers = nil
	gone := Next(c, Input{Kind: inButton, Button: callback.Data{Action: ActAccept, Arg: "angkatan-2"}}, w)
	if gone.Effect.Kind != EffNone || gone.Toast != locale.For("id").Messages.OfferGone {
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
	o := Next(store.Conversation{UserID: 7, Lang: "id", State: StateDone}, command("start", "angkatan-3"), w)
	if !said(o.Replies, "bertabrakan") || hasButton(o.Replies, "Daftar") {
		t.Errorf("overlap: %+v", o.Replies)
	}
	o = Next(store.Conversation{UserID: 7, Lang: "id", State: StateDone}, command("start", ""), w)
	if !said(o.Replies, "Jadwal <b>Angkatan 3</b> bertabrakan") || hasButton(o.Replies, "Daftar") {
		t.Errorf("overlap without a deep link: %+v", o.Replies)
	}
}

// Ensure that an offer accepted while the person is at the phone question
// closes its contact keyboard: the form is left, and the keyboard would
// stay on screen.
func TestSettle_ClosesContactKeyboard(t *testing.T) {
	w := testWorld(testCourse("angkatan-2"))
	c := at(StateField, 1)
	if !(&turn{c: c, w: w}).onPhone() {
		t.Fatal("the test's conversation is not at the phone question")
	}
	o, err := Settle(c, w, Effect{Kind: EffAccept, Batch: "angkatan-2"},
		Result{Participant: store.Participant{Batch: "angkatan-2", Status: store.StatusRegistered, Seat: 3}})
	if err != nil {
		t.Fatal(err)
	}
	removed := false
	for _, r := range o.Replies {
		removed = removed || r.Remove
	}
	if o.Conv.State == StateField || !removed {
		t.Errorf("state %s, replies %+v: want the form left and the keyboard removed", o.Conv.State, o.Replies)
	}
}
