package main

import (
	"fmt"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/daftar-bot/daftar/store"
)

// The admission keys (README "Admission modes"): how a batch admits people
// and whether seat holders confirm before the start. admission,
// confirm_hours, confirm_days_before and unconfirmed are keys of a course
// (the defaults of its batches) and of a batch (winning over its
// course's); results_by is a batch's only.

// AdmissionConfig holds the admission keys of a course or a batch
// (CourseConfig and BatchConfig have them as keys of their own).
type AdmissionConfig struct {
	// Admission is "first_come" (a seat for whoever confirms first) or
	// "selection" (Konfirmasi applies; the organisers select).
	Admission string `toml:"admission"`
	// ConfirmHours is how long the selected (and seat holders asked
	// whether they still come) have to answer.
	ConfirmHours int `toml:"confirm_hours"`
	// ConfirmDaysBefore: seat holders of a first-come batch are asked
	// this many days before the start whether they still come; 0: never.
	ConfirmDaysBefore int `toml:"confirm_days_before"`
	// Unconfirmed is what happens to the seat of one who did not answer:
	// "keep" (flagged to organisers) or "release".
	Unconfirmed string `toml:"unconfirmed"`
}

func (c *CourseConfig) admission() AdmissionConfig {
	return AdmissionConfig{c.Admission, c.ConfirmHours, c.ConfirmDaysBefore, c.Unconfirmed}
}

func (b BatchConfig) admission() AdmissionConfig {
	return AdmissionConfig{b.Admission, b.ConfirmHours, b.ConfirmDaysBefore, b.Unconfirmed}
}

// Admission modes and what becomes of unconfirmed seats (the values of
// the keys above).
const (
	admissionFirstCome = "first_come"
	admissionSelection = "selection"
	unconfirmedKeep    = "keep"
	unconfirmedRelease = "release"
	// maxConfirmHours and maxConfirmDaysBefore bound the keys: a month.
	maxConfirmHours      = 720
	maxConfirmDaysBefore = 60
)

// admissionDefaults are the admission keys of a course that leaves them
// out: first come, as before, nobody asked, 48 hours to answer.
var admissionDefaults = AdmissionConfig{Admission: admissionFirstCome, ConfirmHours: 48, Unconfirmed: unconfirmedKeep}

// admission checks the admission keys of course e and of its batches and
// records each batch's, its own keys winning over the course's.
func (v *validator) admission(e *courseEntry) {
	v.admissionKeys(e.key, e.CourseConfig.admission())
	e.intakes = make([]store.Admission, len(e.Batches))
	for i, b := range e.Batches {
		p := fmt.Sprintf("%s.batches[%d]", e.key, i)
		a := e.CourseConfig.admission()
		own := func(key string) bool { return v.pos.has(p + "." + key) }
		if own("admission") {
			a.Admission = b.Admission
		}
		if own("confirm_hours") {
			a.ConfirmHours = b.ConfirmHours
		}
		if own("confirm_days_before") {
			a.ConfirmDaysBefore = b.ConfirmDaysBefore
		}
		if own("unconfirmed") {
			a.Unconfirmed = b.Unconfirmed
		}
		v.admissionKeys(p, b.admission())
		in := store.Admission{
			Selection:     a.Admission == admissionSelection,
			ConfirmWindow: time.Duration(a.ConfirmHours) * time.Hour,
			AskDaysBefore: a.ConfirmDaysBefore,
			Release:       a.Unconfirmed == unconfirmedRelease,
		}
		if in.Selection {
			if own("confirm_days_before") && b.ConfirmDaysBefore > 0 {
				v.bad(p+".confirm_days_before", b.ConfirmDaysBefore,
					`only for first-come batches: the selected of a batch with admission = "selection" confirm their seat anyway`)
			}
			in.AskDaysBefore = 0
		}
		if own("results_by") {
			d, ok := v.date(p+".results_by", b.ResultsBy)
			switch start, _ := b.Start.(toml.LocalDate); {
			case !in.Selection:
				v.fail(p+".results_by", `only for a batch with admission = "selection"`)
			case ok && start != (toml.LocalDate{}) && !d.AsTime(time.UTC).Before(start.AsTime(time.UTC)):
				v.bad(p+".results_by", d.String(), "must be before the batch starts ("+start.String()+")")
			case ok && e.loc != nil:
				in.ResultsBy = d.AsTime(e.loc)
			}
		}
		e.intakes[i] = in
	}
}

// admissionKeys checks the admission keys written at key (a course or a
// batch): a key left out is not checked there.
func (v *validator) admissionKeys(key string, a AdmissionConfig) {
	k := key + "."
	if v.pos.has(k+"admission") && a.Admission != admissionFirstCome && a.Admission != admissionSelection {
		v.bad(k+"admission", a.Admission, `want "first_come" or "selection"`)
	}
	if v.pos.has(k+"confirm_hours") && (a.ConfirmHours < 1 || a.ConfirmHours > maxConfirmHours) {
		v.bad(k+"confirm_hours", a.ConfirmHours, fmt.Sprintf("must be between 1 and %d", maxConfirmHours))
	}
	if v.pos.has(k+"confirm_days_before") && (a.ConfirmDaysBefore < 0 || a.ConfirmDaysBefore > maxConfirmDaysBefore) {
		v.bad(k+"confirm_days_before", a.ConfirmDaysBefore, fmt.Sprintf("must be between 0 (off) and %d", maxConfirmDaysBefore))
	}
	if v.pos.has(k+"unconfirmed") && a.Unconfirmed != unconfirmedKeep && a.Unconfirmed != unconfirmedRelease {
		v.bad(k+"unconfirmed", a.Unconfirmed, `want "keep" or "release"`)
	}
}

// intake is the admission of batch i, as admission resolved it.
func (e courseEntry) admissionOf(i int) store.Admission {
	if i < len(e.intakes) {
		return e.intakes[i]
	}
	return store.Admission{ConfirmWindow: time.Duration(admissionDefaults.ConfirmHours) * time.Hour}
}

// admissionLines are what daftar check prints about bt's admission,
// nothing for a first-come batch that asks nobody.
func admissionLines(bt store.Batch) []string {
	in := bt.Admission
	var out []string
	if in.Selection {
		by := "before " + bt.Start.Format("2006-01-02")
		if !in.ResultsBy.IsZero() {
			by = "by " + in.ResultsBy.Format("2006-01-02")
		}
		out = append(out, fmt.Sprintf("admission: selection (/seleksi, /hasil), results %s, %.0f hours to confirm", by, in.ConfirmWindow.Hours()))
	}
	if at, ok := bt.AskAt(); ok {
		then := unconfirmedKeep + " the seat"
		if in.Release {
			then = unconfirmedRelease + " the seat"
		}
		out = append(out, fmt.Sprintf("%s  still coming? (no answer in %.0f hours: %s)", at.Format("2006-01-02 15:04 MST"), in.ConfirmWindow.Hours(), then))
	}
	return out
}
