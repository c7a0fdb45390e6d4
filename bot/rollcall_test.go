package bot_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// attendance reads the marks of batch.
func (e *env) attendance(batch string) map[int64]map[int]bool {
	e.t.Helper()
	var m map[int64]map[int]bool
	if err := e.db.View(func(tx *store.Tx) error { var err error; m, err = tx.Attendance(batch); return err }); err != nil {
		e.t.Fatal(err)
	}
	return m
}

// rollButton returns the callback data of the roll-call button of name.
func rollButton(t *testing.T, m telegramtest.Message, name string) string {
	t.Helper()
	for _, row := range m.Inline {
		for _, b := range row {
			if strings.HasSuffix(b.Text, " "+name) {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no roll-call button for %s in %q", name, labels(m))
	return ""
}

// Ensure that two organisers tapping the same roll call at once lose no
// mark: every tap toggles once, whoever's message it came from, and each
// message is rendered from the store.
func TestRollCall_Concurrent(t *testing.T) {
	e := orgEnv(t, true)
	ps := e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 10)

	// Today (28 Nov 2026) is day 4 of Angkatan 3, the only batch in session.
	rc1 := last(t, e.text(rina, "/absen"))
	rc2 := last(t, e.text(dewi, "/absen angkatan-3 4"))
	for _, rc := range []telegramtest.Message{rc1, rc2} {
		if !strings.Contains(rc.Text, "Absensi Angkatan 3 — hari 4 dari 7, Sabtu, 28 Nov 2026") || !strings.Contains(rc.Text, "Hadir: 0 dari 10") {
			t.Fatalf("roll call %q", rc.Text)
		}
		if ls := labels(rc); len(ls) != 10 || ls[0] != "⬜ 1. Peserta 001" {
			t.Fatalf("roll-call buttons %q", ls)
		}
	}

	// Rina taps 1–6, Dewi 5–10, all at once: 5 and 6 are toggled twice.
	var ids []int64
	for i := 0; i < 6; i++ {
		ids = append(ids, e.srv.Callback(rina, rc1.MessageID, rollButton(t, rc1, ps[i].name)))
		ids = append(ids, e.srv.Callback(dewi, rc2.MessageID, rollButton(t, rc2, ps[9-i].name)))
	}
	e.waitHandled(ids...)

	want := map[int64]map[int]bool{}
	for i, p := range ps {
		want[p.id] = map[int]bool{4: i != 4 && i != 5}
	}
	if got := e.attendance("angkatan-3"); !reflect.DeepEqual(got, want) {
		t.Errorf("marks\n got %v\nwant %v", got, want)
	}
	if es := e.auditLog(); len(es) != 12 {
		t.Errorf("%d audit entries, want one per tap (12)", len(es))
	}
	again := last(t, e.text(rina, "/absen angkatan-3"))
	if !strings.Contains(again.Text, "Hadir: 8 dari 10") {
		t.Errorf("roll call after the taps: %q", again.Text)
	}
	ls := labels(again)
	if ls[0] != "✅ 1. Peserta 001" || ls[4] != "⬜ 5. Peserta 005" || ls[9] != "✅ 10. Peserta 010" {
		t.Errorf("roll-call buttons %q", ls)
	}
	// Each message shows the store as of its last tap, taken by either.
	for _, rc := range []telegramtest.Message{rc1, rc2} {
		cur, _ := e.srv.Current(rc.ChatID, rc.MessageID)
		if cur.Seq == rc.Seq {
			t.Errorf("message %d in chat %d was never updated", rc.MessageID, rc.ChatID)
		}
	}
	e.assertIdle()
}

// Ensure that without a batch in session /absen asks for the batch and
// the day, that a tap toggles the mark in the message and the store with
// a toast, and that a wrong day is explained.
func TestRollCall_Choose(t *testing.T) {
	// On 8 Feb 2027 Angkatan 2 is over: each of its days has been held.
	e := newEnv(t)
	e.opt = func(o *bot.Options) {
		o.Admins, o.SendRate = []int64{rina.ID, dewi.ID, ann.ID}, 30
		o.Now = func() time.Time { return time.Date(2027, 2, 8, 10, 0, 0, 0, jakarta) }
	}
	e.start()
	ps := e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 2)

	ask := last(t, e.text(rina, "/absen"))
	if !slices.Equal(labels(ask), []string{"Angkatan 1", "Angkatan 2"}) {
		t.Fatalf("batch choice %q %q", ask.Text, labels(ask))
	}
	days := lastEdit(t, e.press(rina, "Angkatan 2"))
	if !strings.Contains(days.Text, "Absensi Angkatan 2: hari ke berapa?") || len(labels(days)) != 7 {
		t.Fatalf("day choice %q %q", days.Text, labels(days))
	}
	rc := lastEdit(t, e.press(rina, "Hari 2"))
	if !strings.Contains(rc.Text, "hari 2 dari 7, Selasa, 2 Feb 2027") {
		t.Fatalf("roll call %q", rc.Text)
	}
	ms := e.press(rina, "⬜ 2. Peserta 002")
	if toast, _ := toast(ms); toast != "✅ Peserta 002 hadir" {
		t.Errorf("toast %q", toast)
	}
	if got := lastEdit(t, ms); !strings.Contains(got.Text, "Hadir: 1 dari 2") || !slices.Contains(labels(got), "✅ 2. Peserta 002") {
		t.Errorf("after the tap: %q %q", got.Text, labels(got))
	}
	ms = e.press(rina, "✅ 2. Peserta 002")
	if toast, _ := toast(ms); toast != "⬜ Peserta 002 tidak hadir" {
		t.Errorf("toast %q", toast)
	}
	if got := e.attendance("angkatan-2"); !reflect.DeepEqual(got, map[int64]map[int]bool{ps[1].id: {2: false}}) {
		t.Errorf("marks %v", got)
	}
	if got := last(t, e.text(rina, "/absen angkatan-2 9")); !strings.Contains(got.Text, "Hari harus antara 1 dan 7.") || len(labels(got)) != 7 {
		t.Errorf("day 9: %q %q", got.Text, labels(got))
	}
	if got := last(t, e.text(rina, "/attendance Angkatan 2")); !strings.Contains(got.Text, "hari ke berapa") {
		t.Errorf("a batch name with a digit: %q", got.Text)
	}
	log := last(t, e.text(rina, "/log"))
	for _, want := range []string{"Rina (#910001): menandai Peserta 002 tidak hadir hari 2 (Angkatan 2)", "menandai Peserta 002 hadir hari 2 (Angkatan 2)"} {
		if !strings.Contains(log.Text, want) {
			t.Errorf("/log lacks %q:\n%s", want, log.Text)
		}
	}
	e.assertIdle()
}

// Ensure that a tap on someone who cancelled since the roll call was shown
// changes no mark and shows the roll call without them.
func TestRollCall_Cancelled(t *testing.T) {
	e := orgEnv(t, true)
	ps := e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 3)
	rc := last(t, e.text(rina, "/absen"))
	err := e.db.Update(func(tx *store.Tx) error {
		_, err := tx.CancelRegistration(store.Seats{Batch: runningBatch}, ps[0].id, fixedNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ms := e.forge(rina, rc.MessageID, rollButton(t, rc, ps[0].name))
	if toast, _ := toast(ms); toast != "Peserta ini sudah tidak terdaftar." {
		t.Errorf("toast %q", toast)
	}
	if got := lastEdit(t, ms); len(labels(got)) != 2 || !strings.Contains(got.Text, "Hadir: 0 dari 2") {
		t.Errorf("roll call %q %q", got.Text, labels(got))
	}
	if got := e.attendance("angkatan-3"); len(got) != 0 {
		t.Errorf("marks %v", got)
	}
}

// Ensure that the roll call is for today or days already held: a day to
// come is refused kindly with the days that can be called, and a batch
// that has not started says when it starts.
func TestRollCall_FutureDay(t *testing.T) {
	e := orgEnv(t, true)
	e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 2)
	// Today (28 Nov 2026) is day 4 of Angkatan 3.
	got := last(t, e.text(rina, "/absen angkatan-3 5"))
	if !strings.Contains(got.Text, "Hari ke-5 (Minggu, 29 Nov 2026) belum tiba. Absensi hanya untuk hari ini atau hari yang sudah berlangsung.") ||
		!slices.Equal(labels(got), []string{"Hari 1", "Hari 2", "Hari 3", "Hari 4"}) {
		t.Fatalf("/absen angkatan-3 5: %q %q", got.Text, labels(got))
	}
	if got := last(t, e.text(rina, "/absen angkatan-3 3")); !strings.Contains(got.Text, "hari 3 dari 7") {
		t.Errorf("/absen angkatan-3 3: %q", got.Text)
	}
	if got := last(t, e.text(rina, "/absen angkatan-2 1")); !strings.Contains(got.Text, "Angkatan 2 belum dimulai: hari pertamanya Senin, 1 Feb 2027.") || len(labels(got)) != 0 {
		t.Errorf("/absen angkatan-2 1: %q %q", got.Text, labels(got))
	}
	if m := e.attendance("angkatan-3"); len(m) != 0 {
		t.Errorf("marks %v, want none", m)
	}
}

// Ensure that a batch with days off calls the roll by its session days:
// on a day off /absen offers the days held so far, a session day still
// to come is refused with its date, and day N is the Nth session day.
func TestRollCall_DaysOff(t *testing.T) {
	e := newEnv(t)
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID} }
	// From Monday 23 Nov 2026, weekends off: 23–27 Nov, 30 Nov, 1 Dec.
	// Today, Saturday 28 Nov, is a day off.
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, jakarta)
	dates := store.SessionDates(start, 7, []time.Weekday{time.Saturday, time.Sunday}, nil)
	e.course.Batches = append(e.course.Batches, store.Batch{
		ID: "libur", Name: "Libur", Start: start, Days: 7, Dates: dates, Capacity: 30, DailyStart: "08:00", DailyEnd: "15:00",
	})
	e.start()
	e.orgSeed("libur", store.StatusRegistered, 1001, 2)

	choice := last(t, e.text(rina, "/absen libur"))
	if got, want := labels(choice), []string{"Hari 1", "Hari 2", "Hari 3", "Hari 4", "Hari 5"}; !slices.Equal(got, want) {
		t.Errorf("on the day off: days %q, want %q", got, want)
	}
	future := last(t, e.text(rina, "/absen libur 6"))
	if !strings.Contains(future.Text, "Hari ke-6 (Senin, 30 Nov 2026) belum tiba") {
		t.Errorf("day 6: %q", future.Text)
	}
	rc := last(t, e.text(rina, "/absen libur 5"))
	if !strings.Contains(rc.Text, "Absensi Libur — hari 5 dari 7, Jumat, 27 Nov 2026") {
		t.Errorf("day 5: %q", rc.Text)
	}
}
