package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FieldKind says how a form answer is asked and checked.
type FieldKind string

// The kinds of form field. They are written in config files: only add.
const (
	KindText   FieldKind = "text"
	KindPhone  FieldKind = "phone"
	KindNIK    FieldKind = "nik"
	KindDate   FieldKind = "date"
	KindChoice FieldKind = "choice"
	KindNumber FieldKind = "number"
)

// Field is one question of the registration form.
type Field struct {
	Key  string    // column name in exports, key of the answer
	Kind FieldKind // how the answer is asked and checked
	// Label is the question in the course language, and in every language
	// Labels lacks; Labels has it in other languages, by language code.
	Label  string
	Labels map[string]string
	// Min and Max bound a text's length in characters or a number's value.
	// Zero means no bound (a text still has at most MaxText characters).
	Min, Max int
	// Options are the choices of a KindChoice field as they are stored, in
	// the course language; OptionLabels has them in other languages, by
	// language code, in the same order.
	Options      []string
	OptionLabels map[string][]string
	Optional     bool // the person may skip it
	// Foreign lets a KindPhone field take a mobile number of any country;
	// without it only Indonesian numbers are accepted.
	Foreign bool
}

// Question returns the field's label in lang, a language code.
func (f Field) Question(lang string) string {
	if l := f.Labels[lang]; l != "" {
		return l
	}
	return f.Label
}

// Option returns choice i in lang. The stored answer is always Options[i].
func (f Field) Option(lang string, i int) string {
	if o := f.OptionLabels[lang]; i < len(o) && o[i] != "" {
		return o[i]
	}
	return f.Options[i]
}

// Batch is one run of the course ("angkatan"), with its own seats and dates.
type Batch struct {
	ID       string    // [a-z0-9-], used in deep links and callback data
	Name     string    // shown to people
	Start    time.Time // midnight of the first session day, course time zone
	Days     int       // number of session days
	Capacity int       // seats
	// Dates are the midnights of the session days, in order, when they
	// are not Days consecutive days from Start (a calendar with days off,
	// see SessionDates); nil otherwise. Start is Dates[0] and Days
	// len(Dates).
	Dates      []time.Time
	DailyStart string // "08:00"
	DailyEnd   string // "15:00"
	Open       bool   // whether it takes registrations (config value)
	// Eligibility is who the batch takes: the course's rules with the
	// batch's own in place of those it sets (eligibility.go).
	Eligibility Eligibility
	// Admission is how the batch admits people: first come or by
	// selection, and "still coming?" (selection.go, confirm.go).
	Admission Admission
}

// SessionDates returns the midnights of days session days from start
// (a midnight, in the course time zone): start and the days after it,
// skipping the weekdays in skip and the dates in holidays (midnights).
// It is the one rule of a batch's calendar: config, reminders, roll calls,
// exports and statistics all count session days by it. Fewer than days
// dates come back only when skip holds every weekday.
func SessionDates(start time.Time, days int, skip []time.Weekday, holidays []time.Time) []time.Time {
	if days <= 0 || len(skip) > 0 && allWeekdays(skip) {
		return nil
	}
	off := map[string]bool{}
	for _, h := range holidays {
		off[h.Format(time.DateOnly)] = true
	}
	out := make([]time.Time, 0, days)
	for d := start; len(out) < days; d = d.AddDate(0, 0, 1) {
		if !slices.Contains(skip, d.Weekday()) && !off[d.Format(time.DateOnly)] {
			out = append(out, d)
		}
	}
	return out
}

func allWeekdays(ws []time.Weekday) bool {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if !slices.Contains(ws, d) {
			return false
		}
	}
	return true
}

// Day returns midnight of session day n (1-based) in the batch's time zone.
func (b Batch) Day(n int) time.Time {
	if n >= 1 && n <= len(b.Dates) {
		return b.Dates[n-1]
	}
	return b.Start.AddDate(0, 0, n-1)
}

// SessionDays returns the midnights of every session day, in order.
func (b Batch) SessionDays() []time.Time {
	if len(b.Dates) > 0 {
		return slices.Clone(b.Dates)
	}
	return SessionDates(b.Start, b.Days, nil, nil)
}

// End returns midnight of the last session day.
func (b Batch) End() time.Time { return b.Day(b.Days) }

// SessionStart returns the moment session day n begins (DailyStart on that day).
func (b Batch) SessionStart(n int) time.Time {
	return atClock(b.Day(n), b.DailyStart)
}

// SessionEnd returns the moment session day n ends (DailyEnd on that day).
func (b Batch) SessionEnd(n int) time.Time {
	return atClock(b.Day(n), b.DailyEnd)
}

// Started reports whether the first session has begun at now.
func (b Batch) Started(now time.Time) bool {
	return !now.Before(b.SessionStart(1))
}

// Ended reports whether the batch is over at now: its last session day
// has passed (from the midnight after it).
func (b Batch) Ended(now time.Time) bool {
	return !now.Before(b.End().AddDate(0, 0, 1))
}

// Begun reports whether session day n has come at now: it is that day or
// later. A roll call is only for such days.
func (b Batch) Begun(n int, now time.Time) bool {
	return !now.Before(b.Day(n))
}

// DayOn returns which session day of the batch now's date is (1-based),
// in the batch's time zone; false when no session falls on that date (a
// day off between sessions included).
func (b Batch) DayOn(now time.Time) (int, bool) {
	now = now.In(b.Start.Location())
	for n := 1; n <= b.Days; n++ {
		d := b.Day(n)
		if d.Year() == now.Year() && d.YearDay() == now.YearDay() {
			return n, true
		}
	}
	return 0, false
}

// RetentionOver reports whether at now the personal data of the batch's
// participants, kept for days full days after its last day, is due to be
// deleted.
func (b Batch) RetentionOver(days int, now time.Time) bool {
	return !now.Before(b.End().AddDate(0, 0, days+1))
}

// Overlaps reports whether b and o share a session day: nobody can
// attend both. Batches that meet on different days of the same weeks do
// not overlap.
func (b Batch) Overlaps(o Batch) bool {
	if o.Start.After(b.End()) || b.Start.After(o.End()) {
		return false
	}
	if len(b.Dates) == 0 && len(o.Dates) == 0 {
		return true // consecutive days with overlapping ranges share one
	}
	mine := map[string]bool{}
	for _, d := range b.SessionDays() {
		mine[d.Format(time.DateOnly)] = true
	}
	for _, d := range o.SessionDays() {
		if mine[d.In(b.Start.Location()).Format(time.DateOnly)] {
			return true
		}
	}
	return false
}

// atClock returns day (a midnight) at the "HH:MM" clock time; a malformed
// clock (config validation rejects those) counts as midnight.
func atClock(day time.Time, clock string) time.Time {
	var h, m int
	if _, err := fmt.Sscanf(clock, "%d:%d", &h, &m); err != nil {
		return day
	}
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
}

// Course is everything the config says about one course (a programme
// such as sewing or welding, run in batches): fixed while the bot runs.
// A bot serves one or more; Catalog holds them.
type Course struct {
	// ID is [a-z0-9-], unique among the courses and distinct from every
	// batch id: deep links (?start=<course-id>) and callbacks name it.
	ID string
	// Admins are the organisers of this course only; Catalog.Admins are
	// those of every course.
	Admins    []int64
	Title     string
	Organiser string
	Venue     string
	Location  *time.Location // the course time zone
	Language  string         // default language of people: a code of the bot's catalogues
	Bring     string         // what to bring, shown in reminders
	// Purpose is what the data is for, in the consent text ("" says the
	// registration and the course); SharedWith who else gets it ("" for
	// nobody); Contact how people reach the organisers (a phone,
	// WhatsApp or Telegram), under help, status and reminders.
	Purpose, SharedWith, Contact string
	// BatchWord is the course's word for a batch ("Gelombang") in every
	// text that names a batch by the generic word; "" is the language's
	// own ("Angkatan", "Batch").
	BatchWord          string
	CertificateMinDays int // days present a certificate needs; 0: the course gives none
	// MaxBatchesPerPerson is how many of its batches one person (an
	// account, a NIK) may hold a place in at once; below 1 counts as 1
	// (Intake).
	MaxBatchesPerPerson int
	ClaimWindow         time.Duration // how long a person from the waiting list has to take a freed seat
	RetentionDays       int           // days personal data is kept after a batch ends; the consent text says it
	// EveningBefore and MorningOf are the course's reminder cron specs, in
	// its time zone: its own or the bot-wide ones.
	EveningBefore, MorningOf string
	// CSVSeparator separates the CSV export's fields: 0 is a comma; a
	// spreadsheet program set to Indonesian expects ';'.
	CSVSeparator rune
	Batches      []Batch
	Fields       []Field
	Survey       Survey // the end-of-course survey (survey.go); no fields: none
}

// CertificateEligible reports whether a participant with status and
// daysPresent days marked present earns the certificate: the course gives
// certificates (CertificateMinDays > 0), the participant holds a seat, and
// was present on at least CertificateMinDays days. Every report, command
// and message that speaks of eligibility asks this.
func (c Course) CertificateEligible(status Status, daysPresent int) bool {
	return c.CertificateMinDays > 0 && status == StatusRegistered && daysPresent >= c.CertificateMinDays
}

// InSession returns the batches with a session on now's date.
func (c Course) InSession(now time.Time) []Batch {
	var out []Batch
	for _, b := range c.Batches {
		if _, ok := b.DayOn(now); ok {
			out = append(out, b)
		}
	}
	return out
}

// Batch returns the batch with the given id.
func (c Course) Batch(id string) (Batch, bool) {
	for _, b := range c.Batches {
		if b.ID == id {
			return b, true
		}
	}
	return Batch{}, false
}

// FieldIndex returns the index of the field with key, or -1.
func (c Course) FieldIndex(key string) int {
	for i, f := range c.Fields {
		if f.Key == key {
			return i
		}
	}
	return -1
}

// NameField is the field that holds a participant's name, the one
// DisplayName reads first: the field keyed "name", else the form's first
// text field. ok is false when the form has neither.
func (c Course) NameField() (f Field, ok bool) {
	if i := c.FieldIndex("name"); i >= 0 {
		return c.Fields[i], true
	}
	return c.First(KindText)
}

// BirthDateField is the field that holds a participant's birth date, by
// the same rule as NameField: the field keyed "birth_date", else the form's
// first date field (the only dates a registration form asks are in the
// past, and a birth date is the one a training centre needs).
func (c Course) BirthDateField() (f Field, ok bool) {
	if i := c.FieldIndex("birth_date"); i >= 0 && c.Fields[i].Kind == KindDate {
		return c.Fields[i], true
	}
	return c.First(KindDate)
}

// First returns the form's first field of kind k.
func (c Course) First(k FieldKind) (f Field, ok bool) {
	for _, f := range c.Fields {
		if f.Kind == k {
			return f, true
		}
	}
	return Field{}, false
}

// DisplayName is how a participant is named wherever people read about
// them (lists, roll calls, the audit log): the answer with key "name",
// else the first text answer given, else "#" and their user id. Never
// empty, so a line always says who it is about.
func (c Course) DisplayName(p Participant) string {
	if n := strings.TrimSpace(p.Answers["name"]); n != "" {
		return n
	}
	for _, f := range c.Fields {
		if n := strings.TrimSpace(p.Answers[f.Key]); f.Kind == KindText && n != "" {
			return n
		}
	}
	return "#" + strconv.FormatInt(p.UserID, 10)
}

// PhoneOf is a participant's answer to the form's first phone field: ""
// when the form asks for none or they skipped it.
func (c Course) PhoneOf(p Participant) string {
	for _, f := range c.Fields {
		if f.Kind == KindPhone {
			return p.Answers[f.Key]
		}
	}
	return ""
}

// Available returns the batches a person whose registrations are mine may
// choose at now: open, not started, not already theirs (a seat or a
// waiting place), and not overlapping a batch they hold a seat or a
// waiting place in. A full batch is available: choosing it leads to its
// waiting list. The seat transactions (TakeSeat, JoinWaitingList) apply
// the same rule again when the person confirms.
func (c Course) Available(mine Registrations, now time.Time) []Batch {
	var out []Batch
	for _, b := range c.Batches {
		if c.available(b, mine, now) {
			out = append(out, b)
		}
	}
	return out
}

// IsAvailable reports whether the batch with id is one of those Available
// returns.
func (c Course) IsAvailable(id string, mine Registrations, now time.Time) bool {
	b, ok := c.Batch(id)
	return ok && c.available(b, mine, now)
}

// available is Catalog.available within c alone.
func (c Course) available(b Batch, mine Registrations, now time.Time) bool {
	return c.alone().available(c, b, mine, now)
}

// Overlap returns a batch other than b that the person whose
// registrations are mine holds a seat or a waiting place in and whose
// dates overlap b's. A waiting place counts: it may become a seat at any
// moment, and nobody can attend both. It is Catalog.Overlap within c
// alone.
func (c Course) Overlap(b Batch, mine Registrations) (Batch, bool) {
	return c.alone().Overlap(b, mine)
}

// alone is the catalogue of c only: the rules written once for every
// course, asked about one.
func (c Course) alone() Catalog { return Catalog{Courses: []Course{c}} }
