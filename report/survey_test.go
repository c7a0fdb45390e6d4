package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

var reportSurvey = store.Survey{Hours: 2, Fields: []store.SurveyField{
	{Key: "overall", Kind: store.SurveyRating, Label: "Nilai pelatihan", Labels: map[string]string{"en": "Rating"}},
	{Key: "best", Kind: store.SurveyChoice, Label: "Paling berguna", Options: []string{"Materi", "Praktik"}, Optional: true},
	{Key: "comment", Kind: store.SurveyText, Label: "Saran", Optional: true},
}}

// Ensure that Summarize counts each rating and option, averages the
// ratings and keeps the texts, leaving out skips and answers to options
// since removed.
func TestSummarize(t *testing.T) {
	rs := []store.SurveyResponse{
		{Answers: map[string]string{"overall": "5", "best": "Praktik", "comment": "Lebih lama"}},
		{Answers: map[string]string{"overall": "4", "best": "Gone"}},
		{Answers: map[string]string{"overall": "4"}},
	}
	qs := Summarize(reportSurvey.Fields, rs)
	if q := qs[0]; !slices.Equal(q.Counts, []int{0, 0, 0, 2, 1}) || q.Answers != 3 || q.Average < 4.33 || q.Average > 4.34 {
		t.Errorf("rating %+v", q)
	}
	if q := qs[1]; !slices.Equal(q.Counts, []int{0, 1}) || q.Answers != 1 {
		t.Errorf("choice %+v", q)
	}
	if q := qs[2]; q.Counts != nil || !slices.Equal(q.Texts, []string{"Lebih lama"}) {
		t.Errorf("text %+v", q)
	}
}

// seatSurvey seats users in b, marks them present on day 1, sends them
// the survey and makes the first two answer it.
func seatSurvey(tb testing.TB, db *store.DB, c store.Course, b store.Batch, users ...int64) {
	tb.Helper()
	at := c.Survey.Due(b)
	answers := [][]store.SurveyAnswer{
		{{Button: true, Value: "5"}, {Step: 1, Button: true, Value: "1"}, {Step: 2, Value: "Waktunya kurang"}},
		{{Button: true, Value: "4"}, {Step: 1, Skip: true}, {Step: 2, Skip: true}},
	}
	err := db.Update(func(tx *store.Tx) error {
		for i, u := range users {
			if _, err := tx.ConfirmSeat(store.Participant{UserID: u, ChatID: u, Batch: b.ID, Answers: map[string]string{"name": "P"}}, 100); err != nil {
				return err
			}
			if err := tx.SetAttendance(b.ID, u, 1, true, 9, at); err != nil {
				return err
			}
			if _, err := tx.InviteSurvey(b, u, at); err != nil {
				return err
			}
			if i >= len(answers) {
				continue
			}
			for _, a := range answers[i] {
				if _, _, err := tx.AnswerSurvey(c, b, u, a, at); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// Ensure that the statistics, the XLSX export's survey sheet and the
// activity report show the survey's results.
func TestSurveyResults(t *testing.T) {
	db, c := mustOpen(t), reportCourse(t)
	c.Survey = reportSurvey
	b := c.Batches[0]
	seatSurvey(t, db, c, b, 1, 2, 3)

	text, _, err := Statistics(db, c, "id", reportNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Survei: 2 dari 3 menjawab", "• Nilai pelatihan: rata-rata <b>4,5</b> (2 jawaban)", "• Paling berguna: Materi 0 · Praktik 1", "• Saran: 1 jawaban tertulis"} {
		if !strings.Contains(text, want) {
			t.Errorf("statistics lack %q:\n%s", want, text)
		}
	}
	if en, _, _ := Statistics(db, c, "en", reportNow); !strings.Contains(en, "Survey: 2 of 3 answered") || !strings.Contains(en, "• Rating: average <b>4.5</b>") {
		t.Errorf("English statistics:\n%s", en)
	}

	var buf bytes.Buffer
	err = db.View(func(tx *store.Tx) error {
		d, err := Load(tx, c, "", reportNow)
		if err != nil {
			return err
		}
		return WriteXLSX(&buf, d)
	})
	if err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	rows, err := f.GetRows("Survei")
	if strings.Contains(strings.Join(f.GetSheetList(), "|"), "Survei (") {
		t.Errorf("sheets %q", f.GetSheetList())
	}
	if err != nil {
		t.Fatalf("no sheet Survei (sheets %q): %v", f.GetSheetList(), err)
	}
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, "|"))
	}
	all := strings.Join(lines, "\n")
	if strings.Contains(all, "Kelas Sore") {
		t.Errorf("the survey sheet lists a batch the survey went to nobody of:\n%s", all)
	}
	for _, want := range []string{"Angkatan|Pertanyaan|Jawaban|Jumlah", "Angkatan 1|Yang menjawab||2", "Angkatan 1|Nilai pelatihan|5|1", "Angkatan 1|Nilai pelatihan|4|1",
		"Angkatan 1|Nilai pelatihan|Rata-rata|4.5", "Angkatan 1|Paling berguna|Materi|0", "Angkatan 1|Paling berguna|Praktik|1", "Angkatan 1|Saran|Waktunya kurang"} {
		if !strings.Contains(all, want) {
			t.Errorf("survey sheet lacks %q:\n%s", want, all)
		}
	}

	needPoppler(t)
	var rows2 ActivityRows
	if err := db.View(func(tx *store.Tx) error {
		var err error
		rows2, err = ActivityReportRows(tx, b.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := WriteActivityReport(&buf, c, b, rows2, reportNow); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "laporan.pdf", buf.Bytes())
	pdfPages(t, path)
	pdf := strings.Join(pdfText(t, path), " ")
	for _, want := range []string{"Survei akhir pelatihan", "Menjawab: 2 dari 3", "1. Nilai pelatihan", "5: 1", "rata-rata 4,5 dari 2 jawaban", "Praktik: 1", "– Waktunya kurang"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("activity report lacks %q:\n%s", want, pdf)
		}
	}
}
