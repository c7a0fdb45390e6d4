package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/daftar-bot/daftar/store"
)

// The XLSX export: the participant list for people, with the CSV's
// columns (Header). Only this file and xlsxrows.go import excelize.

// WriteXLSX writes the dataset as an Excel workbook: a summary sheet
// first (per batch: capacity, registered, waiting, cancelled, certificate
// eligible; made at d.Now), then one sheet per batch of the course, in
// config order, and one per other batch a participant is in. Each batch
// sheet has the CSV's columns in a bold, frozen header row; phone and NIK
// answers and every free text are text cells, never numbers or formulas;
// date answers and registered_at (in the course time zone) are Excel
// dates; seat, number answers and attendance are numbers.
func WriteXLSX(w io.Writer, d *Dataset) error {
	x, err := newXLSXExport(d.Course, d.Marks, d.Now)
	if err != nil {
		return err
	}
	defer x.Close()
	if err := d.Each("", x.measure); err != nil {
		return err
	}
	return x.finish(w, d)
}

// xlsxExport is the workbook of WriteXLSX. Every participant is measured
// first (column widths and the summary's numbers must be known before the
// first row is written); finish then makes the workbook with the summary
// and each batch sheet's header, and writes it to w, the batch sheets'
// rows going into the file as it is written (xlsxrows.go), so that the
// export's memory does not grow with the sheets' XML. Close releases the
// workbook.
type xlsxExport struct {
	c       store.Course
	now     time.Time
	f       *excelize.File
	st      xlsxStyles
	rm      *Texts
	sheet   *AttendanceSheet
	header  []string              // HeaderLabels
	batches []*xlsxBatch          // the course's in config order; after start, then the others by id
	byID    map[string]*xlsxBatch // batches by id

	cells []excelize.Cell // the row being written, reused: SetRow keeps nothing
	row   []any
}

// xlsxBatch is one batch sheet of an xlsxExport.
type xlsxBatch struct {
	store.Batch
	known  bool // in the course: the summary shows its start, days and capacity
	widths []int
	n      batchCounts
	path   string // the sheet's part in the file, once created
}

func newXLSXExport(c store.Course, att map[string]map[int64]map[int]bool, now time.Time) (*xlsxExport, error) {
	c.Location = location(c)
	x := &xlsxExport{
		c: c, now: now, f: excelize.NewFile(), rm: TextsOf(c.Language),
		sheet:  NewAttendanceSheet(c, att),
		header: HeaderLabels(c, TextsOf(c.Language)),
		byID:   map[string]*xlsxBatch{},
	}
	var err error
	if x.st, err = newXLSXStyles(x.f); err != nil {
		x.Close()
		return nil, err
	}
	x.cells = make([]excelize.Cell, len(x.header))
	x.row = make([]any, len(x.header))
	for _, bt := range c.Batches {
		x.add(bt, true)
	}
	return x, nil
}

// add appends a batch sheet.
func (x *xlsxExport) add(bt store.Batch, known bool) *xlsxBatch {
	xb := &xlsxBatch{Batch: bt, known: known, widths: make([]int, len(x.header))}
	for i, h := range x.header {
		xb.widths[i] = textWidth(h) + 2 // room for the filter arrow Excel users add
	}
	x.batches = append(x.batches, xb)
	x.byID[bt.ID] = xb
	return xb
}

// Close releases the workbook.
func (x *xlsxExport) Close() error { return x.f.Close() }

// measure counts p in the summary and widens its columns to fit.
func (x *xlsxExport) measure(p store.Participant) error {
	xb, ok := x.byID[p.Batch]
	if !ok {
		// A batch since removed from the config.
		xb = x.add(store.Batch{ID: p.Batch, Name: p.Batch}, false)
	}
	att := x.sheet.Row(p)
	xb.n.add(p.Status, att.Eligible)
	for i, v := range x.fillRow(p, att) {
		xb.widths[i] = max(xb.widths[i], cellWidth(v))
	}
	return nil
}

// start ends measuring: it orders the batches, names and creates their
// sheets and writes each one's widths, frozen pane and header.
func (x *xlsxExport) start() error {
	others := x.batches[len(x.c.Batches):]
	slices.SortFunc(others, func(a, b *xlsxBatch) int { return strings.Compare(a.ID, b.ID) })
	bts := make([]store.Batch, len(x.batches))
	for i, xb := range x.batches {
		bts[i] = xb.Batch
	}
	names := sheetNames(x.rm.SheetSummary, bts)
	if err := x.f.SetSheetName("Sheet1", x.rm.SheetSummary); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	head := make([]any, len(x.header))
	for i, h := range x.header {
		head[i] = excelize.Cell{StyleID: x.st.header, Value: h}
	}
	for i, xb := range x.batches {
		if err := x.startSheet(xb, names[i], head); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", xb.ID, err)
		}
	}
	paths := map[string]string{}
	for id, name := range x.f.GetSheetMap() {
		paths[name] = fmt.Sprintf("xl/worksheets/sheet%d.xml", id)
	}
	for i, xb := range x.batches {
		xb.path = paths[names[i]]
	}
	return nil
}

// startSheet creates xb's sheet: its column widths, the frozen header row
// and the header. The rows follow when the file is written.
func (x *xlsxExport) startSheet(xb *xlsxBatch, name string, head []any) error {
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, wd := range xb.widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(wd, 6), 50))+1); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	return sw.Flush()
}

// finish makes the sheets and the summary and writes the workbook to w
// with the rows of d, the dataset measured.
func (x *xlsxExport) finish(w io.Writer, d *Dataset) error {
	if err := x.start(); err != nil {
		return err
	}
	if err := x.writeSummary(); err != nil {
		return fmt.Errorf("xlsx summary: %w", err)
	}
	if len(x.c.Survey.Fields) > 0 {
		if err := x.writeSurveySheet(surveySheetName(x.rm, x.f.GetSheetList()), d.surveys); err != nil {
			return fmt.Errorf("xlsx survey: %w", err)
		}
	}
	rows := map[string]func(io.Writer) error{}
	for _, xb := range x.batches {
		if xb.path == "" {
			return fmt.Errorf("xlsx sheet %s: no part in the file", xb.ID)
		}
		rows[xb.path] = func(w io.Writer) error { return x.writeRows(w, xb, d) }
	}
	x.f.ZipWriter = func(w io.Writer) excelize.ZipWriter { return newRowSplicer(w, rows) }
	// The summary, the renamed first sheet, is the active one already.
	// (SetActiveSheet would parse every streamed sheet back.)
	if _, err := x.f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// xlsxStyles are the cell styles of an export.
type xlsxStyles struct {
	header, title, text, date, dateTime, bold int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	for _, def := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center"},
		}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		// "@" is Excel's text format: an edited cell stays text too.
		{&s.text, excelize.Style{NumFmt: 49}},
		{&s.date, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}},
		{&s.dateTime, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")}},
	} {
		id, err := f.NewStyle(&def.style)
		if err != nil {
			return s, fmt.Errorf("xlsx style: %w", err)
		}
		*def.id = id
	}
	return s, nil
}

func ptr[T any](v T) *T { return &v }

// maxSheetName is Excel's limit on a sheet name, in UTF-16 units.
const maxSheetName = 31

// sheetNames returns a valid, distinct sheet name per batch: the batch
// name without the characters Excel forbids ([ ] : * ? / \) or control
// characters, without leading or trailing apostrophes, at most 31 UTF-16
// units, different (ignoring case) from reserved and from each other.
func sheetNames(reserved string, batches []store.Batch) []string {
	used := map[string]bool{strings.ToLower(reserved): true, "history": true}
	out := make([]string, len(batches))
	for i, bt := range batches {
		base := sanitizeSheetName(bt.Name)
		if base == "" {
			base = sanitizeSheetName(bt.ID)
		}
		if base == "" {
			base = "Sheet"
		}
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			name = strings.TrimRight(truncateUTF16(base, maxSheetName-len(suffix)), " '") + suffix
		}
		used[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

func sanitizeSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			return '-'
		case unicode.IsControl(r), r == unicode.ReplacementChar:
			return -1
		}
		return r
	}, s)
	s = strings.Trim(s, " '")
	return strings.Trim(truncateUTF16(s, maxSheetName), " '")
}

// truncateUTF16 cuts s to at most n UTF-16 units, on a rune boundary.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return s[:i]
		}
	}
	return s
}

// fillRow returns p's cells in header order, typed for Excel, with att
// its attendance. The row is x's, valid until the next call.
func (x *xlsxExport) fillRow(p store.Participant, att AttendanceRow) []any {
	c, st := x.c, x.st
	clear(x.row)
	i := 0
	put := func(style int, v any) {
		if v != nil {
			x.cells[i] = excelize.Cell{StyleID: style, Value: v}
			x.row[i] = &x.cells[i]
		}
		i++
	}
	if p.Status == store.StatusRegistered && p.Seat > 0 {
		put(0, p.Seat)
	} else {
		put(0, nil)
	}
	put(st.text, p.Batch)
	put(st.text, string(p.Status))
	for _, fd := range c.Fields {
		put(answerCell(fd, p.Answers[fd.Key], st))
	}
	put(st.text, p.Lang)
	if p.RegisteredAt.IsZero() {
		put(0, nil)
	} else {
		put(st.dateTime, p.RegisteredAt.In(c.Location))
	}
	for _, m := range att.Days {
		switch m {
		case MarkPresent:
			put(0, 1)
		case MarkAbsent:
			put(0, 0)
		default:
			put(0, nil)
		}
	}
	cert := "no"
	if att.Eligible {
		cert = "yes"
	}
	put(0, att.Present)
	put(st.text, cert)
	put(st.text, TelegramCell(p))
	return x.row[:i]
}

// answerCell types a form answer, returning its style and value: a date
// answer (stored YYYY-MM-DD) is a date, a number answer a number;
// everything else, phone and NIK first, is text, so that "+62…" and
// 16-digit NIKs keep every character and a leading "=" is never a
// formula. An empty answer is no cell (nil).
func answerCell(fd store.Field, v string, st xlsxStyles) (int, any) {
	if v == "" {
		return 0, nil
	}
	switch fd.Kind {
	case store.KindDate:
		if d, err := time.Parse(time.DateOnly, v); err == nil && d.Year() >= 1900 {
			return st.date, d
		}
	case store.KindNumber:
		// A leading zero would be lost, and past 15 digits Excel rounds:
		// keep those as text.
		digits := strings.TrimLeft(v, "+-")
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && len(digits) <= 15 && (digits == "0" || !strings.HasPrefix(digits, "0")) {
			return 0, n
		}
	}
	return st.text, v
}

// cellWidth estimates how many character widths v takes in its widest line.
func cellWidth(v any) int {
	switch c := v.(type) {
	case excelize.Cell:
		v = c.Value
	case *excelize.Cell:
		v = c.Value
	}
	switch v := v.(type) {
	case nil:
		return 0
	case string:
		w := 0
		for line := range strings.SplitSeq(v, "\n") {
			w = max(w, textWidth(line))
		}
		return w
	case time.Time:
		if v.Hour() == 0 && v.Minute() == 0 && v.Second() == 0 {
			return 10
		}
		return 19
	case int:
		return len(strconv.Itoa(v))
	case int64:
		return len(strconv.FormatInt(v, 10))
	}
	return len(fmt.Sprint(v))
}

// textWidth counts East Asian wide characters twice.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			w++
		}
	}
	return w
}

// batchCounts are a batch's numbers in the summary.
type batchCounts struct {
	registered, waiting, cancelled, eligible int
}

// add counts a participant with status who is eligible or not.
func (n *batchCounts) add(status store.Status, eligible bool) {
	switch status {
	case store.StatusRegistered:
		n.registered++
	case store.StatusWaiting:
		n.waiting++
	case store.StatusCancelled:
		n.cancelled++
	}
	if eligible {
		n.eligible++
	}
}

// writeSummary writes the summary: the course title, when the export was
// made, a row per batch and a total.
func (x *xlsxExport) writeSummary() error {
	st, rm, c := x.st, x.rm, x.c
	sw, err := x.f.NewStreamWriter(rm.SheetSummary)
	if err != nil {
		return err
	}
	header := []string{rm.SumBatch, rm.SumID, rm.SumStart, rm.SumDays, rm.SumCapacity, rm.SumRegistered, rm.SumWaiting, rm.SumCancelled, rm.SumEligible}
	widths := []int{max(textWidth(rm.SumTotal), 12), 12, 11, 6, 8, 8, 8, 8, 8}
	for i, h := range header {
		widths[i] = max(widths[i], textWidth(h))
	}
	var rows [][]any
	var total batchCounts
	capacity := 0
	for _, xb := range x.batches {
		bt, n := xb.Batch, xb.n
		total.registered += n.registered
		total.waiting += n.waiting
		total.cancelled += n.cancelled
		total.eligible += n.eligible
		capacity += bt.Capacity
		var start, days, capCell any
		if xb.known {
			start = excelize.Cell{StyleID: st.date, Value: time.Date(bt.Start.Year(), bt.Start.Month(), bt.Start.Day(), 0, 0, 0, 0, time.UTC)}
			days, capCell = bt.Days, bt.Capacity
		}
		rows = append(rows, []any{
			excelize.Cell{StyleID: st.text, Value: bt.Name}, excelize.Cell{StyleID: st.text, Value: bt.ID},
			start, days, capCell, n.registered, n.waiting, n.cancelled, n.eligible,
		})
		widths[0] = max(widths[0], textWidth(bt.Name))
		widths[1] = max(widths[1], textWidth(bt.ID))
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(min(wd, 40))+2); err != nil {
			return err
		}
	}
	put := func(r int, cells ...any) error {
		ref, _ := excelize.CoordinatesToCellName(1, r)
		return sw.SetRow(ref, cells)
	}
	title := c.Title
	if title == "" {
		title = rm.SheetSummary
	}
	if err := put(1, excelize.Cell{StyleID: st.title, Value: title}); err != nil {
		return err
	}
	if err := put(2, excelize.Cell{StyleID: st.text, Value: rm.SumGenerated}, excelize.Cell{StyleID: st.dateTime, Value: x.now.In(c.Location)}); err != nil {
		return err
	}
	if err := put(3, excelize.Cell{StyleID: st.text, Value: rm.SumCertificate}, c.CertificateMinDays); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := put(5, head...); err != nil {
		return err
	}
	for i, row := range rows {
		if err := put(6+i, row...); err != nil {
			return err
		}
	}
	bold := func(v any) excelize.Cell { return excelize.Cell{StyleID: st.bold, Value: v} }
	if err := put(6+len(rows), bold(rm.SumTotal), nil, nil, nil, bold(capacity),
		bold(total.registered), bold(total.waiting), bold(total.cancelled), bold(total.eligible)); err != nil {
		return err
	}
	return sw.Flush()
}
