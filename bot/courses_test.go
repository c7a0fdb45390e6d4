package bot_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The organisers of one course each: Joko the sewing course's, Lala the
// welding course's; Rina (telegram.admins) organises both.
var (
	joko = telegramtest.User{ID: 920001, FirstName: "Joko", LanguageCode: "id"}
	lala = telegramtest.User{ID: 920002, FirstName: "Lala", LanguageCode: "id"}
)

// weldingCourse is the second course of config.example.toml: welding,
// two batches, its own form and organiser (Lala), and a batch in session
// at fixedNow for roll calls.
func weldingCourse() store.Course {
	day := func(m time.Month, d int) time.Time {
		y := 2027
		if m > time.June {
			y = 2026
		}
		return time.Date(y, m, d, 0, 0, 0, 0, jakarta)
	}
	b := func(id, name string, start time.Time, open bool) store.Batch {
		return store.Batch{ID: id, Name: name, Start: start, Days: 6, Capacity: 10, DailyStart: "08:00", DailyEnd: "14:00", Open: open}
	}
	return store.Course{
		ID: "las", Admins: []int64{lala.ID},
		Title: "Pelatihan Las Listrik", Organiser: "UPT BLK Jember", Venue: "Bengkel Las, UPT BLK Jember",
		Location: jakarta, Language: "id", Bring: "Sepatu kerja, KTP", CertificateMinDays: 5, RetentionDays: 365,
		Batches: []store.Batch{
			b("las-0", "Gelombang 0", day(time.November, 26), false),
			b("las-1", "Gelombang 1", day(time.March, 1), true),
			b("las-2", "Gelombang 2", day(time.April, 5), true),
		},
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama lengkap (sesuai KTP)", Min: 3, Max: 80},
			{Key: "phone", Kind: store.KindPhone, Label: "Nomor HP/WhatsApp"},
			{Key: "welded", Kind: store.KindChoice, Label: "Pernah mengelas?", Options: []string{"Belum pernah", "Sudah pernah"}},
		},
	}
}

// coursesEnv starts a bot of two courses: sewing (Joko's, with
// runningBatch) and welding (Lala's); Rina organises both.
func coursesEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.course.ID, e.course.Admins = "menjahit", []int64{joko.ID}
	e.course.Batches = append(e.course.Batches, runningBatch)
	e.more = []store.Course{weldingCourse()}
	e.opt = func(o *bot.Options) {
		o.Admins = []int64{rina.ID}
		o.SendRate = 30
	}
	e.start()
	return e
}

// labelStarting returns the label of the button starting with prefix on
// the newest bot message in u's chat that has one.
func (e *env) labelStarting(u telegramtest.User, prefix string) string {
	e.t.Helper()
	ms := sends(e.srv.SentTo(u.ID))
	for i := len(ms) - 1; i >= 0; i-- {
		cur, _ := e.srv.Current(u.ID, ms[i].MessageID)
		for _, l := range labels(cur) {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
	}
	e.t.Fatalf("no button starting with %q in %s's chat", prefix, u.FirstName)
	return ""
}

// Ensure that choosing a course reads as the golden transcript says: the
// courses open with their batches' dates and seats, a course's welcome, its
// own form, /status naming the course, and deep links to a course and to a
// batch of the other course.
func TestBot_TranscriptCourses(t *testing.T) {
	e := coursesEnv(t)
	tr := &transcript{e: e, u: telegramtest.User{ID: 700003, FirstName: "Budi", LanguageCode: "id"}}
	fmt.Fprintf(&tr.b, "# Choosing a course, when the bot serves two (sewing and welding).\n# Golden file of TestBot_TranscriptCourses: go test ./bot -run TestBot_TranscriptCourses -update\n")
	tr.say("/start")
	tr.press("Pelatihan Las Listrik")
	tr.press("Daftar")
	tr.press("Setuju")
	tr.press(e.labelStarting(tr.u, "Gelombang 1"))
	tr.say("Budi Santoso")
	tr.shareContact("6285712345678")
	tr.press("Sudah pernah")
	tr.press("Konfirmasi")
	tr.say("/status")
	tr.say("/start")
	tr.say("/start menjahit")
	tr.say("/start las-2")
	tr.say("/start angkatan-9")
	tr.say("/dataku")

	ps := e.participants()
	if len(ps) != 1 || ps[0].Batch != "las-1" || ps[0].Answers["welded"] != "Sudah pernah" || len(ps[0].Answers) != 3 {
		t.Errorf("participants %+v", ps)
	}
	if c, _ := e.conversation(tr.u.ID); c.Course != "las" {
		t.Errorf("conversation's course %q, want las (the last deep link's)", c.Course)
	}
	golden(t, filepath.Join("testdata", "courses_id.golden"), tr.b.String())
}

// Ensure that a person holding a seat in one course's batch is not
// offered another course's batch on the same days.
func TestBot_CoursesOverlap(t *testing.T) {
	e := coursesEnv(t)
	welding := weldingCourse()
	welding.Batches[1].Start = e.course.Batches[1].Start.AddDate(0, 0, 2) // las-1 during angkatan-2
	e.more = []store.Course{welding}
	e.restart()
	e.orgSeed("angkatan-2", store.StatusRegistered, 3001, 1)
	u := telegramtest.User{ID: 3001, FirstName: "Peserta", LanguageCode: "id"}
	e.text(u, "/start las")
	e.press(u, "Daftar")
	e.press(u, "Setuju")
	choice := last(t, e.srv.SentTo(u.ID))
	for _, l := range labels(choice) {
		if strings.HasPrefix(l, "Gelombang 1") {
			t.Errorf("las-1 offered although it overlaps the seat in angkatan-2: %q", labels(choice))
		}
	}
}

// Ensure that a course's organiser sees and acts on their course only:
// every command naming another course's batch or course is answered as
// for a batch they do not have, every button of another course's
// organiser and every forged press for another course's batch, course or
// audience is stale, and nothing of the other course is shown, sent or
// changed. telegram.admins (Rina) are asked which course.
func TestAuthorization_Courses(t *testing.T) {
	e := coursesEnv(t)
	sewing := append(e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 3), e.orgSeed("angkatan-2", store.StatusRegistered, 2001, 2)...)
	welders := append(e.orgSeed("las-0", store.StatusRegistered, 5001, 2), e.orgSeed("las-1", store.StatusRegistered, 6001, 1)...)

	// Joko leaves the sewing course's buttons of every kind in his chat.
	e.text(joko, "/umumkan")
	e.text(joko, "Pengumuman menjahit")
	e.press(joko, "Pelatihan Menjahit (5)")
	e.press(joko, "Kirim")
	e.waitReported(1, 20*time.Second)
	e.text(joko, "/umumkan")
	e.text(joko, "Pengumuman menjahit yang lain")
	e.press(joko, "Pelatihan Menjahit (5)")
	e.text(joko, "/peserta")
	e.text(joko, "/peserta angkatan-3")
	e.text(joko, "/absen angkatan-3")
	e.text(joko, "/buka")
	e.text(joko, "/tutup angkatan-2")
	e.text(joko, "/umumkan")
	e.text(joko, "Pengumuman menjahit kedua")
	// Batal on a confirmation names no course: it only dismisses the
	// pressed message, in the presser's own chat.
	sewingButtons := slices.DeleteFunc(e.orgButtons(joko.ID), func(d string) bool { return strings.HasSuffix(d, ":az") })
	for _, act := range []string{":aa:", ":as", ":ap:", ":ai:", ":at:", ":ak:", ":ac:"} {
		if !slices.ContainsFunc(sewingButtons, func(d string) bool { return strings.Contains(d, act) }) {
			t.Errorf("no real button with %q among %q", act, sewingButtons)
		}
	}

	// Lala does her own course's work, and sees only it.
	secrets := []string{"Pengumuman menjahit", "Pelatihan Menjahit", "angkatan-1", "Angkatan 1"}
	for _, p := range sewing {
		secrets = append(secrets, p.name, p.phone)
	}
	checkNoSewing := func(what string, ms []telegramtest.Message) {
		t.Helper()
		for _, m := range ms {
			body := m.Text + m.Caption + strings.Join(labels(m), " ")
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("Lala, %s: the answer holds %q: %q %q", what, s, m.Text, labels(m))
				}
			}
			if m.Method == "sendDocument" && (strings.Contains(m.FileName, "angkatan") || strings.Contains(m.FileName, "menjahit")) {
				t.Errorf("Lala, %s: sent %s", what, m.FileName)
			}
		}
	}
	ms := e.text(lala, "/peserta")
	if got := last(t, ms); !slices.Equal(labels(got), []string{"Gelombang 0 (2)", "Gelombang 1 (1)", "Gelombang 2 (0)"}) {
		t.Errorf("Lala's /peserta: %q %q", got.Text, labels(got))
	}
	checkNoSewing("/peserta", ms)
	ms = e.text(lala, "/ekspor")
	docs := withMethod(ms, "sendDocument")
	if len(docs) != 2 || docs[0].FileName != "peserta-las-"+fixedNow.Format("2006-01-02")+".xlsx" {
		t.Errorf("Lala's /ekspor sent %q", methodsOf(ms))
	}
	checkNoSewing("/ekspor", ms)
	ms = e.text(lala, "/statistik")
	checkNoSewing("/statistik", ms)
	e.text(lala, "/umumkan")
	ms = e.text(lala, "Pengumuman las")
	if got := last(t, ms); !slices.Equal(labels(got), []string{"Pelatihan Las Listrik (3)", "Gelombang 0 (2)", "Gelombang 1 (1)", "Gelombang 2 (0)", "Daftar tunggu (0)", "Batal"}) {
		t.Errorf("Lala's audiences: %q", labels(got))
	}
	checkNoSewing("/umumkan", ms)
	draft := strings.Split(buttonData(t, last(t, ms), "Batal"), ":")[0]
	ms = e.text(lala, "/bantuan")
	if !said(ms, "Pelatihan Las Listrik (<code>las</code>)") && !said(ms, "Pelatihan Las Listrik (las)") {
		t.Errorf("Lala's /bantuan does not name her course: %q", texts(ms))
	}

	before := e.orgState()
	from := e.srv.LastSeq()
	for _, cmd := range []string{
		"/peserta angkatan-2", "/peserta Angkatan 3", "/peserta menjahit", "/absen angkatan-3", "/absen angkatan-3 2",
		"/buka angkatan-2", "/tutup angkatan-2", "/tutup Angkatan 2", "/ekspor angkatan-2", "/ekspor menjahit", "/statistik menjahit",
		"/jadwal", "/log", "/umumkan_status",
		"/sertifikat angkatan-2", "/sertifikat angkatan-3", "/daftarhadir angkatan-3", "/daftarhadir", "/laporan angkatan-3", "/laporan Angkatan 2",
	} {
		ms := e.text(lala, cmd)
		checkNoSewing(cmd, ms)
		for _, m := range ms {
			if m.Method == "sendDocument" && !strings.Contains(m.FileName, "las") {
				t.Errorf("Lala %s: sent %s", cmd, m.FileName)
			}
		}
	}
	onMsg := sends(e.srv.SentTo(lala.ID))
	stale, _ := toast(e.forge(lala, onMsg[len(onMsg)-1].MessageID, "0:nonsense"))
	forged := []string{
		"0:ap:angkatan-2", "1:ap:angkatan-3", "1001:ai:angkatan-3", "2001:ai:angkatan-2",
		"1001:at:angkatan-3_2_0", "0:ar:angkatan-3_2", "2:ad:angkatan-3", "0:ab:angkatan-3",
		"1:ak:angkatan-2", "0:ak:angkatan-2", "0:ao:angkatan-2", "0:ac:angkatan-2",
		"1:au:menjahit", "2:au:menjahit", "3:au:menjahit", "4:au:menjahit", "0:ae:angkatan-1", "0:ae:angkatan-3",
		draft + ":aa:b_angkatan-2", draft + ":aa:p_angkatan-2", draft + ":aa:c_menjahit", draft + ":aa:cw_menjahit", draft + ":aa:k_menjahit",
		draft + ":aa:all", draft + ":aa:wait", draft + ":aa:ever", draft + ":aa:b_nope",
	}
	for _, data := range append(slices.Clone(sewingButtons), forged...) {
		ms := e.forge(lala, onMsg[len(onMsg)-1].MessageID, data)
		if got, ok := toast(ms); !ok || got != stale {
			t.Errorf("Lala pressing %q: toast %q, want %q", data, got, stale)
		}
		for _, m := range ms {
			if m.Method != "answerCallbackQuery" && m.Method != "editMessageReplyMarkup" {
				t.Errorf("Lala pressing %q: the bot did %s", data, m.Method)
			}
		}
		checkNoSewing(data, ms)
	}
	if after := e.orgState(); !reflect.DeepEqual(before, after) {
		t.Errorf("the store changed:\nbefore %+v\nafter  %+v", before, after)
	}
	for _, m := range e.srv.Sent() {
		if m.Seq > from && m.ChatID != lala.ID {
			t.Errorf("the bot did %s in chat %d", m.Method, m.ChatID)
		}
	}

	// Joko, the other way round, gets nothing of welding.
	for _, data := range []string{"0:ap:las-0", "5001:ai:las-0", "5001:at:las-0_2_0", "0:ac:las-1", "3:au:las"} {
		if got, _ := toast(e.forge(joko, onMsg[0].MessageID, data)); got != stale {
			t.Errorf("Joko pressing %q: toast %q, want %q", data, got, stale)
		}
	}
	if ms := e.text(joko, "/peserta las-0"); said(ms, welders[0].name) {
		t.Errorf("Joko's /peserta las-0 shows a welder: %q", texts(ms))
	}

	// Rina organises both: she is asked which course.
	got := last(t, e.text(rina, "/ekspor"))
	if !slices.Equal(labels(got), []string{"Pelatihan Menjahit", "Pelatihan Las Listrik"}) {
		t.Fatalf("Rina's /ekspor: %q %q", got.Text, labels(got))
	}
	ms = e.press(rina, "Pelatihan Las Listrik")
	if docs := withMethod(ms, "sendDocument"); len(docs) != 2 || !strings.Contains(docs[1].FileName, "peserta-las-") {
		t.Errorf("Rina's export of welding: %q", methodsOf(ms))
	}
	e.text(rina, "/umumkan")
	got = last(t, e.text(rina, "Untuk semua"))
	if !slices.Equal(labels(got), []string{"Pelatihan Menjahit", "Pelatihan Las Listrik", "Semua peserta (8)", "Daftar tunggu (0)", "Semua yang pernah mendaftar (8)", "Batal"}) {
		t.Errorf("Rina's audiences: %q", labels(got))
	}
	ms = e.press(rina, "Pelatihan Menjahit")
	if got := lastEdit(t, ms); !slices.Equal(labels(got), []string{"Pelatihan Menjahit (5)", "Angkatan 1 (0)", "Angkatan 2 (2)", "Angkatan 3 (3)", "Daftar tunggu (0)", "Semua yang pernah mendaftar (8)", "Batal"}) {
		t.Errorf("Rina's audiences of sewing: %q", labels(got))
	}
	e.assertIdle()
}
