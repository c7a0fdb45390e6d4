package store

import (
	"slices"
	"time"
)

// Catalog is every course one bot serves and who organises them. Batch ids
// are unique across its courses, so a batch names its course: every
// stored record (registration, roll call, offer, reminder) belongs to the
// course of its batch, and nothing else in the store records a course.
//
// The rights rule is written once, here: telegram.admins (Admins) act on
// every course; a course's own Admins act on that course only. The bot
// asks Organises or OrganisesBatch on every command and every button
// press, with the course or batch the press names, never trusting the
// callback data to be one the organiser was shown.
type Catalog struct {
	Courses []Course
	Admins  []int64 // organisers of every course
}

// Single reports whether the bot serves one course: people go straight
// to it and organisers are never asked which.
func (cat Catalog) Single() bool { return len(cat.Courses) == 1 }

// Course returns the course with id.
func (cat Catalog) Course(id string) (Course, bool) {
	for _, c := range cat.Courses {
		if c.ID == id {
			return c, true
		}
	}
	return Course{}, false
}

// CourseOf returns the course batch belongs to; false for a batch no
// course lists (removed from the config).
func (cat Catalog) CourseOf(batch string) (Course, bool) {
	for _, c := range cat.Courses {
		if _, ok := c.Batch(batch); ok {
			return c, true
		}
	}
	return Course{}, false
}

// CourseFor is the course batch belongs to: the first for a batch no
// course lists (removed from the config), which keeps its people. The
// catalogue has a course.
func (cat Catalog) CourseFor(batch string) Course {
	if c, ok := cat.CourseOf(batch); ok {
		return c
	}
	return cat.Courses[0]
}

// Batches returns every batch of every course, course by course.
func (cat Catalog) Batches() []Batch {
	var out []Batch
	for _, c := range cat.Courses {
		out = append(out, c.Batches...)
	}
	return out
}

// AllSeats returns how the seats of every batch of every course are
// handed out, as seats says for each: what a transaction that may move
// people across batches (an erasure, an expired offer, a claim) needs.
func (cat Catalog) AllSeats(seats func(Batch) Seats) []Seats {
	batches := cat.Batches()
	all := make([]Seats, len(batches))
	for i, bt := range batches {
		all[i] = seats(bt)
	}
	return all
}

// Batch returns the batch with id and its course.
func (cat Catalog) Batch(id string) (Batch, Course, bool) {
	for _, c := range cat.Courses {
		if b, ok := c.Batch(id); ok {
			return b, c, true
		}
	}
	return Batch{}, Course{}, false
}

// Resolve returns what a deep link's argument names: a course (batch
// empty) or a batch and its course. ok is false for anything else.
func (cat Catalog) Resolve(arg string) (c Course, b Batch, ok bool) {
	if c, ok := cat.Course(arg); ok {
		return c, Batch{}, true
	}
	b, c, ok = cat.Batch(arg)
	return c, b, ok
}

// OrganisesAll reports whether userID organises every course
// (telegram.admins).
func (cat Catalog) OrganisesAll(userID int64) bool {
	return userID != 0 && slices.Contains(cat.Admins, userID)
}

// Organises reports whether userID may see and act on course id.
// An unknown course is nobody's.
func (cat Catalog) Organises(userID int64, id string) bool {
	c, ok := cat.Course(id)
	return ok && userID != 0 && (cat.OrganisesAll(userID) || slices.Contains(c.Admins, userID))
}

// OrganisesBatch reports whether userID may see and act on batch: one of
// a course they organise. A batch no course lists is only for organisers
// of every course.
func (cat Catalog) OrganisesBatch(userID int64, batch string) bool {
	if cat.OrganisesAll(userID) {
		return true
	}
	c, ok := cat.CourseOf(batch)
	return ok && cat.Organises(userID, c.ID)
}

// Organiser reports whether userID organises any course.
func (cat Catalog) Organiser(userID int64) bool { return len(cat.Managed(userID)) > 0 }

// Managed returns the courses userID organises, in config order.
func (cat Catalog) Managed(userID int64) []Course {
	var out []Course
	for _, c := range cat.Courses {
		if cat.Organises(userID, c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// Available returns the batches of c a person whose registrations are mine
// may choose at now, as Course.Available, with overlaps checked against
// the batches of every course: nobody can sit in two rooms at once.
func (cat Catalog) Available(c Course, mine Registrations, now time.Time) []Batch {
	var out []Batch
	for _, b := range c.Batches {
		if cat.available(c, b, mine, now) {
			out = append(out, b)
		}
	}
	return out
}

func (cat Catalog) available(c Course, b Batch, mine Registrations, now time.Time) bool {
	if !b.Open || b.Started(now) || mine.HoldsPlaceIn(b.ID) || c.PlacesFull(b, mine, now) {
		return false
	}
	_, clash := cat.Overlap(b, mine)
	return !clash
}

// Overlap is Course.Overlap across every course: a batch of any course
// that the person whose registrations are mine holds a seat or waiting
// place in and whose dates overlap b's.
func (cat Catalog) Overlap(b Batch, mine Registrations) (Batch, bool) {
	for _, p := range mine {
		if !p.Status.HoldsPlace() || p.Batch == b.ID {
			continue
		}
		if o, _, ok := cat.Batch(p.Batch); ok && o.Overlaps(b) {
			return o, true
		}
	}
	return Batch{}, false
}

// IsAvailable reports whether the batch with id is one of c's that
// Available returns.
func (cat Catalog) IsAvailable(c Course, id string, mine Registrations, now time.Time) bool {
	b, ok := c.Batch(id)
	return ok && cat.available(c, b, mine, now)
}

// Open returns the courses with a batch a person whose registrations are
// mine may choose at now (Available), in config order: what /start lists.
func (cat Catalog) Open(mine Registrations, now time.Time) []Course {
	var out []Course
	for _, c := range cat.Courses {
		if len(cat.Available(c, mine, now)) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// WithCatalogOverrides returns a copy of cat whose batches' Open is what the
// organisers decided (Tx.WithBatchOverrides for each course).
func (tx *Tx) WithCatalogOverrides(cat Catalog) Catalog {
	cat.Courses = slices.Clone(cat.Courses)
	for i, c := range cat.Courses {
		cat.Courses[i] = tx.WithBatchOverrides(c)
	}
	return cat
}

// With returns a copy of cat with c in place of the course of the same id.
func (cat Catalog) With(c Course) Catalog {
	cat.Courses = slices.Clone(cat.Courses)
	for i := range cat.Courses {
		if cat.Courses[i].ID == c.ID {
			cat.Courses[i] = c
		}
	}
	return cat
}

// StandingIn reads userID's standing (Tx.Standing) in course c's batches
// and in every batch of cat they hold a registration in: what a
// conversation about c may show, without reading every other course's
// batches. Registrations in batches no course lists are Elsewhere.
func (tx *Tx) StandingIn(cat Catalog, c Course, userID int64, now time.Time) (Standing, error) {
	all, err := tx.ParticipantsOf(userID)
	if err != nil {
		return Standing{}, err
	}
	batches := slices.Clone(c.Batches)
	for _, p := range all {
		if _, ok := c.Batch(p.Batch); ok {
			continue
		}
		if b, _, ok := cat.Batch(p.Batch); ok && !slices.ContainsFunc(batches, func(o Batch) bool { return o.ID == b.ID }) {
			batches = append(batches, b)
		}
	}
	return tx.Standing(batches, userID, now)
}
