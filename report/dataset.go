package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Dataset is what a report is made from: one consistent read of the
// database, as of a moment.
type Dataset struct {
	Course store.Course // narrowed to the one batch when Load was given one
	Batch  string       // the batch read, "" for every batch
	Now    time.Time    // the moment of the report, in the course time zone

	// Participants of the batch (of every batch, also of batches since
	// removed from the config), in store.Tx.Participants order.
	Participants []store.Participant

	// Marks are the roll calls by batch id, each as store.Tx.Attendance
	// returns it: of the course's batches and of every participant's.
	Marks map[string]map[int64]map[int]bool

	// Unreachable holds the people who blocked the bot; only the
	// statistics read it.
	Unreachable map[int64]bool
}

// Load reads the participants of batch ("" for every batch) and their
// roll calls, in one read transaction, for a report as of now. An unknown
// batch is store.ErrNotFound.
func Load(db *store.DB, c store.Course, batch string, now time.Time) (*Dataset, error) {
	return load(db, c, batch, now, false)
}

// load is Load; counts reads what counting needs, cheaper for thousands
// of people: each participant's store.Tally instead of the whole record
// (no answers, seat or chat), and who blocked the bot.
func load(db *store.DB, c store.Course, batch string, now time.Time, counts bool) (*Dataset, error) {
	if batch != "" {
		bt, ok := c.Batch(batch)
		if !ok {
			return nil, fmt.Errorf("report: batch %q: %w", batch, store.ErrNotFound)
		}
		c.Batches = []store.Batch{bt}
	}
	d := &Dataset{Course: c, Batch: batch, Now: now.In(location(c)), Marks: map[string]map[int64]map[int]bool{}}
	err := db.View(func(tx *store.Tx) error {
		var err error
		if counts {
			d.Participants, d.Unreachable, err = readCounts(tx)
		} else {
			d.Participants, err = tx.Participants()
		}
		if err != nil {
			return err
		}
		if batch != "" {
			d.Participants = slices.DeleteFunc(d.Participants, func(p store.Participant) bool { return p.Batch != batch })
		}
		ids := map[string]bool{}
		for _, bt := range c.Batches {
			ids[bt.ID] = true
		}
		for _, p := range d.Participants {
			ids[p.Batch] = true
		}
		for id := range ids {
			if d.Marks[id], err = tx.Attendance(id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report: read: %w", err)
	}
	return d, nil
}

// readCounts returns every participant as far as its tally goes, and the
// people who blocked the bot.
func readCounts(tx *store.Tx) ([]store.Participant, map[int64]bool, error) {
	tallies, err := tx.Tallies()
	if err != nil {
		return nil, nil, err
	}
	ps := make([]store.Participant, len(tallies))
	unreachable := map[int64]bool{}
	for i, t := range tallies {
		ps[i] = store.Participant{UserID: t.UserID, Batch: t.Batch, Status: t.Status, RegisteredAt: t.RegisteredAt}
		if tx.Unreachable(t.UserID) {
			unreachable[t.UserID] = true
		}
	}
	return ps, unreachable, nil
}
