package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// twoCourses is a file with two [[courses]]: sewing with the bot-wide
// reminders and a welding course with its own evening reminder, its own
// form and organisers. Its lines are counted by the tests.
const twoCourses = `[telegram]
admins = [111]

[reminders]
evening_before = "0 19 * * *"

[[courses]]
id = "menjahit"
title = "Pelatihan Menjahit"
admins = [222]

[[courses.batches]]
id = "jahit-1"
start = 2027-02-01
capacity = 16

[[courses.form.fields]]
key = "name"
label = "Nama"

[[courses]]
id = "las"
title = "Pelatihan Las"
venue = "Bengkel Las, UPT BLK Jember"
admins = [333, 444]
certificate_min_days = 4
claim_hours = 12

[courses.reminders]
evening_before = "0 18 * * *"

[[courses.batches]]
id = "las-1"
start = 2027-03-01
days = 5
capacity = 10

[[courses.batches]]
id = "las-2"
start = 2027-04-05
days = 5
capacity = 10

[[courses.form.fields]]
key = "name"
label = "Nama"

[[courses.form.fields]]
key = "phone"
kind = "phone"
label = "Nomor HP"
`

// Ensure that a file with [[courses]] loads as several courses, each with
// its batches, form, organisers and reminders, and every key it leaves out
// at the default of [course].
func TestLoadConfig_Courses(t *testing.T) {
	c := mustLoadConfig(t, writeConfig(t, twoCourses), noEnv)
	cat := c.catalog()
	if len(cat.Courses) != 2 || !slices.Equal(cat.Admins, []int64{111}) {
		t.Fatalf("catalog = %+v", cat)
	}
	sewing, welding := cat.Courses[0], cat.Courses[1]
	if sewing.ID != "menjahit" || !slices.Equal(sewing.Admins, []int64{222}) || len(sewing.Batches) != 1 || len(sewing.Fields) != 1 {
		t.Errorf("sewing = %+v", sewing)
	}
	if welding.ID != "las" || welding.Title != "Pelatihan Las" || !slices.Equal(welding.Admins, []int64{333, 444}) ||
		len(welding.Batches) != 2 || len(welding.Fields) != 2 || welding.CertificateMinDays != 4 || welding.ClaimWindow != 12*time.Hour {
		t.Errorf("welding = %+v", welding)
	}
	// Keys left out: [course]'s defaults, but never another course's words.
	if welding.Location.String() != "Asia/Jakarta" || welding.Language != "id" || welding.RetentionDays != 365 || sewing.ClaimWindow != 24*time.Hour {
		t.Errorf("defaults: %s %s %d %s", welding.Location, welding.Language, welding.RetentionDays, sewing.ClaimWindow)
	}
	if sewing.Venue != "" || sewing.Organiser != "" {
		t.Errorf("sewing took [course]'s venue %q and organiser %q", sewing.Venue, sewing.Organiser)
	}
	if sewing.CertificateMinDays != 1 {
		t.Errorf("sewing certificate_min_days = %d: want the default capped at its one day", sewing.CertificateMinDays)
	}
	if sewing.EveningBefore != "0 19 * * *" || sewing.MorningOf != "0 6 * * *" || welding.EveningBefore != "0 18 * * *" || welding.MorningOf != "0 6 * * *" {
		t.Errorf("reminders: sewing %q %q, welding %q %q", sewing.EveningBefore, sewing.MorningOf, welding.EveningBefore, welding.MorningOf)
	}
	if b, co, ok := cat.Batch("las-2"); !ok || co.ID != "las" || b.Days != 5 || b.Name != "las-2" || !b.Open {
		t.Errorf("las-2 = %+v in %q", b, co.ID)
	}
}

// Ensure that a file written before there were several courses loads as
// one course with the id "kursus", and that course.id and course.admins
// are taken there too.
func TestLoadConfig_OneCourse(t *testing.T) {
	cat := mustLoadConfig(t, "testdata/config-one-course.toml", noEnv).catalog()
	if !cat.Single() || cat.Courses[0].ID != "kursus" || len(cat.Courses[0].Batches) != 2 || len(cat.Courses[0].Fields) != 6 {
		t.Fatalf("catalog = %+v", cat)
	}
	cat = mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "[course]\nid = \"menjahit\"\nadmins = [5]\n")), noEnv).catalog()
	if co := cat.Courses[0]; co.ID != "menjahit" || !slices.Equal(co.Admins, []int64{5}) {
		t.Fatalf("course = %q %v", co.ID, co.Admins)
	}
}

// Ensure that what is wrong with courses is reported with its key and
// line: ids, batch ids shared between courses, a course id that is also a
// batch id, a file mixing both ways of writing courses, and a course's own
// bad values.
func TestLoadConfig_CoursesBad(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(twoCourses, old) {
			t.Fatalf("twoCourses has no %q", old)
		}
		return strings.Replace(twoCourses, old, new, 1)
	}
	for _, tt := range []struct {
		name  string
		body  string
		wants []string
	}{
		{"missing id", replace("id = \"las\"\n", ""), []string{"config.toml:21: courses[1].id: missing"}},
		{"bad id", replace(`id = "las"`, `id = "Las Listrik"`), []string{`config.toml:22: courses[1].id "Las Listrik": use lowercase letters`}},
		{"duplicate id", replace(`id = "las"`, `id = "menjahit"`), []string{`config.toml:22: courses[1].id "menjahit": already used by courses[0]`}},
		{"batch id in two courses", replace(`id = "las-2"`, `id = "jahit-1"`), []string{`config.toml:39: courses[1].batches[1].id "jahit-1": already used by courses[0].batches[0]`}},
		{"course id is a batch id", replace(`id = "las"`, `id = "las-1"`), []string{`config.toml:22: courses[1].id "las-1": also the id of courses[1].batches[0]`}},
		{"[course] too", "[course]\ntitle = \"x\"\n" + twoCourses, []string{"config.toml:1: course: the file lists [[courses]]"}},
		{"[[form.fields]] too", twoCourses + "\n[[form.fields]]\nkey = \"x\"\nlabel = \"x\"\n", []string{"form: the file lists [[courses]]: each course has its own form"}},
		{"no title", replace("title = \"Pelatihan Las\"\n", ""), []string{"config.toml:21: courses[1].title: must not be empty"}},
		{"no batches", strings.Replace(twoCourses, "[[courses.batches]]\nid = \"jahit-1\"\nstart = 2027-02-01\ncapacity = 16\n", "", 1),
			[]string{"courses[0].batches: no batches; add at least one [[courses.batches]]"}},
		{"empty form", strings.Replace(twoCourses, "[[courses.form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n\n[[courses]]", "[[courses]]", 1),
			[]string{"courses[0].form.fields: empty form; add at least one [[courses.form.fields]]"}},
		{"bad field", replace("kind = \"phone\"", "kind = \"email\""), []string{`config.toml:50: courses[1].form.fields[1].kind "email": unknown kind`}},
		{"own reminder", replace(`evening_before = "0 18 * * *"`, `evening_before = "0 25 * * *"`), []string{`config.toml:30: courses[1].reminders.evening_before "0 25 * * *"`}},
		{"admin id", replace("admins = [333, 444]", "admins = [333, -4]"), []string{"config.toml:25: courses[1].admins[1] -4: not a Telegram user id"}},
		{"time zone", replace("claim_hours = 12", "claim_hours = 12\ntimezone = \"Mars/Olympus\""), []string{`config.toml:28: courses[1].timezone "Mars/Olympus": unknown time zone`}},
		{"unknown key", replace("claim_hours = 12", "claim_hours = 12\ncolour = \"red\""), []string{"config.toml:28: courses[1].colour: unknown key"}},
		{"[course.form] in a one-course file", minimal("capacity = 1\n", "[[course.form.fields]]\nkey = \"x\"\nlabel = \"x\"\n"),
			[]string{"course.form: a file with one [course] writes its form as [[form.fields]]"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(writeConfig(t, tt.body), noEnv)
			var ce *configError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *configError", err)
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error\n%v\ndoes not mention %q", err, want)
				}
			}
		})
	}
}

// Ensure that the example config is the sewing course as before and a
// welding course: two batches with Sundays off, its own form, organisers
// and evening reminder.
func TestLoadConfig_Example(t *testing.T) {
	cat := mustLoadConfig(t, "config.example.toml", noEnv).catalog()
	if len(cat.Courses) != 2 {
		t.Fatalf("%d courses, want 2", len(cat.Courses))
	}
	sewing, welding := cat.Courses[0], cat.Courses[1]
	if sewing.ID != "menjahit" || sewing.Title != "Pelatihan Menjahit" || len(sewing.Batches) != 2 || len(sewing.Fields) != 6 || sewing.EveningBefore != "0 19 * * *" {
		t.Errorf("sewing = %+v", sewing)
	}
	if welding.ID != "las" || len(welding.Batches) != 2 || len(welding.Admins) != 1 || welding.EveningBefore != "0 18 * * *" ||
		welding.FieldIndex("welding") < 0 || welding.FieldIndex("experience") >= 0 {
		t.Errorf("welding = %+v", welding)
	}
	for _, b := range welding.Batches {
		for n := 1; n <= b.Days; n++ {
			if b.Day(n).Weekday() == time.Sunday {
				t.Errorf("%s has a session on Sunday %s", b.ID, b.Day(n).Format(time.DateOnly))
			}
		}
	}
}

// Ensure that check prints every course of the example with its own
// reminder times.
func TestRunCheck_Courses(t *testing.T) {
	var stdout, stderr strings.Builder
	if err := runCheck([]string{"-config", "config.example.toml"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("runCheck: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"course menjahit (?start=menjahit), 0 own admins\nPelatihan Menjahit — ",
		"  2027-01-31 19:00 WIB  evening  day 1/7\n",
		"course las (?start=las), 1 own admins\nPelatihan Las Listrik — UPT BLK Jember",
		"batch las-1 (Gelombang 1): Mon 2027-03-01 – Thu 2027-03-11, 10 days, 07:30–14:00, 10 seats, open",
		"  dates: Mon 03-01, Tue 03-02, Wed 03-03, Thu 03-04, Fri 03-05, Sat 03-06, Mon 03-08, Tue 03-09, Wed 03-10, Thu 03-11\n",
		"  2027-02-28 18:00 WIB  evening  day 1/10\n",
		"  2027-03-06 06:00 WIB  morning  day 6/10\n  2027-03-07 18:00 WIB  evening  day 7/10\n",
		"  wearpack_size        choice",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
}
