package bot_test

import (
	"bytes"
	"strings"
	"testing"
)

// Ensure that /daftarhadir sends an organiser the batch's attendance
// sheet, marked as the roll calls say, and asks for the batch when there
// are several.
func TestAttendanceSheet(t *testing.T) {
	e, _ := paperEnv(t)
	if got := last(t, e.text(rina, "/daftarhadir")); !strings.Contains(got.Text, "angkatan-1, angkatan-2, angkatan-3") {
		t.Errorf("/daftarhadir without a batch: %q", got.Text)
	}
	seq := e.srv.LastSeq()
	if got := last(t, e.text(rina, "/attendancesheet angkatan-1")); !strings.Contains(got.Text, "Daftar hadir Angkatan 1: 2 peserta × 7 hari") {
		t.Errorf("/attendancesheet: %q", got.Text)
	}
	doc := e.waitDocument(seq, rina.ID)
	if doc.FileName != "daftar-hadir-angkatan-1.pdf" || !bytes.HasPrefix(doc.FileData, []byte("%PDF-")) {
		t.Fatalf("document %q", doc.FileName)
	}
	if text := pdfText(t, doc.FileData); text != "" {
		// Siti present 7 days, Budi 2; Dewi cancelled is not on the sheet.
		if strings.Count(text, "Siti Aminah") != 7 || strings.Count(text, "Budi Santoso") != 7 || strings.Contains(text, "Dewi Lestari") || strings.Count(text, "hadir") != 9 {
			t.Errorf("the sheet reads %q", text)
		}
	}
	if got := last(t, e.text(rina, "/log")); !strings.Contains(got.Text, "Angkatan 1") {
		t.Errorf("/log does not name the export: %q", got.Text)
	}
	e.assertIdle()
}

// Ensure that /laporan sends an organiser the batch's activity report.
func TestActivityReport(t *testing.T) {
	e, _ := paperEnv(t)
	if got := last(t, e.text(rina, "/laporan")); !strings.Contains(got.Text, "angkatan-1, angkatan-2, angkatan-3") {
		t.Errorf("/laporan without a batch: %q", got.Text)
	}
	seq := e.srv.LastSeq()
	if got := last(t, e.text(ann, "/report angkatan-1")); !strings.Contains(got.Text, "Activity report of Angkatan 1") {
		t.Errorf("/report: %q", got.Text)
	}
	doc := e.waitDocument(seq, ann.ID)
	if doc.FileName != "laporan-angkatan-1.pdf" || !bytes.HasPrefix(doc.FileData, []byte("%PDF-")) {
		t.Fatalf("document %q", doc.FileName)
	}
	if text := pdfText(t, doc.FileData); text != "" {
		for _, want := range []string{"LAPORAN KEGIATAN", "Peserta terdaftar 2", "Batal 1", "Siti Aminah", "Budi Santoso", "Menyelesaikan pelatihan (hadir minimal 6 hari) 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q: %s", want, text)
			}
		}
	}
	e.assertIdle()
}
