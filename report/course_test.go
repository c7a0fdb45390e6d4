package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a course's export and statistics, when the bot serves
// several courses, hold that course's batches and people only, with its
// own form's columns, and that the export of every batch still holds
// everyone.
func TestExportCourse(t *testing.T) {
	db := mustOpen(t)
	sewing := exportCourse(t)
	welding := exportCourse(t)
	welding.ID, welding.Title = "las", "Pelatihan Las"
	welding.Fields = []store.Field{{Key: "name", Kind: store.KindText, Label: "Nama"}, {Key: "welder", Kind: store.KindText, Label: "Sertifikat las"}}
	welding.Batches = []store.Batch{{ID: "las-1", Name: "Las 1", Capacity: 10}}
	at := time.Date(2025, 10, 1, 1, 0, 0, 0, time.UTC)
	mustConfirm(t, db, store.Participant{UserID: 1, ChatID: 1, Batch: "angkatan-1", Lang: "id", RegisteredAt: at, Answers: map[string]string{"name": "Ani"}}, 16)
	mustConfirm(t, db, store.Participant{UserID: 2, ChatID: 2, Batch: "las-1", Lang: "id", RegisteredAt: at, Answers: map[string]string{"name": "Budi", "welder": "SMAW"}}, 10)

	_, csv, err := ExportCourse(db, welding, at)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(csv), "\ufeff")), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "seat,batch,status,name,welder,language") || !strings.Contains(lines[1], "Budi,SMAW") {
		t.Fatalf("welding's export:\n%s\nwant its header and Budi only", csv)
	}
	xlsx, _, err := ExportCourse(db, welding, at)
	if err != nil || !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Fatalf("welding's XLSX: %v", err)
	}
	_, all, err := Export(db, sewing, "", at)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(all), "Ani") || !strings.Contains(string(all), "Budi") {
		t.Errorf("the export of every batch lost someone:\n%s", all)
	}
	text, _, err := CourseStatistics(db, welding, "id", at)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "Angkatan 1") || !strings.Contains(text, "Las 1") {
		t.Errorf("welding's statistics name other courses' batches or miss its own:\n%s", text)
	}
}
