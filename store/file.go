package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes a file that appears whole or not at all: write fills
// .<name>.tmp beside path (mode 0600, also when a crash left that file
// behind with another mode), which is fsynced and then renamed over path.
// A reader therefore sees the old file or the complete new one, never half
// of one. Every file daftar writes for people goes through here: exports,
// and the files the bot sends (backups and the rewritten database are
// bolt files written by bolt, and share its rename, commitFile).
func WriteFile(path string, write func(io.Writer) error) (err error) {
	tmp := tempName(path)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, hideTemp(err, tmp))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, hideTemp(err, tmp))
		}
	}()
	// O_TRUNC keeps the mode of a file left by a crash.
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return hideTemp(commitFile(tmp, path), tmp)
}

// hideTemp drops the temporary name from a file system error about it:
// a person asked for path and should read only of path.
func hideTemp(err error, tmp string) error {
	var pe *os.PathError
	if errors.As(err, &pe) && pe.Path == tmp {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) && le.Old == tmp {
		return le.Err
	}
	return err
}

// tempName is the name a file is written under before it is renamed to
// path: hidden, beside it, so that the rename stays on one file system.
func tempName(path string) string {
	dir, name := filepath.Split(path)
	return filepath.Join(dir, "."+name+".tmp")
}

// commitFile renames a complete, synced tmp to path and makes the rename
// durable.
func commitFile(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename in dir durable. It is best effort: not every
// system can sync a directory, and the file itself is already on disk.
func syncDir(dir string) {
	if dir == "" {
		dir = "."
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Backup writes a consistent copy of the database, taken in one read
// transaction while other transactions go on, to path: compacted, so that
// no freed page (a handled update, an old version of an edited answer, an
// erased person) goes into it; under a temporary name first, then renamed,
// so that path is the old file or a complete copy. It refuses to write
// over the database itself.
func (db *DB) Backup(path string) error {
	if same, err := samePath(path, db.Path()); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	} else if same {
		return fmt.Errorf("backup to %s: that is the database itself", path)
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	tmp := tempName(path)
	dst, err := db.compactInto(tmp)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, hideTemp(err, tmp))
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := commitFile(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, hideTemp(err, tmp))
	}
	return nil
}

// samePath reports whether a and b name the same file, resolving relative
// paths; a missing a is never the same.
func samePath(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		return false, nil // the database's file is gone: nothing to overwrite
	}
	return os.SameFile(ia, ib), nil
}
