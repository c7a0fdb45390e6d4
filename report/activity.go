package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/daftar-bot/daftar/store"
)

// ActivityRows is what the activity report of a batch is made from: one
// read of the store (ActivityReportRows).
type ActivityRows struct {
	People       []store.Participant    // every registration of the batch, any status, in list order
	Marks        map[int64]map[int]bool // the roll calls, as store.Tx.Attendance returns them
	Certificates []store.Certificate    // those issued
	Erased       int                    // registrations deleted on the person's request
	// SurveyResponses are the survey's finished answer sets, SurveyPending
	// and SurveyAnswered how many it went to who have not finished it and
	// who have.
	SurveyResponses               []store.SurveyResponse
	SurveyPending, SurveyAnswered int
}

// ActivityReportRows reads from tx what WriteActivityReport prints of
// batch.
func ActivityReportRows(tx *store.Tx, batch string) (ActivityRows, error) {
	var r ActivityRows
	var err error
	if r.People, err = tx.ParticipantsIn(batch); err != nil {
		return r, fmt.Errorf("report: read: %w", err)
	}
	if r.Marks, err = tx.Attendance(batch); err != nil {
		return r, fmt.Errorf("report: read: %w", err)
	}
	if r.Certificates, err = tx.Certificates(batch); err != nil {
		return r, fmt.Errorf("report: read: %w", err)
	}
	if r.Erased, err = tx.ErasedCount(batch); err != nil {
		return r, fmt.Errorf("report: read: %w", err)
	}
	if r.SurveyResponses, err = tx.SurveyResponses(batch); err != nil {
		return r, fmt.Errorf("report: read: %w", err)
	}
	r.SurveyPending, r.SurveyAnswered = tx.SurveyInvited(batch)
	return r, nil
}

// ActivityReportFileName is the name of batch's activity report.
func ActivityReportFileName(batch string) string { return "laporan-" + batch + ".pdf" }

// WriteActivityReport writes the activity report of batch b of course c
// as of now, as a PDF in the course language, ready to attach to the
// organisers' report: the course and batch, the figures (capacity,
// sign-ups, registered, waiting, cancelled, erased, present per session
// day and on average, who completed the course, certificates issued), the
// chart of the statistics, the survey's results when the course has a
// survey, and the attendance table of the seat holders.
func WriteActivityReport(w io.Writer, c store.Course, b store.Batch, rows ActivityRows, now time.Time) error {
	rm := TextsOf(c.Language)
	loc := location(c)
	now = now.In(loc)
	one := c
	one.Batches = []store.Batch{b}
	stats := computeStats(one, rows.People, map[string]map[int64]map[int]bool{b.ID: rows.Marks}, nil, now)[0]
	chart, err := drawStatsChart(rm, loc, []batchStats{stats}, now)
	if err != nil {
		return fmt.Errorf("report: chart: %w", err)
	}
	f := newPDF("P", rm.RepTitle+" "+c.Title+" "+b.Name, now, [2]string{fontSans, ""}, [2]string{fontSans, "B"})
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetTextColor(90, 90, 90)
		f.SetFont(fontSans, "", 8)
		s := fmt.Sprintf(rm.SheetPage, f.PageNo(), "{nb}")
		f.Text(sheetW-sheetMargin-f.GetStringWidth(s), sheetH-sheetMargin+4, s)
		f.Text(sheetMargin, sheetH-sheetMargin+4, fmt.Sprintf(rm.RepMade, rm.Moment(now)))
		f.SetTextColor(0, 0, 0)
	})

	f.AddPage()
	y := sheetMargin
	f.SetFont(fontSans, "B", 15)
	f.Text((sheetW-f.GetStringWidth(rm.RepTitle))/2, y+6, rm.RepTitle)
	y += 13
	for _, row := range [][2]string{
		{rm.SheetCourse, c.Title}, {rm.SheetBatch, b.Name}, {rm.RepDates, rm.DateRange(b.Day(1).In(loc), b.End().In(loc)) + " (" + strconv.Itoa(b.Days) + ")"},
		{rm.SheetVenue, c.Venue}, {rm.SheetOrganiser, c.Organiser},
	} {
		y += labelled(f, y, 34, row[0], row[1])
	}

	y += 4
	f.SetFont(fontSans, "B", 12)
	f.Text(sheetMargin, y+4, rm.RepNumbers)
	y += 7
	figures := [][2]string{
		{rm.RepCapacity, strconv.Itoa(b.Capacity)},
		{rm.RepSignUps, strconv.Itoa(len(rows.People) + rows.Erased)},
		{rm.RepRegistered, strconv.Itoa(stats.Taken)},
		{rm.RepWaiting, strconv.Itoa(stats.Waiting)},
		{rm.RepCancelled, strconv.Itoa(stats.Cancelled)},
		{rm.RepErased, strconv.Itoa(rows.Erased)},
	}
	if n := stats.Selection; b.Admission.Selection || len(n) > 0 {
		figures = append(figures, [][2]string{
			{rm.RepApplied, strconv.Itoa(n[store.StatusApplied])},
			{rm.RepSelected, strconv.Itoa(n[store.StatusSelected])},
			{rm.RepReserve, strconv.Itoa(n[store.StatusReserve])},
			{rm.RepNotSelected, strconv.Itoa(n[store.StatusNotSelected])},
		}...)
	}
	held, sum := 0, 0
	for d := 1; d <= b.Days; d++ {
		v := rm.RepNoRollCall
		if stats.Held[d-1] {
			held++
			sum += stats.Present[d-1]
			v = fmt.Sprintf("%d / %d", stats.Present[d-1], stats.Taken)
		}
		figures = append(figures, [2]string{fmt.Sprintf(rm.RepDayPresent, d, rm.Date(b.Day(d).In(loc))), v})
	}
	avg := "–"
	if held > 0 {
		avg = strconv.FormatFloat(float64(sum)/float64(held), 'f', 1, 64)
		if rm.Lang == "id" {
			avg = replaceDot(avg)
		}
	}
	figures = append(figures,
		[2]string{rm.RepAverage, avg},
		[2]string{fmt.Sprintf(rm.RepCompleted, c.CertificateMinDays), strconv.Itoa(stats.Eligible)},
		[2]string{rm.RepIssued, strconv.Itoa(len(rows.Certificates))},
	)
	f.SetLineWidth(0.2)
	for _, row := range figures {
		f.Rect(sheetMargin, y, 130, 6.5, "D")
		f.Rect(sheetMargin+130, y, sheetW-2*sheetMargin-130, 6.5, "D")
		f.SetFont(fontSans, "", 10)
		f.Text(sheetMargin+1.5, y+4.5, row[0])
		f.SetFont(fontSans, "B", 10)
		f.Text(sheetW-sheetMargin-1.5-f.GetStringWidth(row[1]), y+4.5, row[1])
		y += 6.5
	}

	// The chart, on this page when it fits, else on the next.
	const chartW = sheetW - 2*sheetMargin
	chartH := chartW * ChartHeight / ChartWidth
	if y+10+chartH > sheetH-sheetMargin-sheetFooter {
		f.AddPage()
		y = sheetMargin
	} else {
		y += 4
	}
	f.SetFont(fontSans, "B", 12)
	f.Text(sheetMargin, y+4, rm.RepChart)
	y += 6
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	f.RegisterImageOptionsReader("chart", opt, bytes.NewReader(chart))
	f.ImageOptions("chart", sheetMargin, y, chartW, chartH, false, opt, 0, "")

	activitySurvey(f, rm, c, rows)
	activityTable(f, rm, c, b, rows)
	return output(f, w)
}

// labelled writes "label : value" at y, the value wrapping after width
// millimetres of label, and returns the height it took.
func labelled(f *doc, y, width float64, label, value string) float64 {
	f.SetFont(fontSans, "B", 10)
	f.Text(sheetMargin, y+10*0.3528*0.8, label)
	f.Text(sheetMargin+width, y+10*0.3528*0.8, ":")
	n := textBox(f, sheetMargin+width+3, y, sheetW-2*sheetMargin-width-3, sheetLineH, value, fontSans, "", 10)
	return float64(n) * sheetLineH
}

// activityTable is the attendance of every seat holder: a row each with
// number, name, a column per session day, the days present and whether
// they earn the certificate.
func activityTable(f *doc, rm *Texts, c store.Course, b store.Batch, rows ActivityRows) {
	one := c
	one.Batches = []store.Batch{b}
	sheet := NewAttendanceSheet(one, map[string]map[int64]map[int]bool{b.ID: rows.Marks})
	const noW, totalW, certW, rowH = 9.0, 11.0, 19.0, 6.0
	dayW := min(8.0, 80/float64(max(b.Days, 1)))
	nameW := sheetW - 2*sheetMargin - noW - totalW - certW - dayW*float64(b.Days)
	head := func() float64 {
		f.AddPage()
		y := sheetMargin
		f.SetFont(fontSans, "B", 12)
		f.Text(sheetMargin, y+4, rm.RepAttendance)
		y += 7
		f.SetFillColor(225, 230, 240)
		f.SetFont(fontSans, "B", 8)
		x := sheetMargin
		cell := func(w float64, s string) {
			f.Rect(x, y, w, rowH, "FD")
			f.Text(x+(w-f.GetStringWidth(s))/2, y+4, s)
			x += w
		}
		cell(noW, rm.SheetNo)
		cell(nameW, rm.SheetName)
		for d := 1; d <= b.Days; d++ {
			cell(dayW, fmt.Sprintf(rm.ChartDayTick, d))
		}
		cell(totalW, rm.RepTotal)
		cell(certW, rm.RepCertificate)
		return y + rowH
	}
	y := head()
	no := 0
	for _, p := range rows.People {
		if p.Status != store.StatusRegistered {
			continue
		}
		no++
		f.SetFont(fontSans, "", 8)
		lines := wrap(f, c.DisplayName(p), nameW-2)
		h := max(rowH, float64(len(lines))*3.6+2.4)
		if y+h > sheetH-sheetMargin-sheetFooter {
			y = head()
		}
		att := sheet.Row(p)
		x := sheetMargin
		cell := func(w float64, s string) {
			f.Rect(x, y, w, h, "D")
			f.Text(x+(w-f.GetStringWidth(s))/2, y+4, s)
			x += w
		}
		f.SetFont(fontSans, "", 8)
		cell(noW, strconv.Itoa(no))
		f.Rect(x, y, nameW, h, "D")
		for i, l := range lines {
			f.Text(x+1, y+4+float64(i)*3.6, l)
		}
		x += nameW
		for d := 0; d < b.Days; d++ {
			mark := ""
			switch att.Days[d] {
			case MarkPresent:
				mark = "H"
			case MarkAbsent:
				mark = "–"
			}
			cell(dayW, mark)
		}
		cell(totalW, strconv.Itoa(att.Present))
		yes := rm.RepNo
		if att.Eligible {
			yes = rm.RepYes
		}
		cell(certW, yes)
		y += h
	}
}

func replaceDot(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == '.' {
			out[i] = ','
		}
	}
	return string(out)
}

// activitySurvey is the survey's results on a page of their own: how
// many answered, per question the count of each rating or option and the
// average rating, and the written answers.
func activitySurvey(f *doc, rm *Texts, c store.Course, rows ActivityRows) {
	if len(c.Survey.Fields) == 0 {
		return
	}
	f.AddPage()
	y := sheetMargin
	line := func(text, style string, size float64, indent float64) {
		setFont(f, fontSans, style, size)
		lines := wrap(f, text, sheetW-2*sheetMargin-indent)
		for _, l := range lines {
			if y+sheetLineH > sheetH-sheetMargin-sheetFooter {
				f.AddPage()
				y = sheetMargin
				setFont(f, fontSans, style, size)
			}
			f.Text(sheetMargin+indent, y+size*0.3528*0.8, l)
			y += sheetLineH
		}
	}
	line(rm.RepSurvey, "B", 12, 0)
	y += 1
	answered := max(rows.SurveyAnswered, len(rows.SurveyResponses))
	if rows.SurveyPending+answered == 0 {
		line(rm.RepSurveyNone, "", 10, 0)
		return
	}
	line(fmt.Sprintf(rm.RepSurveyAnswered, answered, rows.SurveyPending+answered), "", 10, 0)
	for i, q := range Summarize(c.Survey.Fields, rows.SurveyResponses) {
		y += 2
		line(fmt.Sprintf("%d. %s", i+1, q.Field.Question(c.Language)), "B", 10, 0)
		for j, n := range q.Counts {
			line(fmt.Sprintf("%s: %d", optionName(q, c.Language, j), n), "", 10, 5)
		}
		if q.Field.Kind == store.SurveyRating {
			line(fmt.Sprintf(rm.RepSurveyAverage, average(rm, q), q.Answers), "B", 10, 5)
		}
		for _, t := range q.Texts {
			line("– "+t, "", 9, 5)
		}
	}
}
