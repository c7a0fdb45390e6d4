package bot_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The organisers of the organiser tests: Rina and Dewi read Indonesian,
// Ann English.
var (
	rina = telegramtest.User{ID: 910001, FirstName: "Rina", LanguageCode: "id"}
	dewi = telegramtest.User{ID: 910002, FirstName: "Dewi", LanguageCode: "id"}
	ann  = telegramtest.User{ID: 910003, FirstName: "Ann", LanguageCode: "en"}
)

// runningBatch is a batch in session at fixedNow (day 4 of 7), for roll
// calls.
var runningBatch = store.Batch{
	ID: "angkatan-3", Name: "Angkatan 3", Start: time.Date(2026, 11, 25, 0, 0, 0, 0, jakarta),
	Days: 7, Capacity: 30, DailyStart: "08:00", DailyEnd: "15:00",
}

// orgEnv starts a bot whose organisers are Rina, Dewi and Ann and whose
// dispatcher sends 30 messages a second; withRunning adds runningBatch.
func orgEnv(t *testing.T, withRunning bool) *env {
	t.Helper()
	e := newEnv(t)
	e.opt = func(o *bot.Options) {
		o.Admins = []int64{rina.ID, dewi.ID, ann.ID}
		o.SendRate = 30
	}
	if withRunning {
		e.course.Batches = append(e.course.Batches, runningBatch)
	}
	e.start()
	return e
}

// seeded is someone put into the store by orgSeed.
type seeded struct {
	id    int64
	name  string
	phone string
}

// orgSeed stores n people from user id first on, each with a conversation
// and, unless status is "", a registration in batch with that status
// (seats regardless of the batch's capacity).
func (e *env) orgSeed(batch string, status store.Status, first int64, n int) []seeded {
	e.t.Helper()
	var out []seeded
	err := e.db.Update(func(tx *store.Tx) error {
		for i := range n {
			s := seeded{id: first + int64(i), name: fmt.Sprintf("Peserta %03d", i+1), phone: fmt.Sprintf("+62812%08d", first+int64(i))}
			out = append(out, s)
			if err := tx.PutConversation(store.Conversation{UserID: s.id, ChatID: s.id, Lang: "id", State: "done"}); err != nil {
				return err
			}
			p := store.Participant{
				UserID: s.id, ChatID: s.id, Batch: batch, Lang: "id", RegisteredAt: fixedNow,
				Answers: map[string]string{"name": s.name, "phone": s.phone, "nik": "3509014501900001", "experience": "Pemula"},
			}
			var err error
			switch status {
			case store.StatusRegistered:
				_, err = tx.ConfirmSeat(p, 1<<20)
			case store.StatusWaiting:
				_, err = tx.JoinWaitingList(store.Seats{Batch: store.Batch{ID: p.Batch}}, p, time.Now())
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatalf("seed: %v", err)
	}
	return out
}

// orgWaitFor waits until cond holds, looking again whenever the bot does
// something and at least every 200 ms.
func (e *env) orgWaitFor(what string, within time.Duration, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: not within %v", what, within)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		e.srv.WaitSent(ctx, e.srv.LastSeq(), nil)
		cancel()
	}
}

// forge presses data on message msg of u's chat as a forged or saved
// press and returns what the bot did in u's chat.
func (e *env) forge(u telegramtest.User, msg int64, data string) []telegramtest.Message {
	e.t.Helper()
	return e.step(u.ID, func() int64 { return e.srv.Callback(u, msg, data) })
}

// withMethod returns the actions of ms made with method.
func withMethod(ms []telegramtest.Message, method string) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range ms {
		if m.Method == method {
			out = append(out, m)
		}
	}
	return out
}

// lastEdit returns the text of the last edit in ms.
func lastEdit(t *testing.T, ms []telegramtest.Message) telegramtest.Message {
	t.Helper()
	es := withMethod(ms, "editMessageText")
	if len(es) == 0 {
		t.Fatalf("no message was edited (actions: %q)", methodsOf(ms))
	}
	return es[len(es)-1]
}

func methodsOf(ms []telegramtest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Method)
	}
	return out
}

// auditLog reads the newest audit entries.
func (e *env) auditLog() []store.AuditEntry {
	e.t.Helper()
	var es []store.AuditEntry
	if err := e.db.View(func(tx *store.Tx) error { var err error; es, err = tx.AuditLog(1000); return err }); err != nil {
		e.t.Fatal(err)
	}
	return es
}

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
		_, err = tx.UpdateAnswers("angkatan-2", odd.id, p.Answers)
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
	for _, want := range []string{"Peserta 012", "Angkatan 2 · 12. · terdaftar", "Kehadiran: 0 dari 7 hari", ": 3509014501900001", reg[11].phone, "Pengalaman menjahit: Pemula", "Tanggal lahir", ": –"} {
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
	if !slices.Equal(labels(pick), []string{"Angkatan 1 · ditutup", "Angkatan 2 · ditutup"}) {
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

// Ensure that /ekspor sends the XLSX and the CSV as documents under their
// names and logs the export, and /statistik the text and the chart.
func TestOrganiser_ExportStatistics(t *testing.T) {
	e := orgEnv(t, false)
	ps := e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 3)

	ms := e.text(rina, "/ekspor")
	docs := withMethod(ms, "sendDocument")
	want := []string{report.ExportFileName("", fixedNow, "xlsx"), report.ExportFileName("", fixedNow, "csv")}
	if len(docs) != 2 || docs[0].FileName != want[0] || docs[1].FileName != want[1] {
		t.Fatalf("documents %+v, want %q", docs, want)
	}
	if !strings.HasPrefix(string(docs[1].FileData), "\ufeffseat,batch,status") || !strings.Contains(string(docs[1].FileData), ps[2].name) {
		t.Errorf("CSV:\n%s", docs[1].FileData)
	}
	if !strings.HasPrefix(string(docs[0].FileData), "PK") {
		t.Error("the XLSX is not a zip file")
	}
	ms = e.text(rina, "/export angkatan-2")
	if docs := withMethod(ms, "sendDocument"); len(docs) != 2 || docs[0].FileName != report.ExportFileName("angkatan-2", fixedNow, "xlsx") {
		t.Errorf("batch export %+v", docs)
	}
	es := e.auditLog()
	if len(es) != 2 || es[0].Action != store.AuditExport || es[0].Batch != "angkatan-2" || es[1].Batch != "" {
		t.Errorf("audit %+v", es)
	}

	ms = e.text(rina, "/statistik")
	if len(sends(ms)) != 1 || len(withMethod(ms, "sendPhoto")) != 1 {
		t.Errorf("statistics: %q", methodsOf(ms))
	}
	if photo := withMethod(ms, "sendPhoto"); len(photo) == 1 && !strings.HasPrefix(string(photo[0].FileData), "\x89PNG") {
		t.Error("the chart is not a PNG")
	}
	e.assertIdle()
}

// Ensure that the organisers' command menu lists their commands in both
// languages, for each of them only.
func TestOrganiser_Commands(t *testing.T) {
	e := orgEnv(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	// 3 languages × (participants + 3 organisers).
	if err := e.srv.WaitRequests(ctx, "setMyCommands", 12); err != nil {
		t.Fatal(err)
	}
	e.orgWaitFor("menus stored", wait, func() bool { return len(e.srv.Commands()) == 12 })
	id := []string{"jadwal", "umumkan", "umumkan_status", "peserta", "absen", "ekspor", "statistik", "buka", "tutup", "log"}
	en := []string{"schedule", "announce", "announce_status", "participants", "attendance", "export", "statistics", "open", "close", "log"}
	for sc, cmds := range e.srv.Commands() {
		var names []string
		for _, c := range cmds {
			names = append(names, c.Command)
			if c.Description == "" {
				t.Errorf("%+v: /%s has no description", sc, c.Command)
			}
		}
		switch {
		case sc.Type == "all_private_chats":
			if slices.Contains(names, "umumkan") || slices.Contains(names, "announce") {
				t.Errorf("participants' menu %+v lists organiser commands: %q", sc, names)
			}
		case sc.Type == "chat" && (sc.ChatID == rina.ID || sc.ChatID == dewi.ID || sc.ChatID == ann.ID):
			want := id
			if sc.LanguageCode == "en" {
				want = en
			}
			if !reflect.DeepEqual(names[len(names)-len(want):], want) {
				t.Errorf("menu of %+v ends %q, want %q", sc, names, want)
			}
		default:
			t.Errorf("menu for %+v", sc)
		}
	}
}

// Ensure that an export of an unknown batch says which batches there are
// and sends nothing.
func TestOrganiser_UnknownBatchExport(t *testing.T) {
	e := orgEnv(t, false)
	ms := e.text(rina, "/ekspor angkatan-9")
	if !said(ms, "tidak dikenal") || len(withMethod(ms, "sendDocument")) != 0 {
		t.Errorf("unknown batch export: %q", methodsOf(ms))
	}
	if es := e.auditLog(); len(es) != 0 {
		t.Errorf("audit %+v", es)
	}
	e.assertIdle()
}
