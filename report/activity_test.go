package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that the activity report reads as a reader's program reads it:
// the course, the figures, the chart and the attendance of every seat
// holder, on pages that all render.
func TestWriteActivityReport(t *testing.T) {
	needPoppler(t)
	c, b := paperCourse()
	b.Days = 3
	c.CertificateMinDays = 2
	st := []store.Status{store.StatusRegistered, store.StatusRegistered, store.StatusRegistered, store.StatusWaiting, store.StatusCancelled}
	var people []store.Participant
	for i, n := range []string{"Siti Aminah", longName, "Budi Santoso", "Menunggu", "Batal Saja"} {
		people = append(people, store.Participant{UserID: int64(i + 1), Batch: b.ID, Status: st[i], Seat: i + 1,
			Answers: map[string]string{"name": n}, RegisteredAt: b.Day(1).AddDate(0, 0, -10+i)})
	}
	rows := ActivityRows{
		People:       people,
		Marks:        map[int64]map[int]bool{1: {1: true, 2: true}, 2: {1: true, 2: false}, 3: {2: true}},
		Certificates: testCerts(b, "Siti Aminah"),
		Erased:       2,
	}
	var buf bytes.Buffer
	if err := WriteActivityReport(&buf, c, b, rows, b.SessionEnd(3)); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "laporan.pdf", buf.Bytes())
	n := pdfPages(t, path)
	text := strings.Join(pdfText(t, path), " ")
	for _, want := range []string{
		"LAPORAN KEGIATAN", c.Title, "Angkatan 1", "20–22 Okt 2025 (3)", c.Venue, c.Organiser,
		"Kapasitas (kursi) 100", "Pendaftar 7", "Peserta terdaftar 3", "Daftar tunggu 1", "Batal 1", "Data dihapus atas permintaan 2",
		"Hadir hari ke-1 (Senin, 20 Okt 2025) 2/3", "Hadir hari ke-2 (Selasa, 21 Okt 2025) 2/3", "Hadir hari ke-3 (Rabu, 22 Okt 2025) belum diabsen",
		"Rata-rata kehadiran per hari 2,0", "Menyelesaikan pelatihan (hadir minimal 2 hari) 1", "Sertifikat diterbitkan 1",
		"Grafik pendaftaran dan kehadiran", "Daftar kehadiran", "Siti Aminah", "Budi Santoso", "Halaman 1 dari",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"Menunggu", "Batal Saja"} {
		if strings.Contains(text, not) {
			t.Errorf("the attendance table lists %q, who has no seat", not)
		}
	}
	if n < 2 {
		t.Errorf("%d pages: the table should follow the figures and the chart", n)
	}
}
