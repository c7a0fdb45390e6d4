package scheduler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/robfig/cron/v3"
)

// CheckSpec reports whether spec is a cron spec the scheduler accepts: five
// fields (or a descriptor such as @daily) that fire at least once in a
// while. It is what config validation calls, so a bad spec is caught before
// the bot starts.
func CheckSpec(spec string) error {
	_, err := parseSpec(spec)
	return err
}

// parseSpec parses spec and rejects what would make reminder times
// surprising: an own time zone, a fixed interval, or a date that never comes.
func parseSpec(spec string) (*cron.SpecSchedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, errors.New("empty cron spec")
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, errors.New("a time zone in the spec is not allowed: reminders use the course time zone")
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("%v (want minute hour day-of-month month day-of-week, e.g. \"0 19 * * *\")", err)
	}
	s, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, errors.New("@every is not allowed: reminders need times of day")
	}
	// cron gives up after five years and returns the zero time.
	if s.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return nil, errors.New("the spec never fires")
	}
	return s, nil
}

// Timeline returns every reminder of batch b, sorted by time: for each
// session day N (b.Day: days off between sessions get none), the last
// firing of the evening spec on the calendar day before day N, and the last firing of the morning spec on day N before the
// session starts. A day gets no reminder of a kind when its spec does not fire
// in that window. Times are computed in the location of b.Start, so calendar
// days follow the course time zone even across DST changes.
func Timeline(b store.Batch, evening, morning string) ([]store.Reminder, error) {
	ev, err := parseSpec(evening)
	if err != nil {
		return nil, fmt.Errorf("evening spec %q: %w", evening, err)
	}
	mo, err := parseSpec(morning)
	if err != nil {
		return nil, fmt.Errorf("morning spec %q: %w", morning, err)
	}
	var out []store.Reminder
	for n := 1; n <= b.Days; n++ {
		day := b.Day(n)
		// The calendar day before: after a day off that is the day off,
		// not the previous session day.
		if at, ok := lastFiring(ev, day.AddDate(0, 0, -1), day); ok {
			out = append(out, store.Reminder{Batch: b.ID, Day: n, Slot: store.Evening, At: at})
		}
		if at, ok := lastFiring(mo, day, b.SessionStart(n)); ok {
			out = append(out, store.Reminder{Batch: b.ID, Day: n, Slot: store.Morning, At: at})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// lastFiring returns the last time s fires in [from, to).
func lastFiring(s *cron.SpecSchedule, from, to time.Time) (time.Time, bool) {
	var last time.Time
	// Next is strictly after its argument and works in whole seconds.
	for t := s.Next(from.Add(-time.Second)); !t.IsZero() && t.Before(to); t = s.Next(t) {
		last = t
	}
	return last, !last.IsZero()
}
