package report

import (
	"bytes"
	"fmt"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that the numbers per batch are right for a small fixture: seats,
// waiting, cancelled, sign-ups per day in the course time zone, people
// present per day, reachable and blocked, eligible.
func TestComputeStats(t *testing.T) {
	c := reportCourse(t)
	unreachable := map[int64]bool{2: true, 4: true, 5: true}
	got := computeStats(c, reportPeople(), reportMarks(), unreachable, reportNow)
	if len(got) != 2 {
		t.Fatalf("%d batches, want the course's 2 (a batch no longer in the config is left out)", len(got))
	}
	a, sore := got[0], got[1]
	day := func(d int) time.Time { return time.Date(2025, 10, d, 0, 0, 0, 0, c.Location) }
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("taken", a.Taken, 3)
	check("waiting", a.Waiting, 1)
	check("cancelled", a.Cancelled, 1)
	check("sign-ups", a.SignUps, 5)
	// 1 Oct 03:04Z is 10:04 in Jakarta, 1 Oct 20:30Z already 2 Oct.
	check("per day", a.PerDay, []dayCount{{day(1), 1}, {day(2), 1}, {day(3), 1}, {day(4), 2}})
	check("present", a.Present, []int{2, 1, 0})
	check("held", a.Held, []bool{true, true, false})
	check("reachable", a.Reachable, 2) // 1 and 3; 4 waits and blocked, 5 cancelled
	check("blocked", a.Blocked, 2)
	check("eligible", a.Eligible, 1)
	check("sore present", sore.Present, []int{1, 1})
	check("sore eligible", sore.Eligible, 1)

	// Ensure that a registration after now is not counted yet.
	early := computeStats(c, reportPeople(), reportMarks(), nil, time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC))
	check("sign-ups by 2 Oct 07:00", early[0].SignUps, 2)
}

// Ensure that Statistics reads the database and returns the text with
// each batch's numbers, escaped names, in the course's language or
// another, and a PNG chart of the promised size.
func TestStatistics(t *testing.T) {
	db, c := mustOpen(t), reportCourse(t)
	c.Batches[1].Name = "Sore <Lanjutan> & PKK"
	seatReport(t, db, reportPeople(), reportMarks())
	if err := db.Update(func(tx *store.Tx) error { return tx.SetUnreachable(3, reportNow) }); err != nil {
		t.Fatal(err)
	}

	text, chart, err := Statistics(db, c, c.Language, reportNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Statistik Pelatihan Menjahit", "21 Okt 2025 16:30",
		"<b>Angkatan 1</b> (20–22 Okt 2025)", "Kursi terisi: <b>3/16</b> · daftar tunggu: 0 · batal: 0",
		"Pendaftar: 3 — 1 Okt: 1, 2 Okt: 1, 3 Okt: 1", "Kehadiran: H1: 2 · H2: 1",
		"Bisa dihubungi: 2 · memblokir bot: 1", "Berhak sertifikat: 1 (hadir minimal 2 hari)",
		"<b>Sore &lt;Lanjutan&gt; &amp; PKK</b> (3–4 Nov 2025)", "Kursi terisi: <b>1/2</b>",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "lama") || strings.Contains(text, "Budi") {
		t.Errorf("text names a batch not in the config or a person:\n%s", text)
	}
	if strings.Contains(text, "Tanpa Telegram") {
		t.Errorf("a line of registrations without Telegram when there are none:\n%s", text)
	}
	checkChart(t, chart)

	en, _, err := Statistics(db, c, "en", reportNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Statistics: Pelatihan Menjahit", "Seats taken: <b>3/16</b>", "Attendance: D1: 2 · D2: 1", "Reachable: 2 · blocked the bot: 1"} {
		if !strings.Contains(en, want) {
			t.Errorf("English text lacks %q:\n%s", want, en)
		}
	}
}

// Ensure that the statistics count the walk-ins not claimed yet who hold
// a place apart, in both languages, as neither reachable nor blocked; a
// claimed walk-in is reachable, an unclaimed one who holds no place
// (cancelled, not selected) not counted.
func TestStatistics_WalkIns(t *testing.T) {
	db, c := mustOpen(t), reportCourse(t)
	walkInPeople(t, db, c)
	for lang, want := range map[string][]string{
		"id": {"Tanpa Telegram: 1 (didaftarkan panitia, tautan klaim belum dibuka: tidak menerima pesan)", "Bisa dihubungi: 2 · memblokir bot: 0"},
		"en": {"Without Telegram: 1 (registered by an organiser, claim link not opened yet: get no messages)", "Reachable: 2 · blocked the bot: 0"},
	} {
		text, _, err := Statistics(db, c, lang, reportNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: statistics lack %q:\n%s", lang, w, text)
			}
		}
		if n := strings.Count(text, want[0][:10]); n != 1 {
			t.Errorf("%s: %d lines without Telegram, want one (the other batch has none):\n%s", lang, n, text)
		}
	}
	at := c.Batches[0].Start.AddDate(0, 0, -1)
	ps := []store.Participant{
		{UserID: -1, Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 1, RegisteredAt: at},
		{UserID: -2, Batch: "angkatan-1", Status: store.StatusCancelled, RegisteredAt: at},
		{UserID: -3, Batch: "angkatan-1", Status: store.StatusNotSelected, RegisteredAt: at},
		{UserID: 3, Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 2, RegisteredAt: at},
	}
	if got := computeStats(c, ps, nil, nil, reportNow)[0]; got.NoTelegram != 1 || got.Reachable != 1 || got.Taken != 2 {
		t.Errorf("without Telegram %d, reachable %d, taken %d; want 1, 1, 2", got.NoTelegram, got.Reachable, got.Taken)
	}
}

// Ensure that Statistics works on an empty database and on a course with
// no batches.
func TestStatistics_Empty(t *testing.T) {
	db, c := mustOpen(t), reportCourse(t)
	text, chart, err := Statistics(db, c, c.Language, reportNow)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Belum ada pendaftar.") || !strings.Contains(text, "Belum ada absensi.") {
		t.Errorf("text:\n%s", text)
	}
	checkChart(t, chart)

	c.Batches = nil
	text, chart, err = Statistics(db, c, c.Language, reportNow)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Belum ada angkatan") {
		t.Errorf("text:\n%s", text)
	}
	checkChart(t, chart)
}

// Ensure that the text lists at most a week of sign-up days and sums the
// earlier ones, so that it stays short for a long registration period.
func TestStatsText_Long(t *testing.T) {
	c := reportCourse(t)
	var ps []store.Participant
	for i := range 60 {
		ps = append(ps, store.Participant{UserID: int64(i + 1), Batch: "angkatan-1", Status: store.StatusRegistered,
			RegisteredAt: time.Date(2025, 8, 1, 5, 0, 0, 0, time.UTC).AddDate(0, 0, i)})
	}
	now := time.Date(2025, 10, 19, 0, 0, 0, 0, c.Location)
	text := statsText(TextsOf("id"), c, computeStats(c, ps, nil, nil, now), now)
	if !strings.Contains(text, "Pendaftar: 60 — sebelumnya: 53, 23 Sep: 1") {
		t.Errorf("text:\n%s", text)
	}
	if n := strings.Count(text, " Sep: 1") + strings.Count(text, " Agu: 1"); n != 7 {
		t.Errorf("%d days listed, want 7:\n%s", n, text)
	}
}

// checkChart decodes a PNG and checks its size.
func checkChart(tb testing.TB, chart []byte) {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(chart))
	if err != nil {
		tb.Fatalf("chart is not a PNG: %v", err)
	}
	if sz := img.Bounds().Size(); sz.X != ChartWidth || sz.Y != ChartHeight {
		tb.Errorf("chart is %v, want %dx%d", sz, ChartWidth, ChartHeight)
	}
}

// BenchmarkStatistics measures statistics (read, text and chart) with
// 10,000 participants in the database (target: under 200 ms).
func BenchmarkStatistics(b *testing.B) {
	db, c := mustOpen(b), reportCourse(b)
	c.Batches[0].Capacity = 10000
	ps, marks := manyPeople(c, 10000)
	for i := range ps {
		// Sign-ups over the 40 days before the course.
		ps[i].RegisteredAt = c.Batches[0].Start.AddDate(0, 0, -40).Add(time.Duration(i) * 5 * time.Minute)
	}
	for chunk := range slices.Chunk(ps, 1000) {
		seatReport(b, db, chunk, nil)
	}
	seatReport(b, db, nil, marks)
	err := db.Update(func(tx *store.Tx) error {
		for i := 0; i < len(ps); i += 50 {
			if err := tx.SetUnreachable(ps[i].UserID, reportNow); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	now := c.Batches[0].Start.Add(50 * time.Hour)
	var text string
	var chart []byte
	cpu0 := cpuTime()
	for b.Loop() {
		if text, chart, err = Statistics(db, c, c.Language, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	if !strings.Contains(text, fmt.Sprintf("Kursi terisi: <b>%d/%d</b>", len(ps), len(ps))) {
		b.Errorf("text:\n%s", text)
	}
	b.ReportMetric(float64(len(chart)), "png-bytes")
}

// Ensure that the text stays within Telegram's 4096 characters with many
// batches of long names.
func TestStatsText_ManyBatches(t *testing.T) {
	c := reportCourse(t)
	base := c.Batches[0]
	c.Batches = nil
	var ps []store.Participant
	for i := range 30 {
		bt := base
		bt.ID, bt.Name, bt.Days = fmt.Sprintf("b%d", i), strings.Repeat("Angkatan & <panjang> ", 4), 30
		c.Batches = append(c.Batches, bt)
		for d := range 10 {
			ps = append(ps, store.Participant{UserID: int64(i*100 + d), Batch: bt.ID, Status: store.StatusRegistered,
				RegisteredAt: time.Date(2025, 9, 1+d, 5, 0, 0, 0, time.UTC)})
		}
	}
	marks := map[string]map[int64]map[int]bool{}
	for _, bt := range c.Batches {
		marks[bt.ID] = map[int64]map[int]bool{}
		for d := range 30 {
			marks[bt.ID][int64(d)] = map[int]bool{d + 1: true}
		}
	}
	now := time.Date(2025, 10, 19, 0, 0, 0, 0, c.Location)
	text := statsText(TextsOf("en"), c, computeStats(c, ps, marks, nil, now), now)
	if n := len([]rune(text)); n > 4096 || !strings.HasSuffix(text, "…") {
		t.Errorf("text has %d characters, want at most 4096 and a cut:\n%s", n, text)
	}
}

// Ensure that a walk-in not yet attached to Telegram counts as a seat but
// neither as reachable nor as blocked.
func TestComputeStats_WalkIn(t *testing.T) {
	c := reportCourse(t)
	ps := reportPeople()
	walkin := ps[0]
	walkin.UserID, walkin.ChatID, walkin.Seat = -1, 0, 9
	got := computeStats(c, append(ps, walkin), reportMarks(), map[int64]bool{2: true, 4: true, 5: true}, reportNow)
	if a := got[0]; a.Taken != 4 || a.Reachable != 2 || a.Blocked != 2 {
		t.Errorf("with a walk-in: taken %d, reachable %d, blocked %d; want 4, 2, 2", a.Taken, a.Reachable, a.Blocked)
	}
}
