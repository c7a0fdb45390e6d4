package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Ensure that the demo follows a batch to its survey, as the README's
// "Following a batch in the demo" says: register before the batch
// starts, be marked present on its first day, and the survey comes when
// the demo starts after its last session (survey_hours later); answered
// to the end, it thanks. A kept database and -config keep the batch
// where it is (the example alone moves a started batch ahead).
func TestRun_DemoSurvey(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	demo := func(script, now string) string {
		t.Helper()
		out, stderr, err := runDemoScript(t, script, noEnv, "-config", "config.example.toml", "-db", db, "-now", now)
		if err != nil {
			t.Fatalf("demo -now %s: %v\n%s\n%s", now, err, stderr, out)
		}
		return out
	}
	containsInOrder(t, demo(readScript(t, "demo_register.txt"), "2027-01-25T10:00"), "Pendaftaran berhasil", "Angkatan 2 — kursi nomor 1")
	containsInOrder(t, demo("/absen\n1\n", "2027-02-01T09:00"), "📋 Absensi Angkatan 2 — hari 1 dari 7", "Hadir: 1 dari 1.")
	if out := demo("", "2027-02-07T16:30"); strings.Contains(out, "📝 Survei") {
		t.Fatalf("the survey came before survey_hours after the last session:\n%s", out)
	}
	out := demo("5\n1\nMesin jahit\n", "2027-02-07T17:30")
	containsInOrder(t, out,
		"📝 Survei Pelatihan Menjahit", "1/3. Seberapa puas Anda dengan pelatihan ini?", "  [5] 5\n", "> 5\n",
		"2/3.", "> 1\n", "3/3.", "> Mesin jahit\n", "Terima kasih",
	)
}
