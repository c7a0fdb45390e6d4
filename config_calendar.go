package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/daftar-bot/daftar/store"
)

// A batch's calendar: start and days, less skip_weekdays and holidays, or
// the dates listed. store.SessionDates is the rule; here it is read and
// checked.

// maxDays bounds a batch's session days (dates included): years of
// sessions are no batch, and each day is a reminder to compute.
const maxDays = 1000

// weekdayNames are the names skip_weekdays takes, English and Indonesian,
// compared without case.
var weekdayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"minggu": time.Sunday, "ahad": time.Sunday, "senin": time.Monday, "selasa": time.Tuesday, "rabu": time.Wednesday,
	"kamis": time.Thursday, "jumat": time.Friday, "jum'at": time.Friday, "sabtu": time.Saturday,
}

// weekdays returns the weekdays named, skipping unknown names.
func weekdays(names []string) []time.Weekday {
	var out []time.Weekday
	for _, n := range names {
		if d, ok := weekdayNames[strings.ToLower(strings.TrimSpace(n))]; ok && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// localDates returns the dates of vs that are TOML local dates.
func localDates(vs []any) []toml.LocalDate {
	var out []toml.LocalDate
	for _, v := range vs {
		if d, ok := v.(toml.LocalDate); ok {
			out = append(out, d)
		}
	}
	return out
}

// calendar returns the batch's first session day and, when its sessions
// are not consecutive days, the midnights of all of them in loc (nil when
// they are). Only for a batch that validation accepted.
func (b BatchConfig) calendar(loc *time.Location) (start time.Time, dates []time.Time) {
	if len(b.Dates) > 0 {
		for _, d := range localDates(b.Dates) {
			dates = append(dates, d.AsTime(loc))
		}
		return dates[0], dates
	}
	first, _ := b.Start.(toml.LocalDate)
	start = first.AsTime(loc)
	if len(b.SkipWeekdays) == 0 && len(b.Holidays) == 0 {
		return start, nil
	}
	var holidays []time.Time
	for _, d := range localDates(b.Holidays) {
		holidays = append(holidays, d.AsTime(loc))
	}
	return start, store.SessionDates(start, b.Days, weekdays(b.SkipWeekdays), holidays)
}

// calendar checks the calendar keys of batch p and returns its number of
// session days (0 when the calendar is unusable).
func (v *validator) calendar(p string, b BatchConfig) int {
	if v.pos.has(p + ".dates") {
		return v.dateList(p, b)
	}
	startOK := v.startDate(p+".start", b.Start)
	switch {
	case b.Days <= 0:
		v.bad(p+".days", b.Days, "must be at least 1")
		return 0
	case b.Days > maxDays:
		v.bad(p+".days", b.Days, fmt.Sprintf("must be at most %d", maxDays))
		return 0
	}
	for i, n := range b.SkipWeekdays {
		if _, ok := weekdayNames[strings.ToLower(strings.TrimSpace(n))]; !ok {
			v.bad(fmt.Sprintf("%s.skip_weekdays[%d]", p, i), n, `unknown day of the week; want "sunday" … "saturday" or "minggu" … "sabtu"`)
		}
	}
	skip := weekdays(b.SkipWeekdays)
	if len(skip) == 7 {
		v.fail(p+".skip_weekdays", "skips every day of the week: the batch has no session days")
		return 0
	}
	var holidays []time.Time
	var holidayKeys []string
	for i, h := range b.Holidays {
		key := fmt.Sprintf("%s.holidays[%d]", p, i)
		if d, ok := v.date(key, h); ok {
			holidays, holidayKeys = append(holidays, d.AsTime(time.UTC)), append(holidayKeys, key)
		}
	}
	if !startOK {
		return b.Days
	}
	first, _ := b.Start.(toml.LocalDate)
	start := first.AsTime(time.UTC)
	if slices.Contains(skip, start.Weekday()) {
		v.bad(p+".start", first, fmt.Sprintf("is a %s, which skip_weekdays skips: start on the first session day", start.Weekday()))
	}
	dates := store.SessionDates(start, b.Days, skip, holidays)
	last := dates[len(dates)-1]
	for i, h := range holidays {
		key, d := holidayKeys[i], toml.LocalDate{Year: h.Year(), Month: int(h.Month()), Day: h.Day()}
		switch {
		case h.Equal(start):
			v.bad(key, d, "is start: start on the first session day")
		case h.Before(start) || h.After(last):
			v.bad(key, d, fmt.Sprintf("outside the batch (%s to %s): it takes no session day away",
				start.Format(time.DateOnly), last.Format(time.DateOnly)))
		}
	}
	return b.Days
}

// dateList checks a batch whose dates are listed.
func (v *validator) dateList(p string, b BatchConfig) int {
	for _, k := range []string{"days", "skip_weekdays", "holidays"} {
		if v.pos.has(p + "." + k) {
			v.fail(p+"."+k, "dates lists every session day already: leave out "+k+", or dates")
		}
	}
	if len(b.Dates) > maxDays {
		v.fail(p+".dates", fmt.Sprintf("%d session days: at most %d", len(b.Dates), maxDays))
		return 0
	}
	if len(b.Dates) == 0 {
		v.fail(p+".dates", "empty: the batch has no session days; list them, like dates = [2027-02-01, 2027-02-03]")
		return 0
	}
	var prev toml.LocalDate
	ok := true
	for i, d := range b.Dates {
		key := fmt.Sprintf("%s.dates[%d]", p, i)
		ld, good := v.date(key, d)
		switch {
		case !good:
			ok = false
		case i > 0 && ok && !prev.AsTime(time.UTC).Before(ld.AsTime(time.UTC)):
			v.bad(key, ld, "not after the date before it: list each session day once, in order")
		}
		prev = ld
	}
	if first := localDates(b.Dates[:1]); len(first) == 1 && v.pos.has(p+".start") {
		if s, isDate := b.Start.(toml.LocalDate); !isDate || s != first[0] {
			v.fail(p+".start", fmt.Sprintf("dates lists every session day, the first %s: leave out start", first[0]))
		}
	}
	return len(b.Dates)
}

// startDate checks that a batch start is a TOML local date (2025-10-20,
// unquoted), the only form that cannot be misread as another day or zone.
func (v *validator) startDate(key string, start any) bool {
	if start == nil {
		v.fail(key, "missing; want a date like 2025-10-20")
		return false
	}
	_, ok := v.date(key, start)
	return ok
}

// date checks that a value is a TOML local date.
func (v *validator) date(key string, val any) (toml.LocalDate, bool) {
	switch s := val.(type) {
	case toml.LocalDate:
		return s, true
	case string:
		v.bad(key, s, "write the date without quotes, like 2025-10-20")
	case toml.LocalDateTime, time.Time:
		v.bad(key, s, "want a date without a time, like 2025-10-20")
	default:
		v.bad(key, s, "want a date like 2025-10-20")
	}
	return toml.LocalDate{}, false
}
