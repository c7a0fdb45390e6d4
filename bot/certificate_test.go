package bot_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
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

// paperEnv is orgEnv with the [certificate] of the Jember course and,
// in the finished Angkatan 1, Siti (present 7 days), Budi (2 days) and
// Dewi Cancelled (7 days, then cancelled); in the running Angkatan 3,
// Agus (3 days so far).
func paperEnv(t *testing.T, more ...func(*bot.Options)) (*env, map[string]int64) {
	t.Helper()
	e := newEnv(t)
	e.opt = func(o *bot.Options) {
		defer func() {
			for _, f := range more {
				f(o)
			}
		}()
		o.Admins = []int64{rina.ID, dewi.ID, ann.ID}
		o.SendRate = 30
		o.RetentionDays = 3650 // Angkatan 1 (October 2025) keeps its data
		o.Paper = report.Paper{
			NumberFormat: "{seq:03}/{batch}/BLK-JBR/{year}", Signatory: "Drs. Bambang Sutrisno",
			SignatoryTitle: "Kepala UPT BLK Jember", City: "Jember",
		}
	}
	e.course.Batches = append(e.course.Batches, runningBatch)
	ids := map[string]int64{"Siti Aminah": 1001, "Budi Santoso": 1002, "Dewi Lestari": 1003, "Agus Prasetyo": 1004}
	days := map[int64]int{1001: 7, 1002: 2, 1003: 7, 1004: 3}
	err := e.db.Update(func(tx *store.Tx) error {
		for name, id := range ids {
			batch := "angkatan-1"
			if id == 1004 {
				batch = runningBatch.ID
			}
			if err := tx.PutConversation(store.Conversation{UserID: id, ChatID: id, Lang: "id", State: "done"}); err != nil {
				return err
			}
			p := store.Participant{UserID: id, ChatID: id, Batch: batch, Lang: "id", RegisteredAt: fixedNow, Answers: map[string]string{"name": name}}
			if _, err := tx.ConfirmSeat(p, 100); err != nil {
				return err
			}
			for d := 1; d <= days[id]; d++ {
				if err := tx.SetAttendance(batch, id, d, true, rina.ID, fixedNow); err != nil {
					return err
				}
			}
		}
		_, err := tx.CancelRegistration(store.Seats{Batch: e.course.Batches[0]}, 1003, fixedNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.start()
	return e, ids
}

// waitDocument waits for a document the bot sends chat after seq.
func (e *env) waitDocument(seq, chat int64) telegramtest.Message {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	m, err := e.srv.WaitSent(ctx, seq, func(m telegramtest.Message) bool { return m.ChatID == chat && m.Method == "sendDocument" })
	if err != nil {
		e.t.Fatalf("chat %d: no document: %v", chat, err)
	}
	return m
}

// pdfText is the text of a PDF as pdftotext reads it, whitespace made
// single spaces; "" where poppler-utils is not installed.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("DAFTAR_REQUIRE_POPPLER") != "" {
			t.Fatal("pdftotext not found: install poppler-utils")
		}
		return ""
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func user(id int64, name string) telegramtest.User {
	return telegramtest.User{ID: id, FirstName: name, LanguageCode: "id"}
}

// Ensure that a participant's /sertifikat sends their certificate as a
// document through the outbox once they earn it, the same certificate
// every time and after a restart, and tells everyone else why there is
// none; that /cek and the QR code's deep link verify it; and that it no
// longer verifies once the person's data is erased.
func TestCertificate_Participant(t *testing.T) {
	e, ids := paperEnv(t)
	siti := user(ids["Siti Aminah"], "Siti")

	seq := e.srv.LastSeq()
	if got := last(t, e.text(siti, "/sertifikat")); !strings.Contains(got.Text, "Sertifikat Angkatan 1 Anda (nomor 001/angkatan-1/BLK-JBR/2025)") {
		t.Errorf("/sertifikat answered %q", got.Text)
	}
	doc := e.waitDocument(seq, siti.ID)
	if doc.FileName != "sertifikat-001-angkatan-1-BLK-JBR-2025.pdf" || !bytes.HasPrefix(doc.FileData, []byte("%PDF-")) {
		t.Fatalf("document %q starting %q", doc.FileName, doc.FileData[:min(8, len(doc.FileData))])
	}
	var cert store.Certificate
	if err := e.db.View(func(tx *store.Tx) error {
		var err error
		cert, err = tx.Certificate("angkatan-1", siti.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Caption, cert.Code) || !strings.Contains(doc.Caption, "001/angkatan-1/BLK-JBR/2025") {
		t.Errorf("caption %q lacks the number or the code %s", doc.Caption, cert.Code)
	}
	if text := pdfText(t, doc.FileData); text != "" {
		for _, want := range []string{"Siti Aminah", "001/angkatan-1/BLK-JBR/2025", "20–26 Okt 2025", "Pelatihan Menjahit", "Drs. Bambang Sutrisno", cert.Code, "@daftar_test_bot"} {
			if !strings.Contains(text, want) {
				t.Errorf("the certificate lacks %q: %s", want, text)
			}
		}
	}

	// Again, and after a restart: the same file.
	seq = e.srv.LastSeq()
	e.text(siti, "/certificate")
	if again := e.waitDocument(seq, siti.ID); !bytes.Equal(again.FileData, doc.FileData) {
		t.Error("a second /sertifikat sent another certificate")
	}
	e.restart()
	seq = e.srv.LastSeq()
	e.text(siti, "/sertifikat")
	if again := e.waitDocument(seq, siti.ID); !bytes.Equal(again.FileData, doc.FileData) {
		t.Error("after a restart /sertifikat sent another certificate")
	}

	for _, tc := range []struct {
		who  telegramtest.User
		want string
	}{
		{user(ids["Budi Santoso"], "Budi"), "Anda tercatat hadir 2 dari 7 hari, syaratnya minimal 6 hari"},
		{user(ids["Dewi Lestari"], "Dewi"), "hanya untuk peserta yang mendapat kursi"},
		{user(ids["Agus Prasetyo"], "Agus"), "dibuat setelah sesi terakhir selesai (Selasa, 1 Des 2026 15:00). Kehadiran Anda sejauh ini: 3 dari 7 hari"},
		{user(5555, "Tamu"), "Anda belum terdaftar"},
	} {
		seq := e.srv.LastSeq()
		if got := last(t, e.text(tc.who, "/sertifikat")); !strings.Contains(got.Text, tc.want) {
			t.Errorf("%s: /sertifikat answered %q, want %q", tc.who.FirstName, got.Text, tc.want)
		}
		if docs := withMethod(e.srv.Sent()[seq:], "sendDocument"); len(docs) != 0 {
			t.Errorf("%s got a document", tc.who.FirstName)
		}
	}

	stranger := user(5556, "Orang")
	for _, ask := range []string{"/cek " + strings.ToUpper(cert.Code), "/start cek-" + cert.Code} {
		got := last(t, e.text(stranger, ask))
		for _, want := range []string{"Sertifikat asli", "Siti Aminah", "001/angkatan-1/BLK-JBR/2025", "Pelatihan Menjahit", "Angkatan 1 (20–26 Okt 2025)"} {
			if !strings.Contains(got.Text, want) {
				t.Errorf("%s answered %q, lacking %q", ask, got.Text, want)
			}
		}
	}
	if got := last(t, e.text(stranger, "/cek 0000-0000-0000")); !strings.Contains(got.Text, "Tidak ada sertifikat dengan kode") {
		t.Errorf("/cek of a made-up code answered %q", got.Text)
	}
	if got := last(t, e.text(stranger, "/cek")); !strings.Contains(got.Text, "kode verifikasi") {
		t.Errorf("/cek alone answered %q", got.Text)
	}
	if _, found := e.conversation(stranger.ID); found {
		t.Error("checking a certificate stored a conversation")
	}

	err := e.db.Update(func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{{Batch: e.course.Batches[0]}}, siti.ID, fixedNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := last(t, e.text(stranger, "/start cek-"+cert.Code)); !strings.Contains(got.Text, "Tidak ada sertifikat") {
		t.Errorf("the certificate of an erased person verifies: %q", got.Text)
	}
	e.assertIdle()
}

// Ensure that the organisers' /sertifikat <batch> counts who earns one,
// and that Kirim issues them, queues each eligible participant theirs
// once however often it is pressed, and sends the organiser the PDF of
// all of them; a batch not over yet has none.
func TestCertificate_Organiser(t *testing.T) {
	e, ids := paperEnv(t)
	if got := last(t, e.text(rina, "/sertifikat angkatan-3")); !strings.Contains(got.Text, "belum selesai") {
		t.Errorf("/sertifikat of a running batch: %q", got.Text)
	}
	if got := last(t, e.text(rina, "/sertifikat angkatan-9")); !strings.Contains(got.Text, "angkatan-1") {
		t.Errorf("/sertifikat of an unknown batch: %q", got.Text)
	}
	summary := last(t, e.text(rina, "/sertifikat angkatan-1"))
	for _, want := range []string{"Sertifikat Angkatan 1", "Berhak (hadir minimal 6 dari 7 hari): 1", "Tidak berhak: 1", "Sudah diterbitkan: 0"} {
		if !strings.Contains(summary.Text, want) {
			t.Errorf("summary %q lacks %q", summary.Text, want)
		}
	}
	seq := e.srv.LastSeq()
	ms := e.press(rina, "Kirim")
	if got := lastEdit(t, ms); !strings.Contains(got.Text, "1 diterbitkan, 1 masuk antrean") {
		t.Errorf("Kirim: %q", got.Text)
	}
	all := e.waitDocument(seq, rina.ID)
	if all.FileName != "sertifikat-angkatan-1-semua.pdf" {
		t.Errorf("organiser's document %q", all.FileName)
	}
	if text := pdfText(t, all.FileData); text != "" && (!strings.Contains(text, "Siti Aminah") || strings.Contains(text, "Budi") || strings.Contains(text, "Dewi")) {
		t.Errorf("the combined PDF reads %q", text)
	}
	siti := ids["Siti Aminah"]
	e.waitDocument(seq, siti)

	// A second Kirim (the button pressed twice): nothing more for Siti.
	e.forge(rina, summary.MessageID, buttonData(t, summary, "Kirim"))
	e.waitDocument(e.srv.LastSeq()-1, rina.ID)
	if n := len(withMethod(e.srv.SentTo(siti), "sendDocument")); n != 1 {
		t.Errorf("Siti got %d certificates from two presses of Kirim", n)
	}
	if got := last(t, e.text(rina, "/log")); !strings.Contains(got.Text, "sertifikat Angkatan 1 dikirim (1)") {
		t.Errorf("/log: %q", got.Text)
	}
	if got := last(t, e.text(rina, "/sertifikat angkatan-1")); !strings.Contains(got.Text, "Sudah diterbitkan: 1") {
		t.Errorf("summary after Kirim: %q", got.Text)
	}
	e.assertIdle()
}
