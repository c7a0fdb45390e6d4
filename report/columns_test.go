package report

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that the day_N columns of a batch with days off are its session
// days, not the calendar days it spans, and that a mark of session day N
// lands in day_N.
func TestAttendanceHeader_DaysOff(t *testing.T) {
	c := reportCourse(t)
	bt := &c.Batches[0]
	// From Monday 20 Oct 2025, Sundays off: 7 session days, 20–25 and
	// 27 Oct (8 calendar days).
	bt.Dates = store.SessionDates(bt.Start, 7, []time.Weekday{time.Sunday}, nil)
	bt.Days = len(bt.Dates)
	c.Batches = c.Batches[:1]
	got := AttendanceHeader(c)
	want := []string{"day_1", "day_2", "day_3", "day_4", "day_5", "day_6", "day_7", "days_present", "certificate"}
	if !slices.Equal(got, want) {
		t.Fatalf("attendance columns %q, want %q", got, want)
	}
	p := store.Participant{UserID: 7, ChatID: 7, Batch: bt.ID, Status: store.StatusRegistered, Seat: 1, Lang: "id",
		Answers: map[string]string{"name": "Siti"}}
	marks := map[string]map[int64]map[int]bool{bt.ID: {7: {7: true, 6: false}}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, newDataset(c, []store.Participant{p}, marks, reportNow)); err != nil {
		t.Fatal(err)
	}
	rows := parseCSV(t, buf.Bytes())
	head, row := rows[0], rows[1]
	if got := row[slices.Index(head, "day_7")]; got != "1" {
		t.Errorf("day_7 (27 Oct) = %q, want 1", got)
	}
	if got := row[slices.Index(head, "day_6")]; got != "0" {
		t.Errorf("day_6 (25 Oct) = %q, want 0", got)
	}
}
