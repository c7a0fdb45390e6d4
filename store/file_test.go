package store_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that Backup writes a complete, private copy through WriteFile and
// never over the database itself.
func TestDB_Backup(t *testing.T) {
	t.Run("Backup replaces a file and makes it private", func(t *testing.T) {
		db := mustOpen(t)
		path := filepath.Join(t.TempDir(), "out.db")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(path), ".out.db.tmp"), []byte("left by a crash"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := db.Backup(path); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != 0o600 || fi.Size() < 4096 {
			t.Fatalf("mode %v, size %d", fi.Mode(), fi.Size())
		}
		if names := dirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"out.db"}) {
			t.Fatalf("dir holds %v", names)
		}
	})

	t.Run("Backup refuses the database itself", func(t *testing.T) {
		db := mustOpen(t)
		err := db.Backup(db.Path())
		if err == nil || !strings.Contains(err.Error(), "database itself") {
			t.Fatalf("err = %v", err)
		}
		if _, err := db.Participants(); err != nil {
			t.Fatal(err)
		}
	})

}

// Ensure that WriteFile leaves either the old file or the whole new one,
// private, and no temporary file behind when writing fails.
func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("disk full")
	if err := store.WriteFile(path, func(w io.Writer) error {
		w.Write([]byte("half"))
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("err = %v, want %v", err, failed)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("after a failed write the file holds %q", b)
	}
	if names := dirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"list.csv"}) {
		t.Fatalf("dir holds %v", names)
	}
	if err := store.WriteFile(path, func(w io.Writer) error {
		_, err := w.Write([]byte("new"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" || fi.Mode() != 0o600 {
		t.Fatalf("file holds %q with mode %v", b, fi.Mode())
	}
}

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
