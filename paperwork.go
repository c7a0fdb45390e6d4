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

// paperJob is what a paperwork command works on: the config, the batch
// its -batch names and that batch's course, and its -o.
type paperJob struct {
	cfg    *Config
	batch  store.Batch
	course store.Course
	out    string
}

// paperArgs reads the flags every paperwork command takes (-config,
// -batch, -o, whose help is outHelp), loads the config and finds the
// batch, whatever its course (batch ids are unique across courses). A
// missing flag or an unknown batch is a usage error saying so.
func paperArgs(name string, args []string, getenv func(string) string, stderr io.Writer, outHelp, outName string) (paperJob, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	batch := fs.String("batch", "", "the batch `id`")
	out := fs.String("o", "", outHelp)
	if err := parseFlags(fs, args, stderr); err != nil {
		return paperJob{}, err
	}
	if *batch == "" || *out == "" {
		return paperJob{}, usageError(stderr, fmt.Sprintf("%s: -batch ID and -o %s are required", name, outName))
	}
	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		return paperJob{}, err
	}
	b, course, ok := cfg.catalog().Batch(*batch)
	if !ok {
		return paperJob{}, usageError(stderr, fmt.Sprintf("%s: no batch %q in the config", name, *batch))
	}
	return paperJob{cfg: cfg, batch: b, course: course, out: *out}, nil
}

// view opens the job's database read-only, as every tool does
// (openForTool), and runs fn in one read transaction.
func (j paperJob) view(fn func(*store.Tx) error) error {
	db, err := openForTool(j.cfg.Store.Path, j.cfg.Store.BackupDir, j.cfg.course().ID, nikFields(j.cfg.catalog()))
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(fn)
}

func runCertificates(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	j, err := paperArgs("certificates", args, getenv, stderr,
		"the `folder` to write to: one PDF per person and one with all (made when missing)", "FOLDER")
	if err != nil {
		return err
	}
	cfg, b, course := j.cfg, j.batch, j.course
	// Issuing writes the certificates' numbers and codes: the database is
	// opened for writing, so the bot must be stopped.
	db, err := store.Open(cfg.Store.Path, store.Options{
		Timeout:       300 * time.Millisecond,
		BeforeMigrate: backupBeforeMigrate(cfg.Store.BackupDir, slog.New(slog.DiscardHandler), time.Now),
		Course:        cfg.course().ID,
		NIKFields:     nikFields(cfg.catalog()),
	})
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("%s is in use by the running bot: stop it first, or send /sertifikat %s to the bot", cfg.Store.Path, b.ID)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	paper := cfg.paperOf(course.ID, "")
	if paper.Bot == "" {
		return errors.New("certificates: set certificate.bot_username in the config: the QR codes link to the bot, and only the running bot knows its name by itself")
	}
	var certs []store.Certificate
	err = db.Update(func(tx *store.Tx) error {
		var err error
		certs, err = tx.IssueCertificates(course, b, paper.NumberFormat, time.Now())
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
	if err := os.MkdirAll(j.out, 0o700); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	all := filepath.Join(j.out, report.CertificatesFileName(b.ID))
	err = store.WriteFile(all, func(w io.Writer) error {
		return report.WriteCertificateFiles(course, b, certs, paper, func(cert store.Certificate, data []byte) error {
			return writeBytes(filepath.Join(j.out, report.CertificateFileName(cert)), data)
		}, w)
	})
	if err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	fmt.Fprintf(stdout, "daftar certificates: %d certificates of %s in %s (one file per person, and %s with all of them)\n",
		len(certs), b.ID, j.out, filepath.Base(all))
	return nil
}

func runAttendanceSheet(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	j, err := paperArgs("attendance-sheet", args, getenv, stderr, "the PDF `file` to write", "FILE.pdf")
	if err != nil {
		return err
	}
	var people []store.Participant
	var marks map[int64]map[int]bool
	err = j.view(func(tx *store.Tx) error {
		var err error
		people, marks, err = report.AttendanceListRows(tx, j.batch.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("attendance-sheet: %w", err)
	}
	err = store.WriteFile(j.out, func(w io.Writer) error {
		return report.WriteAttendanceList(w, j.course, j.batch, people, marks, j.cfg.paperOf(j.course.ID, ""), time.Now())
	})
	if err != nil {
		return fmt.Errorf("attendance-sheet: %w", err)
	}
	fmt.Fprintf(stdout, "daftar attendance-sheet: %s, %d people × %d days, in %s\n", j.batch.ID, len(people), j.batch.Days, j.out)
	return nil
}

func runReport(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	j, err := paperArgs("report", args, getenv, stderr, "the PDF `file` to write", "FILE.pdf")
	if err != nil {
		return err
	}
	var rows report.ActivityRows
	err = j.view(func(tx *store.Tx) error {
		var err error
		rows, err = report.ActivityReportRows(tx, j.batch.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	err = store.WriteFile(j.out, func(w io.Writer) error {
		return report.WriteActivityReport(w, j.course, j.batch, rows, time.Now())
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "daftar report: the activity report of %s in %s\n", j.batch.ID, j.out)
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
