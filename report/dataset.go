package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
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
	// They are read only: from Load, people with the same marks share
	// one map of days.
	Marks map[string]map[int64]map[int]bool

	tx    *store.Tx              // Load's: the participants are read from it, one at a time,
	order []store.ParticipantRef // in this order
	held  []store.Participant    // or the participants, held, in store.Tx.Participants order

	unreachable map[int64]bool // loadCounts': the people who blocked the bot

	surveys map[string]SurveySummary // Load's: each batch's survey results, when the course has a survey
}

// Load returns the dataset of batch ("" for every batch, also batches
// since removed from the config) for a report as of now: its
// participants and their roll calls. The participants are read from tx
// one at a time whenever the dataset is walked (Each), so that no report
// holds thousands of people at once: the dataset is valid for the life of
// the transaction only. An unknown batch is store.ErrNotFound.
func Load(tx *store.Tx, c store.Course, batch string, now time.Time) (*Dataset, error) {
	return load(tx, c, batch, now, false)
}

// LoadCourse returns the dataset of every batch of course c, and of no
// other, as of now: a course's report when the bot serves several, whose
// participants in other courses' batches (with other forms) are not c's.
// former are batches the config no longer lists that were c's
// (store.Tx.FormerBatches): their people are c's too, in sheets of their
// own, as a one-course bot's export has them.
func LoadCourse(tx *store.Tx, c store.Course, former []string, now time.Time) (*Dataset, error) {
	return load(tx, c, "", now, true, former...)
}

func load(tx *store.Tx, c store.Course, batch string, now time.Time, onlyCourse bool, former ...string) (*Dataset, error) {
	d, err := newLoad(c, batch, now)
	if err != nil {
		return nil, err
	}
	if !onlyCourse {
		if d.order, err = tx.ParticipantOrder(batch); err != nil {
			return nil, fmt.Errorf("report: read: %w", err)
		}
	}
	// A course's batches one by one, in id order as ParticipantOrder
	// lists them: the other courses' people are never read.
	for _, id := range append(courseBatchIDs(c, onlyCourse), former...) {
		refs, err := tx.ParticipantOrder(id)
		if err != nil {
			return nil, fmt.Errorf("report: read: %w", err)
		}
		d.order = append(d.order, refs...)
	}
	d.tx = tx
	if len(c.Survey.Fields) > 0 {
		d.surveys = map[string]SurveySummary{}
		for _, bt := range d.Course.Batches {
			if d.surveys[bt.ID], err = ReadSurvey(tx, c, bt.ID); err != nil {
				return nil, err
			}
		}
	}
	batches := make([]string, len(d.order))
	for i, r := range d.order {
		batches[i] = r.Batch
	}
	return d, d.readMarks(tx, batches)
}

// loadCounts returns the dataset of every batch for counting: each
// participant as far as its store.Tally goes (no answers, seat or chat),
// held, and who blocked the bot. Decoding tallies costs a fraction of
// whole participants.
func loadCounts(tx *store.Tx, c store.Course, now time.Time, onlyCourse bool) (*Dataset, error) {
	d, err := newLoad(c, "", now)
	if err != nil {
		return nil, err
	}
	var tallies []store.Tally
	if !onlyCourse {
		if tallies, err = tx.Tallies(); err != nil {
			return nil, fmt.Errorf("report: read: %w", err)
		}
	}
	// A course's batches one by one: the other courses' are never read.
	for _, id := range courseBatchIDs(c, onlyCourse) {
		ts, err := tx.TalliesIn(id)
		if err != nil {
			return nil, fmt.Errorf("report: read: %w", err)
		}
		tallies = append(tallies, ts...)
	}
	d.held = make([]store.Participant, len(tallies))
	d.unreachable = map[int64]bool{}
	batches := make([]string, len(tallies))
	for i, t := range tallies {
		d.held[i] = store.Participant{UserID: t.UserID, Batch: t.Batch, Status: t.Status, RegisteredAt: t.RegisteredAt}
		batches[i] = t.Batch
		if tx.Unreachable(t.UserID) {
			d.unreachable[t.UserID] = true
		}
	}
	return d, d.readMarks(tx, batches)
}

// newLoad returns the dataset of batch of c, as yet without data.
func newLoad(c store.Course, batch string, now time.Time) (*Dataset, error) {
	if batch != "" {
		bt, ok := c.Batch(batch)
		if !ok {
			return nil, fmt.Errorf("report: batch %q: %w", batch, store.ErrNotFound)
		}
		c.Batches = []store.Batch{bt}
	}
	return &Dataset{Course: c, Batch: batch, Now: now.In(location(c)), Marks: map[string]map[int64]map[int]bool{}}, nil
}

// readMarks reads the roll calls of d's batches and of batches, the
// participants'.
func (d *Dataset) readMarks(tx *store.Tx, batches []string) error {
	ids := map[string]bool{}
	for _, bt := range d.Course.Batches {
		ids[bt.ID] = true
	}
	for _, id := range batches {
		ids[id] = true
	}
	shared := map[string]map[int]bool{}
	for id := range ids {
		marks, err := tx.Attendance(id)
		if err != nil {
			return fmt.Errorf("report: read: %w", err)
		}
		for user, days := range marks {
			marks[user] = share(shared, days)
		}
		d.Marks[id] = marks
	}
	return nil
}

// share returns the map in shared with the same days as days, adding
// days when there is none. The people of a batch have a few patterns of
// attendance between them: sharing one map per pattern keeps thousands of
// people's marks in a fraction of the memory.
func share(shared map[string]map[int]bool, days map[int]bool) map[int]bool {
	key := make([]byte, 0, 4*len(days))
	for _, d := range slices.Sorted(maps.Keys(days)) {
		key = strconv.AppendInt(key, int64(d), 10)
		if days[d] {
			key = append(key, '+')
		} else {
			key = append(key, '-')
		}
	}
	if m, ok := shared[string(key)]; ok {
		return m
	}
	shared[string(key)] = days
	return days
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
	for _, r := range d.order {
		if batch != "" && r.Batch != batch {
			continue
		}
		p, err := d.tx.Participant(r.Batch, r.UserID)
		if err != nil {
			return fmt.Errorf("report: read: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// courseBatchIDs returns the ids of c's batches, sorted, when only is set.
func courseBatchIDs(c store.Course, only bool) []string {
	if !only {
		return nil
	}
	ids := make([]string, len(c.Batches))
	for i, b := range c.Batches {
		ids[i] = b.ID
	}
	slices.Sort(ids)
	return ids
}
