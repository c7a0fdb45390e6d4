package report

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Export makes the export of batch ("" for every batch) as of now: the
// XLSX and the CSV, from one Load, in one read transaction. An unknown
// batch is store.ErrNotFound.
// The XLSX's summary is in the course's language.
func Export(db *store.DB, c store.Course, batch string, now time.Time) (xlsx, csv []byte, err error) {
	var x, s bytes.Buffer
	err = db.View(func(tx *store.Tx) error {
		d, err := Load(tx, c, batch, now)
		if err != nil {
			return err
		}
		return writeBoth(&x, &s, d)
	})
	releaseMemory()
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	return x.Bytes(), s.Bytes(), nil
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
// it in the course time zone). batch "" means every batch.
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

// releaseMemory hands the heap that an export or the statistics just used
// back to the operating system. The runtime would give it back only
// gradually, over minutes, so the bot would stay at the command's peak
// size; the forced collection costs a few milliseconds, on a command
// organisers send a few times a day.
func releaseMemory() { debug.FreeOSMemory() }
