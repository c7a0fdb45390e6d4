package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/daftar-bot/daftar/form"
	"github.com/daftar-bot/daftar/store"
)

// SurveyConfig is a course's survey table: the end-of-course survey's
// questions ([[survey.fields]] in a one-course file,
// [[courses.survey.fields]] in a [[courses]] table). When it is sent, how
// long it is open, when its reminder goes and whether it is anonymous
// are keys of the course: survey_hours, survey_days,
// survey_reminder_hours and survey_anonymous.
type SurveyConfig struct {
	Fields []SurveyFieldConfig `toml:"fields"`
}

// SurveyFieldConfig is one [[survey.fields]] table: the keys of a form
// field that a survey question has.
type SurveyFieldConfig struct {
	Key          string              `toml:"key"`
	Kind         string              `toml:"kind"` // rating | choice | text
	Label        string              `toml:"label"`
	LabelEN      string              `toml:"label_en"`
	Labels       map[string]string   `toml:"labels"`
	Options      []string            `toml:"options"`
	OptionsEN    []string            `toml:"options_en"`
	OptionLabels map[string][]string `toml:"option_labels"`
	Optional     bool                `toml:"optional"`
}

var surveyKinds = []store.SurveyKind{store.SurveyRating, store.SurveyChoice, store.SurveyText}

// maxSurveyDays bounds survey_days: a survey weeks after the course
// reaches nobody who remembers it.
const maxSurveyDays = 90

// survey checks a course's survey questions and its survey keys:
// survey_hours (when it goes), survey_days (how long it takes answers)
// and survey_reminder_hours (when the one reminder goes after it, 0 for
// none; within the days it is open).
func (v *validator) survey(e *courseEntry) {
	if e.SurveyHours < 0 || e.SurveyHours > 24*store.SurveyOpenDays {
		v.bad(e.key+".survey_hours", e.SurveyHours,
			fmt.Sprintf("must be between 0 and %d (%d days after the last session)", 24*store.SurveyOpenDays, store.SurveyOpenDays))
	}
	if e.SurveyDays < 1 || e.SurveyDays > maxSurveyDays {
		v.bad(e.key+".survey_days", e.SurveyDays, fmt.Sprintf("must be between 1 and %d: the days the survey takes answers after it is sent", maxSurveyDays))
	} else if e.SurveyReminderHours < 0 || e.SurveyReminderHours >= 24*e.SurveyDays {
		v.bad(e.key+".survey_reminder_hours", e.SurveyReminderHours,
			fmt.Sprintf("must be between 0 (no reminder) and %d: the survey takes answers for %d days (survey_days)", 24*e.SurveyDays-1, e.SurveyDays))
	}
	fs := e.questions
	if len(fs) > store.MaxSurveyFields {
		v.fail(e.surveyKey+".fields", fmt.Sprintf("%d questions: at most %d", len(fs), store.MaxSurveyFields))
	}
	seen := map[string]string{}
	for i, f := range fs {
		p := fmt.Sprintf("%s.fields[%d]", e.surveyKey, i)
		switch {
		case f.Key == "":
			v.fail(p+".key", `missing; every question needs a key like "overall"`)
		case !fieldKeyPattern.MatchString(f.Key):
			v.bad(p+".key", f.Key, `use lowercase letters, digits and "_" (at most 32)`)
		case seen[f.Key] != "":
			v.bad(p+".key", f.Key, "already used by "+seen[f.Key])
		default:
			seen[f.Key] = p
		}
		kind := store.SurveyKind(f.Kind)
		if !slices.Contains(surveyKinds, kind) {
			v.bad(p+".kind", f.Kind, "unknown kind; want rating, choice or text")
		}
		if strings.TrimSpace(f.Label) == "" {
			v.fail(p+".label", "missing; the question to ask")
		}
		v.labels(p, FieldConfig{Labels: f.Labels, LabelEN: f.LabelEN})
		if kind != store.SurveyChoice {
			if len(f.Options) > 0 || len(f.OptionsEN) > 0 || len(f.OptionLabels) > 0 {
				v.fail(p+".options", "only choice questions have options")
			}
			continue
		}
		if len(f.Options) > store.MaxSurveyOptions {
			v.fail(p+".options", fmt.Sprintf("%d options: at most %d, as buttons", len(f.Options), store.MaxSurveyOptions))
		}
		v.options(p, FieldConfig{Kind: f.Kind, Options: f.Options, OptionsEN: f.OptionsEN, OptionLabels: f.OptionLabels}, choiceKind())
	}
}

// choiceKind is the form's choice kind, whose options rules a survey
// choice follows.
func choiceKind() form.Kind {
	k, _ := form.Lookup(store.KindChoice)
	return k
}

// survey converts a course's survey table and its survey keys.
func (e courseEntry) survey() store.Survey {
	s := store.Survey{Hours: e.SurveyHours, Linked: !e.SurveyAnonymous, Days: e.SurveyDays, ReminderHours: e.SurveyReminderHours}
	if s.ReminderHours == 0 {
		s.ReminderHours = -1 // survey_reminder_hours = 0: none
	}
	for _, f := range e.questions {
		s.Fields = append(s.Fields, store.SurveyField{
			Key:          f.Key,
			Kind:         store.SurveyKind(f.Kind),
			Label:        f.Label,
			Labels:       withCode(f.Labels, "en", f.LabelEN),
			Options:      slices.Clone(f.Options),
			OptionLabels: withCode(maps.Clone(f.OptionLabels), "en", slices.Clone(f.OptionsEN)),
			Optional:     f.Optional,
		})
	}
	return s
}
