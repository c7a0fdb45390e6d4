package bot_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that certificate_min_days = 0 means the course gives no
// certificates: however often a participant was present, the export, the
// statistics and their details on /peserta call nobody eligible.
func TestOrganiser_NoCertificates(t *testing.T) {
	e := newEnv(t)
	e.opt = func(o *bot.Options) {
		o.Admins = []int64{rina.ID}
		o.SendRate = 30
	}
	e.course.CertificateMinDays = 0
	e.course.Batches = append(e.course.Batches, runningBatch)
	e.start()
	p := e.orgSeed(runningBatch.ID, store.StatusRegistered, 1001, 1)[0]
	err := e.db.Update(func(tx *store.Tx) error {
		for day := 1; day <= 3; day++ {
			if err := tx.SetAttendance(runningBatch.ID, p.id, day, true, rina.ID, fixedNow); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	docs := withMethod(e.text(rina, "/ekspor "+runningBatch.ID), "sendDocument")
	if len(docs) != 2 {
		t.Fatalf("/ekspor sent %d documents, want the XLSX and the CSV", len(docs))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(docs[1].FileData, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV records %q: %v", rows, err)
	}
	col := func(name string) string { return rows[1][slices.Index(rows[0], name)] }
	if col("days_present") != "3" || col("certificate") != "no" {
		t.Errorf("CSV days_present %q, certificate %q; want 3 and no", col("days_present"), col("certificate"))
	}

	stats := last(t, e.text(rina, "/statistik"))
	if !strings.Contains(stats.Text, "Berhak sertifikat: 0 ") {
		t.Errorf("statistics count somebody eligible:\n%s", stats.Text)
	}

	e.text(rina, "/peserta "+runningBatch.ID)
	detail := last(t, e.press(rina, "1. Peserta 001"))
	if !strings.Contains(detail.Text, "Kehadiran: 3 dari 7 hari") || strings.Contains(detail.Text, "sertifikat") {
		t.Errorf("details of a participant present 3 days:\n%s", detail.Text)
	}
	e.assertIdle()
}
