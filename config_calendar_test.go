package main

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// calendarConfig is a config whose only batch has the lines batch (from
// line 4); 20 Oct 2025 is a Monday.
func calendarConfig(batch string) string {
	return "[[course.batches]]\nid = \"las-1\"\ncapacity = 10\n" + batch +
		"\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n"
}

func TestLoadConfig_Calendar(t *testing.T) {
	// Ensure that start and days less skip_weekdays (English or
	// Indonesian) and holidays give the session dates, and that dates
	// lists them itself.
	for _, tc := range []struct {
		name, batch string
		want        []string
	}{
		{"consecutive", "start = 2025-10-20\ndays = 3\n", []string{"Mon 10-20", "Tue 10-21", "Wed 10-22"}},
		{"sundays off", "start = 2025-10-23\ndays = 4\nskip_weekdays = [\"sunday\"]\n", []string{"Thu 10-23", "Fri 10-24", "Sat 10-25", "Mon 10-27"}},
		{"minggu dan sabtu libur", "start = 2025-10-23\ndays = 3\nskip_weekdays = [\"Minggu\", \"sabtu\"]\n", []string{"Thu 10-23", "Fri 10-24", "Mon 10-27"}},
		{"holiday", "start = 2025-10-20\ndays = 3\nholidays = [2025-10-21]\n", []string{"Mon 10-20", "Wed 10-22", "Thu 10-23"}},
		{"dates", "dates = [2025-10-20, 2025-10-22, 2025-11-03]\n", []string{"Mon 10-20", "Wed 10-22", "Mon 11-03"}},
		{"dates with its start", "start = 2025-10-20\ndates = [2025-10-20, 2025-10-22]\n", []string{"Mon 10-20", "Wed 10-22"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustLoadConfig(t, writeConfig(t, calendarConfig(tc.batch)), noEnv)
			bt := c.course().Batches[0]
			var got []string
			for n := 1; n <= bt.Days; n++ {
				got = append(got, bt.Day(n).Format("Mon 01-02"))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("session days %q, want %q", got, tc.want)
			}
			if bt.Start != bt.Day(1) || bt.Start.Location() != c.course().Location || bt.Start.Hour() != 0 {
				t.Errorf("start %v, want midnight of day 1 in the course time zone", bt.Start)
			}
			if bt.Days < 4 && c.Course.CertificateMinDays != bt.Days {
				t.Errorf("certificate_min_days defaults to %d, want the %d session days", c.Course.CertificateMinDays, bt.Days)
			}
		})
	}

	// Ensure that a calendar that cannot be meant is refused with its
	// line: conflicting keys, an unknown weekday, holidays outside the
	// batch, no session days, a start on a day off, dates out of order.
	for _, tc := range []struct {
		name, batch string
		wants       []string
	}{
		{"dates and days", "dates = [2025-10-20]\ndays = 2\n", []string{"config.toml:5: course.batches[0].days: dates lists every session day already"}},
		{"dates and skip", "dates = [2025-10-20]\nskip_weekdays = [\"sunday\"]\n", []string{"config.toml:5: course.batches[0].skip_weekdays: dates lists every session day already"}},
		{"dates and holidays", "dates = [2025-10-20]\nholidays = [2025-10-21]\n", []string{"course.batches[0].holidays: dates lists every session day already"}},
		{"dates and another start", "start = 2025-10-19\ndates = [2025-10-20]\n", []string{"config.toml:4: course.batches[0].start: dates lists every session day, the first 2025-10-20: leave out start"}},
		{"empty dates", "dates = []\n", []string{"config.toml:4: course.batches[0].dates: empty: the batch has no session days"}},
		{"dates out of order", "dates = [2025-10-22, 2025-10-20]\n", []string{"course.batches[0].dates[1] 2025-10-20: not after the date before it"}},
		{"repeated date", "dates = [2025-10-20, 2025-10-20]\n", []string{"course.batches[0].dates[1] 2025-10-20: not after the date before it"}},
		{"quoted date in dates", "dates = [\"2025-10-20\"]\n", []string{`course.batches[0].dates[0] "2025-10-20": write the date without quotes`}},
		{"too many days", "start = 2025-10-20\ndays = 100000\n", []string{"config.toml:5: course.batches[0].days 100000: must be at most 1000"}},
		{"unknown weekday", "start = 2025-10-20\nskip_weekdays = [\"sun\"]\n", []string{`course.batches[0].skip_weekdays[0] "sun": unknown day of the week`}},
		{"every weekday", "start = 2025-10-20\nskip_weekdays = [\"sunday\", \"monday\", \"tuesday\", \"wednesday\", \"thursday\", \"friday\", \"saturday\"]\n",
			[]string{"config.toml:5: course.batches[0].skip_weekdays: skips every day of the week: the batch has no session days"}},
		{"start on a day off", "start = 2025-10-19\ndays = 2\nskip_weekdays = [\"minggu\"]\n", []string{`course.batches[0].start 2025-10-19: is a Sunday, which skip_weekdays skips`}},
		{"holiday after the batch", "start = 2025-10-20\ndays = 2\nholidays = [2025-10-23]\n",
			[]string{`course.batches[0].holidays[0] 2025-10-23: outside the batch (2025-10-20 to 2025-10-21)`}},
		{"holiday before the batch", "start = 2025-10-20\nholidays = [2025-10-01]\n", []string{`course.batches[0].holidays[0] 2025-10-01: outside the batch`}},
		{"holiday on start", "start = 2025-10-20\nholidays = [2025-10-20]\n", []string{`course.batches[0].holidays[0] 2025-10-20: is start`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(writeConfig(t, calendarConfig(tc.batch)), noEnv)
			var ce *configError
			if !errors.As(err, &ce) {
				t.Fatalf("loadConfig = %v, want a *configError", err)
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n%v\ndoes not mention %q", err, want)
				}
			}
		})
	}
}

// Ensure that daftar check prints each batch's session dates.
func TestRunCheck_Dates(t *testing.T) {
	path := writeConfig(t, calendarConfig("start = 2025-10-23\ndays = 4\nskip_weekdays = [\"sunday\"]\n"))
	var stdout, stderr bytes.Buffer
	if err := runCheck([]string{"-config", path}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("runCheck: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{
		"batch las-1 (las-1): Thu 2025-10-23 – Mon 2025-10-27, 4 days,",
		"  dates: Thu 10-23, Fri 10-24, Sat 10-25, Mon 10-27\n",
		"  2025-10-26 19:00 WIB  evening  day 4/4\n",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output does not contain %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "2025-10-25 19:00") {
		t.Errorf("a reminder on the evening before the Sunday off:\n%s", stdout.String())
	}
}
