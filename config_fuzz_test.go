package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// FuzzLoadConfig feeds loadConfig arbitrary files: it never panics, and
// what it accepts is a course the bot can run: batches with ids, seats and
// days, a time zone, a form whose fields have keys (and options, for
// choices), a send rate Telegram allows. Run longer with
//
//	go test . -run '^$' -fuzz '^FuzzLoadConfig$' -fuzztime 10m
func FuzzLoadConfig(f *testing.F) {
	f.Add(exampleConfig)
	if one, err := os.ReadFile("testdata/config-one-course.toml"); err == nil {
		f.Add(one)
	}
	f.Add([]byte(""))
	f.Add([]byte("[[course.batches]]\nid = \"a\"\nstart = 2030-01-01\ncapacity = 1\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n"))
	f.Add([]byte("[[course.batches]]\nid = \"a\"\nstart = \"2030-01-01\"\ncapacity = 0\ndays = -1\n[[form.fields]]\nkey = \"x\"\nkind = \"choice\"\nlabel = \"?\"\noptions = [\"\", \"\"]\n"))
	f.Add([]byte("[course]\ntimezone = \"Local\"\nlanguage = \"fr\"\n[telegram]\nsend_rate = 31\nadmins = [-1]\napi_url = \"ftp://x\"\n"))
	f.Add([]byte("[[course.batches]]\nid = \"a\"\nstart = 2030-01-01T08:00:00\ncapacity = 9999999999999999999\n"))
	f.Add([]byte("[telegram]\ntoken_file = \"token\"\n[reminders]\nevening_before = \"61 25 * * *\"\nmorning_of = \"@every 1s\"\n"))
	f.Add([]byte("[[form.fields]]\nkey = \"seat\"\nkind = \"number\"\nlabel = \"x\"\nmin = 5\nmax = 1\n[[form.fields]]\nkey = \"seat\"\n"))
	f.Add([]byte("a = [\n[[x]]\n\"\\u0000\" = 1\n"))
	f.Add([]byte("[[course.batches]]\nid = \"a\"\nstart = 2030-01-06\ndays = 5\nskip_weekdays = [\"sunday\", \"sabtu\"]\nholidays = [2030-01-08]\ncapacity = 1\n[[course.batches]]\nid = \"b\"\ndates = [2030-02-01, 2030-02-03]\ncapacity = 1\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n"))
	f.Add([]byte("[course]\nmax_batches_per_person = 2\nmin_age = 18\nnik_regions = [\"35.09\"]\nexclude_months = 6\n[[course.batches]]\nid = \"a\"\nstart = 2030-01-01\ncapacity = 1\nmax_age = 40\nnik_regions = []\n[[form.fields]]\nkey = \"nik\"\nkind = \"nik\"\nlabel = \"NIK\"\n"))
	// The decoder panicked on these (pelletier/go-toml#839, #995).
	f.Add([]byte("[[form.fields.0]]"))
	f.Add([]byte("[[course.batches]]\n[[course.batches.x]]\n[[form.fields.key]]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		// A token_file naming a device would block or never end, as it
		// would for an operator: not what this target looks for.
		if bytes.Contains(data, []byte("/dev")) || bytes.Contains(data, []byte("/proc")) || bytes.Contains(data, []byte("/sys")) {
			t.Skip()
		}
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := loadConfig(path, mapEnv(nil))
		if err != nil {
			if c != nil {
				t.Errorf("loadConfig returned a config with the error %v", err)
			}
			if strings.TrimSpace(err.Error()) == "" {
				t.Error("an empty error")
			}
			return
		}
		course := c.course()
		if course.Location == nil {
			t.Error("accepted without a time zone")
		}
		if course.Language != "id" && course.Language != "en" {
			t.Errorf("accepted language %q", course.Language)
		}
		if c.Telegram.SendRate < 1 || c.Telegram.SendRate > 30 {
			t.Errorf("accepted send_rate %d", c.Telegram.SendRate)
		}
		if len(course.Batches) == 0 {
			t.Error("accepted without batches")
		}
		ids := map[string]bool{}
		for _, b := range course.Batches {
			if b.ID == "" || ids[b.ID] || strings.ContainsAny(b.ID, ": \n") {
				t.Errorf("accepted batch id %q (seen: %v)", b.ID, ids[b.ID])
			}
			ids[b.ID] = true
			if b.Capacity <= 0 || b.Days <= 0 || b.Start.IsZero() || b.Name == "" {
				t.Errorf("accepted batch %+v", b)
			}
			if b.Start.Location() != course.Location {
				t.Errorf("batch %s starts in %v, the course is in %v", b.ID, b.Start.Location(), course.Location)
			}
			el := b.Eligibility
			if el.MinAge < 0 || el.MaxAge < 0 || el.MinAge > 0 && el.MaxAge > 0 && el.MinAge > el.MaxAge || el.ExcludeMonths < 0 {
				t.Errorf("accepted eligibility %+v", el)
			}
			for _, r := range el.Regions {
				if d, err := store.ParseRegion(r); err != nil || d != r {
					t.Errorf("accepted region %q", r)
				}
			}
			if el.On() && course.Intake().NIKField == "" && course.Intake().BirthField == "" {
				t.Errorf("accepted eligibility %+v without a field to decide it", el)
			}
		}
		if course.MaxBatchesPerPerson < 1 {
			t.Errorf("accepted max_batches_per_person %d", course.MaxBatchesPerPerson)
		}
		if len(course.Fields) == 0 {
			t.Error("accepted an empty form")
		}
		keys := map[string]bool{}
		for _, fl := range course.Fields {
			if fl.Key == "" || keys[fl.Key] || strings.TrimSpace(fl.Label) == "" {
				t.Errorf("accepted field %+v", fl)
			}
			keys[fl.Key] = true
			if fl.Kind == store.KindChoice && len(fl.Options) == 0 {
				t.Errorf("accepted a choice without options: %+v", fl)
			}
		}
		if _, err := c.requireToken(); err == nil && c.token() == "" {
			t.Error("requireToken accepted an empty token")
		}
	})
}
