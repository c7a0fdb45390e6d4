package report

import (
	"bytes"
	"fmt"
	"io"
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

// walkInPeople stores in c's first batch, as the bot would, a registration
// through the bot (user 1), a walk-in who opened their claim link and so
// holds the registration under their account (user 7), and a walk-in who
// has not (a synthetic id), all before the batch starts; and returns the
// unclaimed walk-in's id.
func walkInPeople(tb testing.TB, db *store.DB, c store.Course) int64 {
	tb.Helper()
	bt := c.Batches[0]
	seats := []store.Seats{{Batch: bt, Batches: c.Batches}}
	at := bt.Start.AddDate(0, 0, -10)
	person := func(user int64, name, lang string) store.Participant {
		return store.Participant{UserID: user, ChatID: user, Batch: bt.ID, Lang: lang, ConsentAt: at, RegisteredAt: at,
			Answers: map[string]string{"name": name, "phone": "+6281234567890", "nik": fmt.Sprintf("350901450190%04d", user&0xfff)}}
	}
	var unclaimed int64
	err := db.Update(func(tx *store.Tx) error {
		if _, err := tx.ConfirmSeat(person(1, "Ani", "id"), bt.Capacity); err != nil {
			return err
		}
		_, claimed, err := tx.EnrolWalkIn(seats[0], person(0, "Sri", ""), 900, at)
		if err != nil {
			return err
		}
		p, _, err := tx.EnrolWalkIn(seats[0], person(0, "Rudi", ""), 900, at)
		if err != nil {
			return err
		}
		unclaimed = p.UserID
		_, err = tx.ClaimWalkIn(seats, claimed.Code, 7, 7, "en", at.Add(time.Hour))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return unclaimed
}

// Ensure that the export's last column, telegram, says "yes" for a
// registration through the bot and for a claimed walk-in, and "no" for a
// walk-in not claimed yet (whose language cell is empty), in the CSV and
// in the XLSX, where the cell is written as certificate's is (text, the
// same raw value) and headed in the course language, through Export (a
// batch and every batch) and ExportCourse.
func TestExport_Telegram(t *testing.T) {
	db, c := mustOpen(t), reportCourse(t)
	unclaimed := walkInPeople(t, db, c)
	if !store.IsWalkIn(unclaimed) {
		t.Fatalf("the unclaimed walk-in has id %d, want a synthetic one", unclaimed)
	}
	want := map[string]struct{ lang, telegram string }{"Ani": {"id", "yes"}, "Sri": {"en", "yes"}, "Rudi": {"", "no"}}
	for _, tc := range []struct {
		name  string
		write func(xw, cw io.Writer) error
	}{
		{"Export batch", func(xw, cw io.Writer) error { return Export(db, c, c.Batches[0].ID, reportNow, xw, cw) }},
		{"Export all", func(xw, cw io.Writer) error { return Export(db, c, "", reportNow, xw, cw) }},
		{"ExportCourse", func(xw, cw io.Writer) error { return ExportCourse(db, c, nil, reportNow, xw, cw) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var xw, cw bytes.Buffer
			if err := tc.write(&xw, &cw); err != nil {
				t.Fatal(err)
			}
			rows := parseCSV(t, cw.Bytes())
			header := rows[0]
			if header[len(header)-1] != "telegram" || header[len(header)-2] != "certificate" {
				t.Errorf("CSV header %q: want telegram last, after certificate", header)
			}
			if len(rows) != 1+len(want) {
				t.Fatalf("CSV records %q, want the header and %d people", rows, len(want))
			}
			f := openXLSX(t, xw.Bytes())
			sheet := f.GetSheetList()[1]
			xrows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if got := xrows[0][len(header)-1]; got != "Akun Telegram" {
				t.Errorf("XLSX heading of telegram = %q, want Akun Telegram", got)
			}
			for i, row := range rows[1:] {
				name := row[slices.Index(header, "name")]
				w, ok := want[name]
				if !ok {
					t.Errorf("CSV row of %q", name)
					continue
				}
				if got := row[slices.Index(header, "language")]; got != w.lang {
					t.Errorf("%s: CSV language %q, want %q", name, got, w.lang)
				}
				if got := row[len(row)-1]; got != w.telegram {
					t.Errorf("%s: CSV telegram %q, want %q", name, got, w.telegram)
				}
				// The XLSX rows are in the CSV's order.
				ref, cert := refOf(t, header, "telegram", i+2), refOf(t, header, "certificate", i+2)
				if got := cellOf(t, f, sheet, ref); got != w.telegram {
					t.Errorf("%s: XLSX %s = %q, want %q", name, ref, got, w.telegram)
				}
				ts, err := f.GetCellStyle(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				cs, err := f.GetCellStyle(sheet, cert)
				if err != nil {
					t.Fatal(err)
				}
				if ts != cs {
					t.Errorf("%s: telegram cell style %d, certificate's %d: want them written alike", name, ts, cs)
				}
				if s := styleOf(t, f, sheet, ref); s.NumFmt != 49 {
					t.Errorf("%s: telegram cell format %d, want text (49)", name, s.NumFmt)
				}
			}
		})
	}
}

// Ensure that TelegramCell is "no" for a synthetic walk-in id only, and
// that DuplicateKeys names a form field keyed like an appended column
// (which ReservedKeys does not refuse) and no other.
func TestTelegramCell(t *testing.T) {
	for _, tc := range []struct {
		user int64
		want string
	}{{1001, "yes"}, {-1, "no"}, {-42, "no"}} {
		if got := TelegramCell(store.Participant{UserID: tc.user}); got != tc.want {
			t.Errorf("TelegramCell(user %d) = %q, want %q", tc.user, got, tc.want)
		}
	}
	c := reportCourse(t)
	if got := DuplicateKeys(c); len(got) != 0 {
		t.Errorf("DuplicateKeys of a form without such keys = %q", got)
	}
	c.Fields = append(c.Fields, store.Field{Key: "telegram"}, store.Field{Key: "day_3"}, store.Field{Key: "day_4"}, store.Field{Key: "certificate"})
	if got, want := DuplicateKeys(c), []string{"telegram", "day_3", "certificate"}; !slices.Equal(got, want) {
		t.Errorf("DuplicateKeys = %q, want %q", got, want)
	}
	if slices.Contains(ReservedKeys(), "telegram") {
		t.Error("telegram is reserved: a config whose form used it would stop validating")
	}
}
