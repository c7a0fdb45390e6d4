package report

import (
	"fmt"
	"io"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// A4 portrait, in millimetres.
const (
	sheetW, sheetH = 210.0, 297.0
	sheetMargin    = 15.0
	sheetNoW       = 11.0
	sheetNameW     = 74.0
	sheetSignW     = sheetW - 2*sheetMargin - sheetNoW - sheetNameW
	sheetLineH     = 4.6
	sheetMinRow    = 11.0
	sheetFooter    = 14.0 // page number
	sheetSignature = 36.0 // the signatory's block under a day's list
)

// WriteAttendanceList writes the attendance sheet ("daftar hadir") of
// batch b of course c as a PDF, A4 portrait, in the course language: for
// every session day, from a page of its own, the course, batch, venue and
// organiser, the day and its date, and a row per person of people (the
// batch's seat holders, in the order given) with number, name and a
// signature box, the boxes alternating left and right as Indonesian forms
// do. A person marks says present on a day (store.Tx.Attendance) is
// marked "hadir" there; without marks it is the empty sheet to print
// before the course. Long names wrap; the signatory signs under each day.
func WriteAttendanceList(w io.Writer, c store.Course, b store.Batch, people []store.Participant, marks map[int64]map[int]bool, p Paper, now time.Time) error {
	rm := TextsOf(c.Language)
	loc := location(c)
	f := newPDF("P", rm.SheetTitle+" "+c.Title+" "+b.Name, now, [2]string{fontSans, ""}, [2]string{fontSans, "B"})
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetTextColor(90, 90, 90)
		f.SetFont(fontSans, "", 8)
		s := fmt.Sprintf(rm.SheetPage, f.PageNo(), "{nb}")
		f.Text(sheetW-sheetMargin-f.GetStringWidth(s), sheetH-sheetMargin+4, s)
		f.SetTextColor(0, 0, 0)
	})
	names := make([]string, len(people))
	for i, pt := range people {
		names[i] = c.DisplayName(pt)
	}
	for day := 1; day <= b.Days; day++ {
		dayLine := fmt.Sprintf(rm.SheetDay, day, b.Days, rm.Date(b.Day(day).In(loc)), b.DailyStart+"–"+b.DailyEnd)
		y := sheetPage(f, rm, c, b, dayLine)
		for i, pt := range people {
			f.SetFont(fontSans, "", 10)
			lines := wrap(f, names[i], sheetNameW-3)
			h := max(sheetMinRow, float64(len(lines))*sheetLineH+3)
			if y+h > sheetH-sheetMargin-sheetFooter {
				y = sheetPage(f, rm, c, b, dayLine)
			}
			sheetRow(f, rm, i+1, lines, marks[pt.UserID][day], y, h)
			y += h
		}
		if y+sheetSignature > sheetH-sheetMargin-sheetFooter {
			y = sheetPage(f, rm, c, b, dayLine)
		}
		sheetSign(f, rm, p, b.Day(day).In(loc), y+6)
	}
	return output(f, w)
}

// AttendanceListRows reads from tx what WriteAttendanceList prints of
// batch: its seat holders in seat order and its roll calls.
func AttendanceListRows(tx *store.Tx, batch string) ([]store.Participant, map[int64]map[int]bool, error) {
	all, err := tx.ParticipantsIn(batch)
	if err != nil {
		return nil, nil, fmt.Errorf("report: read: %w", err)
	}
	var people []store.Participant
	for _, p := range all {
		if p.Status == store.StatusRegistered {
			people = append(people, p)
		}
	}
	marks, err := tx.Attendance(batch)
	if err != nil {
		return nil, nil, fmt.Errorf("report: read: %w", err)
	}
	return people, marks, nil
}

// AttendanceListFileName is the name of batch's attendance sheet.
func AttendanceListFileName(batch string) string { return "daftar-hadir-" + batch + ".pdf" }

// sheetPage starts a page of a day's list: title, course details, the
// day, the table head. It returns where the first row goes.
func sheetPage(f *doc, rm *Texts, c store.Course, b store.Batch, dayLine string) float64 {
	f.AddPage()
	y := sheetMargin
	f.SetFont(fontSans, "B", 14)
	title := rm.SheetTitle
	f.Text((sheetW-f.GetStringWidth(title))/2, y+5, title)
	y += 11
	for _, row := range [][2]string{
		{rm.SheetCourse, c.Title}, {rm.SheetBatch, b.Name}, {rm.SheetVenue, c.Venue}, {rm.SheetOrganiser, c.Organiser},
	} {
		f.SetFont(fontSans, "B", 10)
		f.Text(sheetMargin, y+10*0.3528*0.8, row[0])
		f.Text(sheetMargin+30, y+10*0.3528*0.8, ":")
		n := textBox(f, sheetMargin+33, y, sheetW-2*sheetMargin-33, sheetLineH, row[1], fontSans, "", 10)
		y += float64(n) * sheetLineH
	}
	y += 3
	n := textBox(f, sheetMargin, y, sheetW-2*sheetMargin, 5, dayLine, fontSans, "B", 11)
	y += float64(n)*5 + 2

	f.SetFillColor(225, 230, 240)
	f.SetLineWidth(0.3)
	f.SetDrawColor(0, 0, 0)
	x := sheetMargin
	for _, col := range []struct {
		w    float64
		text string
	}{{sheetNoW, rm.SheetNo}, {sheetNameW, rm.SheetName}, {sheetSignW, rm.SheetSignature}} {
		f.Rect(x, y, col.w, 8, "FD")
		f.SetFont(fontSans, "B", 10)
		f.Text(x+(col.w-f.GetStringWidth(col.text))/2, y+5.4, col.text)
		x += col.w
	}
	return y + 8
}

// sheetRow draws person no's row: number, name lines, and the signature
// box split in two, the person's half on the left for odd numbers and
// on the right for even ones, marked when they were present.
func sheetRow(f *doc, rm *Texts, no int, lines []string, present bool, y, h float64) {
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
	x := sheetMargin
	f.Rect(x, y, sheetNoW, h, "D")
	f.Rect(x+sheetNoW, y, sheetNameW, h, "D")
	f.Rect(x+sheetNoW+sheetNameW, y, sheetSignW, h, "D")
	half := sheetSignW / 2
	sx := x + sheetNoW + sheetNameW
	f.SetDrawColor(170, 170, 170)
	f.Line(sx+half, y, sx+half, y+h)
	f.SetDrawColor(0, 0, 0)

	f.SetFont(fontSans, "", 10)
	num := fmt.Sprintf("%d.", no)
	f.Text(x+sheetNoW-1.5-f.GetStringWidth(num), y+5.2, num)
	for i, l := range lines {
		f.Text(x+sheetNoW+1.5, y+5.2+float64(i)*sheetLineH, l)
	}
	mine := sx
	if no%2 == 0 {
		mine = sx + half
	}
	f.SetFont(fontSans, "", 7)
	f.SetTextColor(90, 90, 90)
	f.Text(mine+1.2, y+3.2, num)
	f.SetTextColor(0, 0, 0)
	if present {
		// A tick drawn with lines (not every font has ✓), and the word.
		cx, cy := mine+half-15, y+h-3.5
		f.SetDrawColor(0, 110, 40)
		f.SetLineWidth(0.5)
		f.Line(cx, cy-1.2, cx+1.2, cy)
		f.Line(cx+1.2, cy, cx+3.4, cy-3)
		f.SetDrawColor(0, 0, 0)
		f.SetTextColor(0, 110, 40)
		f.SetFont(fontSans, "B", 8)
		f.Text(cx+4.3, cy, rm.SheetPresent)
		f.SetTextColor(0, 0, 0)
	}
}

// sheetSign draws the signatory's block at the right under a day's list.
func sheetSign(f *doc, rm *Texts, p Paper, day time.Time, y float64) {
	const w = 80.0
	x := sheetW - sheetMargin - w
	place := rm.Date(day)
	if p.City != "" {
		place = fmt.Sprintf(rm.CertPlaceDate, p.City, place)
	}
	n := textBox(f, x, y, w, 4.6, place, fontSans, "", 10)
	y += float64(n) * 4.6
	n = textBox(f, x, y, w, 4.6, rm.SheetKnown, fontSans, "", 10)
	y += float64(n) * 4.6
	if p.SignatoryTitle != "" {
		n = textBox(f, x, y, w, 4.6, p.SignatoryTitle, fontSans, "", 10)
		y += float64(n) * 4.6
	}
	y += 16
	if p.Signatory != "" {
		n = textBox(f, x, y, w, 4.6, p.Signatory, fontSans, "B", 10)
		f.SetLineWidth(0.3)
		f.Line(x, y+float64(n)*4.6+0.6, x+w-10, y+float64(n)*4.6+0.6)
	}
}
