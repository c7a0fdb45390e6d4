package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Export makes the export of batch ("" for every batch) as of now: the
// XLSX to xw and the CSV to cw, from one Load, in one read transaction. An
// unknown batch is store.ErrNotFound.
// The XLSX's summary is in the course's language.
func Export(db *store.DB, c store.Course, batch string, now time.Time, xw, cw io.Writer) error {
	return export(db, func(tx *store.Tx) (*Dataset, error) { return Load(tx, c, batch, now) }, xw, cw)
}

// ExportCourse is Export of every batch of course c and no other
// (LoadCourse): a course's export when the bot serves several.
// former, when not nil, names in the export's transaction the batches
// the config no longer lists that go with c (LoadCourse).
func ExportCourse(db *store.DB, c store.Course, former func(*store.Tx) ([]string, error), now time.Time, xw, cw io.Writer) error {
	return export(db, func(tx *store.Tx) (*Dataset, error) {
		var ids []string
		if former != nil {
			var err error
			if ids, err = former(tx); err != nil {
				return nil, err
			}
		}
		return LoadCourse(tx, c, ids, now)
	}, xw, cw)
}

func export(db *store.DB, load func(*store.Tx) (*Dataset, error), xw, cw io.Writer) error {
	defer setGCPercent(exportGCPercent)()
	err := db.View(func(tx *store.Tx) error {
		d, err := load(tx)
		if err != nil {
			return err
		}
		return writeBoth(xw, cw, d)
	})
	releaseMemory()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// Files is an export written to two temporary files (mode 0600, in the
// system's temporary folder), read from their start. The files, not the
// heap, hold the documents while they are sent: 10,000 people make
// megabytes that the bot would otherwise keep twice over (the GC lets the
// heap grow to twice what is live). Close removes them.
type Files struct {
	XLSX, CSV *os.File
}

// ExportFiles is Export into Files.
func ExportFiles(db *store.DB, c store.Course, batch string, now time.Time) (*Files, error) {
	return writeFiles(func(xw, cw io.Writer) error { return Export(db, c, batch, now, xw, cw) })
}

// ExportCourseFiles is ExportCourse into Files.
func ExportCourseFiles(db *store.DB, c store.Course, former func(*store.Tx) ([]string, error), now time.Time) (*Files, error) {
	return writeFiles(func(xw, cw io.Writer) error { return ExportCourse(db, c, former, now, xw, cw) })
}

func writeFiles(write func(xw, cw io.Writer) error) (*Files, error) {
	f := &Files{}
	var err error
	if f.XLSX, err = os.CreateTemp("", "daftar-export-*.xlsx"); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if f.CSV, err = os.CreateTemp("", "daftar-export-*.csv"); err != nil {
		f.Close()
		return nil, fmt.Errorf("export: %w", err)
	}
	xw, cw := bufio.NewWriterSize(f.XLSX, 64<<10), bufio.NewWriterSize(f.CSV, 64<<10)
	err = write(xw, cw)
	for _, step := range []func() error{
		xw.Flush, cw.Flush,
		func() error { _, err := f.XLSX.Seek(0, io.SeekStart); return err },
		func() error { _, err := f.CSV.Seek(0, io.SeekStart); return err },
	} {
		if err != nil {
			break
		}
		if err = step(); err != nil {
			err = fmt.Errorf("export: %w", err)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Close closes and removes the files.
func (f *Files) Close() error {
	var errs []error
	for _, file := range []*os.File{f.XLSX, f.CSV} {
		if file != nil {
			errs = append(errs, file.Close(), os.Remove(file.Name()))
		}
	}
	return errors.Join(errs...)
}

// writeBoth writes d as WriteXLSX to xw and as WriteCSV to cw. The CSV's
// rows are written as the XLSX measures its own, so that the participants
// are read twice, not three times.
func writeBoth(xw, cw io.Writer, d *Dataset) error {
	x, err := newXLSXExport(d.Course, d.Marks, d.Now)
	if err != nil {
		return err
	}
	defer x.Close()
	c, err := newCSVExport(cw, d.Course, x.sheet)
	if err != nil {
		return err
	}
	err = d.Each("", func(p store.Participant) error {
		if err := x.measure(p); err != nil {
			return err
		}
		return c.Write(p)
	})
	if err != nil {
		return err
	}
	if err := c.Flush(); err != nil {
		return err
	}
	return x.finish(xw, d)
}

// ExportFileName is the name an export is sent or saved under:
// peserta-<batch|semua>-<YYYY-MM-DD>.<ext>, the date of now as given (pass
// it in the course time zone). batch "" means every batch; a course's
// export, when the bot serves several, passes the course id (batch and
// course ids never clash).
func ExportFileName(batch string, now time.Time, ext string) string {
	if batch == "" {
		batch = "semua"
	}
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, strings.ToLower(batch))
	return "peserta-" + safe + "-" + now.Format("2006-01-02") + "." + strings.TrimPrefix(ext, ".")
}

// exportGCPercent is the GC target (GOGC) while an export is written. An
// export allocates about 80 MB for 10,000 people (excelize builds every
// cell, each participant is decoded twice) while little of it stays live;
// at the default 100 the heap grows to twice what was live at the last
// collection plus what is allocated while marking, 16 MB at its peak,
// which with the mapped database and the binary took the bot past 60 MB.
// At 40 the peak is a third lower, for a few more collections during a
// command organisers send a few times a day.
const exportGCPercent = 40

// releaseMemory hands the heap that an export or the statistics just used
// back to the operating system. The runtime would give it back only
// gradually, over minutes, so the bot would stay at the command's peak
// size; the forced collection costs a few milliseconds, on a command
// organisers send a few times a day.
func releaseMemory() { debug.FreeOSMemory() }
