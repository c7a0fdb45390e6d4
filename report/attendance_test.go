package report

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// attendanceCourse is exportCourse with a 3-day and a 2-day batch and a
// certificate after 2 days.
func attendanceCourse(tb testing.TB) store.Course {
	tb.Helper()
	c := exportCourse(tb)
	c.CertificateMinDays = 2
	c.Batches = []store.Batch{
		{ID: "angkatan-1", Name: "Angkatan 1", Days: 3, Capacity: 16},
		{ID: "angkatan-2", Name: "Angkatan 2", Days: 2, Capacity: 16},
	}
	return c
}

// Ensure that the appended columns are one per day of the longest batch,
// then days_present and certificate, after the contract columns.
func TestAttendanceHeader(t *testing.T) {
	got := AttendanceHeader(attendanceCourse(t))
	want := []string{"day_1", "day_2", "day_3", "days_present", "certificate"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AttendanceHeader = %q, want %q", got, want)
	}
	if got := AttendanceHeader(store.Course{}); !reflect.DeepEqual(got, []string{"days_present", "certificate"}) {
		t.Errorf("AttendanceHeader of no batches = %q", got)
	}
}

// Ensure that a day is "1" when marked present, "0" when a roll call was
// held that day and the person has a seat but no present mark, "" when
// nobody of the batch was called that day, after the end of the person's
// batch, or for a person without a seat never called; and that the
// certificate needs a seat and CertificateMinDays days present.
func TestAttendanceSheet_Row(t *testing.T) {
	c := attendanceCourse(t)
	marks := map[string]map[int64]map[int]bool{
		"angkatan-1": {
			1: {1: true, 2: true},
			2: {1: true, 2: false},
			4: {1: true, 2: true}, // cancelled afterwards
		},
		"angkatan-2": {
			5: {1: true, 2: true, 3: true}, // day 3 is past the batch's end
		},
	}
	sheet := NewAttendanceSheet(c, marks)
	for _, tc := range []struct {
		name string
		p    store.Participant
		want []string
	}{
		{"present twice", store.Participant{UserID: 1, Batch: "angkatan-1", Status: store.StatusRegistered}, []string{"1", "1", "", "2", "yes"}},
		{"unmarked", store.Participant{UserID: 2, Batch: "angkatan-1", Status: store.StatusRegistered}, []string{"1", "0", "", "1", "no"}},
		{"never called", store.Participant{UserID: 3, Batch: "angkatan-1", Status: store.StatusRegistered}, []string{"0", "0", "", "0", "no"}},
		{"cancelled", store.Participant{UserID: 4, Batch: "angkatan-1", Status: store.StatusCancelled}, []string{"1", "1", "", "2", "no"}},
		{"waiting", store.Participant{UserID: 6, Batch: "angkatan-1", Status: store.StatusWaiting}, []string{"", "", "", "0", "no"}},
		{"shorter batch", store.Participant{UserID: 5, Batch: "angkatan-2", Status: store.StatusRegistered}, []string{"1", "1", "", "2", "yes"}},
		{"no roll call", store.Participant{UserID: 7, Batch: "angkatan-3", Status: store.StatusRegistered}, []string{"", "", "", "0", "no"}},
	} {
		if got := sheet.Row(tc.p).Cells(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Cells = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Ensure that the attendance CSV is the contract CSV with the attendance
// columns, then telegram, appended to the header and every row, formulas
// defused.
func TestWriteAttendanceCSV(t *testing.T) {
	c := attendanceCourse(t)
	ps := []store.Participant{
		{UserID: 1, Batch: "angkatan-1", Status: store.StatusRegistered, Seat: 1, Lang: "id", Answers: map[string]string{"name": "=1+1", "phone": "+6281234567890", "nik": "3509014501900001"}},
		{UserID: 2, Batch: "angkatan-2", Status: store.StatusWaiting, Lang: "en", Answers: map[string]string{"name": "Li, \"Xiao\"\nLong"}},
	}
	marks := map[string]map[int64]map[int]bool{"angkatan-1": {1: {1: true, 2: true}}}
	var plain, with bytes.Buffer
	if err := contractCSV(&plain, c, ps); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&with, newDataset(c, ps, marks, reportNow)); err != nil {
		t.Fatal(err)
	}
	base, got := parseCSV(t, plain.Bytes()), parseCSV(t, with.Bytes())
	extra := [][]string{
		{"day_1", "day_2", "day_3", "days_present", "certificate", "telegram"},
		{"1", "1", "", "2", "yes", "yes"},
		{"", "", "", "0", "no", "yes"},
	}
	if len(got) != len(base) {
		t.Fatalf("%d records, want %d", len(got), len(base))
	}
	for i := range got {
		if want := append(base[i], extra[i]...); !reflect.DeepEqual(got[i], want) {
			t.Errorf("record %d = %q, want %q", i, got[i], want)
		}
	}
}
