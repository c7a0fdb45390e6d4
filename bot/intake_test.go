package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// toNIK is the way of p to the third question (the NIK in testCourse's
// form of six), in Indonesian or English.
func toNIK(p person, lang string) []action { return toQuestion3(p, lang, 6) }

func toQuestion3(p person, lang string, of int) []action {
	q := "Pertanyaan %d dari " + fmt.Sprint(of)
	register, agree := "Daftar", "Setuju"
	if lang == "en" {
		q, register, agree = "Question %d of "+fmt.Sprint(of), "Register", "I agree"
	}
	return []action{
		says("/start", ""),
		presses(register, ""),
		presses(agree, fmt.Sprintf(q, 1)),
		says(p.name, fmt.Sprintf(q, 2)),
		sharesContact(p.phone, fmt.Sprintf(q, 3)),
	}
}

// toSummaryLang is toSummary in lang, p's experience given in English
// as "Beginner".
func toSummaryLang(p person, lang string) []action {
	if lang == "id" {
		return toSummary(p)
	}
	return append(toNIK(p, lang),
		says(p.nik, "Question 4 of 6"),
		says(p.birth, "Question 5 of 6"),
		says(p.address, "Question 6 of 6"),
		presses("Beginner", ""))
}

// intakeEnv is a bot whose course names a contact, on fixedNow's clock.
func intakeEnv(t *testing.T, adjust func(c *store.Course)) *env {
	t.Helper()
	e := newEnv(t)
	e.course.Contact = "0812-3456-7890 (Bu Rina)"
	if adjust != nil {
		adjust(&e.course)
	}
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID, ann.ID} }
	e.start()
	return e
}

// twin is a second Telegram account of p: another id, p's NIK.
func twin(p person, id int64, lang string) person {
	q := p
	q.user = telegramtest.User{ID: id, FirstName: p.user.FirstName + "2", LanguageCode: lang}
	q.phone = fmt.Sprintf("62813%08d", id%100000000)
	return q
}

// Ensure that a NIK that holds a seat is refused to a second Telegram
// account as soon as it is typed, in either language, kindly and naming
// the organisers' contact, and that the question is asked again with
// nothing stored; the second account's own NIK then goes on.
func TestBot_IntakeNIKTaken(t *testing.T) {
	for _, tc := range []struct{ lang, refusal, again, contact string }{
		{"id", "NIK ini sudah terdaftar di Angkatan 2 lewat akun Telegram lain", "Pertanyaan 3 dari 6", "hubungi panitia: 0812-3456-7890 (Bu Rina)"},
		{"en", "this NIK is already registered in Angkatan 2 from another Telegram account", "Question 3 of 6", "contact the organisers: 0812-3456-7890 (Bu Rina)"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := intakeEnv(t, nil)
			e.script(siti.user, toSummary(siti))
			e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
			other := twin(siti, 700101, tc.lang)
			e.script(other.user, toNIK(other, tc.lang))
			before := e.snapshot(other.user.ID)
			ms := e.text(other.user, siti.nik)
			if !said(ms, tc.refusal) || !said(ms, tc.contact) || !said(ms, tc.again) {
				t.Fatalf("the NIK of a seat typed from another account: %q", texts(ms))
			}
			if c, _ := e.conversation(other.user.ID); c.Answers["nik"] != "" || c.Step != 2 {
				t.Errorf("the refused NIK was kept: step %d", c.Step)
			}
			after := e.snapshot(other.user.ID)
			if len(after.Participants) != len(before.Participants) {
				t.Errorf("a refused NIK stored a registration")
			}
			if strings.Contains(e.logs.String(), siti.nik) {
				t.Errorf("the NIK is in the log")
			}
			e.act(other.user, says(personNIK(700101), strings.Replace(tc.again, "3", "4", 1)))
		})
	}
}

// Ensure that two accounts with one NIK that both reach the summary get
// one seat between them: the second Konfirmasi is refused in the seat
// transaction, kindly, with the answers kept for an Ubah.
func TestBot_IntakeNIKRace(t *testing.T) {
	e := intakeEnv(t, nil)
	other := twin(siti, 700102, "id")
	e.script(siti.user, toSummary(siti))
	e.script(other.user, toSummary(other))
	e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	ms := e.press(other.user, "Konfirmasi")
	if !said(ms, "lewat akun Telegram lain") || !said(ms, "Jawaban Anda masih tersimpan") {
		t.Fatalf("the second Konfirmasi of one NIK: %q", texts(ms))
	}
	if c, _ := e.conversation(other.user.ID); c.State != "edit_pick" || c.Answers["nik"] != siti.nik {
		t.Errorf("after the refusal: state %q, answers kept %v", c.State, c.Answers["nik"] == siti.nik)
	}
	if p := e.status(other.user.ID, "angkatan-2"); p.Status != "" {
		t.Errorf("the second account holds %q", p.Status)
	}
}

// Ensure that Ubah cannot take another person's NIK: the changed NIK is
// refused as it is typed and the registration keeps its own.
func TestBot_IntakeAmendNIK(t *testing.T) {
	for _, tc := range []struct{ lang, edit, field, refusal string }{
		{"id", "Ubah", "NIK (nomor induk kependudukan)", "lewat akun Telegram lain"},
		{"en", "Edit", "NIK (national identity number)", "from another Telegram account"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := intakeEnv(t, nil)
			e.script(siti.user, toSummary(siti))
			e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
			// Born on Siti's birthday: only the NIK rule can refuse.
			b := newPerson(700301, "Budi Santoso")
			b.user.LanguageCode = tc.lang
			e.script(b.user, toSummaryLang(b, tc.lang))
			e.act(b.user, presses(map[string]string{"id": "Konfirmasi", "en": "Confirm"}[tc.lang], ""))
			e.text(b.user, "/status")
			e.press(b.user, tc.edit)
			e.press(b.user, tc.field)
			ms := e.text(b.user, siti.nik)
			if !said(ms, tc.refusal) {
				t.Fatalf("Ubah to Siti's NIK: %q", texts(ms))
			}
			if p := e.status(b.user.ID, "angkatan-2"); p.Answers["nik"] != b.nik || p.Status != store.StatusRegistered {
				t.Errorf("Budi's registration after the refused Ubah: %s, own NIK kept %v", p.Status, p.Answers["nik"] == budi.nik)
			}
		})
	}
}

// Ensure that one account holds one place per course by default: with a
// seat in one batch, another batch of the course is not offered, and its
// deep link says why.
func TestBot_IntakeOnePlacePerCourse(t *testing.T) {
	e := intakeEnv(t, func(c *store.Course) {
		c.Batches = append(c.Batches, batchAt("angkatan-4", "Angkatan 4", time.Date(2027, 3, 1, 0, 0, 0, 0, jakarta), 5))
	})
	e.script(siti.user, toSummaryIn(siti, "angkatan-2"))
	e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	ms := e.text(siti.user, "/start angkatan-4")
	if !said(ms, "belum bisa mendaftar juga di Angkatan 4") || said(ms, "Tekan Daftar") {
		t.Fatalf("a deep link to a second batch: %q", texts(ms))
	}
}

// Ensure that a batch's eligibility refuses an age and a region as soon
// as the deciding answer is typed (the NIK gives both before the birth
// date is asked), with the rule's reason, in either language.
func TestBot_IntakeEligibility(t *testing.T) {
	young := newPerson(700201, "Dewi Lestari")
	young.nik, young.birth = "3509015708100001", "17-08-2010" // 16 on 1 February 2027
	for _, tc := range []struct {
		name, lang string
		el         store.Eligibility
		p          person
		want       string
	}{
		{"young id", "id", store.Eligibility{MinAge: 18}, young, "berusia minimal 18 tahun pada hari pertamanya (Senin, 1 Feb 2027)"},
		{"young en", "en", store.Eligibility{MinAge: 18}, young, "aged at least 18 on its first day (Monday, 1 Feb 2027)"},
		{"old id", "id", store.Eligibility{MaxAge: 30}, siti, "berusia paling tinggi 30 tahun"},
		{"region id", "id", store.Eligibility{Regions: []string{"3578"}}, siti, "hanya untuk penduduk wilayah tertentu"},
		{"region en", "en", store.Eligibility{Regions: []string{"3578"}}, siti, "only for residents of certain areas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := intakeEnv(t, func(c *store.Course) { c.Batches[1].Eligibility = tc.el })
			p := tc.p
			p.user.LanguageCode = tc.lang
			e.script(p.user, toNIK(p, tc.lang))
			ms := e.text(p.user, p.nik)
			if !said(ms, tc.want) || !said(ms, "0812-3456-7890") {
				t.Fatalf("NIK typed: %q, want %q", texts(ms), tc.want)
			}
			if c, _ := e.conversation(p.user.ID); c.Answers["nik"] != "" {
				t.Errorf("the refused NIK was kept")
			}
		})
	}
	t.Run("birth date", func(t *testing.T) {
		// Without a NIK in the form, the birth date decides.
		e := intakeEnv(t, func(c *store.Course) {
			c.Batches[1].Eligibility = store.Eligibility{MinAge: 18}
			c.Fields = append(c.Fields[:2], c.Fields[3:]...)
		})
		p := young
		e.script(p.user, toQuestion3(p, "id", 5))
		if ms := e.text(p.user, p.birth); !said(ms, "berusia minimal 18 tahun") || !said(ms, "Pertanyaan 3 dari 5") {
			t.Fatalf("birth date typed: %q", texts(ms))
		}
		e.act(p.user, says("17-08-1990", "Pertanyaan 4 dari 5"))
	})
}

// Ensure that 200 people with 150 NIKs among them who confirm at once for
// 16 seats get exactly 16 seats, no NIK twice, and that those who then
// join the waiting list at once never put a NIK there twice either.
func TestBot_IntakeBurst(t *testing.T) {
	e := intakeEnv(t, nil)
	n, niks := 200, 150
	if testing.Short() {
		n, niks = 60, 45
	}
	var users []telegramtest.User
	people := map[int64]person{}
	for i := range n {
		id := int64(910001 + i)
		p := newPerson(id, fmt.Sprintf("Peserta %d", i+1))
		p.nik = personNIK(int64(910001 + i%niks)) // the last accounts share the NIK of the first
		users = append(users, p.user)
		people[id] = p
	}
	for i := range toSummary(people[users[0].ID]) {
		e.actAll(users, action{do: func(e *env, u telegramtest.User) int64 { return toSummary(people[u.ID])[i].do(e, u) }})
	}
	for _, u := range users {
		if c, _ := e.conversation(u.ID); c.State != "summary" {
			t.Fatalf("%s is at %q, not at the summary", u.FirstName, c.State)
		}
	}
	got := e.actAll(users, presses("Konfirmasi", ""))
	var full []telegramtest.User
	seated := 0
	for _, u := range users {
		switch ms := got[u.ID]; {
		case said(ms, "Pendaftaran berhasil"):
			seated++
		case said(ms, "sudah penuh"):
			full = append(full, u)
		case said(ms, "lewat akun Telegram lain"):
		default:
			t.Errorf("%s got %q", u.FirstName, texts(ms))
		}
	}
	checkPlaces := func(what string) {
		t.Helper()
		holders := map[string]int64{}
		registered := 0
		for _, p := range e.participants() {
			if p.Batch != "angkatan-2" || !p.Status.HoldsPlace() {
				continue
			}
			if p.Status == store.StatusRegistered {
				registered++
			}
			if o, dup := holders[p.Answers["nik"]]; dup {
				t.Errorf("%s: one NIK holds places for accounts %d and %d", what, o, p.UserID)
			}
			holders[p.Answers["nik"]] = p.UserID
		}
		if registered != 16 {
			t.Errorf("%s: %d seats taken, want 16", what, registered)
		}
	}
	if seated != 16 {
		t.Errorf("%d told they have a seat, want 16", seated)
	}
	checkPlaces("after Konfirmasi")
	joined := e.actAll(full, presses("Masuk daftar tunggu", ""))
	positions := map[int]bool{}
	for _, u := range full {
		for _, m := range joined[u.ID] {
			if _, rest, ok := strings.Cut(m.Text, "urutan ke-"); ok {
				var pos int
				fmt.Sscanf(rest, "%d", &pos)
				if positions[pos] {
					t.Errorf("waiting position %d told twice", pos)
				}
				positions[pos] = true
			}
		}
	}
	for pos := 1; pos <= len(positions); pos++ {
		if !positions[pos] {
			t.Errorf("waiting positions have a gap at %d", pos)
		}
	}
	checkPlaces("after joining the waiting list")
	t.Logf("%d people, %d NIKs: 16 seats, %d told full, %d waiting", n, niks, len(full), len(positions))
	if len(positions) == 0 || len(positions) > niks-16 {
		t.Errorf("%d waiting, want between 1 and %d (one per NIK without a seat)", len(positions), niks-16)
	}
	e.assertIdle()
}

// Ensure that a phone number two people gave is no refusal, and that
// organisers are warned of it in the /peserta list and in each person's
// details, in their language; and that a NIK refused to another account
// is in /log without the NIK.
func TestBot_IntakeOrganiserView(t *testing.T) {
	e := intakeEnv(t, nil)
	sister := newPerson(700401, "Sri Wahyuni")
	sister.phone = siti.phone // one family, one phone
	e.script(siti.user, toSummary(siti))
	e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.script(sister.user, toSummary(sister))
	e.act(sister.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.script(budi.user, toSummary(budi))
	e.act(budi.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	other := twin(siti, 700402, "id")
	e.script(other.user, toNIK(other, "id"))
	e.act(other.user, says(siti.nik, "lewat akun Telegram lain"))

	list := last(t, e.text(rina, "/peserta angkatan-2"))
	for _, want := range []string{"1. Siti Aminah · +" + siti.phone + " ⚠️", "2. Sri Wahyuni · +" + siti.phone + " ⚠️", "⚠️ nomor HP yang dipakai lebih dari satu orang"} {
		if !strings.Contains(list.Text, want) {
			t.Errorf("list lacks %q:\n%s", want, list.Text)
		}
	}
	if strings.Contains(list.Text, budi.phone+" ⚠️") {
		t.Errorf("Budi's own phone is marked:\n%s", list.Text)
	}
	detail := last(t, e.press(rina, "2. Sri Wahyuni"))
	if !strings.Contains(detail.Text, "⚠️ Nomor HP ini juga dipakai oleh: Siti Aminah (Angkatan 2)") {
		t.Errorf("Sri's details lack the warning:\n%s", detail.Text)
	}
	detail = last(t, e.press(rina, "3. Budi Santoso"))
	if strings.Contains(detail.Text, "juga dipakai") {
		t.Errorf("Budi's details warn:\n%s", detail.Text)
	}
	log := last(t, e.text(rina, "/log"))
	if !strings.Contains(log.Text, "#700402") || !strings.Contains(log.Text, "memakai NIK yang sudah memegang tempat di Angkatan 2") || strings.Contains(log.Text, siti.nik) {
		t.Errorf("/log:\n%s", log.Text)
	}
	// In English for an English-speaking organiser.
	if en := last(t, e.text(ann, "/participants angkatan-2")); !strings.Contains(en.Text, "⚠️ a phone number used by more than one person") {
		t.Errorf("English list:\n%s", en.Text)
	}
	if d := last(t, e.press(ann, "1. Siti Aminah")); !strings.Contains(d.Text, "⚠️ This phone number is also used by: Sri Wahyuni (Angkatan 2)") {
		t.Errorf("English details:\n%s", d.Text)
	}
}

// Ensure that a batch chosen again with the answers given (its first
// choice filled up) is checked at once: the NIK that holds a place there
// under another account is refused on the button, and the choice stays.
func TestBot_IntakeBatchChoice(t *testing.T) {
	e := intakeEnv(t, func(c *store.Course) {
		c.MaxBatchesPerPerson = 2
		c.Batches[1].Capacity = 1
		c.Batches = append(c.Batches, batchAt("angkatan-4", "Angkatan 4", time.Date(2027, 3, 1, 0, 0, 0, 0, jakarta), 5))
	})
	other := twin(siti, 700501, "id")
	e.script(other.user, toSummaryIn(other, "angkatan-4"))
	e.act(other.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.script(budi.user, toSummaryIn(budi, "angkatan-2"))
	e.act(budi.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.script(siti.user, toSummaryIn(siti, "angkatan-2"))
	full := e.act(siti.user, presses("Konfirmasi", "sudah penuh"))
	ms := e.press(siti.user, labelFor(t, full, "Angkatan 4"))
	if !said(ms, "NIK ini sudah terdaftar di Angkatan 4 lewat akun Telegram lain") {
		t.Fatalf("choosing Angkatan 4 with the NIK held there: %q", texts(ms))
	}
	if c, _ := e.conversation(siti.user.ID); c.Batch == "angkatan-4" || c.State != "full" {
		t.Errorf("after the refusal: batch %q, state %q", c.Batch, c.State)
	}
}
