package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that [[survey.fields]] and the course's survey keys load into
// store.Course.Survey, anonymous by default, and that each mistake is
// reported at its line.
func TestConfig_Survey(t *testing.T) {
	t.Run("good", func(t *testing.T) {
		body := minimal("capacity = 1\n", `[[survey.fields]]
key = "overall"
kind = "rating"
label = "Nilai pelatihan"
label_en = "Rate the course"

[[survey.fields]]
key = "best"
kind = "choice"
label = "Paling berguna"
options = ["Materi", "Praktik"]
options_en = ["Lessons", "Practice"]
optional = true

[[survey.fields]]
key = "comment"
kind = "text"
label = "Saran"
`)
		c := mustLoadConfig(t, writeConfig(t, body), noEnv)
		s := c.course().Survey
		if s.Hours != 2 || s.Linked || len(s.Fields) != 3 {
			t.Fatalf("survey %+v", s)
		}
		if f := s.Fields[1]; f.Kind != store.SurveyChoice || f.Option("en", 1) != "Practice" || !f.Optional || s.Fields[0].Question("en") != "Rate the course" {
			t.Fatalf("field %+v", f)
		}
		c = mustLoadConfig(t, writeConfig(t, "[course]\nsurvey_hours = 24\nsurvey_anonymous = false\n"+body), noEnv)
		if s := c.course().Survey; s.Hours != 24 || !s.Linked {
			t.Fatalf("survey %+v", s)
		}
		if d, after := s.OpenDays(), reminderOf(s.ReminderAfter()); d != 14 || after != 24*time.Hour {
			t.Fatalf("by default the survey is open %d days, reminded after %v", d, after)
		}
		c = mustLoadConfig(t, writeConfig(t, "[course]\nsurvey_days = 3\nsurvey_reminder_hours = 6\n"+body), noEnv)
		if s := c.course().Survey; s.OpenDays() != 3 || reminderOf(s.ReminderAfter()) != 6*time.Hour {
			t.Fatalf("survey_days = 3, survey_reminder_hours = 6: %+v", s)
		}
		c = mustLoadConfig(t, writeConfig(t, "[course]\nsurvey_reminder_hours = 0\n"+body), noEnv)
		if _, remind := c.course().Survey.ReminderAfter(); remind {
			t.Fatal("survey_reminder_hours = 0: a reminder")
		}
		if s := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), noEnv).course().Survey; len(s.Fields) != 0 {
			t.Fatalf("no [[survey.fields]]: %+v", s)
		}
	})
	t.Run("bad", func(t *testing.T) {
		tests := []struct{ name, rest, want string }{
			{"kind", "[[survey.fields]]\nkey = \"a\"\nkind = \"stars\"\nlabel = \"l\"\n", `config.toml:11: survey.fields[0].kind "stars": unknown kind; want rating, choice or text`},
			{"no kind", "[[survey.fields]]\nkey = \"a\"\nlabel = \"l\"\n", `config.toml:9: survey.fields[0].kind "": unknown kind`},
			{"no label", "[[survey.fields]]\nkey = \"a\"\nkind = \"text\"\n", "config.toml:9: survey.fields[0].label: missing"},
			{"key", "[[survey.fields]]\nkey = \"A b\"\nkind = \"text\"\nlabel = \"l\"\n", `config.toml:10: survey.fields[0].key "A b": use lowercase`},
			{"twice", "[[survey.fields]]\nkey = \"a\"\nkind = \"text\"\nlabel = \"l\"\n[[survey.fields]]\nkey = \"a\"\nkind = \"rating\"\nlabel = \"l\"\n",
				`config.toml:14: survey.fields[1].key "a": already used by survey.fields[0]`},
			{"options on a rating", "[[survey.fields]]\nkey = \"a\"\nkind = \"rating\"\nlabel = \"l\"\noptions = [\"x\"]\n", "config.toml:13: survey.fields[0].options: only choice questions have options"},
			{"choice without options", "[[survey.fields]]\nkey = \"a\"\nkind = \"choice\"\nlabel = \"l\"\n", "config.toml:9: survey.fields[0].options: a choice needs options"},
			{"too many options", "[[survey.fields]]\nkey = \"a\"\nkind = \"choice\"\nlabel = \"l\"\noptions = [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]\n",
				"config.toml:13: survey.fields[0].options: 11 options: at most 10"},
			{"hours", "[course]\nsurvey_hours = -1\n", "config.toml:10: course.survey_hours -1: must be between 0 and 336"},
			{"days", "[course]\nsurvey_days = 0\n", "config.toml:10: course.survey_days 0: must be between 1 and 90"},
			{"reminder", "[course]\nsurvey_days = 2\nsurvey_reminder_hours = 48\n", "config.toml:11: course.survey_reminder_hours 48: must be between 0 (no reminder) and 47"},
			{"negative reminder", "[course]\nsurvey_reminder_hours = -1\n", "config.toml:10: course.survey_reminder_hours -1: must be between 0 (no reminder) and 335"},
			{"unknown key", "[[survey.fields]]\nkey = \"a\"\nkind = \"text\"\nlabel = \"l\"\nmax = 3\n", "config.toml:13: survey.fields[0].max: unknown key"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := loadConfig(writeConfig(t, minimal("capacity = 1\n", tt.rest)), noEnv)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %v\nwant %q", err, tt.want)
				}
			})
		}
	})
}

// Ensure that in a file with [[courses]] each course has its own survey
// ([[courses.survey.fields]]) and survey keys, problems named by the
// course, and that a top-level [[survey.fields]] there is refused.
func TestConfig_SurveyCourses(t *testing.T) {
	body := strings.Replace(twoCourses, "claim_hours = 12\n", "claim_hours = 12\nsurvey_hours = 24\nsurvey_anonymous = false\n", 1) + `
[[courses.survey.fields]]
key = "overall"
kind = "rating"
label = "Nilai"
`
	cat := mustLoadConfig(t, writeConfig(t, body), noEnv).catalog()
	if s := cat.Courses[0].Survey; len(s.Fields) != 0 || s.Hours != 2 || s.Linked {
		t.Errorf("sewing survey %+v, want none with the defaults", s)
	}
	if s := cat.Courses[1].Survey; len(s.Fields) != 1 || s.Fields[0].Kind != store.SurveyRating || s.Hours != 24 || !s.Linked {
		t.Errorf("welding survey %+v", s)
	}
	_, err := loadConfig(writeConfig(t, strings.Replace(body, `kind = "rating"`, `kind = "stars"`, 1)), noEnv)
	if err == nil || !strings.Contains(err.Error(), `courses[1].survey.fields[0].kind "stars": unknown kind`) {
		t.Errorf("bad kind: %v", err)
	}
	_, err = loadConfig(writeConfig(t, body+"\n[[survey.fields]]\nkey = \"x\"\nkind = \"text\"\nlabel = \"x\"\n"), noEnv)
	if err == nil || !strings.Contains(err.Error(), "survey: the file lists [[courses]]: each course has its own survey") {
		t.Errorf("[[survey.fields]] beside [[courses]]: %v", err)
	}
	_, err = loadConfig(writeConfig(t, minimal("capacity = 1\n", "[[course.survey.fields]]\nkey = \"x\"\nkind = \"text\"\nlabel = \"x\"\n")), noEnv)
	if err == nil || !strings.Contains(err.Error(), "course.survey: a file with one [course] writes its form as [[form.fields]], its survey as [[survey.fields]]") {
		t.Errorf("[[course.survey.fields]] in a one-course file: %v", err)
	}
}

// Ensure that daftar check prints a course's survey and when it goes to
// each batch, and nothing of a survey for a course without one.
func TestRunCheck_Survey(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := runCheck([]string{"-config", "config.example.toml"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("runCheck: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"  2025-10-26 17:00 WIB  survey\n",
		"survey: 3 questions, anonymous, 2 hours after the last session",
		"  most_useful          choice  (optional)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "survey: "); n != 1 {
		t.Errorf("%d surveys printed, want the sewing course's only:\n%s", n, out)
	}
}

// reminderOf returns the duration of a survey's reminder, zero when it has none.
func reminderOf(d time.Duration, ok bool) time.Duration {
	if !ok {
		return 0
	}
	return d
}
