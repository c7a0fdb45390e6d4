package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// noEnv is a getenv for an empty environment.
func noEnv(string) string { return "" }

// envOf returns a getenv reading m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeConfig writes body as config.toml in a new temporary directory and
// returns its path.
func writeConfig(tb testing.TB, body string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// minimal returns the smallest valid config with batch lines added to its
// only batch (they start at line 4) and rest after its only field (from
// line 9 when batch is one line).
func minimal(batch, rest string) string {
	return "[[course.batches]]\nid = \"a\"\nstart = 2025-10-20\n" + batch +
		"\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\n" + rest
}

// mustLoadConfig loads the config at path with getenv or fails the test.
func mustLoadConfig(tb testing.TB, path string, getenv func(string) string) *Config {
	tb.Helper()
	c, err := loadConfig(path, getenv)
	if err != nil {
		tb.Fatalf("loadConfig: %v", err)
	}
	return c
}

func TestLoadConfig(t *testing.T) {
	// Ensure that the one-course example of the previous release loads and
	// converts to the Jember course.
	t.Run("example", func(t *testing.T) {
		c := mustLoadConfig(t, "testdata/config-one-course.toml", noEnv)
		co := c.course()
		if co.Title != "Pelatihan Menjahit" || co.Organiser != "Diskopum Kabupaten Jember & UPT BLK Jember" ||
			co.Venue != "Ruang Garment Apparel, UPT BLK Jember" || co.Language != "id" || co.CertificateMinDays != 6 {
			t.Errorf("course = %+v", co)
		}
		if co.Location.String() != "Asia/Jakarta" {
			t.Errorf("location = %v", co.Location)
		}
		if len(co.Batches) != 2 {
			t.Fatalf("batches = %+v", co.Batches)
		}
		b := co.Batches[0]
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		if want := time.Date(2025, 10, 20, 0, 0, 0, 0, jakarta); !b.Start.Equal(want) || b.Start.Location().String() != "Asia/Jakarta" {
			t.Errorf("start = %v, want %v", b.Start, want)
		}
		if got := b.Start.UTC().Format(time.RFC3339); got != "2025-10-19T17:00:00Z" {
			t.Errorf("start in UTC = %s", got)
		}
		if b.ID != "angkatan-1" || b.Name != "Angkatan 1" || b.Days != 7 || b.Capacity != 16 || b.Open ||
			b.DailyStart != "08:00" || b.DailyEnd != "15:00" {
			t.Errorf("batch 1 = %+v", b)
		}
		if got := b.SessionStart(7).Format("2006-01-02 15:04 MST"); got != "2025-10-26 08:00 WIB" {
			t.Errorf("last session starts %s", got)
		}
		if b := co.Batches[1]; b.ID != "angkatan-2" || !b.Open || b.Start.Format(time.DateOnly) != "2027-02-01" {
			t.Errorf("batch 2 = %+v", b)
		}
		var keys []string
		for _, f := range co.Fields {
			keys = append(keys, f.Key+":"+string(f.Kind))
		}
		if got := strings.Join(keys, " "); got != "name:text phone:phone nik:nik birth_date:date address:text experience:choice" {
			t.Errorf("fields = %s", got)
		}
		if f := co.Fields[0]; f.Min != 3 || f.Max != 80 || f.Labels["en"] != "Full name (as on your ID card)" {
			t.Errorf("name field = %+v", f)
		}
		if f := co.Fields[4]; f.Min != 1 || f.Max != 200 {
			t.Errorf("address field has bounds %d..%d, want the defaults 1..200", f.Min, f.Max)
		}
		if f := co.Fields[5]; f.Option("en", 2) != "Can already sew" || f.Option("id", 0) != "Belum pernah" {
			t.Errorf("experience field = %+v", f)
		}
		if len(c.Telegram.Admins) != 1 || c.Telegram.Admins[0] != 123456789 || c.Telegram.SendRate != 28 {
			t.Errorf("telegram = %+v", c.Telegram)
		}
		if c.Store.Path != filepath.Join("testdata", "daftar.db") { // relative to the config file
			t.Errorf("store.path = %q", c.Store.Path)
		}
		if c.token() != "" {
			t.Errorf("token set without TELEGRAM_BOT_TOKEN")
		}
	})

	// Ensure that keys left out get their documented defaults.
	t.Run("defaults", func(t *testing.T) {
		path := writeConfig(t, minimal("capacity = 10\n", ""))
		c := mustLoadConfig(t, path, noEnv)
		if c.Telegram.APIURL != "https://api.telegram.org" || c.Telegram.SendRate != 28 || len(c.Telegram.Admins) != 0 || c.Telegram.TokenFile != "" {
			t.Errorf("telegram = %+v", c.Telegram)
		}
		if want := filepath.Join(filepath.Dir(path), "daftar.db"); c.Store.Path != want {
			t.Errorf("store.path = %q, want %q", c.Store.Path, want)
		}
		if c.Store.BackupDir != "" || c.Store.BackupKeep != 7 {
			t.Errorf("store = %+v", c.Store)
		}
		co := c.Course
		if co.Title != "Pelatihan Menjahit" || co.Organiser != "Diskopum Kabupaten Jember & UPT BLK Jember" ||
			co.Venue != "Ruang Garment Apparel, UPT BLK Jember" || co.Timezone != "Asia/Jakarta" || co.Language != "id" ||
			co.Bring != "Alat tulis, KTP" || co.ClaimHours != 24 || co.RetentionDays != 365 {
			t.Errorf("course = %+v", co)
		}
		// The default of 6 days is capped by the one-day batch.
		if co.CertificateMinDays != 1 {
			t.Errorf("certificate_min_days = %d, want 1", co.CertificateMinDays)
		}
		if c.Reminders.EveningBefore != "0 19 * * *" || c.Reminders.MorningOf != "0 6 * * *" {
			t.Errorf("reminders = %+v", c.Reminders)
		}
		if b := co.Batches[0]; b.Name != "a" || b.Days != 1 || b.DailyStart != "08:00" || b.DailyEnd != "15:00" || !b.Open {
			t.Errorf("batch = %+v", b)
		}
		if f := c.Form.Fields[0]; f.Kind != "text" || f.Min != 1 || f.Max != 200 || f.Optional || f.LabelEN != "" {
			t.Errorf("field = %+v", f)
		}
		if got := c.course().Batches[0].Start.Format(time.RFC3339); got != "2025-10-20T00:00:00+07:00" {
			t.Errorf("start = %s", got)
		}
	})

	// Ensure that relative paths are resolved against the config file's
	// directory and absolute ones kept.
	t.Run("paths", func(t *testing.T) {
		abs := filepath.Join(t.TempDir(), "backups")
		path := writeConfig(t, fmt.Sprintf("[store]\npath = \"data/d.db\"\nbackup_dir = %q\n", abs)+minimal("capacity = 1\n", ""))
		c := mustLoadConfig(t, path, noEnv)
		if want := filepath.Join(filepath.Dir(path), "data", "d.db"); c.Store.Path != want {
			t.Errorf("store.path = %q, want %q", c.Store.Path, want)
		}
		if c.Store.BackupDir != abs {
			t.Errorf("store.backup_dir = %q, want %q", c.Store.BackupDir, abs)
		}
	})

	// Ensure that each bad value is reported naming its key and, where the
	// file has one, its line.
	t.Run("bad", func(t *testing.T) {
		tests := []struct {
			name  string
			body  string
			wants []string
		}{
			{"syntax", "[telegram\n", []string{"config.toml:1:10: expected character ]"}},
			{"unknown key", minimal("capacity = 1\ncolour = \"red\"\n", ""), []string{"config.toml:5: course.batches[0].colour: unknown key"}},
			{"unknown table", minimal("capacity = 1\n", "[telegramm]\nadmins = [1]\n"), []string{"config.toml:9: telegramm: unknown key"}},
			{"wrong type", minimal("capacity = \"16\"\n", ""), []string{"config.toml:4:12: course.batches[0].capacity: want a whole number, not a TOML string"}},
			{"duplicate key", minimal("capacity = 1\ncapacity = 2\n", ""), []string{"config.toml:5: course.batches[0].capacity: defined twice"}},
			{"token is no key", minimal("capacity = 1\n", "[telegram]\ntoken = \"123:abc\"\n"), []string{"config.toml:10: telegram.token: unknown key"}},
			{"quoted date", "[[course.batches]]\nid = \"a\"\nstart = \"2025-10-20\"\ncapacity = 1\n[[form.fields]]\nkey = \"k\"\nlabel = \"l\"\n",
				[]string{`config.toml:3: course.batches[0].start "2025-10-20": write the date without quotes`}},
			{"date time", "[[course.batches]]\nid = \"a\"\nstart = 2025-10-20T08:00:00\ncapacity = 1\n[[form.fields]]\nkey = \"k\"\nlabel = \"l\"\n",
				[]string{"config.toml:3: course.batches[0].start 2025-10-20T08:00:00: want a date without a time"}},
			{"impossible date", "[[course.batches]]\nid = \"a\"\nstart = 2025-02-30\n", []string{"config.toml:3:", "impossible date"}},
			{"missing start", "[[course.batches]]\nid = \"a\"\ncapacity = 1\n[[form.fields]]\nkey = \"k\"\nlabel = \"l\"\n",
				[]string{"config.toml:1: course.batches[0].start: missing"}},
			{"bad clock", minimal("capacity = 1\ndaily_start = \"8:00\"\n", ""), []string{`config.toml:5: course.batches[0].daily_start "8:00": want a time of day as "HH:MM"`}},
			{"end before start", minimal("capacity = 1\ndaily_start = \"15:00\"\ndaily_end = \"08:00\"\n", ""),
				[]string{`config.toml:6: course.batches[0].daily_end "08:00": must be after daily_start "15:00"`}},
			{"bad time zone", minimal("capacity = 1\n", "[course]\ntimezone = \"Asia/Jember\"\n"), []string{`config.toml:10: course.timezone "Asia/Jember": unknown time zone`}},
			{"local time zone", minimal("capacity = 1\n", "[course]\ntimezone = \"Local\"\n"), []string{`course.timezone "Local"`}},
			{"batch id", minimal("capacity = 1\n", "[[course.batches]]\nid = \"Angkatan 2\"\nstart = 2026-01-05\ncapacity = 1\n"),
				[]string{`config.toml:10: course.batches[1].id "Angkatan 2": use lowercase letters, digits and "-"`}},
			{"duplicate batch id", minimal("capacity = 1\n", "[[course.batches]]\nid = \"a\"\nstart = 2026-01-05\ncapacity = 1\n"),
				[]string{`config.toml:10: course.batches[1].id "a": already used by course.batches[0]`}},
			{"missing batch id", "[[course.batches]]\nstart = 2025-10-20\ncapacity = 1\n[[form.fields]]\nkey = \"k\"\nlabel = \"l\"\n",
				[]string{"config.toml:1: course.batches[0].id: missing"}},
			{"no batches", "[[form.fields]]\nkey = \"k\"\nlabel = \"l\"\n", []string{"config.toml: course.batches: no batches"}},
			{"missing capacity", minimal("", ""), []string{"config.toml:1: course.batches[0].capacity: missing"}},
			{"zero capacity", minimal("capacity = 0\n", ""), []string{"config.toml:4: course.batches[0].capacity 0: must be at least 1"}},
			{"zero days", minimal("capacity = 1\ndays = 0\n", ""), []string{"config.toml:5: course.batches[0].days 0: must be at least 1"}},
			{"foreign on a text field", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"city\"\nlabel = \"l\"\nforeign = true\n"),
				[]string{"config.toml:12: form.fields[1].foreign: only phone fields take foreign numbers"}},
			{"field key", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"Birth-Date\"\nlabel = \"l\"\n"),
				[]string{`config.toml:10: form.fields[1].key "Birth-Date": use lowercase letters, digits and "_"`}},
			{"duplicate field key", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"name\"\nlabel = \"l\"\n"),
				[]string{`config.toml:10: form.fields[1].key "name": already used by form.fields[0]`}},
			{"reserved field key", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"status\"\nlabel = \"l\"\n"),
				[]string{`form.fields[1].key "status": reserved`}},
			{"unknown kind", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nkind = \"email\"\nlabel = \"l\"\n"),
				[]string{`config.toml:11: form.fields[1].kind "email": unknown kind`}},
			{"missing label", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\n"), []string{"config.toml:9: form.fields[1].label: missing"}},
			{"choice without options", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nkind = \"choice\"\nlabel = \"l\"\n"),
				[]string{"config.toml:9: form.fields[1].options: a choice needs options"}},
			{"options_en length", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nkind = \"choice\"\nlabel = \"l\"\noptions = [\"Ya\", \"Tidak\"]\noptions_en = [\"Yes\"]\n"),
				[]string{"config.toml:14: form.fields[1].options_en: has 1 options, options has 2"}},
			{"empty option", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nkind = \"choice\"\nlabel = \"l\"\noptions = [\"Ya\", \"\"]\n"),
				[]string{"config.toml:13: form.fields[1].options[1]: must not be empty"}},
			{"options on text", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nlabel = \"l\"\noptions = [\"Ya\"]\n"),
				[]string{"config.toml:12: form.fields[1].options: only choice fields have options"}},
			{"text max above the cap", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nlabel = \"l\"\nmax = 5000\n"),
				[]string{"config.toml:12: form.fields[1].max 5000: must be at most 1000"}},
			{"min above max", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nlabel = \"l\"\nmin = 10\nmax = 5\n"),
				[]string{"config.toml:12: form.fields[1].min 10: more than max (5)"}},
			{"number min above max", minimal("capacity = 1\n", "[[form.fields]]\nkey = \"x\"\nkind = \"number\"\nlabel = \"l\"\nmin = 10\nmax = 5\n"),
				[]string{"config.toml:13: form.fields[1].min 10: more than max (5)"}},
			{"empty form", "[[course.batches]]\nid = \"a\"\nstart = 2025-10-20\ncapacity = 1\n", []string{"config.toml: form.fields: empty form"}},
			{"language", minimal("capacity = 1\n", "[course]\nlanguage = \"jv\"\n"), []string{`config.toml:10: course.language "jv": must be "id" or "en"`}},
			{"send rate", minimal("capacity = 1\n", "[telegram]\nsend_rate = 31\n"), []string{"config.toml:10: telegram.send_rate 31: must be between 1 and 30"}},
			{"send rate zero", minimal("capacity = 1\n", "[telegram]\nsend_rate = 0\n"), []string{"config.toml:10: telegram.send_rate 0: must be between 1 and 30"}},
			{"admin", minimal("capacity = 1\n", "[telegram]\nadmins = [\n  1,\n  -5,\n]\n"), []string{"config.toml:12: telegram.admins[1] -5: not a Telegram user id"}},
			{"api url", minimal("capacity = 1\n", "[telegram]\napi_url = \"api.telegram.org\"\n"), []string{`config.toml:10: telegram.api_url "api.telegram.org": want an http or https URL`}},
			{"certificate", minimal("capacity = 1\ndays = 3\n", "[course]\ncertificate_min_days = 4\n"),
				[]string{"config.toml:11: course.certificate_min_days 4: more than the days of the longest batch (3)"}},
			{"negative claim hours", minimal("capacity = 1\n", "[course]\nclaim_hours = -1\n"), []string{"config.toml:10: course.claim_hours -1: must not be negative"}},
			{"negative retention", minimal("capacity = 1\n", "[course]\nretention_days = -1\n"), []string{"config.toml:10: course.retention_days -1: must not be negative"}},
			{"backup keep", minimal("capacity = 1\n", "[store]\nbackup_keep = 0\n"), []string{"config.toml:10: store.backup_keep 0: must be at least 1"}},
			{"empty store path", minimal("capacity = 1\n", "[store]\npath = \"\"\n"), []string{"config.toml:10: store.path: must not be empty"}},
			{"evening cron", minimal("capacity = 1\n", "[reminders]\nevening_before = \"0 25 * * *\"\n"), []string{`config.toml:10: reminders.evening_before "0 25 * * *": `, "above maximum"}},
			{"morning cron", minimal("capacity = 1\n", "[reminders]\nmorning_of = \"0 6 * *\"\n"), []string{`config.toml:10: reminders.morning_of "0 6 * *": `, "fields"}},
			{"token file missing", minimal("capacity = 1\n", "[telegram]\ntoken_file = \"nope.txt\"\n"), []string{"config.toml:10: telegram.token_file: ", "nope.txt"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := loadConfig(writeConfig(t, tt.body), noEnv)
				if err == nil {
					t.Fatal("loadConfig succeeded")
				}
				var ce *configError
				if !errors.As(err, &ce) {
					t.Fatalf("error %T is not a *configError: %v", err, err)
				}
				for _, want := range tt.wants {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error\n%v\ndoes not mention %q", err, want)
					}
				}
			})
		}
	})

	// Ensure that a file that does not exist is an error naming it.
	t.Run("missing file", func(t *testing.T) {
		_, err := loadConfig(filepath.Join(t.TempDir(), "nope.toml"), noEnv)
		if err == nil || !strings.Contains(err.Error(), "nope.toml") {
			t.Fatalf("err = %v", err)
		}
	})

	// Ensure that every problem is reported at once, one per line, in file
	// order.
	t.Run("all at once", func(t *testing.T) {
		body := `[telegram]
send_rate = 100
colour = "red"

[course]
language = "fr"
timezone = "Mars/Olympus"

[[course.batches]]
id = "Angkatan 1"
start = 2025-10-20
capacity = 0
daily_end = "7:00"

[[course.batches]]
id = "b"
start = "2026-01-05"
days = -1
capacity = 5

[reminders]
morning_of = "every morning"

[[form.fields]]
key = "x"
kind = "choice"
label = "l"
`
		_, err := loadConfig(writeConfig(t, body), noEnv)
		if err == nil {
			t.Fatal("loadConfig succeeded")
		}
		want := []string{
			"config.toml:2: telegram.send_rate 100:",
			"config.toml:3: telegram.colour: unknown key",
			`config.toml:6: course.language "fr":`,
			`config.toml:7: course.timezone "Mars/Olympus":`,
			`config.toml:10: course.batches[0].id "Angkatan 1":`,
			"config.toml:12: course.batches[0].capacity 0:",
			`config.toml:13: course.batches[0].daily_end "7:00":`,
			`config.toml:17: course.batches[1].start "2026-01-05":`,
			"config.toml:18: course.batches[1].days -1:",
			`config.toml:22: reminders.morning_of "every morning":`,
			"config.toml:24: form.fields[0].options: a choice needs options",
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(want) {
			t.Fatalf("got %d problems, want %d:\n%v", len(lines), len(want), err)
		}
		for i, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d = %q, want it to contain %q", i+1, lines[i], w)
			}
		}
	})

	// Ensure that TELEGRAM_BOT_TOKEN wins over token_file, that token_file
	// is read relative to the config and trimmed, and that DAFTAR_API_URL
	// overrides api_url.
	t.Run("env", func(t *testing.T) {
		path := writeConfig(t, minimal("capacity = 1\n", "[telegram]\ntoken_file = \"token.txt\"\napi_url = \"http://localhost:8081/\"\n"))
		if err := os.WriteFile(filepath.Join(filepath.Dir(path), "token.txt"), []byte("111:from-file\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		c := mustLoadConfig(t, path, noEnv)
		if tok, err := c.requireToken(); err != nil || tok != "111:from-file" {
			t.Errorf("token from file = %q, %v", tok, err)
		}
		if c.Telegram.APIURL != "http://localhost:8081" {
			t.Errorf("api_url = %q", c.Telegram.APIURL)
		}
		c = mustLoadConfig(t, path, envOf(map[string]string{
			"TELEGRAM_BOT_TOKEN": "222:from-env",
			"DAFTAR_API_URL":     "http://127.0.0.1:9999",
		}))
		if c.token() != "222:from-env" {
			t.Errorf("token = %q, want the one from TELEGRAM_BOT_TOKEN", c.token())
		}
		if c.Telegram.APIURL != "http://127.0.0.1:9999" {
			t.Errorf("api_url = %q, want DAFTAR_API_URL", c.Telegram.APIURL)
		}
		_, err := loadConfig(path, envOf(map[string]string{"DAFTAR_API_URL": "nope"}))
		if err == nil || !strings.Contains(err.Error(), `DAFTAR_API_URL "nope"`) {
			t.Errorf("bad DAFTAR_API_URL: %v", err)
		}
	})

	// Ensure that no token is not a load error, only requireToken's.
	t.Run("no token", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), noEnv)
		_, err := c.requireToken()
		if err == nil || err.Error() != "no bot token: set TELEGRAM_BOT_TOKEN or telegram.token_file" {
			t.Errorf("requireToken = %v", err)
		}
	})

	// Ensure that printing or logging a Config never shows the token.
	t.Run("token hidden", func(t *testing.T) {
		const secret = "123456:SECRET-token"
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), envOf(map[string]string{"TELEGRAM_BOT_TOKEN": secret}))
		for _, s := range []string{
			fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
			fmt.Sprintf("%v", *c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c),
			fmt.Sprint(c.bot), fmt.Sprintf("%s %q %x", c.bot, c.bot, c.bot),
		} {
			if strings.Contains(s, "SECRET") || strings.Contains(s, fmt.Sprintf("%x", secret)) {
				t.Errorf("token printed: %s", s)
			}
		}
	})
}

// Ensure that the domain conversion keeps fields the bot relies on.
func TestConfig_course(t *testing.T) {
	c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 3\ndays = 2\nopen = false\nname = \"Kelas A\"\n",
		"[[form.fields]]\nkey = \"choice\"\nkind = \"choice\"\nlabel = \"Pilih\"\noptions = [\"Ya\", \"Tidak\"]\noptional = true\n")), noEnv)
	co := c.course()
	b, ok := co.Batch("a")
	if !ok || b.Name != "Kelas A" || b.Days != 2 || b.Capacity != 3 || b.Open {
		t.Fatalf("batch = %+v, %v", b, ok)
	}
	if i := co.FieldIndex("choice"); i != 1 || co.Fields[i].Kind != store.KindChoice || !co.Fields[i].Optional || co.Fields[i].Option("en", 1) != "Tidak" {
		t.Fatalf("fields = %+v", co.Fields)
	}
	// foreign = true reaches the phone field; without it, a phone field
	// takes Indonesian numbers only.
	phones := mustLoadConfig(t, writeConfig(t, minimal("capacity = 3\n",
		"[[form.fields]]\nkey = \"hp\"\nkind = \"phone\"\nlabel = \"HP\"\nforeign = true\n[[form.fields]]\nkey = \"hp2\"\nkind = \"phone\"\nlabel = \"HP 2\"\n")), noEnv)
	if fs := phones.course().Fields; !fs[1].Foreign || fs[2].Foreign {
		t.Fatalf("foreign = %v, %v; want true, false", fs[1].Foreign, fs[2].Foreign)
	}
	// The conversion copies slices: the bot cannot change the config.
	co.Fields[1].Options[0] = "changed"
	if c.Form.Fields[1].Options[0] != "Ya" {
		t.Fatal("course shares options with the config")
	}
}

// Ensure that a field's question and options can be given in any language
// the bot speaks, label_en and options_en being labels.en and
// option_labels.en, and that a translation the bot cannot use is reported.
func TestLoadConfig_Labels(t *testing.T) {
	t.Run("by code", func(t *testing.T) {
		path := writeConfig(t, minimal("capacity = 1\n", "labels = { en = \"Full name\" }\n[[form.fields]]\nkey = \"x\"\nkind = \"choice\"\nlabel = \"Pilih\"\n"+
			"label_en = \"Choose\"\noptions = [\"Ya\", \"Tidak\"]\noption_labels.en = [\"Yes\", \"No\"]\n"))
		co := mustLoadConfig(t, path, noEnv).course()
		if q := co.Fields[0].Question("en"); q != "Full name" {
			t.Errorf("name in English = %q", q)
		}
		if f := co.Fields[1]; f.Question("en") != "Choose" || f.Question("id") != "Pilih" || f.Option("en", 1) != "No" || f.Option("id", 1) != "Tidak" {
			t.Errorf("choice field = %+v", f)
		}
	})
	tests := []struct {
		name, rest, want string
	}{
		{"unknown language", "labels = { xx = \"?\" }\n", `config.toml:9: form.fields[0].labels.xx "xx": not a language the bot speaks; want "id" or "en"`},
		{"both label_en and labels.en", "label_en = \"Name\"\nlabels.en = \"Full name\"\n", "config.toml:10: form.fields[0].labels.en: label_en says it already"},
		{"empty label", "labels.en = \" \"\n", "config.toml:9: form.fields[0].labels.en: must not be empty"},
		{"option labels length", "[[form.fields]]\nkey = \"x\"\nkind = \"choice\"\nlabel = \"l\"\noptions = [\"Ya\", \"Tidak\"]\noption_labels = { en = [\"Yes\"] }\n",
			"config.toml:14: form.fields[1].option_labels.en: has 1 options, options has 2"},
		{"option labels on text", "option_labels.en = [\"Yes\"]\n", "config.toml:9: form.fields[0].option_labels.en: only choice fields have options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(writeConfig(t, minimal("capacity = 1\n", tt.rest)), noEnv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// Ensure that purpose, shared_with and contact reach the course, trimmed,
// and that a text too long for the messages it goes into is refused.
func TestLoadConfig_Texts(t *testing.T) {
	c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "[course]\npurpose = \" pendataan \"\nshared_with = \"Kemnaker\"\ncontact = \"WA 0812\"\n")), noEnv)
	co := c.course()
	if co.Purpose != "pendataan" || co.SharedWith != "Kemnaker" || co.Contact != "WA 0812" {
		t.Errorf("purpose %q, shared_with %q, contact %q", co.Purpose, co.SharedWith, co.Contact)
	}
	long := strings.Repeat("x", 501)
	_, err := loadConfig(writeConfig(t, minimal("capacity = 1\n", "[course]\ncontact = \""+long+"\"\n")), noEnv)
	if err == nil || !strings.Contains(err.Error(), "config.toml:10: course.contact: 501 characters: at most 500") {
		t.Errorf("a contact of 501 characters: %v", err)
	}
}

// Ensure that batch_word reaches the course, trimmed (a [[courses]]
// entry is the same CourseConfig), that its absence leaves the language's
// own word (""), and that a word which would break the HTML of the texts
// is refused.
func TestLoadConfig_BatchWord(t *testing.T) {
	c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "[course]\nbatch_word = \" Gelombang \"\n")), noEnv)
	if got := c.course().BatchWord; got != "Gelombang" {
		t.Errorf("batch_word %q", got)
	}
	if got := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n", "")), noEnv).course().BatchWord; got != "" {
		t.Errorf("batch_word unset: %q", got)
	}
	for _, bad := range []string{"<b>Gelombang</b>", "A & B", strings.Repeat("x", 41)} {
		_, err := loadConfig(writeConfig(t, minimal("capacity = 1\n", "[course]\nbatch_word = \""+bad+"\"\n")), noEnv)
		if err == nil || !strings.Contains(err.Error(), "course.batch_word") {
			t.Errorf("batch_word %q: %v", bad, err)
		}
	}
}
