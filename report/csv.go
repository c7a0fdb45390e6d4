package report

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/daftar-bot/daftar/store"
)

// WriteCSV writes the dataset as CSV for scripts: UTF-8 with a byte order
// mark so that spreadsheet programs read the names right, the Header row,
// one row per participant with its attendance and its telegram cell last,
// fields separated by the course's CSVSeparator (a comma by default).
// Cells a spreadsheet would run as a formula are prefixed with an
// apostrophe. The CSV carries no time of its own besides registered_at.
func WriteCSV(w io.Writer, d *Dataset) error {
	return writeCSV(w, d, NewAttendanceSheet(d.Course, d.Marks))
}

// writeCSV writes d's participants as CSV, each row followed by its
// attendance from sheet and its telegram cell; a nil sheet writes the
// ExportHeader columns only.
func writeCSV(w io.Writer, d *Dataset, sheet *AttendanceSheet) error {
	cw, err := newCSVExport(w, d.Course, sheet)
	if err != nil {
		return err
	}
	if err := d.Each("", cw.Write); err != nil {
		return err
	}
	return cw.Flush()
}

// csvExport is a CSV export being written one participant at a time.
type csvExport struct {
	cw    *csv.Writer
	c     store.Course
	sheet *AttendanceSheet
}

// newCSVExport writes the byte order mark and the header to w.
func newCSVExport(w io.Writer, c store.Course, sheet *AttendanceSheet) (*csvExport, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	x := &csvExport{cw: csv.NewWriter(w), c: c, sheet: sheet}
	if c.CSVSeparator != 0 {
		x.cw.Comma = c.CSVSeparator
	}
	header := ExportHeader(c)
	if sheet != nil {
		header = Header(c)
	}
	return x, x.cw.Write(header)
}

// Write writes p's row.
func (x *csvExport) Write(p store.Participant) error {
	row := ExportRow(x.c, p)
	for i, cell := range row {
		row[i] = defuseFormula(cell)
	}
	if x.sheet != nil {
		row = append(append(row, x.sheet.Row(p).Cells()...), TelegramCell(p))
	}
	return x.cw.Write(row)
}

// Flush writes what is buffered.
func (x *csvExport) Flush() error {
	x.cw.Flush()
	return x.cw.Error()
}

// defuseFormula keeps a cell from being evaluated as a formula (CSV
// injection). Phone numbers like +6281… and plain numbers are left alone.
func defuseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if strings.Trim(s[1:], "0123456789") != "" || len(s) == 1 {
			return "'" + s
		}
	}
	return s
}
