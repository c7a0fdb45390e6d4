package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// batch returns the first Jember batch (20–26 Oct 2025, 08:00–15:00) in loc.
func batch(loc *time.Location) store.Batch {
	return store.Batch{
		ID: "angkatan-1", Name: "Angkatan 1",
		Start: time.Date(2025, 10, 20, 0, 0, 0, 0, loc),
		Days:  7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: true,
	}
}

// daysOff is batch with Sundays off and 22 Oct 2025 a holiday.
func daysOff(loc *time.Location) store.Batch {
	b := batch(loc)
	b.Dates = store.SessionDates(b.Start, b.Days, []time.Weekday{time.Sunday}, []time.Time{time.Date(2025, 10, 22, 0, 0, 0, 0, loc)})
	return b
}

// format renders reminders as "2025-10-19 19:00 +07 evening 1" lines.
func format(rs []store.Reminder) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %s %s %d", r.At.Format("2006-01-02 15:04 MST"), r.Slot, r.Batch, r.Day))
	}
	return out
}

// Ensure that Timeline gives the evening-before and morning-of reminders of
// every session day, in order, in the batch's time zone.
func TestTimeline(t *testing.T) {
	jakarta := mustLoad(t, "Asia/Jakarta")
	tests := []struct {
		name             string
		batch            store.Batch
		evening, morning string
		want             []string // all reminders; nil to skip
		count            int
		first, last      string
	}{
		{
			name: "defaults", batch: batch(jakarta), evening: "0 19 * * *", morning: "0 6 * * *",
			count: 14,
			first: "2025-10-19 19:00 WIB evening angkatan-1 1",
			last:  "2025-10-26 06:00 WIB morning angkatan-1 7",
		},
		{
			name: "morning after the session starts", batch: batch(jakarta), evening: "0 19 * * *", morning: "0 9 * * *",
			count: 7,
			first: "2025-10-19 19:00 WIB evening angkatan-1 1",
			last:  "2025-10-25 19:00 WIB evening angkatan-1 7",
		},
		{
			name: "last evening firing wins", batch: batch(jakarta), evening: "0 19,21 * * *", morning: "30 5,6 * * *",
			count: 14,
			first: "2025-10-19 21:00 WIB evening angkatan-1 1",
			last:  "2025-10-26 06:30 WIB morning angkatan-1 7",
		},
		{
			name: "weekday-only spec skips days", batch: batch(jakarta), evening: "0 19 * * 1-5", morning: "0 6 * * 1-5",
			// 20 Oct 2025 is a Monday: evenings Mon–Thu (days 2–5) and the
			// Friday evening (day 6, Saturday); mornings Mon–Fri (days 1–5).
			count: 10,
			first: "2025-10-20 06:00 WIB morning angkatan-1 1",
			last:  "2025-10-24 19:00 WIB evening angkatan-1 6",
		},
		{
			name: "UTC batch", batch: batch(time.UTC), evening: "0 19 * * *", morning: "0 6 * * *",
			count: 14,
			first: "2025-10-19 19:00 UTC evening angkatan-1 1",
			last:  "2025-10-26 06:00 UTC morning angkatan-1 7",
		},
		{
			// 20 Oct 2025 is a Monday; Sunday 26 Oct is off and Wednesday
			// 22 Oct a holiday, so the seven days are 20, 21, 23, 24, 25,
			// 27 and 28 Oct: a reminder the evening before each (the
			// Sunday evening before Monday, none on Saturday evening nor
			// before the holiday) and none on a day off.
			name: "days off", batch: daysOff(jakarta), evening: "0 19 * * *", morning: "0 6 * * *",
			want: []string{
				"2025-10-19 19:00 WIB evening angkatan-1 1",
				"2025-10-20 06:00 WIB morning angkatan-1 1",
				"2025-10-20 19:00 WIB evening angkatan-1 2",
				"2025-10-21 06:00 WIB morning angkatan-1 2",
				"2025-10-22 19:00 WIB evening angkatan-1 3",
				"2025-10-23 06:00 WIB morning angkatan-1 3",
				"2025-10-23 19:00 WIB evening angkatan-1 4",
				"2025-10-24 06:00 WIB morning angkatan-1 4",
				"2025-10-24 19:00 WIB evening angkatan-1 5",
				"2025-10-25 06:00 WIB morning angkatan-1 5",
				"2025-10-26 19:00 WIB evening angkatan-1 6",
				"2025-10-27 06:00 WIB morning angkatan-1 6",
				"2025-10-27 19:00 WIB evening angkatan-1 7",
				"2025-10-28 06:00 WIB morning angkatan-1 7",
			},
		},
		{
			name: "one day", batch: func() store.Batch { b := batch(jakarta); b.Days = 1; return b }(),
			evening: "0 19 * * *", morning: "0 6 * * *",
			want: []string{
				"2025-10-19 19:00 WIB evening angkatan-1 1",
				"2025-10-20 06:00 WIB morning angkatan-1 1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Timeline(tt.batch, tt.evening, tt.morning)
			if err != nil {
				t.Fatal(err)
			}
			got := format(rs)
			if tt.want != nil {
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
				return
			}
			if len(got) != tt.count {
				t.Fatalf("got %d reminders, want %d:\n%s", len(got), tt.count, strings.Join(got, "\n"))
			}
			if got[0] != tt.first || got[len(got)-1] != tt.last {
				t.Fatalf("first/last = %q/%q, want %q/%q", got[0], got[len(got)-1], tt.first, tt.last)
			}
			for i := 1; i < len(rs); i++ {
				if rs[i].At.Before(rs[i-1].At) {
					t.Fatalf("not sorted at %d:\n%s", i, strings.Join(got, "\n"))
				}
			}
		})
	}
}

// Ensure that the same wall-clock spec gives different instants in UTC and in
// Asia/Jakarta: days start at each zone's own midnight.
func TestTimeline_TimeZone(t *testing.T) {
	utc, err := Timeline(batch(time.UTC), "0 19 * * *", "0 6 * * *")
	if err != nil {
		t.Fatal(err)
	}
	wib, err := Timeline(batch(mustLoad(t, "Asia/Jakarta")), "0 19 * * *", "0 6 * * *")
	if err != nil {
		t.Fatal(err)
	}
	if d := utc[0].At.Sub(wib[0].At); d != 7*time.Hour {
		t.Fatalf("UTC evening - WIB evening = %v, want 7h", d)
	}
	if h := wib[0].At.In(time.UTC).Hour(); h != 12 {
		t.Fatalf("WIB 19:00 is %d:00 UTC, want 12:00", h)
	}
}

// Ensure that calendar days follow the zone across a DST change: the evening
// before the first session day after the switch is still at 19:00 local.
func TestTimeline_DST(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	b := store.Batch{ID: "b", Start: time.Date(2025, 3, 29, 0, 0, 0, 0, berlin), Days: 3, DailyStart: "08:00", DailyEnd: "15:00"}
	rs, err := Timeline(b, "0 19 * * *", "0 6 * * *")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 6 {
		t.Fatalf("got %d reminders, want 6: %v", len(rs), format(rs))
	}
	for _, r := range rs {
		if h := r.At.Hour(); (r.Slot == store.Evening && h != 19) || (r.Slot == store.Morning && h != 6) {
			t.Errorf("%s reminder of day %d at %s", r.Slot, r.Day, r.At)
		}
	}
}

// Ensure that bad specs are rejected with a message saying what is wrong.
func TestCheckSpec(t *testing.T) {
	good := []string{"0 19 * * *", "0 6 * * *", "0 19,21 * * *", "30 5 * * 1-5", "@daily"}
	for _, spec := range good {
		if err := CheckSpec(spec); err != nil {
			t.Errorf("CheckSpec(%q) = %v", spec, err)
		}
	}
	bad := map[string]string{
		"":                      "empty",
		"0 25 * * *":            "above maximum",
		"0 19 * *":              "fields",
		"0 0 19 * * *":          "fields",
		"TZ=UTC 0 19 * * *":     "time zone",
		"@every 1h":             "@every",
		"0 0 30 2 *":            "never fires",
		"every evening at 7 pm": "",
	}
	for spec, want := range bad {
		err := CheckSpec(spec)
		if err == nil {
			t.Errorf("CheckSpec(%q) = nil", spec)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("CheckSpec(%q) = %q, want it to mention %q", spec, err, want)
		}
	}
	if _, err := Timeline(batch(time.UTC), "0 25 * * *", "0 6 * * *"); err == nil || !strings.Contains(err.Error(), "evening") {
		t.Errorf("Timeline with a bad evening spec: %v", err)
	}
	if _, err := Timeline(batch(time.UTC), "0 19 * * *", "nope"); err == nil || !strings.Contains(err.Error(), "morning") {
		t.Errorf("Timeline with a bad morning spec: %v", err)
	}
}
