package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that "daftar version" prints the program's version and the Go
// version it was built with, on one line: "daftar devel-abc123 go1.26.8".
func TestRun_Version(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"version"}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if !regexp.MustCompile(`^daftar \S+ go\S+\n$`).MatchString(out) || !strings.HasSuffix(out, " "+runtime.Version()+"\n") {
		t.Errorf("version printed %q, want \"daftar <version> %s\"", out, runtime.Version())
	}
}

// Ensure that the version is the module version of a tagged build, else
// the VCS revision, shortened and marked when the tree was modified.
func TestBuildVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tt := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"tagged", debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: vcs("0123456789abcdef", "false")}, "v1.2.0"},
		{"revision", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef", "false")}, "devel-0123456789ab"},
		{"modified", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef", "true")}, "devel-0123456789ab+dirty"},
		{"no vcs", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildVersion(&tt.info); got != tt.want {
				t.Errorf("buildVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBackupBeforeMigrate(t *testing.T) {
	at := time.Date(2025, 10, 20, 8, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	openDB := func(t *testing.T) *store.DB {
		t.Helper()
		db, err := store.Open(filepath.Join(t.TempDir(), "daftar.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	check := func(t *testing.T, path string) {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatalf("no backup: %v", err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
		}
		b, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("backup does not open: %v", err)
		}
		b.Close()
	}

	// Ensure that without store.backup_dir the copy lands beside the
	// database, named after the target version and the UTC time, and that
	// the log says where.
	t.Run("beside the database", func(t *testing.T) {
		db := openDB(t)
		var logs bytes.Buffer
		hook := backupBeforeMigrate("", slog.New(slog.NewTextHandler(&logs, nil)), func() time.Time { return at })
		if err := hook(db, 1, 2); err != nil {
			t.Fatal(err)
		}
		want := filepath.Join(filepath.Dir(db.Path()), "daftar.db.pre-v2-20251020T010000Z.bak")
		check(t, want)
		if !strings.Contains(logs.String(), want) || !strings.Contains(logs.String(), "from=1 to=2") {
			t.Errorf("log does not name the backup and versions:\n%s", logs.String())
		}
	})

	// Ensure that with store.backup_dir the copy goes there, the directory
	// created private when missing.
	t.Run("in backup_dir", func(t *testing.T) {
		db := openDB(t)
		dir := filepath.Join(t.TempDir(), "backups")
		hook := backupBeforeMigrate(dir, slog.New(slog.DiscardHandler), func() time.Time { return at })
		if err := hook(db, 1, 3); err != nil {
			t.Fatal(err)
		}
		check(t, filepath.Join(dir, "daftar.db.pre-v3-20251020T010000Z.bak"))
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("backup dir: %v, %v; want mode 0700", fi.Mode().Perm(), err)
		}
	})

	// Ensure that a backup that cannot be written is an error, which
	// makes Open refuse to migrate.
	t.Run("unwritable", func(t *testing.T) {
		db := openDB(t)
		file := filepath.Join(t.TempDir(), "a-file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		hook := backupBeforeMigrate(filepath.Join(file, "sub"), slog.New(slog.DiscardHandler), func() time.Time { return at })
		if err := hook(db, 1, 2); err == nil {
			t.Error("backup into a path under a file succeeded")
		}
	})
}
