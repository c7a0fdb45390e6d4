package scheduler

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that Backup writes a complete, private copy of the live database
// under a dated name and prunes only old backups of its own.
func TestScheduler_Backup(t *testing.T) {
	jakarta := mustLoad(t, "Asia/Jakarta")
	b := batch(jakarta)
	now := time.Date(2025, 10, 21, 2, 30, 0, 0, jakarta)

	t.Run("a copy of the live database", func(t *testing.T) {
		db := mustOpen(t)
		mustRegister(t, db, b, 1, now)
		mustRegister(t, db, b, 2, now)
		dir := filepath.Join(t.TempDir(), "backups")
		s := New(db, one(course(jakarta, b)), Options{BackupDir: dir})

		// UTC here, the name in the course time zone.
		path, err := s.Backup(now.UTC())
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dir, "daftar-20251021-023000.db"); path != want {
			t.Fatalf("path = %s, want %s", path, want)
		}
		for name, want := range map[string]os.FileMode{path: 0o600, dir: 0o700 | os.ModeDir} {
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != want {
				t.Errorf("%s: mode %v, want %v", name, fi.Mode(), want)
			}
		}
		if names := dirNames(t, dir); len(names) != 1 {
			t.Errorf("backup dir holds %v, want the backup only", names)
		}

		bk, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer bk.Close()
		want, err := db.Participants()
		if err != nil {
			t.Fatal(err)
		}
		got, err := bk.Participants()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].UserID != want[0].UserID || got[1].UserID != want[1].UserID || got[1].Seat != 2 {
			t.Fatalf("backup has %+v, want %+v", got, want)
		}
	})

	tests := []struct {
		name  string
		keep  int
		files []string // besides the new daftar-20251021-023000.db
		want  []string // what remains, the new backup included
	}{
		{
			name: "older than keep days go",
			keep: 7,
			files: []string{
				"daftar-20251001-023000.db",
				"daftar-20251014-022959.db", // 7 days and a second
				"daftar-20251014-023000.db", // exactly 7 days: kept
				"daftar-20251020-023000.db",
			},
			want: []string{
				"daftar-20251014-023000.db",
				"daftar-20251020-023000.db",
				"daftar-20251021-023000.db",
			},
		},
		{
			name:  "zero keeps the default",
			files: []string{"daftar-20251001-023000.db", "daftar-20251008-023000.db"},
			want:  []string{"daftar-20251008-023000.db", "daftar-20251021-023000.db"},
		},
		{
			name: "other files are not touched",
			keep: 1,
			files: []string{
				"daftar-20200101-000000.db.bak",
				"daftar-latest.db",
				"daftar-20209999-999999.db", // no date
				"notes-20200101-000000.db",
				"README.txt",
				".daftar-20200101-000000.db.tmp",
				"daftar-20200101-000000.db/", // a directory
			},
			want: []string{
				".daftar-20200101-000000.db.tmp",
				"README.txt",
				"daftar-20200101-000000.db",
				"daftar-20200101-000000.db.bak",
				"daftar-20209999-999999.db",
				"daftar-20251021-023000.db",
				"daftar-latest.db",
				"notes-20200101-000000.db",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				mustCreate(t, dir, f)
			}
			s := New(mustOpen(t), one(course(jakarta, b)), Options{BackupDir: dir, BackupKeep: tt.keep})
			if _, err := s.Backup(now); err != nil {
				t.Fatal(err)
			}
			if got := dirNames(t, dir); !slices.Equal(got, tt.want) {
				t.Fatalf("left\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}

	t.Run("the newest is kept however old", func(t *testing.T) {
		dir := t.TempDir()
		for _, f := range []string{"daftar-20250101-023000.db", "daftar-20250102-023000.db"} {
			mustCreate(t, dir, f)
		}
		s := New(mustOpen(t), one(course(jakarta, b)), Options{BackupDir: dir, BackupKeep: 7})
		if err := s.prune(now); err != nil {
			t.Fatal(err)
		}
		if got := dirNames(t, dir); !slices.Equal(got, []string{"daftar-20250102-023000.db"}) {
			t.Fatalf("left %v", got)
		}
	})

	t.Run("no backup directory", func(t *testing.T) {
		if _, err := New(mustOpen(t), one(course(jakarta, b)), Options{}).Backup(now); err == nil {
			t.Fatal("no error")
		}
	})
}

// mustCreate creates an empty file in dir, or a directory when name ends
// with a slash.
func mustCreate(tb testing.TB, dir, name string) {
	tb.Helper()
	path := filepath.Join(dir, name)
	var err error
	if strings.HasSuffix(name, "/") {
		err = os.Mkdir(path, 0o700)
	} else {
		err = os.WriteFile(path, nil, 0o600)
	}
	if err != nil {
		tb.Fatal(err)
	}
}

// dirNames returns the sorted names in dir.
func dirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
