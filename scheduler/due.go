package scheduler

import (
	"fmt"
	"slices"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// morningMargin is how long before a session starts a morning reminder
// stops being worth sending: people need time to get to the venue.
const morningMargin = time.Hour

// Due returns the reminders of every batch of course that came due in the
// window (since, now]: those still useful at now in due, the others in
// missed, both sorted by time. A zero since means from the beginning of
// time.
//
// A reminder is useful until its deadline (see usefulUntil), exclusive. When
// several reminders of the same session day are useful at once (the bot was
// down over both the evening and the morning before it), only the latest is
// due and the earlier ones are missed: one message per day, the most recent
// one, rather than "tomorrow" and "today" at the same moment.
//
// Due is pure: it reads no clock and no database.
func Due(course store.Course, evening, morning string, since, now time.Time) (due, missed []store.Reminder, err error) {
	for _, b := range course.Batches {
		rs, err := Timeline(b, evening, morning)
		if err != nil {
			return nil, nil, fmt.Errorf("batch %s: %w", b.ID, err)
		}
		// Timeline sorts by time, so a later useful reminder of the same
		// day replaces the one kept so far.
		latest := map[int]int{} // day → index in due
		for _, r := range rs {
			if !r.At.After(since) || r.At.After(now) {
				continue
			}
			if !now.Before(usefulUntil(b, r)) {
				missed = append(missed, r)
				continue
			}
			if i, ok := latest[r.Day]; ok {
				missed = append(missed, due[i])
				due[i] = r
				continue
			}
			latest[r.Day] = len(due)
			due = append(due, r)
		}
	}
	byTime := func(a, b store.Reminder) int { return a.At.Compare(b.At) }
	slices.SortStableFunc(due, byTime)
	slices.SortStableFunc(missed, byTime)
	return due, missed, nil
}

// usefulUntil returns the moment reminder r of batch b stops being worth
// sending. An evening reminder is useful until its session day starts; a
// morning one until an hour before, so that people can still make it there
// — unless the morning spec itself fires later than that, in which case
// it, too, is useful until the session starts (otherwise a reminder ticked
// on time would count as missed).
func usefulUntil(b store.Batch, r store.Reminder) time.Time {
	start := b.SessionStart(r.Day)
	if r.Slot == store.Morning {
		if d := start.Add(-morningMargin); r.At.Before(d) {
			return d
		}
	}
	return start
}
