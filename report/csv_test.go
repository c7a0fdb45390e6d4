package report

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Jakarta on machines without a zoneinfo database

	"github.com/daftar-bot/daftar/store"
)

// exportCourse returns a course with the fields name, phone and nik in the
// Asia/Jakarta time zone.
func exportCourse(tb testing.TB) store.Course {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		tb.Fatal(err)
	}
	return store.Course{
		Title:    "Pelatihan Menjahit",
		Location: loc,
		Language: "id",
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama lengkap (sesuai KTP)"},
			{Key: "phone", Kind: store.KindPhone, Label: "Nomor HP/WhatsApp"},
			{Key: "nik", Kind: store.KindNIK, Label: "NIK"},
		},
		Batches: []store.Batch{{ID: "angkatan-1", Name: "Angkatan 1", Capacity: 16}},
	}
}

// Ensure that the export columns are seat, batch, status, the form fields
// by key, language, registered_at, in that order.
func TestExportHeader(t *testing.T) {
	t.Run("Fields", func(t *testing.T) {
		got := ExportHeader(exportCourse(t))
		want := []string{"seat", "batch", "status", "name", "phone", "nik", "language", "registered_at"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ExportHeader = %q, want %q", got, want)
		}
	})
	t.Run("NoFields", func(t *testing.T) {
		got := ExportHeader(store.Course{})
		want := []string{"seat", "batch", "status", "language", "registered_at"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ExportHeader = %q, want %q", got, want)
		}
	})
}

// Ensure that ExportRow gives a seat only to a registered person, a cell
// per field, and the registration time in the course time zone.
func TestExportRow(t *testing.T) {
	c := exportCourse(t)
	at := time.Date(2025, 10, 1, 1, 2, 3, 456, time.UTC)
	for _, tt := range []struct {
		name   string
		course store.Course
		p      store.Participant
		want   []string
	}{
		{
			name:   "Registered",
			course: c,
			p: store.Participant{Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 3, Lang: "id", RegisteredAt: at,
				Answers: map[string]string{"name": "Ani", "phone": "+6281234567890", "nik": "3509014501900001", "extra": "x"}},
			want: []string{"3", "angkatan-1", "registered", "Ani", "+6281234567890", "3509014501900001", "id", "2025-10-01T08:02:03+07:00"},
		},
		{
			name:   "WaitingHasNoSeat",
			course: c,
			p:      store.Participant{Batch: "angkatan-1", Status: store.StatusWaiting, Seat: 5, Lang: "en", RegisteredAt: at},
			want:   []string{"", "angkatan-1", "waiting", "", "", "", "en", "2025-10-01T08:02:03+07:00"},
		},
		{
			name:   "Cancelled",
			course: c,
			p:      store.Participant{Batch: "angkatan-1", Status: store.StatusCancelled, Answers: map[string]string{"name": "Budi"}},
			want:   []string{"", "angkatan-1", "cancelled", "Budi", "", "", "", ""},
		},
		{
			name:   "NoLocationIsUTC",
			course: store.Course{},
			p:      store.Participant{Batch: "b", Status: store.StatusRegistered, Seat: 1, RegisteredAt: at},
			want:   []string{"1", "b", "registered", "", "2025-10-01T01:02:03Z"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ExportRow(tt.course, tt.p)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ExportRow = %q, want %q", got, tt.want)
			}
			if h := ExportHeader(tt.course); len(got) != len(h) {
				t.Errorf("row has %d cells, header %d", len(got), len(h))
			}
		})
	}
}

// Ensure that the CSV writes a BOM, the header and one row per person,
// keeps every name, phone number and NIK exactly, and defuses formulas.
func TestWriteCSV_ContractColumns(t *testing.T) {
	c := exportCourse(t)
	at := time.Date(2025, 10, 19, 20, 30, 0, 0, time.UTC) // 03:30 the next day in Jakarta

	t.Run("Empty", func(t *testing.T) {
		var buf bytes.Buffer
		if err := contractCSV(&buf, c, nil); err != nil {
			t.Fatal(err)
		}
		got := parseCSV(t, buf.Bytes())
		if want := [][]string{ExportHeader(c)}; !reflect.DeepEqual(got, want) {
			t.Errorf("records = %q, want %q", got, want)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		names := []string{
			"Nur, \"Ani\"\nJember",
			"محمد",
			"李小龙",
			"Siti Aminah",
			" leading space",
			"Ṡẗřåñĝê ñåmé",
		}
		var ps []store.Participant
		for i, name := range names {
			ps = append(ps, store.Participant{
				UserID: int64(i + 1), Batch: "angkatan-1", Status: store.StatusRegistered, Seat: i + 1, Lang: "id",
				RegisteredAt: at,
				Answers:      map[string]string{"name": name, "phone": "+6281234567890", "nik": "3509014501900001"},
			})
		}
		var buf bytes.Buffer
		if err := contractCSV(&buf, c, ps); err != nil {
			t.Fatal(err)
		}
		records := parseCSV(t, buf.Bytes())
		if len(records) != len(ps)+1 {
			t.Fatalf("%d records, want header + %d", len(records), len(ps))
		}
		if !reflect.DeepEqual(records[0], ExportHeader(c)) {
			t.Errorf("header = %q", records[0])
		}
		for i, rec := range records[1:] {
			want := []string{strconv.Itoa(i + 1), "angkatan-1", "registered", names[i],
				"+6281234567890", "3509014501900001", "id", "2025-10-20T03:30:00+07:00"}
			if !reflect.DeepEqual(rec, want) {
				t.Errorf("row %d = %q, want %q", i+1, rec, want)
			}
		}
	})

	t.Run("Formulas", func(t *testing.T) {
		for _, tt := range []struct{ in, want string }{
			{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
			{"=1+2", "'=1+2"},
			{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
			{"+1+2", "'+1+2"},
			{"-1+2", "'-1+2"},
			{"+", "'+"},
			{"-", "'-"},
			{"\tx", "'\tx"},
			{"\rx", "'\rx"},
			{"+6281234567890", "+6281234567890"},
			{"-5", "-5"},
			{"3509014501900001", "3509014501900001"},
			{"081234567890", "081234567890"},
			{"a=b", "a=b"},
			{"", ""},
		} {
			p := store.Participant{Batch: "angkatan-1", Status: store.StatusWaiting,
				Answers: map[string]string{"name": tt.in}}
			var buf bytes.Buffer
			if err := contractCSV(&buf, c, []store.Participant{p}); err != nil {
				t.Fatal(err)
			}
			records := parseCSV(t, buf.Bytes())
			if got := records[1][3]; got != tt.want {
				t.Errorf("cell %q exported as %q, want %q", tt.in, got, tt.want)
			}
		}
	})

	t.Run("FromDatabase", func(t *testing.T) {
		db := mustOpen(t)
		for i, name := range []string{"Ani", "=cmd|' /C calc'!A0"} {
			mustConfirm(t, db, store.Participant{
				UserID: int64(i + 1), Batch: "angkatan-1", Lang: "id", RegisteredAt: at,
				Answers: map[string]string{"name": name, "phone": "+6281234567890", "nik": "3509014501900001"},
			}, 16)
		}
		ps, err := db.Participants()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := contractCSV(&buf, c, ps); err != nil {
			t.Fatal(err)
		}
		want := "\ufeffseat,batch,status,name,phone,nik,language,registered_at\n" +
			"1,angkatan-1,registered,Ani,+6281234567890,3509014501900001,id,2025-10-20T03:30:00+07:00\n" +
			"2,angkatan-1,registered,'=cmd|' /C calc'!A0,+6281234567890,3509014501900001,id,2025-10-20T03:30:00+07:00\n"
		if got := buf.String(); got != want {
			t.Errorf("CSV =\n%q\nwant\n%q", got, want)
		}
	})

	t.Run("WriteError", func(t *testing.T) {
		fail := errors.New("disk full")
		err := contractCSV(failWriter{fail}, c, []store.Participant{{Batch: "angkatan-1"}})
		if !errors.Is(err, fail) {
			t.Errorf("err = %v, want %v", err, fail)
		}
	})
}

// contractCSV writes ps as CSV with the ExportHeader columns only.
func contractCSV(w io.Writer, c store.Course, ps []store.Participant) error {
	return writeCSV(w, newDataset(c, ps, nil, time.Time{}), nil)
}

// mustConfirm gives p a seat in a batch of capacity.
func mustConfirm(tb testing.TB, db *store.DB, p store.Participant, capacity int) {
	tb.Helper()
	if err := db.Update(func(tx *store.Tx) error {
		_, err := tx.ConfirmSeat(p, capacity)
		return err
	}); err != nil {
		tb.Fatalf("ConfirmSeat(user %d, %s): %v", p.UserID, p.Batch, err)
	}
}

// failWriter fails every write.
type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteCSV(t *testing.T) {
	c := reportCourse(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, newDataset(c, reportPeople(), reportMarks(), reportNow)); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	rows := parseCSV(t, buf.Bytes())
	header := Header(c)

	// Ensure that the header is the contract's, attendance appended.
	if !slices.Equal(rows[0], header) {
		t.Fatalf("header = %q, want %q", rows[0], header)
	}
	// Ensure that values survive: phone and NIK digits, quoting of commas,
	// quotes and newlines, non-Latin letters, formulas defused with an
	// apostrophe (a phone's + left alone), times in the course time zone,
	// and the attendance columns.
	get := func(row int, col string) string { return rows[row][slices.Index(header, col)] }
	for _, tc := range []struct {
		row       int
		col, want string
	}{
		{1, "phone", "+6281234567890"}, {2, "phone", "081234567890"},
		{1, "nik", "3509014501900001"},
		{1, "name", `Siti "Ani" Aminah, S.Pd`}, {2, "name", "محمد\nAl-Farisi"}, {3, "name", "李小龙"},
		{1, "note", `'=HYPERLINK("http://x","klik")`}, {2, "note", "'@SUM(A1)"}, {3, "note", "'-2+3"}, {4, "note", "'+cmd"},
		{1, "birth_date", "1990-08-17"}, {1, "registered_at", "2025-10-01T10:04:05+07:00"},
		{1, "day_1", "1"}, {1, "day_2", "1"}, {1, "day_3", ""}, {1, "days_present", "2"}, {1, "certificate", "yes"},
		{2, "day_2", "0"}, {2, "certificate", "no"}, {3, "day_1", "0"},
		{4, "status", "waiting"}, {4, "day_1", ""}, {4, "seat", ""},
		{7, "batch", "sore"}, {7, "day_2", "1"}, {7, "day_3", ""}, {7, "certificate", "yes"},
	} {
		if got := get(tc.row, tc.col); got != tc.want {
			t.Errorf("row %d %s = %q, want %q", tc.row, tc.col, got, tc.want)
		}
	}
	if len(rows) != 1+len(reportPeople()) {
		t.Errorf("%d records, want header and %d", len(rows), len(reportPeople()))
	}
}

// BenchmarkWriteCSV measures the CSV export of 10,000 participants
// (target: under 1 s).
func BenchmarkWriteCSV(b *testing.B) {
	c := reportCourse(b)
	ps, marks := manyPeople(c, 10000)
	for b.Loop() {
		if err := WriteCSV(&bytes.Buffer{}, newDataset(c, ps, marks, reportNow)); err != nil {
			b.Fatal(err)
		}
	}
}
