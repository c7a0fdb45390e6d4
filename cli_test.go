package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure that export takes the format from -o's extension when -format is
// not given, and refuses an extension that contradicts -format.
func TestRun_ExportFormatFromName(t *testing.T) {
	cfg, db := writeTestConfig(t, 0, nil)
	seedParticipants(t, db, exportPeople...)
	out := filepath.Join(t.TempDir(), "peserta.xlsx")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"export", "-config", cfg, "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("-o peserta.xlsx wrote %q…, want an XLSX (zip) file", data[:min(len(data), 8)])
	}

	stderr.Reset()
	bad := filepath.Join(t.TempDir(), "peserta.csv")
	err = run(context.Background(), []string{"export", "-config", cfg, "-format", "xlsx", "-o", bad}, mapEnv(nil), nil, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 2 {
		t.Fatalf("-format xlsx -o peserta.csv: exit %d (%v), want 2", code, err)
	}
	if !strings.Contains(stderr.String(), "-format says xlsx") {
		t.Errorf("stderr does not explain the mismatch: %q", stderr.String())
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a file was written despite the mismatch: %v", err)
	}
}

// Ensure that daftar without arguments in a folder without config.toml
// prints the usage instead of failing to read a file the person never
// named, and that help lists every command's flags.
func TestRun_UsageAndHelp(t *testing.T) {
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), nil, mapEnv(nil), nil, &stdout, &stderr)
	if code := exitCode(err, &stderr); code != 2 {
		t.Fatalf("bare daftar: exit %d (%v), want 2", code, err)
	}
	if !strings.Contains(stderr.String(), "usage: daftar <command>") || !strings.Contains(stderr.String(), "daftar demo") {
		t.Errorf("bare daftar printed %q", stderr.String())
	}

	stdout.Reset()
	if err := run(context.Background(), []string{"help"}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"usage: daftar run", "usage: daftar demo", "-now", "usage: daftar check", "usage: daftar export", "-format", "usage: daftar backup", "-o file", "usage: daftar certificates", "usage: daftar attendance-sheet", "usage: daftar report", "-batch id"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stdout.String())
		}
	}
}

// Ensure that backup says what it wrote.
func TestRun_BackupSaysWhat(t *testing.T) {
	cfg, db := writeTestConfig(t, 0, nil)
	seedParticipants(t, db, exportPeople...)
	out := filepath.Join(t.TempDir(), "salinan.db")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"backup", "-config", cfg, "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote "+out) {
		t.Errorf("backup printed %q, want it to name %s", stdout.String(), out)
	}
}

// Ensure that an error writing a file names the file asked for, never the
// temporary name it is written under.
func TestRun_ExportErrorNamesTheFile(t *testing.T) {
	cfg, db := writeTestConfig(t, 0, nil)
	seedParticipants(t, db, exportPeople...)
	out := filepath.Join(t.TempDir(), "no-such-folder", "peserta.csv")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"export", "-config", cfg, "-o", out}, mapEnv(nil), nil, &stdout, &stderr)
	if err == nil {
		t.Fatal("export into a missing folder succeeded")
	}
	if !strings.Contains(err.Error(), out) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("error %q: want it to name %s and no temporary file", err, out)
	}
}
