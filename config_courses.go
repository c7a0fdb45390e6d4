package main

import (
	"fmt"
	"reflect"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// courseEntry is one course of the config file, whichever way the file
// writes it, with the key paths its problems are reported under.
type courseEntry struct {
	*CourseConfig
	key       string              // "course", or "courses[1]"
	formKey   string              // its form's table: "form", or "courses[1].form"
	remKey    string              // its reminders' table: "reminders", or "courses[1].reminders"
	surveyKey string              // its survey's table: "survey", or "courses[1].survey"
	fields    []FieldConfig       // its form
	questions []SurveyFieldConfig // its survey
	reminders RemindersConfig     // its reminder specs: its own, else the file's
	loc       *time.Location      // its time zone, loaded by validate
	intakes   []store.Admission   // its batches' admission, resolved by validate (config_admission.go)
}

// collectCourses lists the courses of c: the [[courses]] tables, or the
// one course of a file written before there were several ([course],
// [[course.batches]], [[form.fields]], [reminders]), which keeps working
// unchanged. A file that mixes both ways is a problem, reported to v.
func (c *Config) collectCourses(v *validator) []courseEntry {
	if len(c.Courses) == 0 {
		for _, k := range []string{"course.form", "course.reminders", "course.survey"} {
			if v.pos.has(k) {
				v.fail(k, "a file with one [course] writes its form as [[form.fields]], its survey as [[survey.fields]] "+
					"and its reminders as [reminders]; [[courses]] tables have their own")
			}
		}
		return []courseEntry{{CourseConfig: &c.Course, key: "course", formKey: "form", remKey: "reminders", surveyKey: "survey",
			fields: c.Form.Fields, questions: c.Survey.Fields, reminders: c.Reminders}}
	}
	if v.pos.has("course") {
		v.fail("course", "the file lists [[courses]]: write this course as one more [[courses]] table (with an id), not as [course]")
	}
	if v.pos.has("form") {
		v.fail("form", "the file lists [[courses]]: each course has its own form, [[courses.form.fields]] after its [[courses]]")
	}
	if v.pos.has("survey") {
		v.fail("survey", "the file lists [[courses]]: each course has its own survey, [[courses.survey.fields]] after its [[courses]]")
	}
	out := make([]courseEntry, len(c.Courses))
	for i := range c.Courses {
		co := &c.Courses[i]
		key := fmt.Sprintf("courses[%d]", i)
		e := courseEntry{CourseConfig: co, key: key, formKey: key + ".form", remKey: key + ".reminders", surveyKey: key + ".survey",
			fields: co.Form.Fields, questions: co.Survey.Fields, reminders: c.Reminders}
		if r := co.Reminders; r != nil {
			if v.pos.has(e.remKey + ".evening_before") {
				e.reminders.EveningBefore = r.EveningBefore
			}
			if v.pos.has(e.remKey + ".morning_of") {
				e.reminders.MorningOf = r.MorningOf
			}
		}
		out[i] = e
	}
	return out
}

// ownKeys are the keys of a [[courses]] table that describe the course
// itself: the defaults of [course] (the Jember sewing course's) would be
// wrong for any other, so they have none.
var ownKeys = map[string]bool{"id": true, "title": true, "organiser": true, "venue": true, "bring": true}

// courseDefaults gives every key of a [[courses]] table that the file
// leaves out the default of [course]: values a table of an array cannot
// have preset before decoding. Keys holding lists or tables have none,
// nor have ownKeys.
func courseDefaults(co *CourseConfig, def CourseConfig, key string, pos positions) {
	dst, src := reflect.ValueOf(co).Elem(), reflect.ValueOf(def)
	t := dst.Type()
	for i := range t.NumField() {
		name := t.Field(i).Tag.Get("toml")
		switch t.Field(i).Type.Kind() {
		case reflect.String, reflect.Int, reflect.Bool:
			if name != "" && !ownKeys[name] && !pos.has(key+"."+name) {
				dst.Field(i).Set(src.Field(i))
			}
		}
	}
}
