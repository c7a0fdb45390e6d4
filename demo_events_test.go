package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pipedDemo is `daftar demo` reading a pipe that stays open: what the
// test writes to in is typed, and out is what it printed so far.
type pipedDemo struct {
	in   *io.PipeWriter
	out  *lockedBuffer
	done chan error
}

func startPipedDemo(t *testing.T, args ...string) *pipedDemo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	r, w := io.Pipe()
	d := &pipedDemo{in: w, out: &lockedBuffer{}, done: make(chan error, 1)}
	go func() {
		d.done <- run(ctx, append([]string{"demo", "-now", "2026-11-28T10:00"}, args...), mapEnv(nil), r, d.out, io.Discard)
	}()
	t.Cleanup(func() {
		w.Close()
		select {
		case <-d.done:
		case <-time.After(20 * time.Second):
			t.Error("the demo did not end within 20 s of its input's end")
		}
		cancel()
	})
	return d
}

// waitOut waits until the output after the first occurrence of after
// contains want, and returns that part of the output.
func (d *pipedDemo) waitOut(t *testing.T, after, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		out := d.out.String()
		if i := strings.Index(out, after); i >= 0 && strings.Contains(out[i+len(after):], want) {
			return out[i+len(after):]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q after %q within 15 s; output:\n%s", want, after, out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Ensure that from a pipe, as at a terminal, what the bot sends by itself
// (here an announcement's copy, which the outbox sends after the
// organiser pressed Kirim) is printed when it comes, not when the next
// line is typed, and is followed by a new prompt.
func TestRun_DemoPipedEvents(t *testing.T) {
	d := startPipedDemo(t)
	io.WriteString(d.in, readScript(t, "demo_register.txt")+"/umumkan\nBesok kelas dimulai jam 8\n3\n1\n")
	d.waitOut(t, "masuk antrean: 1 penerima.", "Besok kelas dimulai jam 8")
	d.waitOut(t, "masuk antrean: 1 penerima.\n\n> ", "Besok kelas dimulai jam 8\n\n> ")
	// The next line is still answered right after it is typed.
	io.WriteString(d.in, "/status\n")
	d.waitOut(t, "> /status\n", "Angkatan 2 — kursi nomor 1")
}

// Ensure that the files the bot sends (the export, the chart) are saved,
// each line saying where: in -files DIR, or in a new folder whose path is
// printed.
func TestRun_DemoFiles(t *testing.T) {
	script := readScript(t, "demo_register.txt") + "/ekspor\n1\n"
	t.Run("-files", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "keluar")
		out, stderr, err := runDemoScript(t, script, mapEnv(nil), "-files", dir)
		if err != nil {
			t.Fatalf("demo: %v\n%s", err, stderr)
		}
		for _, name := range []string{"peserta-menjahit-2026-11-28.csv", "peserta-menjahit-2026-11-28.xlsx"} {
			path := filepath.Join(dir, name)
			if !strings.Contains(out, "(saved as "+path+")") {
				t.Errorf("output does not say %s was saved:\n%s", path, out)
			}
			data, err := os.ReadFile(path)
			if err != nil || len(data) == 0 {
				t.Errorf("%s: %d bytes, %v", path, len(data), err)
			}
			checkMode(t, path, 0o600)
		}
		csv, _ := os.ReadFile(filepath.Join(dir, "peserta-menjahit-2026-11-28.csv"))
		if !strings.Contains(string(csv), "Siti Aminah") {
			t.Errorf("the saved CSV lacks the registration:\n%s", csv)
		}
	})
	t.Run("a new folder", func(t *testing.T) {
		out, stderr, err := runDemoScript(t, script, mapEnv(nil))
		if err != nil {
			t.Fatalf("demo: %v\n%s", err, stderr)
		}
		_, after, ok := strings.Cut(out, "(saved as ")
		path, _, _ := strings.Cut(after, ")")
		if !ok || filepath.Base(path) != "peserta-menjahit-2026-11-28.xlsx" {
			t.Fatalf("no file saved:\n%s", out)
		}
		t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", path, err)
		}
	})
}
