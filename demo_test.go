package main

import (
	"bytes"
	"context"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// runDemoScript runs `daftar demo args...` with script as its piped input
// and returns what it printed; the run is bounded by a 20 s deadline.
func runDemoScript(tb testing.TB, script string, getenv func(string) string, args ...string) (stdout, stderr string, err error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	var errs lockedBuffer
	// A fixed start keeps the transcripts' dates and seats the same.
	err = run(ctx, append([]string{"demo", "-now", "2026-11-28T10:00"}, args...), getenv, strings.NewReader(script), &out, &errs)
	if ctx.Err() != nil {
		tb.Fatalf("demo ran into the deadline: %v\noutput:\n%s", err, out.String())
	}
	return out.String(), errs.String(), err
}

// readScript returns testdata/name.
func readScript(tb testing.TB, name string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// containsInOrder fails unless out contains wants in that order.
func containsInOrder(tb testing.TB, out string, wants ...string) {
	tb.Helper()
	rest := out
	for _, w := range wants {
		i := strings.Index(rest, w)
		if i < 0 {
			tb.Errorf("output does not contain %q (in this order) after the previous one:\n%s", w, out)
			return
		}
		rest = rest[i+len(w):]
	}
}

func TestRun_Demo(t *testing.T) {
	// Ensure that a piped registration script reads as a transcript, ends
	// with exit status 0 and gives seat 1; the whole transcript is kept in
	// testdata/demo_register.golden (go test -run TestRun_Demo -update).
	t.Run("register", func(t *testing.T) {
		out, stderr, err := runDemoScript(t, readScript(t, "demo_register.txt"), mapEnv(nil))
		if code := exitCode(err, &bytes.Buffer{}); code != 0 {
			t.Fatalf("exit code %d: %v\nstderr:\n%s\noutput:\n%s", code, err, stderr, out)
		}
		containsInOrder(t, out,
			"  [1] Pelatihan Menjahit\n", "  [2] Pelatihan Las Listrik\n", "> 1\n",
			"  [1] Daftar\n", "> 1\n",
			"  [1] Setuju\n", "> 1\n",
			"Pertanyaan 1 dari 6", "> Siti Aminah\n",
			"  [1] Bagikan kontak\n", "> /kontak\n", "Nomor +6281234567890 tersimpan.",
			"Pertanyaan 3 dari 6", "Pertanyaan 6 dari 6", "  [2] Pemula\n", "> 2\n",
			"Periksa kembali data Anda", "  [1] Konfirmasi\n", "> 1\n",
			"Pendaftaran berhasil", "Angkatan 2 — kursi nomor 1",
			"> /status\n", "Angkatan 2 — kursi nomor 1",
		)
		if stderr != "" {
			t.Errorf("stderr: %s", stderr)
		}

		golden := filepath.Join("testdata", "demo_register.golden")
		if *updateGolden {
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (create it with -update)", err)
		}
		if out != string(want) {
			t.Errorf("the transcript differs from %s (rewrite it with -update if the change is meant):\n%s", golden, out)
		}
	})

	// Ensure that -lang en makes the demo person an English Telegram user:
	// the same script registers in English.
	t.Run("-lang en", func(t *testing.T) {
		out, stderr, err := runDemoScript(t, readScript(t, "demo_register.txt"), mapEnv(nil), "-lang", "en")
		if err != nil {
			t.Fatalf("demo: %v\nstderr:\n%s\noutput:\n%s", err, stderr, out)
		}
		containsInOrder(t, out, "Welcome", "  [1] Register\n", "  [1] I agree\n", "Question 1 of 6", "  [1] Share contact\n",
			"  [2] Beginner\n", "  [1] Confirm\n", "You are registered", "Angkatan 2 — seat number 1")
	})

	// Ensure that input ending at once ends the demo with status 0 after
	// the welcome.
	t.Run("EOF at once", func(t *testing.T) {
		out, stderr, err := runDemoScript(t, "", mapEnv(nil))
		if err != nil {
			t.Fatalf("demo: %v\nstderr:\n%s", err, stderr)
		}
		containsInOrder(t, out, "daftar demo: you are Siti", "Selamat datang", "Pelatihan Menjahit", "sisa 16 kursi",
			"Pelatihan Las Listrik", "sisa 10 kursi", "  [1] Pelatihan Menjahit\n", "  [2] Pelatihan Las Listrik\n")
		if !strings.HasSuffix(out, "\n> \n") {
			t.Errorf("output does not end at the prompt:\n%s", out)
		}
	})

	// Ensure that -db keeps the registration in a 0600 file that store
	// opens after the demo.
	t.Run("-db keeps the data", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "demo.db")
		out, stderr, err := runDemoScript(t, readScript(t, "demo_register.txt"), mapEnv(nil), "-db", db)
		if err != nil {
			t.Fatalf("demo: %v\nstderr:\n%s\noutput:\n%s", err, stderr, out)
		}
		ps := participants(t, db)
		if len(ps) != 1 {
			t.Fatalf("%d participants in %s, want 1", len(ps), db)
		}
		want := map[string]string{
			"name": "Siti Aminah", "phone": "+6281234567890", "nik": "3509015708900001",
			"birth_date": "1990-08-17", "address": "Jl. Mawar 5", "experience": "Pemula",
		}
		if p := ps[0]; p.UserID != demoUser.ID || p.Seat != 1 || p.Status != store.StatusRegistered || !maps.Equal(p.Answers, want) {
			t.Errorf("participant = %+v, want the demo user in seat 1 with %q", p, want)
		}
		checkMode(t, db, 0o600)

		// A second demo on the same file finds the person registered.
		out, _, err = runDemoScript(t, "/status\n", mapEnv(nil), "-db", db)
		if err != nil {
			t.Fatalf("second demo: %v", err)
		}
		containsInOrder(t, out, "> /status\n", "Angkatan 2 — kursi nomor 1")
	})

	// Ensure that a number with no button of that number on screen is sent
	// as text, and the bot answers it kindly, keeping the buttons usable.
	t.Run("number not on screen", func(t *testing.T) {
		out, stderr, err := runDemoScript(t, "1\n7\n1\n9\n1\n", mapEnv(nil))
		if err != nil {
			t.Fatalf("demo: %v\nstderr:\n%s\noutput:\n%s", err, stderr, out)
		}
		containsInOrder(t, out,
			"> 7\n", "Selamat datang", "  [1] Daftar\n",
			"> 1\n", "Apakah Anda setuju?",
			"> 9\n", "Silakan pilih dengan tombol.", "  [1] Setuju\n",
			"> 1\n", "Pertanyaan 1 dari 6",
		)
		if strings.Contains(out, "(that button is gone)") {
			t.Errorf("a number was taken for a button:\n%s", out)
		}
	})

	// Ensure that the demo reads neither the token nor the API URL from the
	// environment: it never talks to a real Telegram.
	t.Run("ignores the environment", func(t *testing.T) {
		env := mapEnv(map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "DAFTAR_API_URL": "http://127.0.0.1:1"})
		out, stderr, err := runDemoScript(t, "1\n1\n", env, "-v")
		if err != nil {
			t.Fatalf("demo: %v\nstderr:\n%s", err, stderr)
		}
		containsInOrder(t, out, "  [1] Daftar\n", "> 1\n", "Apakah Anda setuju?")
		if strings.Contains(stderr, testToken) || strings.Contains(stderr, "127.0.0.1:1/") {
			t.Errorf("the demo used the environment:\n%s", stderr)
		}
	})

	// Ensure that a bad -lang is a usage error (exit status 2) that says
	// what is allowed.
	t.Run("-lang fr", func(t *testing.T) {
		out, stderr, err := runDemoScript(t, "", mapEnv(nil), "-lang", "fr")
		var printed bytes.Buffer
		if code := exitCode(err, &printed); code != 2 {
			t.Errorf("exit code %d (%v), want 2", code, err)
		}
		if msg := stderr + printed.String(); !strings.Contains(msg, "-lang") {
			t.Errorf("nothing says what is wrong with -lang: %q", msg)
		}
		if out != "" {
			t.Errorf("output: %s", out)
		}
	})
}

// Ensure that the demo can still be tried after the example's open batch
// has started: it is moved to a few weeks after the demo's today.
func TestRun_DemoLater(t *testing.T) {
	out, stderr, err := runDemoScript(t, "", mapEnv(nil), "-now", "2027-06-01T09:00")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	for _, want := range []string{"[1] Pelatihan Menjahit", "sisa 16 kursi", "28 Jun – 4 Jul 2027", "26 Jul – 5 Agu 2027", "30 Agu – 9 Sep 2027"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
