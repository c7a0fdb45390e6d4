package scheduler

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Jakarta on machines without a zone database

	"github.com/daftar-bot/daftar/store"
)

// course returns a course with the given batches in loc's time zone.
func course(loc *time.Location, batches ...store.Batch) store.Course {
	return store.Course{Title: "Pelatihan Menjahit", Location: loc, Language: "id", Batches: batches}
}

// one is the catalog of a bot serving course alone.
func one(c store.Course) store.Catalog { return store.Catalog{Courses: []store.Course{c}} }

// Ensure that Due returns what came due in (since, now] and is still useful
// at now, and puts the rest in missed.
func TestDue(t *testing.T) {
	jakarta := mustLoad(t, "Asia/Jakarta")
	wib := func(month time.Month, day, hour, min int) time.Time {
		return time.Date(2025, month, day, hour, min, 0, 0, jakarta)
	}
	utcBatch := batch(time.UTC)
	utcBatch.ID = "utc"
	tests := []struct {
		name             string
		course           store.Course
		evening, morning string // default "0 19 * * *", "0 6 * * *"
		since, now       time.Time
		due, missed      []string
	}{
		{
			name:   "batch starts tomorrow: the evening reminder at 19:00",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 19, 18, 0), now: wib(10, 19, 19, 0),
			due: []string{"2025-10-19 19:00 WIB evening angkatan-1 1"},
		},
		{
			name:   "days off: nothing on the evening before a Sunday off",
			course: course(jakarta, daysOff(jakarta)),
			since:  wib(10, 25, 18, 0), now: wib(10, 26, 6, 30),
		},
		{
			name:   "days off: the Sunday evening reminds of Monday, day 6",
			course: course(jakarta, daysOff(jakarta)),
			since:  wib(10, 26, 18, 0), now: wib(10, 26, 19, 0),
			due: []string{"2025-10-26 19:00 WIB evening angkatan-1 6"},
		},
		{
			name:   "a minute before the evening",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 19, 18, 0), now: wib(10, 19, 18, 59),
		},
		{
			name:   "since is exclusive",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 19, 19, 0), now: wib(10, 19, 19, 0),
		},
		{
			name:   "now before since",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 19, 20, 0), now: wib(10, 19, 18, 0),
		},
		{
			name:   "from the beginning of time",
			course: course(jakarta, batch(jakarta)),
			now:    wib(10, 19, 19, 30),
			due:    []string{"2025-10-19 19:00 WIB evening angkatan-1 1"},
		},
		{
			name:   "down Monday 18:00 to Tuesday 06:59: the morning one supersedes the evening one",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 20, 18, 0), now: wib(10, 21, 6, 59),
			due:    []string{"2025-10-21 06:00 WIB morning angkatan-1 2"},
			missed: []string{"2025-10-20 19:00 WIB evening angkatan-1 2"},
		},
		{
			name:   "down Monday 18:00 to Tuesday 07:00: too late for the morning one",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 20, 18, 0), now: wib(10, 21, 7, 0),
			due:    []string{"2025-10-20 19:00 WIB evening angkatan-1 2"},
			missed: []string{"2025-10-21 06:00 WIB morning angkatan-1 2"},
		},
		{
			name:   "down Monday 18:00 to Tuesday 07:59: the evening one still",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 20, 18, 0), now: wib(10, 21, 7, 59),
			due:    []string{"2025-10-20 19:00 WIB evening angkatan-1 2"},
			missed: []string{"2025-10-21 06:00 WIB morning angkatan-1 2"},
		},
		{
			name:   "down Monday 18:00 to Tuesday 08:00: the session has started",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 20, 18, 0), now: wib(10, 21, 8, 0),
			missed: []string{
				"2025-10-20 19:00 WIB evening angkatan-1 2",
				"2025-10-21 06:00 WIB morning angkatan-1 2",
			},
		},
		{
			name:   "down for two days, back at 07:30",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 20, 18, 0), now: wib(10, 22, 7, 30),
			due: []string{"2025-10-21 19:00 WIB evening angkatan-1 3"},
			missed: []string{
				"2025-10-20 19:00 WIB evening angkatan-1 2",
				"2025-10-21 06:00 WIB morning angkatan-1 2",
				"2025-10-22 06:00 WIB morning angkatan-1 3",
			},
		},
		{
			name:   "down for two days, back at 06:30",
			course: course(jakarta, batch(jakarta)),
			since:  wib(10, 20, 18, 0), now: wib(10, 22, 6, 30),
			due: []string{"2025-10-22 06:00 WIB morning angkatan-1 3"},
			missed: []string{
				"2025-10-20 19:00 WIB evening angkatan-1 2",
				"2025-10-21 06:00 WIB morning angkatan-1 2",
				"2025-10-21 19:00 WIB evening angkatan-1 3",
			},
		},
		{
			name:   "first run after the course: everything missed",
			course: course(jakarta, batch(jakarta)),
			now:    wib(11, 1, 12, 0),
			missed: []string{
				"2025-10-19 19:00 WIB evening angkatan-1 1", "2025-10-20 06:00 WIB morning angkatan-1 1",
				"2025-10-20 19:00 WIB evening angkatan-1 2", "2025-10-21 06:00 WIB morning angkatan-1 2",
				"2025-10-21 19:00 WIB evening angkatan-1 3", "2025-10-22 06:00 WIB morning angkatan-1 3",
				"2025-10-22 19:00 WIB evening angkatan-1 4", "2025-10-23 06:00 WIB morning angkatan-1 4",
				"2025-10-23 19:00 WIB evening angkatan-1 5", "2025-10-24 06:00 WIB morning angkatan-1 5",
				"2025-10-24 19:00 WIB evening angkatan-1 6", "2025-10-25 06:00 WIB morning angkatan-1 6",
				"2025-10-25 19:00 WIB evening angkatan-1 7", "2025-10-26 06:00 WIB morning angkatan-1 7",
			},
		},
		{
			name:    "a morning spec within the last hour is due when ticked on time",
			course:  course(jakarta, batch(jakarta)),
			morning: "30 7 * * *",
			since:   wib(10, 21, 7, 0), now: wib(10, 21, 7, 30).Add(500 * time.Millisecond),
			due: []string{"2025-10-21 07:30 WIB morning angkatan-1 2"},
		},
		{
			name:   "00:30 WIB is 17:30 UTC the day before",
			course: course(jakarta, batch(jakarta)),
			now:    time.Date(2025, 10, 19, 17, 30, 0, 0, time.UTC),
			due:    []string{"2025-10-19 19:00 WIB evening angkatan-1 1"},
		},
		{
			name:   "at 17:30 UTC a UTC batch's evening has not come",
			course: course(time.UTC, utcBatch),
			now:    time.Date(2025, 10, 19, 17, 30, 0, 0, time.UTC),
		},
		{
			name:   "a UTC and a Jakarta batch at 19:30 UTC",
			course: course(jakarta, utcBatch, batch(jakarta)),
			since:  time.Date(2025, 10, 19, 0, 0, 0, 0, time.UTC), now: time.Date(2025, 10, 19, 19, 30, 0, 0, time.UTC),
			due: []string{
				"2025-10-19 19:00 WIB evening angkatan-1 1",
				"2025-10-19 19:00 UTC evening utc 1",
			},
		},
		{
			name:   "a UTC and a Jakarta batch at 23:30 UTC (06:30 WIB)",
			course: course(jakarta, utcBatch, batch(jakarta)),
			since:  time.Date(2025, 10, 19, 19, 30, 0, 0, time.UTC), now: time.Date(2025, 10, 19, 23, 30, 0, 0, time.UTC),
			due: []string{"2025-10-20 06:00 WIB morning angkatan-1 1"},
		},
		{
			name:   "no batches",
			course: course(jakarta),
			now:    wib(10, 21, 7, 0),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evening, morning := tt.evening, tt.morning
			if evening == "" {
				evening = "0 19 * * *"
			}
			if morning == "" {
				morning = "0 6 * * *"
			}
			due, missed, err := Due(tt.course, evening, morning, tt.since, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(format(due), "\n"), strings.Join(tt.due, "\n"); got != want {
				t.Errorf("due:\n%s\nwant:\n%s", got, want)
			}
			if got, want := strings.Join(format(missed), "\n"), strings.Join(tt.missed, "\n"); got != want {
				t.Errorf("missed:\n%s\nwant:\n%s", got, want)
			}
		})
	}

	t.Run("ticks at every reminder time give each reminder once", func(t *testing.T) {
		c := course(jakarta, batch(jakarta))
		all, err := Timeline(c.Batches[0], "0 19 * * *", "0 6 * * *")
		if err != nil {
			t.Fatal(err)
		}
		var got []store.Reminder
		since := time.Time{}
		for _, r := range all {
			due, missed, err := Due(c, "0 19 * * *", "0 6 * * *", since, r.At)
			if err != nil {
				t.Fatal(err)
			}
			if len(due) != 1 || due[0] != r || len(missed) != 0 {
				t.Fatalf("at %s: due %v, missed %v", r.At, format(due), format(missed))
			}
			got = append(got, due...)
			since = r.At
		}
		if len(got) != 14 {
			t.Fatalf("got %d reminders, want 14", len(got))
		}
	})

	t.Run("hourly ticks 17 minutes late give each reminder once", func(t *testing.T) {
		c := course(jakarta, batch(jakarta))
		seen := map[string]int{}
		since := wib(10, 18, 0, 17)
		for now := since.Add(time.Hour); now.Before(wib(10, 28, 0, 0)); now = now.Add(time.Hour) {
			due, missed, err := Due(c, "0 19 * * *", "0 6 * * *", since, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(missed) != 0 {
				t.Fatalf("at %s: missed %v", now, format(missed))
			}
			for _, s := range format(due) {
				seen[s]++
			}
			since = now
		}
		if len(seen) != 14 {
			t.Fatalf("got %d distinct reminders, want 14: %v", len(seen), seen)
		}
		for s, n := range seen {
			if n != 1 {
				t.Errorf("%s due %d times", s, n)
			}
		}
	})

	t.Run("a bad spec", func(t *testing.T) {
		_, _, err := Due(course(jakarta, batch(jakarta)), "0 25 * * *", "0 6 * * *", time.Time{}, wib(10, 20, 0, 0))
		if err == nil || !strings.Contains(err.Error(), "angkatan-1") {
			t.Fatalf("err = %v, want one naming the batch", err)
		}
	})
}
