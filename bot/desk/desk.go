package desk

import (
	"html"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// Deps is what the desk's handlers use besides the organiser's request
// and the transaction they are given.
type Deps struct {
	DB  *store.DB
	Cat store.Catalog // the courses, as the config has them; never empty
	// Seats says how a batch's seats are handed out (its course's intake
	// rules and claim window, every batch for the overlaps).
	Seats func(store.Batch) store.Seats
	// BotName is the bot's username the claim link of a walk-in in the
	// course of id names (the config's, else the bot's own).
	BotName func(course string) string
	// Notify wakes the outbox's dispatcher for what an action queued.
	Notify func()
	// Scrub has the database file rewritten after an erasure.
	Scrub func()
}

// Desk is the staff's intake work: the handlers of its commands and
// buttons, which package bot's tables name.
type Desk struct{ Deps }

// New returns the desk working with deps.
func New(deps Deps) *Desk { return &Desk{deps} }

// reply is a message the desk answers with, with its buttons.
type (
	reply  = telegram.Message
	button = telegram.Button
)

func esc(s string) string { return html.EscapeString(s) }

// courseFor is the course batch belongs to (store.Catalog.CourseFor).
func (d *Desk) courseFor(batch string) store.Course { return d.Cat.CourseFor(batch) }

// allSeats is the seats of every batch of every course.
func (d *Desk) allSeats() []store.Seats { return d.Cat.AllSeats(d.Seats) }

// Press is a press handler of the desk's, as package bot's button table
// takes it (with the desk bot made).
type Press = func(*Desk, *organiser.Request, *store.Tx, callback.Data) (organiser.Result, error)
