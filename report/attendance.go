package report

import (
	"strconv"

	"github.com/daftar-bot/daftar/store"
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

// AttendanceRow is a participant's attendance as exported.
type AttendanceRow struct {
	Days     []Mark // day 1 first, ExportDays(c) long
	Present  int    // days marked present
	Eligible bool   // store.Course.CertificateEligible
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
	course store.Course
	days   int
	marks  map[string]map[int64]map[int]bool
	held   map[string][]bool // batch → day → somebody was marked
}

// NewAttendanceSheet returns the sheet for c with marks by batch id, each
// as store.Tx.Attendance returns it. A batch missing from marks had no roll
// call. A day of a batch had a roll call when anybody of the batch was
// marked on it: then a registered participant without a mark that day was
// absent.
func NewAttendanceSheet(c store.Course, marks map[string]map[int64]map[int]bool) *AttendanceSheet {
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
func (s *AttendanceSheet) Row(p store.Participant) AttendanceRow {
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
		case marked || (p.Status == store.StatusRegistered && d < len(held) && held[d]):
			r.Days[d-1] = MarkAbsent
		}
	}
	r.Eligible = s.course.CertificateEligible(p.Status, r.Present)
	return r
}
