package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/daftar-bot/daftar/store"
)

// IntakeConfig is the intake keys of a [course] or [[courses]] table
// (embedded in CourseConfig): how many of the course's batches one person
// may hold a place in at once, and who its batches take.
type IntakeConfig struct {
	// MaxBatchesPerPerson is how many batches of the course one person —
	// a Telegram account, and a NIK when the form asks for one — may hold
	// a seat or waiting place in at once. 1 by default.
	MaxBatchesPerPerson int `toml:"max_batches_per_person"`
	EligibilityConfig
}

// EligibilityConfig is who a course's batches take: keys of the course,
// which a [[course.batches]] table may set again for itself (embedded in
// BatchConfig). Every rule is off by default.
type EligibilityConfig struct {
	// MinAge and MaxAge bound the age in full years on the batch's first
	// day, from the birth date, else from the NIK; 0 is no bound.
	MinAge int `toml:"min_age"`
	MaxAge int `toml:"max_age"`
	// NIKRegions are region codes of 4 digits (regency or city, "3509" for
	// Kabupaten Jember) or 6 (district) a NIK must start with.
	NIKRegions []string `toml:"nik_regions"`
	// ExcludeMonths refuses a NIK that attended a batch of the course
	// that ended less than this many months before the batch starts.
	ExcludeMonths int `toml:"exclude_months"`
}

// Bounds of the eligibility keys.
const (
	maxAgeBound     = 100
	maxExcludeMonth = 120
)

// applyIntakeDefaults gives a course that leaves max_batches_per_person
// out the default of one place per person (a [[courses]] table cannot
// have it preset before decoding), and each batch the course's
// eligibility keys it does not write itself.
func (e courseEntry) applyIntakeDefaults(pos positions) {
	if !pos.has(e.key + ".max_batches_per_person") {
		e.MaxBatchesPerPerson = 1
	}
	for i := range e.Batches {
		b := &e.Batches[i].EligibilityConfig
		p := fmt.Sprintf("%s.batches[%d].", e.key, i)
		if !pos.has(p + "min_age") {
			b.MinAge = e.MinAge
		}
		if !pos.has(p + "max_age") {
			b.MaxAge = e.MaxAge
		}
		if !pos.has(p + "nik_regions") {
			b.NIKRegions = slices.Clone(e.NIKRegions)
		}
		if !pos.has(p + "exclude_months") {
			b.ExcludeMonths = e.ExcludeMonths
		}
	}
}

// intake checks a course's intake keys and those its batches write,
// against its form: a rule needs the answer that decides it.
func (v *validator) intake(e *courseEntry) {
	k := e.key + "."
	if e.MaxBatchesPerPerson < 1 {
		v.bad(k+"max_batches_per_person", e.MaxBatchesPerPerson, "must be at least 1 (one place per person, the default)")
	}
	v.eligibility(e, k, e.EligibilityConfig, func(string) bool { return true })
	for i, b := range e.Batches {
		p := fmt.Sprintf("%sbatches[%d].", k, i)
		// A batch's values are the course's where it writes none
		// (applyIntakeDefaults): those were checked with the course.
		written := func(key string) bool { return v.pos.has(p + key) }
		if written("min_age") || written("max_age") || written("nik_regions") || written("exclude_months") {
			v.eligibility(e, p, b.EligibilityConfig, written)
		}
	}
}

// eligibility checks one table's eligibility keys, written under prefix
// p ("course." or "course.batches[1]."); the bounds only of the keys
// written says it writes.
func (v *validator) eligibility(e *courseEntry, p string, el EligibilityConfig, written func(key string) bool) {
	nik := e.requiredField(store.KindNIK)
	if written("min_age") && (el.MinAge < 0 || el.MinAge > maxAgeBound) {
		v.bad(p+"min_age", el.MinAge, fmt.Sprintf("must be between 0 (no minimum) and %d", maxAgeBound))
	}
	if written("max_age") && (el.MaxAge < 0 || el.MaxAge > maxAgeBound) {
		v.bad(p+"max_age", el.MaxAge, fmt.Sprintf("must be between 0 (no maximum) and %d", maxAgeBound))
	}
	if el.MinAge > 0 && el.MaxAge > 0 && el.MinAge > el.MaxAge {
		v.bad(p+"max_age", el.MaxAge, fmt.Sprintf("is below min_age (%d): nobody could register", el.MinAge))
	}
	if (el.MinAge > 0 || el.MaxAge > 0) && nik == "" && e.requiredField(store.KindDate) == "" {
		key := p + "min_age"
		if el.MinAge == 0 {
			key = p + "max_age"
		}
		v.fail(key, `needs the person's age: add a required date field (key "birth_date") or nik field to the form`)
	}
	if written("nik_regions") {
		for i, r := range el.NIKRegions {
			if _, err := store.ParseRegion(r); err != nil {
				v.bad(fmt.Sprintf("%snik_regions[%d]", p, i), r, err.Error())
			}
		}
	}
	if len(el.NIKRegions) > 0 && nik == "" {
		v.fail(p+"nik_regions", "needs the NIK: add a required field of kind \"nik\" to the form")
	}
	switch {
	case written("exclude_months") && (el.ExcludeMonths < 0 || el.ExcludeMonths > maxExcludeMonth):
		v.bad(p+"exclude_months", el.ExcludeMonths, fmt.Sprintf("must be between 0 (off) and %d", maxExcludeMonth))
	case el.ExcludeMonths > 0 && nik == "":
		v.fail(p+"exclude_months", "needs the NIK: add a required field of kind \"nik\" to the form")
	case el.ExcludeMonths > 0 && e.RetentionDays > 0 && e.RetentionDays < el.ExcludeMonths*31:
		v.bad(p+"exclude_months", el.ExcludeMonths, fmt.Sprintf(
			"looks back further than retention_days (%d) keeps registrations: raise retention_days to at least %d (the consent text says it) or lower exclude_months",
			e.RetentionDays, el.ExcludeMonths*31))
	}
}

// requiredField returns the key of the form's first field of kind that
// nobody may skip: the answer a rule can count on. "" when there is none.
func (e *courseEntry) requiredField(kind store.FieldKind) string {
	i := slices.IndexFunc(e.fields, func(f FieldConfig) bool { return store.FieldKind(f.Kind) == kind })
	if i < 0 || e.fields[i].Optional {
		return ""
	}
	return e.fields[i].Key
}

// domain converts a batch's eligibility keys (the course's, where it
// writes none).
func (el EligibilityConfig) domain() store.Eligibility {
	out := store.Eligibility{MinAge: el.MinAge, MaxAge: el.MaxAge, ExcludeMonths: el.ExcludeMonths}
	for _, r := range el.NIKRegions {
		if d, err := store.ParseRegion(r); err == nil {
			out.Regions = append(out.Regions, d)
		}
	}
	return out
}

// nikFields names, by batch id, the answer holding the NIK in each
// course's form: what the migration to schema version 4 indexes
// (store.Options.NIKFields).
func nikFields(cat store.Catalog) map[string]string {
	out := map[string]string{}
	for _, c := range cat.Courses {
		if key := c.Intake().NIKField; key != "" {
			for _, b := range c.Batches {
				out[b.ID] = key
			}
		}
	}
	return out
}

// eligibilityLine is daftar check's line of a batch's eligibility: ""
// when it takes everyone.
func eligibilityLine(el store.Eligibility) string {
	if !el.On() {
		return ""
	}
	var parts []string
	switch {
	case el.MinAge > 0 && el.MaxAge > 0:
		parts = append(parts, fmt.Sprintf("age %d–%d", el.MinAge, el.MaxAge))
	case el.MinAge > 0:
		parts = append(parts, fmt.Sprintf("age at least %d", el.MinAge))
	case el.MaxAge > 0:
		parts = append(parts, fmt.Sprintf("age at most %d", el.MaxAge))
	}
	if len(el.Regions) > 0 {
		parts = append(parts, "NIK regions "+strings.Join(el.Regions, ", "))
	}
	if el.ExcludeMonths > 0 {
		parts = append(parts, fmt.Sprintf("not attended in the last %d months", el.ExcludeMonths))
	}
	return "  takes: " + strings.Join(parts, "; ") + "\n"
}
