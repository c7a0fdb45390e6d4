package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestRunCheck(t *testing.T) {
	// Ensure that a good config prints the course, every batch with its
	// reminder timeline, the form and whether a token is set, but not the
	// token itself.
	t.Run("good", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		env := envOf(map[string]string{"TELEGRAM_BOT_TOKEN": "123:SECRET"})
		if err := runCheck([]string{"-config", "testdata/config-one-course.toml"}, env, &stdout, &stderr); err != nil {
			t.Fatalf("runCheck: %v\nstderr:\n%s", err, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{
			"Pelatihan Menjahit — Diskopum Kabupaten Jember & UPT BLK Jember",
			"time zone:   Asia/Jakarta",
			"batch angkatan-1 (Angkatan 1): Mon 2025-10-20 – Sun 2025-10-26, 7 days, 08:00–15:00, 16 seats, closed",
			"  2025-10-19 19:00 WIB  evening  day 1/7\n",
			"  2025-10-20 06:00 WIB  morning  day 1/7\n",
			"  2025-10-25 19:00 WIB  evening  day 7/7\n",
			"  2025-10-26 06:00 WIB  morning  day 7/7\n",
			"batch angkatan-2 (Angkatan 2): Mon 2027-02-01 – Sun 2027-02-07, 7 days, 08:00–15:00, 16 seats, open",
			"  2027-01-31 19:00 WIB  evening  day 1/7\n",
			"form: 6 fields",
			"  experience           choice",
			"admins: 1",
			"store:  testdata/daftar.db", // relative to the config file
			"token:  yes, from TELEGRAM_BOT_TOKEN",
			"updates: long polling\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output does not contain %q:\n%s", want, out)
			}
		}
		if n := strings.Count(out, " day "); n != 28 {
			t.Errorf("%d reminder lines, want 28:\n%s", n, out)
		}
		if strings.Contains(out, "SECRET") {
			t.Errorf("output shows the token:\n%s", out)
		}
		if stderr.Len() != 0 {
			t.Errorf("stderr: %s", stderr.String())
		}
	})

	// Ensure that without a token check still succeeds and says so.
	t.Run("no token", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if err := runCheck([]string{"-config", "testdata/config-one-course.toml"}, noEnv, &stdout, &stderr); err != nil {
			t.Fatalf("runCheck: %v", err)
		}
		if !strings.Contains(stdout.String(), "token:  no") {
			t.Errorf("output:\n%s", stdout.String())
		}
	})

	// Ensure that a bad config gives exit status 1 and every problem on
	// stderr, one per line, and nothing on stdout.
	t.Run("bad", func(t *testing.T) {
		path := writeConfig(t, minimal("capacity = 0\ndays = 0\n", "[course]\nlanguage = \"fr\"\n"))
		var stdout, stderr bytes.Buffer
		err := runCheck([]string{"-config", path}, noEnv, &stdout, &stderr)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 1 {
			t.Fatalf("err = %#v, want an exitError with code 1", err)
		}
		for _, want := range []string{
			path + ":4: course.batches[0].capacity 0: must be at least 1\n",
			path + ":5: course.batches[0].days 0: must be at least 1\n",
			path + `:11: course.language "fr": must be "id" or "en"` + "\n",
		} {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr does not contain %q:\n%s", want, stderr.String())
			}
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout: %s", stdout.String())
		}
	})

	// Ensure that bad flags and a missing file are errors, and -h is not.
	t.Run("usage", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		var ee *exitError
		if err := runCheck([]string{"-nope"}, noEnv, &stdout, &stderr); !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("bad flag: %v", err)
		}
		if err := runCheck([]string{"extra"}, noEnv, &stdout, &stderr); !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("extra argument: %v", err)
		}
		if err := runCheck([]string{"-h"}, noEnv, &stdout, &stderr); err != nil {
			t.Errorf("-h: %v", err)
		}
		stderr.Reset()
		err := runCheck([]string{"-config", "testdata/config/nope.toml"}, noEnv, &stdout, &stderr)
		if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(stderr.String(), "nope.toml") {
			t.Errorf("missing file: %v, stderr %q", err, stderr.String())
		}
	})
}

// Ensure that check warns, without failing, about a morning reminder after
// the session starts, the example's placeholder organiser id and a
// question without a label in a language the bot speaks; and says nothing
// of the kind about a config without them.
func TestCheckWarnings(t *testing.T) {
	t.Run("all three", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\ndaily_start = \"08:00\"\n",
			"[telegram]\nadmins = [123456789]\n[reminders]\nmorning_of = \"30 8 * * *\"\n")), noEnv)
		ws, err := checkWarnings(c)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(ws, "\n")
		for _, want := range []string{
			"reminders.morning_of (30 8 * * *) does not fire between midnight and 08:00, when the sessions of batch a start (first on day 1)",
			"telegram.admins holds 123456789, the example's placeholder",
			`form field "name" has no label in "en"`,
		} {
			if !strings.Contains(all, want) {
				t.Errorf("warnings lack %q:\n%s", want, all)
			}
		}
		if len(ws) != 3 {
			t.Errorf("%d warnings, want 3:\n%s", len(ws), all)
		}
	})
	// A form field keyed like a column appended after the form's
	// (telegram since issue 13.6) still validates, for a form people
	// answered keeps its keys, and is warned of.
	t.Run("key of an appended column", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, minimal("capacity = 1\n",
			"label_en = \"Name\"\n[[form.fields]]\nkey = \"telegram\"\nlabel = \"Akun Telegram\"\nlabel_en = \"Telegram account\"\n[telegram]\nadmins = [42]\n")), noEnv)
		ws, err := checkWarnings(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 1 || !strings.Contains(ws[0], `form field "telegram" has the key of an export column appended after the form's: the export has two columns "telegram"`) {
			t.Errorf("warnings %q, want one of the key telegram", ws)
		}
	})
	t.Run("none", func(t *testing.T) {
		c := mustLoadConfig(t, writeConfig(t, "[[course.batches]]\nid = \"a\"\nstart = 2025-10-20\ncapacity = 1\n"+
			"\n[[form.fields]]\nkey = \"name\"\nlabel = \"Nama\"\nlabel_en = \"Name\"\n[telegram]\nadmins = [42]\n"), noEnv)
		ws, err := checkWarnings(c)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 0 {
			t.Errorf("warnings for a config without problems: %q", ws)
		}
	})
}
