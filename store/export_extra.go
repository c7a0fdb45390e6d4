package store

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Mark is what the export says of a participant's session day.
type Mark int8

// Marks of a day.
const (
	MarkNone    Mark = iota // no roll call that day yet, or the person was not called
	MarkAbsent              // a roll call was held and the person was not marked present
	MarkPresent             // marked present
)

// String returns the CSV cell: "1" present, "0" absent, "" none.
func (m Mark) String() string {
	switch m {
	case MarkPresent:
		return "1"
	case MarkAbsent:
		return "0"
	}
	return ""
}

// ExportDays is the number of day_N columns of an export: the longest
// batch's days.
func ExportDays(c Course) int {
	n := 0
	for _, b := range c.Batches {
		n = max(n, b.Days)
	}
	return n
}

// AttendanceHeader returns the columns an export appends after
// ExportHeader: day_1 … day_N (N = ExportDays), days_present, certificate.
// Like ExportHeader's, these names are a contract: only append.
func AttendanceHeader(c Course) []string {
	n := ExportDays(c)
	h := make([]string, 0, n+2)
	for d := 1; d <= n; d++ {
		h = append(h, "day_"+strconv.Itoa(d))
	}
	return append(h, "days_present", "certificate")
}

// CertificateEligible reports whether a participant with status and
// daysPresent days marked present earns the certificate: they hold a seat
// and were present on at least CertificateMinDays days.
func (c Course) CertificateEligible(status Status, daysPresent int) bool {
	return status == StatusRegistered && daysPresent >= c.CertificateMinDays
}

// AttendanceRow is a participant's attendance as exported.
type AttendanceRow struct {
	Days     []Mark // day 1 first, ExportDays(c) long
	Present  int    // days marked present
	Eligible bool   // Course.CertificateEligible
}

// Cells returns the row's cells in AttendanceHeader order.
func (r AttendanceRow) Cells() []string {
	out := make([]string, 0, len(r.Days)+2)
	for _, m := range r.Days {
		out = append(out, m.String())
	}
	cert := "no"
	if r.Eligible {
		cert = "yes"
	}
	return append(out, strconv.Itoa(r.Present), cert)
}

// AttendanceSheet turns the marks of an export's batches into rows. Build
// it once per export with NewAttendanceSheet: it works out which days had a
// roll call.
type AttendanceSheet struct {
	course Course
	days   int
	marks  map[string]map[int64]map[int]bool
	held   map[string][]bool // batch → day → somebody was marked
}

// NewAttendanceSheet returns the sheet for c with marks by batch id, each
// as Tx.Attendance returns it. A batch missing from marks had no roll
// call. A day of a batch had a roll call when anybody of the batch was
// marked on it: then a registered participant without a mark that day was
// absent.
func NewAttendanceSheet(c Course, marks map[string]map[int64]map[int]bool) *AttendanceSheet {
	s := &AttendanceSheet{course: c, days: ExportDays(c), marks: marks, held: map[string][]bool{}}
	for batch, users := range marks {
		held := make([]bool, s.days+1)
		for _, days := range users {
			for d := range days {
				if d >= 1 && d <= s.days {
					held[d] = true
				}
			}
		}
		s.held[batch] = held
	}
	return s
}

// Row returns p's attendance. Days after the end of p's batch (shorter
// than the longest) are MarkNone; so are the days of a person without a
// seat who was never marked.
func (s *AttendanceSheet) Row(p Participant) AttendanceRow {
	last := s.days
	if b, ok := s.course.Batch(p.Batch); ok {
		last = min(b.Days, s.days)
	}
	r := AttendanceRow{Days: make([]Mark, s.days)}
	mine, held := s.marks[p.Batch][p.UserID], s.held[p.Batch]
	for d := 1; d <= last; d++ {
		present, marked := mine[d]
		switch {
		case present:
			r.Days[d-1] = MarkPresent
			r.Present++
		case marked || (p.Status == StatusRegistered && d < len(held) && held[d]):
			r.Days[d-1] = MarkAbsent
		}
	}
	r.Eligible = s.course.CertificateEligible(p.Status, r.Present)
	return r
}

// WriteAttendanceCSV writes the participants as WriteCSV does, each row
// followed by its attendance (AttendanceHeader). marks is as for
// NewAttendanceSheet.
func WriteAttendanceCSV(w io.Writer, c Course, ps []Participant, marks map[string]map[int64]map[int]bool) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	sheet := NewAttendanceSheet(c, marks)
	cw := csv.NewWriter(w)
	if err := cw.Write(append(ExportHeader(c), AttendanceHeader(c)...)); err != nil {
		return err
	}
	for _, p := range ps {
		row := ExportRow(c, p)
		for i, cell := range row {
			row[i] = defuseFormula(cell)
		}
		if err := cw.Write(append(row, sheet.Row(p).Cells()...)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
