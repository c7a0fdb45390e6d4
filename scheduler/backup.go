package scheduler

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
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
	if err := s.db.Backup(path); err != nil {
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
