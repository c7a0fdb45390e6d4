package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/store"
)

// The paperwork commands: `daftar certificates`, `daftar
// attendance-sheet` and `daftar report`. They make the same PDFs as the
// bot's /sertifikat, /daftarhadir and /laporan, from the database;
// certificates only while the bot is stopped (issuing writes).

func runCertificates(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("certificates", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	batch := fs.String("batch", "", "the batch `id`")
	out := fs.String("o", "", "the `folder` to write to: one PDF per person and one with all (made when missing)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *batch == "" || *out == "" {
		return usageError(stderr, "certificates: -batch ID and -o FOLDER are required")
	}
	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		return err
	}
	b, course, ok := cfg.catalog().Batch(*batch) // batch ids are unique across courses
	if !ok {
		return usageError(stderr, fmt.Sprintf("certificates: no batch %q in the config", *batch))
	}
	// Issuing writes the certificates' numbers and codes: the database is
	// opened for writing, so the bot must be stopped.
	db, err := store.Open(cfg.Store.Path, store.Options{
		Timeout:       300 * time.Millisecond,
		BeforeMigrate: backupBeforeMigrate(cfg.Store.BackupDir, slog.New(slog.DiscardHandler), time.Now),
		Course:        cfg.course().ID,
	})
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("%s is in use by the running bot: stop it first, or send /sertifikat %s to the bot", cfg.Store.Path, b.ID)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Certificate.BotUsername == "" {
		return errors.New("certificates: set certificate.bot_username in the config: the QR codes link to the bot, and only the running bot knows its name by itself")
	}
	var certs []store.Certificate
	err = db.Update(func(tx *store.Tx) error {
		var err error
		certs, err = tx.IssueCertificates(course, b, cfg.Certificate.NumberFormat, time.Now())
		return err
	})
	switch {
	case errors.Is(err, store.ErrNoCertificates):
		return errors.New("certificates: the course gives none (course.certificate_min_days = 0)")
	case errors.Is(err, store.ErrCertificateNotYet):
		return fmt.Errorf("certificates: %s has not ended yet (its last session ends %s): certificates are issued once attendance is complete", b.ID, b.SessionEnd(b.Days).Format("2006-01-02 15:04"))
	case err != nil:
		return fmt.Errorf("certificates: %w", err)
	}
	if len(certs) == 0 {
		fmt.Fprintf(stdout, "daftar certificates: nobody of %s was present on %d days or more: no certificate\n", b.ID, course.CertificateMinDays)
		return nil
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	all := filepath.Join(*out, report.CertificatesFileName(b.ID))
	err = store.WriteFile(all, func(w io.Writer) error {
		return report.WriteCertificateFiles(course, b, certs, cfg.paper(""), func(cert store.Certificate, data []byte) error {
			return writeBytes(filepath.Join(*out, report.CertificateFileName(cert)), data)
		}, w)
	})
	if err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	fmt.Fprintf(stdout, "daftar certificates: %d certificates of %s in %s (one file per person, and %s with all of them)\n",
		len(certs), b.ID, *out, filepath.Base(all))
	return nil
}

func runAttendanceSheet(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("attendance-sheet", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	batch := fs.String("batch", "", "the batch `id`")
	out := fs.String("o", "", "the PDF `file` to write")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *batch == "" || *out == "" {
		return usageError(stderr, "attendance-sheet: -batch ID and -o FILE.pdf are required")
	}
	cfg, db, err := openTool(*path, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	b, course, ok := cfg.catalog().Batch(*batch) // batch ids are unique across courses
	if !ok {
		return usageError(stderr, fmt.Sprintf("attendance-sheet: no batch %q in the config", *batch))
	}
	var people []store.Participant
	var marks map[int64]map[int]bool
	err = db.View(func(tx *store.Tx) error {
		people, marks, err = report.AttendanceListRows(tx, b.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("attendance-sheet: %w", err)
	}
	err = store.WriteFile(*out, func(w io.Writer) error {
		return report.WriteAttendanceList(w, course, b, people, marks, cfg.paper(""), time.Now())
	})
	if err != nil {
		return fmt.Errorf("attendance-sheet: %w", err)
	}
	fmt.Fprintf(stdout, "daftar attendance-sheet: %s, %d people × %d days, in %s\n", b.ID, len(people), b.Days, *out)
	return nil
}

func runReport(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	batch := fs.String("batch", "", "the batch `id`")
	out := fs.String("o", "", "the PDF `file` to write")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *batch == "" || *out == "" {
		return usageError(stderr, "report: -batch ID and -o FILE.pdf are required")
	}
	cfg, db, err := openTool(*path, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	b, course, ok := cfg.catalog().Batch(*batch) // batch ids are unique across courses
	if !ok {
		return usageError(stderr, fmt.Sprintf("report: no batch %q in the config", *batch))
	}
	var rows report.ActivityRows
	err = db.View(func(tx *store.Tx) error {
		rows, err = report.ActivityReportRows(tx, b.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	err = store.WriteFile(*out, func(w io.Writer) error {
		return report.WriteActivityReport(w, course, b, rows, time.Now())
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "daftar report: the activity report of %s in %s\n", b.ID, *out)
	return nil
}

// usageError reports msg on stderr as a usage error (exit status 2).
func usageError(stderr io.Writer, msg string) error {
	fmt.Fprintln(stderr, "daftar "+msg)
	return &exitError{code: 2, err: errors.New(msg)}
}

// writeBytes writes data to path as store.WriteFile does (mode 0600,
// appearing whole).
func writeBytes(path string, data []byte) error {
	return store.WriteFile(path, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}
