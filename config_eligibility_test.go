package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// intakeForm is a form with a required NIK and birth date.
const intakeForm = "\n[[form.fields]]\nkey = \"nik\"\nkind = \"nik\"\nlabel = \"NIK\"\n" +
	"\n[[form.fields]]\nkey = \"birth_date\"\nkind = \"date\"\nlabel = \"Tanggal lahir\"\n"

// Ensure that max_batches_per_person is 1 by default, that the eligibility
// keys of a course reach every batch, that a batch's own keys win, and
// that nik_regions are kept as digits.
func TestConfig_Eligibility(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		co := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), noEnv).course()
		if co.MaxBatchesPerPerson != 1 || co.Batches[0].Eligibility.On() {
			t.Fatalf("defaults: max %d, eligibility %+v", co.MaxBatchesPerPerson, co.Batches[0].Eligibility)
		}
	})
	t.Run("course and batch", func(t *testing.T) {
		body := "[course]\nmax_batches_per_person = 2\nmin_age = 18\nmax_age = 45\nnik_regions = [\"35.09\", \"351001\"]\nexclude_months = 6\n\n" +
			"[[course.batches]]\nid = \"a\"\nstart = 2025-10-20\ncapacity = 1\n\n" +
			"[[course.batches]]\nid = \"b\"\nstart = 2025-11-20\ncapacity = 1\nmin_age = 16\nnik_regions = []\n" +
			"\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n" + intakeForm
		co := mustLoadConfig(t, writeConfig(t, body), noEnv).course()
		if co.MaxBatchesPerPerson != 2 {
			t.Errorf("max_batches_per_person = %d", co.MaxBatchesPerPerson)
		}
		a, b := co.Batches[0].Eligibility, co.Batches[1].Eligibility
		if a.MinAge != 18 || a.MaxAge != 45 || a.ExcludeMonths != 6 || !slices.Equal(a.Regions, []string{"3509", "351001"}) {
			t.Errorf("batch a (the course's) = %+v", a)
		}
		if b.MinAge != 16 || b.MaxAge != 45 || b.ExcludeMonths != 6 || len(b.Regions) != 0 {
			t.Errorf("batch b (its own min_age and regions) = %+v", b)
		}
		if in := co.Intake(); in.NIKField != "nik" || in.BirthField != "birth_date" || in.MaxPlaces != 2 || len(in.Batches) != 2 {
			t.Errorf("intake = %+v", in)
		}
	})
	t.Run("courses", func(t *testing.T) {
		body := "[[courses]]\nid = \"las\"\ntitle = \"Las\"\nmin_age = 17\n\n[[courses.batches]]\nid = \"las-1\"\nstart = 2025-10-20\ncapacity = 1\n" +
			"\n[[courses.form.fields]]\nkey = \"nik\"\nkind = \"nik\"\nlabel = \"NIK\"\n"
		c := mustLoadConfig(t, writeConfig(t, body), noEnv)
		co := c.course()
		if co.MaxBatchesPerPerson != 1 || co.Batches[0].Eligibility.MinAge != 17 {
			t.Errorf("[[courses]]: max %d, eligibility %+v", co.MaxBatchesPerPerson, co.Batches[0].Eligibility)
		}
		if f := nikFields(c.catalog()); f["las-1"] != "nik" {
			t.Errorf("nikFields = %v", f)
		}
	})
	t.Run("bad", func(t *testing.T) {
		withNIK := func(course, batch string) string {
			return "[course]\n" + course + "\n[[course.batches]]\nid = \"a\"\nstart = 2025-10-20\ncapacity = 1\n" + batch +
				"\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n" + intakeForm
		}
		tests := []struct{ name, body, want string }{
			{"max zero", withNIK("max_batches_per_person = 0", ""), "config.toml:2: course.max_batches_per_person 0: must be at least 1"},
			{"min age", withNIK("min_age = -1", ""), "config.toml:2: course.min_age -1: must be between 0"},
			{"max age", withNIK("max_age = 130", ""), "config.toml:2: course.max_age 130: must be between 0"},
			{"min above max", withNIK("min_age = 40\nmax_age = 30", ""), "config.toml:3: course.max_age 30: is below min_age (40)"},
			{"batch min above max", withNIK("max_age = 30", "min_age = 40\n"), "course.batches[0].max_age 30: is below min_age (40)"},
			{"region", withNIK("nik_regions = [\"3509\", \"35x\"]", ""), `config.toml:2: course.nik_regions[1] "35x": want a region code of 4 digits`},
			{"region zero", withNIK("", "nik_regions = [\"3500\"]\n"), `config.toml:7: course.batches[0].nik_regions[0] "3500": no region code has "00"`},
			{"months", withNIK("exclude_months = 200", ""), "config.toml:2: course.exclude_months 200: must be between 0 (off) and 120"},
			{"months past retention", withNIK("retention_days = 90\nexclude_months = 12", ""), "course.exclude_months 12: looks back further than retention_days (90)"},
			{"age without a date", minimal("capacity = 1\nmin_age = 18\n", ""), "course.batches[0].min_age: needs the person's age"},
			{"regions without a nik", minimal("capacity = 1\nnik_regions = [\"3509\"]\n", ""), "course.batches[0].nik_regions: needs the NIK"},
			{"months without a nik", "[course]\nexclude_months = 3\n" + minimal("capacity = 1\n", ""), "course.exclude_months: needs the NIK"},
			{"optional nik", "[course]\nnik_regions = [\"3509\"]\n" + minimal("capacity = 1\n", "\n[[form.fields]]\nkey = \"nik\"\nkind = \"nik\"\nlabel = \"NIK\"\noptional = true\n"),
				"course.nik_regions: needs the NIK"},
			{"unknown key", withNIK("min_umur = 3", ""), "course.min_umur: unknown key"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := loadConfig(writeConfig(t, tt.body), noEnv)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %v\nwant %q", err, tt.want)
				}
			})
		}
	})
}

// Ensure that daftar check prints a batch's eligibility, and nothing for a
// batch that takes everyone.
func TestEligibilityLine(t *testing.T) {
	if got := eligibilityLine(store.Eligibility{}); got != "" {
		t.Errorf("everyone: %q", got)
	}
	got := eligibilityLine(store.Eligibility{MinAge: 18, MaxAge: 45, Regions: []string{"3509", "351001"}, ExcludeMonths: 12})
	if want := "  takes: age 18–45; NIK regions 3509, 351001; not attended in the last 12 months\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := eligibilityLine(store.Eligibility{MaxAge: 30}); got != "  takes: age at most 30\n" {
		t.Errorf("max only: %q", got)
	}
}
