package scheduler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Backups are named daftar-YYYYMMDD-HHMMSS.db after the moment they were
// taken, in the course time zone. Pruning touches only files with such
// names.
const backupStamp = "20060102-150405"

var backupName = regexp.MustCompile(`^daftar-(\d{8}-\d{6})\.db$`)

// Backup writes a consistent copy of the live database to
// <BackupDir>/daftar-YYYYMMDD-HHMMSS.db (now in the course time zone),
// creating BackupDir with mode 0700 when it is missing, and then deletes the
// backups there that are more than BackupKeep days older than now, always
// keeping the newest. It returns the new file's path, also when only the
// pruning failed.
func (s *Scheduler) Backup(now time.Time) (path string, err error) {
	dir := s.opt.BackupDir
	if dir == "" {
		return "", errors.New("backup: no backup directory configured")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	path = filepath.Join(dir, "daftar-"+now.In(s.loc).Format(backupStamp)+".db")
	if err := WriteBackup(s.db, path); err != nil {
		return "", err
	}
	if err := s.prune(now); err != nil {
		return path, fmt.Errorf("prune backups in %s: %w", dir, err)
	}
	return path, nil
}

// prune deletes the backups in BackupDir taken more than BackupKeep days
// before now, except the newest.
func (s *Scheduler) prune(now time.Time) error {
	entries, err := os.ReadDir(s.opt.BackupDir)
	if err != nil {
		return err
	}
	type backup struct {
		name string
		at   time.Time
	}
	var backups []backup
	newest := -1
	for _, e := range entries {
		m := backupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		at, err := time.ParseInLocation(backupStamp, m[1], s.loc)
		if err != nil {
			continue // digits that are no date: not ours
		}
		if newest < 0 || at.After(backups[newest].at) {
			newest = len(backups)
		}
		backups = append(backups, backup{e.Name(), at})
	}
	cutoff := now.AddDate(0, 0, -s.opt.BackupKeep)
	var errs []error
	for i, b := range backups {
		if i == newest || !b.at.Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(s.opt.BackupDir, b.name)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// WriteBackup writes a consistent copy of db, taken while other
// transactions go on, to path: first to .<name>.tmp beside it with mode
// 0600, fsynced, then renamed into place, so that path is either the old
// file or a complete copy, never half of one. It refuses to write over the
// database itself.
func WriteBackup(db *store.DB, path string) (err error) {
	if same, err := samePath(path, db.Path()); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	} else if same {
		return fmt.Errorf("backup to %s: that is the database itself", path)
	}
	dir, name := filepath.Split(path)
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("backup to %s: %w", path, err)
		}
	}()
	// A temporary file left by a crash keeps its mode under O_TRUNC.
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := db.WriteTo(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
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

// syncDir makes a rename in dir durable. It is best effort: not every
// system can sync a directory, and the backup itself is already on disk.
func syncDir(dir string) {
	if dir == "" {
		dir = "."
	}
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
