package bot_test

import (
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/report"
)

// Ensure that a course's own paper ([courses.certificate] merged over
// [certificate], Options.Papers) numbers and signs its certificates, and
// that a course without one prints Options.Paper.
func TestCertificate_CoursePaper(t *testing.T) {
	var course string
	e, ids := paperEnv(t, func(o *bot.Options) {
		o.Papers = map[string]report.Paper{course: {
			NumberFormat: "JHT/{seq}/{year}", Signatory: "Ir. Sri Wahyuni", SignatoryTitle: "Kepala Seksi Pelatihan", City: "Jember",
		}}
	})
	// The option is read again on the restart, with the course's id.
	course = e.course.ID
	e.restart()
	siti := user(ids["Siti Aminah"], "Siti")
	seq := e.srv.LastSeq()
	if got := last(t, e.text(siti, "/sertifikat")); !strings.Contains(got.Text, "nomor JHT/1/2025") {
		t.Errorf("/sertifikat answered %q", got.Text)
	}
	doc := e.waitDocument(seq, siti.ID)
	if !strings.Contains(doc.Caption, "JHT/1/2025") {
		t.Errorf("caption %q", doc.Caption)
	}
	if text := pdfText(t, doc.FileData); text != "" {
		for _, want := range []string{"Siti Aminah", "JHT/1/2025", "Ir. Sri Wahyuni", "Kepala Seksi Pelatihan"} {
			if !strings.Contains(text, want) {
				t.Errorf("the certificate lacks %q: %s", want, text)
			}
		}
		if strings.Contains(text, "Drs. Bambang Sutrisno") {
			t.Errorf("the certificate has the file's signatory: %s", text)
		}
	}
}
