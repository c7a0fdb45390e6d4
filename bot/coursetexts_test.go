package bot_test

import (
	"strings"
	"testing"
)

// Ensure that the texts an organiser sets reach people: the purpose and
// who else gets the data in the consent text (which then no longer says
// the data goes to nobody), and the contact under /bantuan and /status.
func TestBot_CourseTexts(t *testing.T) {
	e := newEnv(t)
	e.course.Purpose = "pendataan peserta pelatihan kerja"
	e.course.SharedWith = "Kementerian Ketenagakerjaan (SIAPkerja)"
	e.course.Contact = "WhatsApp 0812-3456-7890 (Bu Rina)"
	e.start()
	u := siti.user

	e.act(u, says("/start", "Selamat datang"))
	consent := texts(e.act(u, presses("Daftar", "Persetujuan penggunaan data pribadi")))
	text := strings.Join(consent, "\n")
	for _, want := range []string{
		"Untuk apa: pendataan peserta pelatihan kerja oleh ",
		"Data juga diberikan kepada: Kementerian Ketenagakerjaan (SIAPkerja).",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("consent %q does not say %q", text, want)
		}
	}
	if strings.Contains(text, "tidak diberikan kepada pihak lain") {
		t.Errorf("consent %q says the data goes to nobody", text)
	}
	const contact = "Pertanyaan? Hubungi panitia: WhatsApp 0812-3456-7890 (Bu Rina)"
	e.act(u, says("/bantuan", contact))
	e.act(u, says("/status", contact))
}
