package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Jakarta on machines without a zoneinfo database

	"github.com/xuri/excelize/v2"

	"github.com/daftar-bot/daftar/store"
)

// reportCourse is a course in Asia/Jakarta with every kind of field, a
// 3-day batch and a 2-day batch whose name Excel would refuse as a sheet
// name, and a certificate after 2 days.
func reportCourse(tb testing.TB) store.Course {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		tb.Fatal(err)
	}
	return store.Course{
		Title: "Pelatihan Menjahit", Location: loc, Language: "id", CertificateMinDays: 2,
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama"},
			{Key: "phone", Kind: store.KindPhone, Label: "HP"},
			{Key: "nik", Kind: store.KindNIK, Label: "NIK"},
			{Key: "birth_date", Kind: store.KindDate, Label: "Tanggal lahir"},
			{Key: "age", Kind: store.KindNumber, Label: "Umur"},
			{Key: "note", Kind: store.KindText, Label: "Catatan", Optional: true},
			{Key: "experience", Kind: store.KindChoice, Label: "Pengalaman", Options: []string{"Pemula", "Sudah bisa"}},
		},
		Batches: []store.Batch{
			{ID: "angkatan-1", Name: "Angkatan 1", Start: time.Date(2025, 10, 20, 0, 0, 0, 0, loc), Days: 3, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00"},
			{ID: "sore", Name: `Kelas Sore: Jahit/Bordir [Lanjutan] *?\ Ibu-Ibu PKK`, Start: time.Date(2025, 11, 3, 0, 0, 0, 0, loc), Days: 2, Capacity: 2, DailyStart: "15:00", DailyEnd: "18:00"},
		},
	}
}

// reportPeople are the participants of the export tests, in the order
// store.Tx.Participants returns them: names a CSV must quote, non-Latin
// letters, cells a spreadsheet would run as formulas, a phone with a
// leading zero, a waiting and a cancelled person, and one in a batch no
// longer in the config.
func reportPeople() []store.Participant {
	at := func(day, h, m int) time.Time { return time.Date(2025, 10, day, h, m, 5, 0, time.UTC) }
	ans := func(name, phone, nik, birth, age, note string) map[string]string {
		return map[string]string{"name": name, "phone": phone, "nik": nik, "birth_date": birth, "age": age, "note": note, "experience": "Pemula"}
	}
	return []store.Participant{
		{UserID: 1, ChatID: 1, Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 1, Lang: "id", RegisteredAt: at(1, 3, 4),
			Answers: ans(`Siti "Ani" Aminah, S.Pd`, "+6281234567890", "3509014501900001", "1990-08-17", "35", "=HYPERLINK(\"http://x\",\"klik\")")},
		{UserID: 2, ChatID: 2, Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 2, Lang: "en", RegisteredAt: at(1, 20, 30),
			Answers: ans("محمد\nAl-Farisi", "081234567890", "3509015601920002", "1992-01-16", "033", "@SUM(A1)")},
		{UserID: 3, ChatID: 3, Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 3, Lang: "id", RegisteredAt: at(3, 2, 0),
			Answers: ans("李小龙", "+6285712345678", "3509014501900003", "", "", "-2+3")},
		{UserID: 4, ChatID: 4, Batch: "angkatan-1", Status: store.StatusWaiting, Lang: "id", RegisteredAt: at(4, 2, 0),
			Answers: ans("Dewi", "+6285700000004", "3509014501900004", "1990-02-30", "", "+cmd")},
		{UserID: 5, ChatID: 5, Batch: "angkatan-1", Status: store.StatusCancelled, Lang: "id", RegisteredAt: at(4, 3, 0),
			Answers: ans("Rina", "+6285700000005", "3509014501900005", "1985-05-05", "40", "")},
		{UserID: 6, ChatID: 6, Batch: "lama", Status: store.StatusRegistered, Seat: 1, Lang: "id", RegisteredAt: at(2, 2, 0),
			Answers: ans("Budi", "+6285700000006", "3509014501900006", "1980-01-01", "45", "")},
		{UserID: 7, ChatID: 7, Batch: "sore", Status: store.StatusRegistered, Seat: 1, Lang: "id", RegisteredAt: at(2, 5, 0),
			Answers: ans("Wati", "+6285700000007", "3509014501900007", "1979-12-31", "46", "")},
	}
}

// reportMarks are the roll calls of reportPeople: in angkatan-1 days 1 and
// 2 were called (1 present twice, 2 once, 3 never marked), day 3 not yet;
// in sore 7 was present on both days.
func reportMarks() map[string]map[int64]map[int]bool {
	return map[string]map[int64]map[int]bool{
		"angkatan-1": {1: {1: true, 2: true}, 2: {1: true, 2: false}},
		"sore":       {7: {1: true, 2: true}},
	}
}

var reportNow = time.Date(2025, 10, 21, 9, 30, 0, 0, time.UTC)

// openXLSX parses an export with excelize.
func openXLSX(tb testing.TB, data []byte) *excelize.File {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("open XLSX: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// parseCSV checks the byte order mark, strips it and parses the rest.
func parseCSV(tb testing.TB, data []byte) [][]string {
	tb.Helper()
	rest, ok := bytes.CutPrefix(data, []byte("\ufeff"))
	if !ok {
		tb.Fatalf("CSV does not start with a UTF-8 BOM: %q", data[:min(len(data), 16)])
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		tb.Fatalf("parse CSV: %v\n%s", err, rest)
	}
	return rows
}

// cellOf returns a cell's shown value, failing the test on error.
func cellOf(tb testing.TB, f *excelize.File, sheet, ref string) string {
	tb.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		tb.Fatalf("%s!%s: %v", sheet, ref, err)
	}
	return v
}

// refOf returns the cell reference of header column name in row.
func refOf(tb testing.TB, header []string, name string, row int) string {
	tb.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		tb.Fatalf("no column %q in %q", name, header)
	}
	ref, err := excelize.CoordinatesToCellName(i+1, row)
	if err != nil {
		tb.Fatal(err)
	}
	return ref
}

// styleOf returns the style of a cell.
func styleOf(tb testing.TB, f *excelize.File, sheet, ref string) *excelize.Style {
	tb.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// excelSerial is t's date and wall-clock time as an Excel serial number.
func excelSerial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return wall.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

func TestWriteXLSX(t *testing.T) {
	c := reportCourse(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, newDataset(c, reportPeople(), reportMarks(), reportNow)); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f := openXLSX(t, buf.Bytes())
	header := Header(c)
	const sheet = "Angkatan 1"

	// Ensure that the summary comes first, then a sheet per course batch
	// in config order, then batches no longer in the config; that names
	// Excel refuses are made valid.
	t.Run("Sheets", func(t *testing.T) {
		got := f.GetSheetList()
		if len(got) != 4 || got[0] != "Ringkasan" || got[1] != sheet || got[3] != "lama" {
			t.Fatalf("sheets = %q, want Ringkasan, Angkatan 1, <sore>, lama", got)
		}
		sore := got[2]
		if strings.ContainsAny(sore, `[]:*?/\`) || len([]rune(sore)) > 31 || !strings.HasPrefix(sore, "Kelas Sore- Jahit-Bordir -") {
			t.Errorf("sheet name of the sore batch = %q", sore)
		}
		if idx, _ := f.GetSheetIndex("Ringkasan"); f.GetActiveSheetIndex() != idx {
			t.Errorf("active sheet %d, want the summary (%d)", f.GetActiveSheetIndex(), idx)
		}
	})

	// Ensure that each batch sheet's first row is the contract's columns
	// with the attendance columns and telegram appended, headed for people in the
	// course language (form fields by their labels), bold and frozen, and
	// that columns are sized to their content.
	t.Run("Header", func(t *testing.T) {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Kursi", "Angkatan", "Status", "Nama", "HP", "NIK", "Tanggal lahir", "Umur", "Catatan", "Pengalaman",
			"Bahasa", "Waktu daftar", "Hari 1", "Hari 2", "Hari 3", "Hari hadir", "Sertifikat", "Akun Telegram"}
		if !slices.Equal(rows[0], want) || len(want) != len(header) {
			t.Errorf("header = %q, want %q (the columns %q)", rows[0], want, header)
		}
		if s := styleOf(t, f, sheet, "A1"); s.Font == nil || !s.Font.Bold {
			t.Errorf("header style %+v is not bold", s)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("panes = %+v, want the first row frozen", panes)
		}
		nameCol, _, _ := excelize.SplitCellName(refOf(t, header, "name", 1))
		seatCol, _, _ := excelize.SplitCellName(refOf(t, header, "seat", 1))
		wName, _ := f.GetColWidth(sheet, nameCol)
		wSeat, _ := f.GetColWidth(sheet, seatCol)
		if wName < float64(len(`Siti "Ani" Aminah, S.Pd`)) || wName > 51 || wSeat > 10 {
			t.Errorf("widths: name %v, seat %v", wName, wSeat)
		}
		if len(rows) != 1+5 {
			t.Errorf("%d rows, want the header and 5 people", len(rows))
		}
	})

	// Ensure that answers are kept character for character as text: phone
	// numbers with + or a leading zero, 16-digit NIKs, names with commas,
	// quotes, newlines and non-Latin letters; and that a cell starting
	// with = + - @ is text, never a formula.
	t.Run("Text", func(t *testing.T) {
		for _, tc := range []struct {
			row       int
			col, want string
		}{
			{2, "phone", "+6281234567890"},
			{3, "phone", "081234567890"},
			{2, "nik", "3509014501900001"},
			{3, "nik", "3509015601920002"},
			{2, "name", `Siti "Ani" Aminah, S.Pd`},
			{3, "name", "محمد\nAl-Farisi"},
			{4, "name", "李小龙"},
			{2, "note", `=HYPERLINK("http://x","klik")`},
			{3, "note", "@SUM(A1)"},
			{4, "note", "-2+3"},
			{5, "note", "+cmd"},
			{3, "age", "033"},
			{5, "birth_date", "1990-02-30"}, // not a date: kept as typed
			{2, "batch", "angkatan-1"},
			{5, "status", "waiting"},
			{6, "status", "cancelled"},
		} {
			ref := refOf(t, header, tc.col, tc.row)
			if got := cellOf(t, f, sheet, ref); got != tc.want {
				t.Errorf("%s (%s) = %q, want %q", ref, tc.col, got, tc.want)
			}
			if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
				t.Errorf("%s (%s) has type %v, want a string", ref, tc.col, typ)
			}
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s (%s) is the formula %q", ref, tc.col, formula)
			}
		}
		for _, col := range []string{"phone", "nik"} {
			if s := styleOf(t, f, sheet, refOf(t, header, col, 2)); s.NumFmt != 49 {
				t.Errorf("%s has number format %d, want 49 (text)", col, s.NumFmt)
			}
		}
	})

	// Ensure that date answers and registered_at (in the course time zone)
	// are Excel dates with a date format, and seat, numbers and attendance
	// are numbers.
	t.Run("Dates and numbers", func(t *testing.T) {
		for _, tc := range []struct {
			row      int
			col      string
			serial   float64
			shown    string
			dateTime bool
		}{
			{2, "birth_date", excelSerial(time.Date(1990, 8, 17, 0, 0, 0, 0, time.UTC)), "1990-08-17", false},
			{6, "birth_date", excelSerial(time.Date(1985, 5, 5, 0, 0, 0, 0, time.UTC)), "1985-05-05", false},
			{2, "registered_at", excelSerial(time.Date(2025, 10, 1, 10, 4, 5, 0, time.UTC)), "2025-10-01 10:04:05", true},
			{3, "registered_at", excelSerial(time.Date(2025, 10, 2, 3, 30, 5, 0, time.UTC)), "2025-10-02 03:30:05", true},
		} {
			ref := refOf(t, header, tc.col, tc.row)
			raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			var got float64
			if _, err := fmt.Sscan(raw, &got); err != nil || got-tc.serial > 1e-6 || tc.serial-got > 1e-6 {
				t.Errorf("%s (%s) raw %q, want the serial %v", ref, tc.col, raw, tc.serial)
			}
			if shown := cellOf(t, f, sheet, ref); shown != tc.shown {
				t.Errorf("%s (%s) shows %q, want %q", ref, tc.col, shown, tc.shown)
			}
			want := "yyyy-mm-dd"
			if tc.dateTime {
				want = "yyyy-mm-dd hh:mm:ss"
			}
			if s := styleOf(t, f, sheet, ref); s.CustomNumFmt == nil || *s.CustomNumFmt != want {
				t.Errorf("%s (%s) number format %v, want %q", ref, tc.col, s.CustomNumFmt, want)
			}
		}
		for _, tc := range []struct {
			row       int
			col, want string
		}{{2, "seat", "1"}, {4, "seat", "3"}, {5, "seat", ""}, {2, "age", "35"}, {2, "day_1", "1"}} {
			ref := refOf(t, header, tc.col, tc.row)
			if got := cellOf(t, f, sheet, ref); got != tc.want {
				t.Errorf("%s (%s) = %q, want %q", ref, tc.col, got, tc.want)
			}
			if typ, _ := f.GetCellType(sheet, ref); tc.want != "" && typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s (%s) has type %v, want a number", ref, tc.col, typ)
			}
		}
	})

	// Ensure that each day shows 1 present, 0 absent (a roll call was held,
	// the person holds a seat), empty when nobody was called yet or for
	// people without a seat; then days present and eligibility.
	t.Run("Attendance", func(t *testing.T) {
		cols := []string{"day_1", "day_2", "day_3", "days_present", "certificate"}
		for row, want := range map[int][]string{
			2: {"1", "1", "", "2", "yes"},
			3: {"1", "0", "", "1", "no"},
			4: {"0", "0", "", "0", "no"},
			5: {"", "", "", "0", "no"},
			6: {"", "", "", "0", "no"},
		} {
			var got []string
			for _, col := range cols {
				got = append(got, cellOf(t, f, sheet, refOf(t, header, col, row)))
			}
			if !slices.Equal(got, want) {
				t.Errorf("row %d attendance = %q, want %q", row, got, want)
			}
		}
		sore := f.GetSheetList()[2]
		var got []string
		for _, col := range cols {
			got = append(got, cellOf(t, f, sore, refOf(t, header, col, 2)))
		}
		if want := []string{"1", "1", "", "2", "yes"}; !slices.Equal(got, want) {
			t.Errorf("sore attendance = %q, want %q (day 3 is past its end)", got, want)
		}
	})

	// Ensure that the summary has per batch its capacity, registered,
	// waiting, cancelled and eligible people, and a total.
	t.Run("Summary", func(t *testing.T) {
		rows, err := f.GetRows("Ringkasan")
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "Pelatihan Menjahit" {
			t.Errorf("title %q", rows[0][0])
		}
		if rows[1][0] != "Dibuat" || rows[1][1] != "2025-10-21 16:30:00" {
			t.Errorf("made row = %q, want the time in Jakarta", rows[1])
		}
		want := [][]string{
			{"Angkatan", "ID", "Mulai", "Hari", "Kapasitas", "Terdaftar", "Daftar tunggu", "Batal", "Berhak sertifikat"},
			{"Angkatan 1", "angkatan-1", "2025-10-20", "3", "16", "3", "1", "1", "1"},
			{c.Batches[1].Name, "sore", "2025-11-03", "2", "2", "1", "0", "0", "1"},
			{"lama", "lama", "", "", "", "1", "0", "0", "0"},
			{"Jumlah", "", "", "", "18", "5", "1", "1", "2"},
		}
		if len(rows) < 4+len(want) {
			t.Fatalf("summary rows %q", rows)
		}
		for i, w := range want {
			got := rows[4+i]
			got = append(got, make([]string, len(w)-min(len(w), len(got)))...)
			if !slices.Equal(got, w) {
				t.Errorf("summary row %d = %q, want %q", 5+i, got, w)
			}
		}
	})
}

// Ensure that the summary and the batch sheets' headings of an English
// course are in English.
func TestWriteXLSX_English(t *testing.T) {
	c := reportCourse(t)
	c.Language = "en"
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, newDataset(c, nil, nil, reportNow)); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); len(got) != 3 || got[0] != "Summary" {
		t.Errorf("sheets = %q, want Summary first and a sheet per batch", got)
	}
	if got := cellOf(t, f, "Angkatan 1", "A1"); got != "Seat" {
		t.Errorf("A1 = %q: an empty batch still has the header, in English", got)
	}
}

// Ensure that sheet names are valid for Excel and distinct, also when
// batch names only differ in characters Excel refuses or in case.
func TestSheetNames(t *testing.T) {
	got := sheetNames("Ringkasan", []store.Batch{
		{ID: "a", Name: "A/B"}, {ID: "b", Name: "A:B"}, {ID: "c", Name: "a-b"},
		{ID: "d", Name: "ringkasan"}, {ID: "e", Name: "'''"}, {ID: "f", Name: strings.Repeat("Angkatan panjang ", 4)},
		{ID: "g", Name: strings.Repeat("李", 40)},
	})
	want := []string{"A-B", "A-B (2)", "a-b (3)", "ringkasan (2)", "e", "Angkatan panjang Angkatan panja", strings.Repeat("李", 31)}
	if !slices.Equal(got, want) {
		t.Errorf("sheetNames = %q, want %q", got, want)
	}
	f := excelize.NewFile()
	defer f.Close()
	for _, name := range got {
		if _, err := f.NewSheet(name); err != nil {
			t.Errorf("excelize refuses %q: %v", name, err)
		}
	}
}

// Ensure that export files are named peserta-<batch|semua>-<date>.<ext>.
func TestExportFileName(t *testing.T) {
	day := time.Date(2025, 10, 21, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct{ batch, ext, want string }{
		{"", "xlsx", "peserta-semua-2025-10-21.xlsx"},
		{"angkatan-1", "csv", "peserta-angkatan-1-2025-10-21.csv"},
		{"angkatan-1", ".csv", "peserta-angkatan-1-2025-10-21.csv"},
		{"../x y", "csv", "peserta----x-y-2025-10-21.csv"},
	} {
		if got := ExportFileName(tc.batch, day, tc.ext); got != tc.want {
			t.Errorf("ExportFileName(%q, %q) = %q, want %q", tc.batch, tc.ext, got, tc.want)
		}
	}
}

// mustOpen returns a fresh database in a temporary directory, closed
// when the test ends.
func mustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(filepath.Join(tb.TempDir(), "daftar.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// seatReport gives every registered person of ps a seat and stores the
// marks, as the bot would have.
func seatReport(tb testing.TB, db *store.DB, ps []store.Participant, marks map[string]map[int64]map[int]bool) {
	tb.Helper()
	err := db.Update(func(tx *store.Tx) error {
		for _, p := range ps {
			if p.Status != store.StatusRegistered {
				continue
			}
			if _, err := tx.ConfirmSeat(p, 1<<20); err != nil {
				return err
			}
		}
		for batch, users := range marks {
			for user, days := range users {
				for day, present := range days {
					if err := tx.SetAttendance(batch, user, day, present, 900, reportNow); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func TestExport(t *testing.T) {
	db, course := mustOpen(t), reportCourse(t)
	seatReport(t, db, reportPeople(), reportMarks())

	// Ensure that the export of every batch has a sheet per batch and a
	// CSV row per participant, with the marks from the database.
	t.Run("All", func(t *testing.T) {
		x, c, err := exportFiles(t, db, course, "")
		if err != nil {
			t.Fatal(err)
		}
		f := openXLSX(t, x)
		if got := f.GetSheetList(); len(got) != 4 {
			t.Errorf("sheets %q", got)
		}
		rows := parseCSV(t, c)
		if len(rows) != 1+5 {
			t.Fatalf("%d CSV records, want header and 5 seated people", len(rows))
		}
		header := rows[0]
		if got := rows[1][slices.Index(header, "days_present")]; got != "2" {
			t.Errorf("days_present of the first = %q, want 2", got)
		}
		if got := cellOf(t, f, "Angkatan 1", refOf(t, header, "certificate", 2)); got != "yes" {
			t.Errorf("XLSX certificate of the first = %q", got)
		}
	})

	// Ensure that the export of one batch holds its people only, its days
	// as columns, and a summary of it alone.
	t.Run("One batch", func(t *testing.T) {
		x, c, err := exportFiles(t, db, course, "sore")
		if err != nil {
			t.Fatal(err)
		}
		rows := parseCSV(t, c)
		if len(rows) != 2 || rows[1][1] != "sore" {
			t.Fatalf("CSV records %q, want header and the sore person", rows)
		}
		if got := rows[0][len(rows[0])-5:]; !slices.Equal(got, []string{"day_1", "day_2", "days_present", "certificate", "telegram"}) {
			t.Errorf("attendance columns %q, want the batch's 2 days", got)
		}
		f := openXLSX(t, x)
		if got := f.GetSheetList(); len(got) != 2 || got[0] != "Ringkasan" {
			t.Errorf("sheets %q, want the summary and the batch", got)
		}
	})

	// Ensure that an unknown batch is ErrNotFound.
	t.Run("Unknown batch", func(t *testing.T) {
		if _, _, err := exportFiles(t, db, course, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ExportFiles(nope) = %v, want ErrNotFound", err)
		}
	})
}

// exportFiles returns the contents of ExportFiles' files after checking
// that only their owner may read them and that Close removes them.
func exportFiles(tb testing.TB, db *store.DB, c store.Course, batch string) (x, cs []byte, err error) {
	tb.Helper()
	f, err := ExportFiles(db, c, batch, reportNow)
	if err != nil {
		return nil, nil, err
	}
	for _, file := range []*os.File{f.XLSX, f.CSV} {
		if fi, err := file.Stat(); err != nil || fi.Mode().Perm() != 0o600 {
			tb.Errorf("%s: mode %v, %v; want 0600", file.Name(), fi.Mode(), err)
		}
	}
	if x, err = io.ReadAll(f.XLSX); err == nil {
		cs, err = io.ReadAll(f.CSV)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	for _, file := range []*os.File{f.XLSX, f.CSV} {
		if _, err := os.Stat(file.Name()); !errors.Is(err, os.ErrNotExist) {
			tb.Errorf("%s after Close: %v, want it removed", file.Name(), err)
		}
	}
	return x, cs, nil
}

// manyPeople returns n registered participants spread over c's first
// batch with realistic answers, and marks for most of them.
func manyPeople(c store.Course, n int) ([]store.Participant, map[string]map[int64]map[int]bool) {
	bt := c.Batches[0]
	ps := make([]store.Participant, n)
	marks := map[int64]map[int]bool{}
	for i := range ps {
		id := int64(100000 + i)
		ps[i] = store.Participant{
			UserID: id, ChatID: id, Batch: bt.ID, Status: store.StatusRegistered, Seat: i + 1, Lang: "id",
			RegisteredAt: bt.Start.AddDate(0, 0, -30).Add(time.Duration(i) * 4 * time.Minute),
			Answers: map[string]string{
				"name": fmt.Sprintf("Peserta Nomor %d, Kaliwates", i), "phone": fmt.Sprintf("+62812%08d", i),
				"nik": fmt.Sprintf("35090145019%05d", i), "birth_date": "1990-08-17", "age": "35", "note": "", "experience": "Pemula",
			},
		}
		if i%10 != 0 {
			marks[id] = map[int]bool{1: true, 2: i%3 != 0, 3: true}
		}
	}
	return ps, map[string]map[int64]map[int]bool{bt.ID: marks}
}

// BenchmarkWriteXLSX measures the XLSX export of 10,000 participants
// (target: under 3 s).
func BenchmarkWriteXLSX(b *testing.B) {
	c := reportCourse(b)
	ps, marks := manyPeople(c, 10000)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, newDataset(c, ps, marks, reportNow)); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/file")
}
