package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// paperConfig is the example config with a bot username for the QR codes
// and a signatory.
func paperConfig(t *testing.T) (cfg, db string) {
	t.Helper()
	return writeTestConfig(t, 0, func(s string) string {
		s = replaceOnce(t, s, `bot_username = ""`, `bot_username = "daftar_blk_bot"`)
		return replaceOnce(t, s, `signatory = ""`, `signatory = "Drs. Bambang Sutrisno"`)
	})
}

// seedAttendance gives each of names a seat in angkatan-1 (October 2025,
// over) with present[i] days marked present.
func seedAttendance(t *testing.T, path string, names []string, present []int) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for i, n := range names {
			u := int64(2001 + i)
			p := store.Participant{UserID: u, ChatID: u, Batch: "angkatan-1", Answers: map[string]string{"name": n}}
			if _, err := tx.ConfirmSeat(p, 16); err != nil {
				return err
			}
			for d := 1; d <= present[i]; d++ {
				if err := tx.SetAttendance("angkatan-1", u, d, true, 1, time.Date(2025, 10, 19+d, 9, 0, 0, 0, time.UTC)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("DAFTAR_REQUIRE_POPPLER") != "" {
			t.Fatal("pdftotext not found: install poppler-utils")
		}
		return ""
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// Ensure that "daftar certificates" issues the certificates of the people
// present often enough, writes one PDF per person and one with all, and
// gives the same certificates (number, code, bytes) when run again; and
// that "daftar attendance-sheet" writes the batch's sheet.
func TestRun_Paperwork(t *testing.T) {
	cfg, dbPath := paperConfig(t)
	names := []string{"Siti Aminah", "Dewi Lestari", "Budi Santoso"}
	seedAttendance(t, dbPath, names, []int{7, 6, 2})
	out := filepath.Join(t.TempDir(), "sertifikat")
	var stdout, stderr bytes.Buffer
	args := []string{"certificates", "-config", cfg, "-batch", "angkatan-1", "-o", out}
	if err := run(context.Background(), args, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("certificates: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 certificates of angkatan-1") {
		t.Errorf("certificates printed %q", stdout.String())
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	want := []string{"sertifikat-001-angkatan-1-BLK-JBR-2025.pdf", "sertifikat-002-angkatan-1-BLK-JBR-2025.pdf", "sertifikat-angkatan-1-semua.pdf"}
	if len(files) != len(want) {
		t.Fatalf("wrote %q, want %q", files, want)
	}
	first := map[string][]byte{}
	for i, name := range want {
		if filepath.Base(files[i]) != name {
			t.Errorf("file %d is %s, want %s", i, filepath.Base(files[i]), name)
		}
		data, err := os.ReadFile(files[i])
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("%s: %v, starts %q", name, err, data[:min(len(data), 8)])
		}
		first[name] = data
		checkMode(t, files[i], 0o600)
	}
	if text := pdfToText(t, files[0]); text != "" && (!strings.Contains(text, "Siti Aminah") || !strings.Contains(text, "001/angkatan-1/BLK-JBR/2025")) {
		t.Errorf("the first certificate reads %q", text)
	}
	if text := pdfToText(t, files[2]); text != "" && (!strings.Contains(text, "Dewi Lestari") || strings.Contains(text, "Budi")) {
		t.Errorf("the combined file reads %q", text)
	}

	// Again: the same certificates.
	if err := os.WriteFile(files[2]+".first", first[want[2]], 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if err := run(context.Background(), args, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("certificates again: %v\n%s", err, stderr.String())
	}
	for name, data := range first {
		again, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == want[2] {
			// fpdf orders the QR codes' images (all of one size) as a map
			// gives them: the combined file reads the same.
			if a, b := pdfToText(t, filepath.Join(out, name)), pdfToText(t, files[2]+".first"); a != b {
				t.Errorf("%s reads differently the second time:\n%s\n%s", name, a, b)
			}
			continue
		}
		if !bytes.Equal(again, data) {
			t.Errorf("%s differs the second time", name)
		}
	}

	sheet := filepath.Join(t.TempDir(), "hadir.pdf")
	stdout.Reset()
	if err := run(context.Background(), []string{"attendance-sheet", "-config", cfg, "-batch", "angkatan-1", "-o", sheet}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("attendance-sheet: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "3 people × 7 days") {
		t.Errorf("attendance-sheet printed %q", stdout.String())
	}
	if text := pdfToText(t, sheet); text != "" && (strings.Count(text, "Budi Santoso") != 7 || strings.Count(text, "hadir") != 7+6+2) {
		t.Errorf("the sheet reads %q", text)
	}

	rep := filepath.Join(t.TempDir(), "laporan.pdf")
	stdout.Reset()
	if err := run(context.Background(), []string{"report", "-config", cfg, "-batch", "angkatan-1", "-o", rep}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("report: %v\n%s", err, stderr.String())
	}
	if text := pdfToText(t, rep); text != "" && (!strings.Contains(text, "Peserta terdaftar 3") || !strings.Contains(text, "Sertifikat diterbitkan 2")) {
		t.Errorf("the report reads %q", text)
	}
	checkMode(t, rep, 0o600)
}

// Ensure that the paperwork commands refuse what they cannot do with a
// clear message and write nothing.
func TestRun_PaperworkRefusals(t *testing.T) {
	cfg, dbPath := paperConfig(t)
	seedAttendance(t, dbPath, []string{"Siti Aminah"}, []int{7})
	noBot, _ := writeTestConfig(t, 0, nil)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"certificates", "-config", cfg, "-batch", "angkatan-1"}, 2, "-o FOLDER are required"},
		{[]string{"certificates", "-config", cfg, "-batch", "angkatan-9", "-o", "x"}, 2, `no batch "angkatan-9"`},
		{[]string{"certificates", "-config", cfg, "-batch", "angkatan-2", "-o", "x"}, 1, "has not ended yet"},
		{[]string{"certificates", "-config", noBot, "-batch", "angkatan-1", "-o", "x"}, 1, "bot_username"},
		{[]string{"attendance-sheet", "-config", cfg, "-batch", "angkatan-1"}, 2, "required"},
		{[]string{"attendance-sheet", "-config", cfg, "-batch", "nope", "-o", "x.pdf"}, 2, `no batch "nope"`},
		{[]string{"report", "-config", cfg, "-o", "x.pdf"}, 2, "required"},
		{[]string{"report", "-config", cfg, "-batch", "nope", "-o", "x.pdf"}, 2, `no batch "nope"`},
	} {
		dir := t.TempDir()
		t.Chdir(dir)
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tc.args, mapEnv(nil), nil, &stdout, &stderr)
		code := exitCode(err, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.want)
		}
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			t.Errorf("%q wrote %v", tc.args, left)
		}
	}
}

// Ensure that the paperwork commands fail at once while the bot runs.
func TestRun_PaperworkWhileBotRuns(t *testing.T) {
	t.Run("certificates", func(t *testing.T) {
		checkToolFailsWhileBotRuns(t, func(cfg, out string) []string {
			return []string{"certificates", "-config", cfg, "-batch", "angkatan-1", "-o", out}
		})
	})
	t.Run("report", func(t *testing.T) {
		checkToolFailsWhileBotRuns(t, func(cfg, out string) []string {
			return []string{"report", "-config", cfg, "-batch", "angkatan-1", "-o", out}
		})
	})
	t.Run("attendance-sheet", func(t *testing.T) {
		checkToolFailsWhileBotRuns(t, func(cfg, out string) []string {
			return []string{"attendance-sheet", "-config", cfg, "-batch", "angkatan-1", "-o", out}
		})
	})
}
