package report

import (
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Dataset is what a report is made from: one consistent read of the
// database, as of a moment.
type Dataset struct {
	Course store.Course // narrowed to the one batch when Load was given one
	Batch  string       // the batch read, "" for every batch
	Now    time.Time    // the moment of the report, in the course time zone

	// Marks are the roll calls by batch id, each as store.Tx.Attendance
	// returns it: of the course's batches and of every participant's.
	Marks map[string]map[int64]map[int]bool

	// Unreachable holds the people who blocked the bot; only the
	// statistics read it.
	Unreachable map[int64]bool

	tx   *store.Tx           // Load's: the participants are read from it, one at a time
	held []store.Participant // or the participants, held, in store.Tx.Participants order
}

// Load returns the dataset of batch ("" for every batch, also batches
// since removed from the config) for a report as of now: its
// participants and their roll calls. It reads tx, and the participants
// are read from it again, one at a time, whenever the dataset is walked
// (Each), so that no report holds thousands of people at once: the
// dataset is valid for the life of the transaction only. An unknown
// batch is store.ErrNotFound.
func Load(tx *store.Tx, c store.Course, batch string, now time.Time) (*Dataset, error) {
	d, _, err := load(tx, c, batch, now)
	if err != nil {
		return nil, err
	}
	d.tx = tx
	return d, nil
}

// loadCounts returns the dataset of every batch for counting: each
// participant as far as its store.Tally goes (no answers, seat or chat),
// held, and who blocked the bot. Decoding tallies costs a fraction of
// whole participants.
func loadCounts(tx *store.Tx, c store.Course, now time.Time) (*Dataset, error) {
	d, tallies, err := load(tx, c, "", now)
	if err != nil {
		return nil, err
	}
	d.held = make([]store.Participant, len(tallies))
	d.Unreachable = map[int64]bool{}
	for i, t := range tallies {
		d.held[i] = store.Participant{UserID: t.UserID, Batch: t.Batch, Status: t.Status, RegisteredAt: t.RegisteredAt}
		if tx.Unreachable(t.UserID) {
			d.Unreachable[t.UserID] = true
		}
	}
	return d, nil
}

// load reads the dataset but its participants, returning their tallies.
func load(tx *store.Tx, c store.Course, batch string, now time.Time) (*Dataset, []store.Tally, error) {
	if batch != "" {
		bt, ok := c.Batch(batch)
		if !ok {
			return nil, nil, fmt.Errorf("report: batch %q: %w", batch, store.ErrNotFound)
		}
		c.Batches = []store.Batch{bt}
	}
	d := &Dataset{Course: c, Batch: batch, Now: now.In(location(c)), Marks: map[string]map[int64]map[int]bool{}}
	all, err := tx.Tallies()
	if err != nil {
		return nil, nil, fmt.Errorf("report: read: %w", err)
	}
	ids := map[string]bool{}
	for _, bt := range c.Batches {
		ids[bt.ID] = true
	}
	var tallies []store.Tally
	for _, t := range all {
		if batch == "" || t.Batch == batch {
			ids[t.Batch] = true
			tallies = append(tallies, t)
		}
	}
	for id := range ids {
		if d.Marks[id], err = tx.Attendance(id); err != nil {
			return nil, nil, fmt.Errorf("report: read: %w", err)
		}
	}
	return d, tallies, nil
}

// newDataset returns the dataset of the participants ps, held, in
// store.Tx.Participants order.
func newDataset(c store.Course, ps []store.Participant, marks map[string]map[int64]map[int]bool, now time.Time) *Dataset {
	return &Dataset{Course: c, Now: now.In(location(c)), Marks: marks, held: ps}
}

// Each calls fn with every participant of batch in the dataset ("" for
// all of them), in store.Tx.Participants order. An error of fn, or of
// reading, stops it and is returned.
func (d *Dataset) Each(batch string, fn func(store.Participant) error) error {
	if d.tx == nil {
		for _, p := range d.held {
			if batch == "" || p.Batch == batch {
				if err := fn(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	switch {
	case batch == "":
		batch = d.Batch
	case d.Batch != "" && batch != d.Batch:
		return nil
	}
	return d.tx.EachParticipant(batch, fn)
}
