package bot_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// sri comes to the desk without Telegram, and later opens her link.
var sri = telegramtest.User{ID: 800001, FirstName: "Sri", LanguageCode: "id"}

// claimLink finds the claim link in an organiser's message.
var claimLink = regexp.MustCompile(`https://t\.me/daftar_test_bot\?start=(klaim-[0-9a-z]{16})`)

// deskForm answers the walk-in form as organiser u, in the language of
// the labels given: consent, then the six questions (one wrong phone
// number on the way), and returns the summary.
func (e *env) deskForm(u telegramtest.User, agree, name, phone, nik, birth, experience string) telegramtest.Message {
	e.t.Helper()
	q := last(e.t, e.press(u, agree))
	if !strings.Contains(q.Text, "1") || !strings.Contains(q.Text, "Nama lengkap") && !strings.Contains(q.Text, "Full name") {
		e.t.Fatalf("first question %q", q.Text)
	}
	e.text(u, name)
	// A wrong phone number: the explanation, then the same question.
	bad := sends(e.text(u, "bukan nomor"))
	if len(bad) != 2 || !strings.Contains(bad[1].Text, "2 dari 6") && !strings.Contains(bad[1].Text, "2 of 6") {
		e.t.Fatalf("a wrong phone number got %q", texts(bad))
	}
	e.text(u, phone)
	e.text(u, nik)
	e.text(u, birth)
	e.text(u, "Dusun Krajan, Ajung")
	return last(e.t, e.press(u, experience))
}

// exportedTelegram returns the telegram cell of each person in the CSV
// rina's /ekspor of batch sends, by name.
func (e *env) exportedTelegram(t *testing.T, batch string) map[string]string {
	t.Helper()
	docs := withMethod(e.text(rina, "/ekspor "+batch), "sendDocument")
	if len(docs) != 2 {
		t.Fatalf("/ekspor sent %d documents, want the XLSX and the CSV", len(docs))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(docs[1].FileData, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) == 0 || rows[0][len(rows[0])-1] != "telegram" {
		t.Fatalf("CSV records %q: %v; want telegram the last column", rows, err)
	}
	out := map[string]string{}
	for _, row := range rows[1:] {
		out[row[slices.Index(rows[0], "name")]] = row[len(row)-1]
	}
	return out
}

// Ensure that an organiser registers a walk-in at the desk with the
// participants' questions and checks, that the walk-in is listed,
// exported (telegram "no") and counted in /statistik without Telegram and
// sent nothing, and that the claim link (also after a
// restart) attaches the registration to the account that opens it, once;
// a used, forged or mistyped link and an account already in the batch
// are refused kindly.
func TestEnrol_Claim(t *testing.T) {
	e, seated, _ := deskEnv(t)
	// Angkatan 2 is full: it is refused at once.
	if got := last(t, e.text(rina, "/daftarkan angkatan-2")); !strings.Contains(got.Text, "tidak bisa menerima pendaftaran ini: kursinya sudah penuh") {
		t.Errorf("full batch: %q", got.Text)
	}
	consent := last(t, e.text(rina, "/daftarkan"))
	if !strings.Contains(consent.Text, "Bacakan") || !strings.Contains(consent.Text, "diberikan langsung kepada Anda") ||
		!slices.Equal(labels(consent), []string{"Setuju", "Tidak setuju", "Batal"}) {
		t.Fatalf("consent %q %q", consent.Text, labels(consent))
	}
	summary := e.deskForm(rina, "Setuju", "Sri Wahyuni", "081234567890", "3509124507920003", "05-07-1992", "Sudah bisa")
	for _, want := range []string{"Angkatan 4", "Sri Wahyuni", "+6281234567890", "3509124507920003", "Sudah bisa"} {
		if !strings.Contains(summary.Text, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.Text)
		}
	}
	e.restart() // the form survives it
	done := last(t, e.press(rina, "Konfirmasi"))
	m := claimLink.FindStringSubmatch(done.Text)
	if m == nil || !strings.Contains(done.Text, "Terdaftar di Angkatan 4, kursi 1") {
		t.Fatalf("done %q", done.Text)
	}
	start := m[1]
	if got := last(t, e.text(rina, "/peserta angkatan-4")); !strings.Contains(got.Text, "1. Sri Wahyuni · +6281234567890 · terdaftar · tanpa Telegram") {
		t.Errorf("list:\n%s", got.Text)
	}
	if got := last(t, e.press(rina, "1. Sri Wahyuni")); !strings.Contains(got.Text, "tanpa Telegram") || !strings.Contains(got.Text, "penyelenggara #910001") {
		t.Errorf("detail:\n%s", got.Text)
	}
	if got := e.exportedTelegram(t, "angkatan-4"); len(got) != 1 || got["Sri Wahyuni"] != "no" {
		t.Errorf("/ekspor's telegram cells before the claim %q, want Sri Wahyuni no", got)
	}
	if got := last(t, e.text(rina, "/statistik")); !strings.Contains(got.Text, "Tanpa Telegram: 1 ") {
		t.Errorf("/statistik before the claim:\n%s", got.Text)
	}
	var walkin store.Participant
	for _, p := range e.participants() {
		if p.Batch == "angkatan-4" {
			walkin = p
		}
	}
	if !store.IsWalkIn(walkin.UserID) || walkin.ConsentBy != rina.ID || walkin.ConsentAt.IsZero() || walkin.Answers["nik"] != "3509124507920003" || walkin.Lang != "" {
		t.Errorf("walk-in %+v", walkin)
	}
	e.restart() // the link survives it
	seq := e.srv.LastSeq()
	if got := last(t, e.text(sri, "/start "+strings.ToUpper(start))); !strings.Contains(got.Text, "kini tertaut ke akun Telegram ini") || !strings.Contains(got.Text, "Angkatan 4") {
		t.Fatalf("claim: %q", got.Text)
	}
	if p := e.status(sri.ID, "angkatan-4"); p.Status != store.StatusRegistered || p.Seat != 1 || p.ConsentBy != rina.ID || p.ChatID != sri.ID {
		t.Errorf("claimed %+v", p)
	}
	if got := last(t, e.text(sri, "/status")); !strings.Contains(got.Text, "Angkatan 4") {
		t.Errorf("/status after the claim: %q", got.Text)
	}
	eko := telegramtest.User{ID: 800002, FirstName: "Eko", LanguageCode: "id"}
	for _, forged := range []string{"/start " + start, "/start klaim-abcdefghjkmnpqrs", "/start klaim-<b>x</b>", "/start klaim-"} {
		before := e.snapshot(eko.ID)
		if got := last(t, e.text(eko, forged)); !strings.Contains(got.Text, "Tautan ini tidak berlaku") {
			t.Errorf("%q: %q", forged, got.Text)
		}
		e.assertUnchanged(before, eko.ID)
	}
	if got := last(t, e.text(rina, "/peserta angkatan-4")); strings.Contains(got.Text, "tanpa Telegram") {
		t.Errorf("list after the claim:\n%s", got.Text)
	}
	if got := e.exportedTelegram(t, "angkatan-4"); len(got) != 1 || got["Sri Wahyuni"] != "yes" {
		t.Errorf("/ekspor's telegram cells after the claim %q, want Sri Wahyuni yes", got)
	}
	if got := last(t, e.text(rina, "/statistik")); strings.Contains(got.Text, "Tanpa Telegram") {
		t.Errorf("/statistik after the claim:\n%s", got.Text)
	}
	// A NIK holding a place in the batch is refused as soon as it is typed.
	e.text(rina, "/daftarkan angkatan-4")
	e.press(rina, "Setuju")
	e.text(rina, "Orang Lain")
	e.text(rina, "085700000001")
	refused := sends(e.text(rina, "3509124507920003"))
	if len(refused) != 2 || !strings.Contains(refused[0].Text, "NIK ini sudah memegang tempat di sana") || !strings.Contains(refused[1].Text, "3 dari 6") {
		t.Errorf("a NIK holding a place: %q", texts(refused))
	}
	if got := last(t, e.text(rina, "/batal")); !strings.Contains(got.Text, "dibatalkan") {
		t.Errorf("/batal: %q", got.Text)
	}
	// A second walk-in's link, opened by someone with a seat there already.
	e.text(rina, "/daftarkan angkatan-4")
	e.deskForm(rina, "Setuju", "Rudi Hartono", "085712345678", "3509121208850002", "12-08-1985", "Pemula")
	second := claimLink.FindStringSubmatch(last(t, e.press(rina, "Konfirmasi")).Text)
	if second == nil {
		t.Fatal("no second link")
	}
	if got := last(t, e.text(sri, "/start "+second[1])); !strings.Contains(got.Text, "sudah punya tempat di <b>Angkatan 4</b>") && !strings.Contains(got.Text, "sudah punya tempat di Angkatan 4") {
		t.Errorf("held: %q", got.Text)
	}
	// It still works for the right person.
	if got := last(t, e.text(eko, "/start "+second[1])); !strings.Contains(got.Text, "kini tertaut") {
		t.Errorf("second claim by its owner: %q", got.Text)
	}
	for _, m := range e.srv.Sent() {
		if m.ChatID <= 0 {
			t.Errorf("sent to chat %d: %+v", m.ChatID, m)
		}
	}
	_ = seq
	actions := map[string]int{}
	for _, a := range e.auditLog() {
		actions[a.Action]++
	}
	if actions[store.AuditWalkInEnrolled] != 2 || actions[store.AuditWalkInClaimed] != 2 {
		t.Errorf("audit log %v", actions)
	}
	if got := last(t, e.text(rina, "/log")); !strings.Contains(got.Text, "mendaftarkan") || !strings.Contains(got.Text, "ditautkan ke akun Telegram") {
		t.Errorf("/log:\n%s", got.Text)
	}
	_ = seated
	e.assertIdle()
}

// Ensure the desk registration in English, that Cancel drops it without
// keeping the answers, that an older screen's button is stale, that a
// refusal of consent keeps nothing, and that someone who is not an
// organiser has no /enrol.
func TestEnrol_English(t *testing.T) {
	e, _, _ := deskEnv(t)
	stranger := telegramtest.User{ID: 777002, FirstName: "Joe", LanguageCode: "en"}
	if got := last(t, e.text(stranger, "/enrol")); strings.Contains(got.Text, "desk") {
		t.Errorf("a stranger's /enrol: %q", got.Text)
	}
	e.text(ann, "/enrol")
	if got := last(t, e.press(ann, "I do not agree")); !strings.Contains(got.Text, "Without consent nothing is kept") {
		t.Errorf("declined: %q", got.Text)
	}
	consent := last(t, e.text(ann, "/enrol"))
	if !strings.Contains(consent.Text, "Read or show this to the person") {
		t.Fatalf("consent %q", consent.Text)
	}
	q := last(t, e.press(ann, "I agree"))
	e.text(ann, "Someone Half")
	if got := last(t, e.press(ann, "Cancel")); !strings.Contains(got.Text, "was cancelled") {
		t.Errorf("cancel: %q", got.Text)
	}
	if ms := e.forge(ann, q.MessageID, buttonData(t, q, "Back")); shown(ms, "question") {
		t.Errorf("an old screen's Back: %q", texts(ms))
	}
	// /cancel drops a form going on too; the next message is no answer.
	e.text(ann, "/enrol angkatan-4")
	e.press(ann, "I agree")
	if got := last(t, e.text(ann, "/cancel")); !strings.Contains(got.Text, "was cancelled") {
		t.Errorf("/cancel in the form: %q", got.Text)
	}
	if got := e.text(ann, "Someone Else"); shown(got, "question 2") {
		t.Errorf("a message after /cancel was taken as an answer: %q", texts(got))
	}
	e.text(ann, "/enrol angkatan-4")
	summary := e.deskForm(ann, "I agree", "Mary Ann", "+6281298765432", "3509124507920003", "05-07-1992", "Beginner")
	if !strings.Contains(summary.Text, "Summary of the desk registration") || !strings.Contains(summary.Text, "Beginner") {
		t.Errorf("summary %q", summary.Text)
	}
	done := last(t, e.press(ann, "Confirm"))
	m := claimLink.FindStringSubmatch(done.Text)
	if m == nil || !strings.Contains(done.Text, "Registered in Angkatan 4, seat 1") {
		t.Fatalf("done %q", done.Text)
	}
	mary := telegramtest.User{ID: 800003, FirstName: "Mary", LanguageCode: "en"}
	if got := last(t, e.text(mary, "/start "+m[1])); !strings.Contains(got.Text, "is now attached to this Telegram account") {
		t.Errorf("claim: %q", got.Text)
	}
	if p := e.status(mary.ID, "angkatan-4"); p.Answers["experience"] != "Pemula" || p.Lang != "en" {
		t.Errorf("claimed %+v", p)
	}
	if got := last(t, e.text(mary, "/start "+m[1])); !strings.Contains(got.Text, "This link does not work") {
		t.Errorf("second claim: %q", got.Text)
	}
	e.assertIdle()
}
