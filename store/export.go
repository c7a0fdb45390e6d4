package store

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportHeader returns the export columns in their contract order: seat,
// batch, status, each form field by key, language, registered_at. Later
// columns may be appended, these are never renamed.
func ExportHeader(c Course) []string {
	h := []string{"seat", "batch", "status"}
	for _, f := range c.Fields {
		h = append(h, f.Key)
	}
	return append(h, "language", "registered_at")
}

// ExportRow returns p's cells in ExportHeader order, the time in the
// course time zone.
func ExportRow(c Course, p Participant) []string {
	row := make([]string, 0, len(c.Fields)+5)
	seat := ""
	if p.Status == StatusRegistered && p.Seat > 0 {
		seat = strconv.Itoa(p.Seat)
	}
	row = append(row, seat, p.Batch, string(p.Status))
	for _, f := range c.Fields {
		row = append(row, p.Answers[f.Key])
	}
	registered := ""
	if !p.RegisteredAt.IsZero() {
		loc := c.Location
		if loc == nil {
			loc = time.UTC
		}
		registered = p.RegisteredAt.In(loc).Format(time.RFC3339)
	}
	return append(row, p.Lang, registered)
}

// WriteCSV writes the participants as CSV: UTF-8 with a byte order mark so
// that spreadsheet programs read the names right, a header row, one row per
// participant. Cells a spreadsheet would run as a formula are prefixed
// with an apostrophe.
func WriteCSV(w io.Writer, c Course, ps []Participant) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader(c)); err != nil {
		return err
	}
	for _, p := range ps {
		row := ExportRow(c, p)
		for i, cell := range row {
			row[i] = defuseFormula(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
