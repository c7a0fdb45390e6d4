package scheduler

import (
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// SurveysDue returns the batches of course whose survey is open at now
// (store.Survey.Open: from Hours after the last session for its
// OpenDays): each tick sends it to the batch's people it has not gone to
// yet and reminds those who have had it for its ReminderAfter without
// answering. It is pure.
func SurveysDue(course store.Course, now time.Time) []store.Batch {
	var out []store.Batch
	for _, b := range course.Batches {
		if course.Survey.Open(b, now) {
			out = append(out, b)
		}
	}
	return out
}

// enqueueSurveys enqueues in tx the surveys and survey reminders due at
// now and returns how many entries it added. The survey goes to everyone
// present on at least one day (store.Tx.SurveyRecipients), once (the
// invitation and the entry's key); the reminder once to each who has
// not finished it the course's ReminderAfter after it was sent (a day
// unless it says), unless it says never.
func enqueueSurveys(tx *store.Tx, course store.Course, now time.Time) (int, error) {
	n := 0
	for _, b := range SurveysDue(course, now) {
		ps, err := tx.SurveyRecipients(b)
		if err != nil {
			return 0, fmt.Errorf("survey recipients of %s: %w", b.ID, err)
		}
		byUser := map[int64]store.Participant{}
		for _, p := range ps {
			byUser[p.UserID] = p
			invited, err := tx.InviteSurvey(b, p.UserID, now)
			if err != nil {
				return 0, err
			}
			if !invited {
				continue
			}
			if added, err := tx.Enqueue(store.SurveyEntry(b.ID, p, false, now)); err != nil {
				return 0, fmt.Errorf("enqueue survey of %s: %w", b.ID, err)
			} else if added {
				n++
			}
		}
		after, remind := course.Survey.ReminderAfter()
		if !remind {
			continue
		}
		pending, err := tx.SurveyUnanswered(b.ID)
		if err != nil {
			return 0, err
		}
		for user, pr := range pending {
			p, ok := byUser[user]
			if !ok || pr.Reminded || now.Before(pr.InvitedAt.Add(after)) {
				continue
			}
			if _, err := tx.MarkSurveyReminded(b.ID, user); err != nil {
				return 0, err
			}
			if added, err := tx.Enqueue(store.SurveyEntry(b.ID, p, true, now)); err != nil {
				return 0, fmt.Errorf("enqueue survey reminder of %s: %w", b.ID, err)
			} else if added {
				n++
			}
		}
	}
	return n, nil
}
