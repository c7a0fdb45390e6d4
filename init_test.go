package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// initAnswerLines answers every question of init, in order, taking the
// defaults where a line is empty.
var initAnswerLines = []string{
	`Pelatihan Las "Dasar" \ SMAW`, // title, with characters TOML must escape
	"UPT BLK Jember",               // organiser
	"Bengkel Las, UPT BLK Jember, Jember",
	"WhatsApp 0812-3456-7890 (Bu Rina)", // contact
	"WITA",                              // time zone
	"Gelombang 1",                       // batch name
	"",                                  // batch id: gelombang-1
	"Minggu",                            // no sessions on Sundays
	"01-03-2027",                        // start, a Monday
	"7",                                 // days: to Monday 8 March
	"7.30",                              // daily start
	"",                                  // daily end: 15:00
	"12",                                // capacity
	"",                                  // certificate: every day
	"Sepatu kerja",
	"",                  // language id
	"",                  // store path
	"111111, 222222222", // admins
	"3",                 // the general vocational form
	"Kemnaker (SIAPkerja)",
	"", // no token
}

// runInitWith runs `daftar init` with args and the given input lines in a
// new directory and returns the config path, stdout, stderr and the error.
func runInitWith(t *testing.T, env func(string) string, input string, args ...string) (string, string, string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"init", "-config", path}, args...), env, strings.NewReader(input), &stdout, &stderr)
	return path, stdout.String(), stderr.String(), err
}

// Ensure that init fed answers on stdin writes a config that check
// accepts, holding the answers.
func TestInit_WritesAConfigCheckAccepts(t *testing.T) {
	path, out, errOut, err := runInitWith(t, noEnv, strings.Join(initAnswerLines, "\n")+"\n")
	if err != nil {
		t.Fatalf("init: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	for _, want := range []string{"Nama pelatihan", "Zona waktu", "/id", "sudah ditulis", "batch gelombang-1 (Gelombang 1)", "form: 8 fields", "admins: 2", "TELEGRAM_BOT_TOKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("init's output lacks %q:\n%s", want, out)
		}
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"check", "-config", path}, noEnv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("check of init's config: %v\n%s", err, stderr.String())
	}
	c := mustLoadConfig(t, path, noEnv)
	co := c.course()
	if co.Title != initAnswerLines[0] || co.Organiser != "UPT BLK Jember" || co.Location.String() != "Asia/Makassar" ||
		co.Bring != "Sepatu kerja" || co.CertificateMinDays != 7 || co.Language != "id" ||
		co.Contact != "WhatsApp 0812-3456-7890 (Bu Rina)" || co.SharedWith != "Kemnaker (SIAPkerja)" {
		t.Errorf("course = %+v", co)
	}
	if len(co.Batches) != 1 {
		t.Fatalf("batches = %+v", co.Batches)
	}
	b := co.Batches[0]
	if b.ID != "gelombang-1" || b.Name != "Gelombang 1" || b.Start.Format("2006-01-02") != "2027-03-01" || b.Days != 7 ||
		b.End().Format("2006-01-02") != "2027-03-08" ||
		b.Capacity != 12 || b.DailyStart != "07:30" || b.DailyEnd != "15:00" || !b.Open {
		t.Errorf("batch = %+v", b)
	}
	if !reflect.DeepEqual(c.Telegram.Admins, []int64{111111, 222222222}) {
		t.Errorf("admins = %v", c.Telegram.Admins)
	}
	if len(co.Fields) != 8 || co.Fields[1].Key != "nik" {
		t.Errorf("fields = %+v", co.Fields)
	}
	if c.Store.Path != filepath.Join(filepath.Dir(path), "daftar.db") || c.Store.BackupDir != filepath.Join(filepath.Dir(path), "backups") {
		t.Errorf("store = %+v", c.Store)
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A person edits it: it explains itself.
	for _, want := range []string{"# ID Telegram panitia", "# Setiap angkatan: salin blok [[course.batches]]", "start = 2027-03-01 "} {
		if !strings.Contains(string(body), want) {
			t.Errorf("config lacks %q:\n%s", want, body)
		}
	}
}

// Ensure that a refused answer is explained, with the validator's reason,
// and the same question asked again, and that the refused value is not
// kept.
func TestInit_RefusedAnswerAskedAgain(t *testing.T) {
	lines := append([]string(nil), initAnswerLines...)
	// Insert wrong answers before the right ones.
	insert := func(at int, wrong ...string) {
		lines = append(lines[:at], append(wrong, lines[at:]...)...)
	}
	insert(12, "0", "banyak")                        // capacity: the validator's "at least 1", then not a number
	insert(11, "07:00")                              // daily end before the start
	insert(8, "31-02-2027", "kemarin", "07-03-2027") // no such date, no date, a Sunday
	insert(7, "libur")                               // not a day of the week
	insert(6, "Gelombang Satu!")                     // a batch id with capitals and "!"
	insert(0, "")                                    // no title
	path, out, errOut, err := runInitWith(t, noEnv, strings.Join(lines, "\n")+"\n")
	if err != nil {
		t.Fatalf("init: %v\n%s\n%s", err, out, errOut)
	}
	for _, want := range []string{
		"Nama pelatihan belum diisi",
		"Pakai huruf kecil, angka dan tanda -",
		`(course.batches[0].id "Gelombang Satu!": use lowercase letters`,
		"Tanggal itu tidak bisa dipakai",
		`(course.batches[0].skip_weekdays[0] "libur": unknown day of the week`,
		`(course.batches[0].start 2027-03-07: is a Sunday, which skip_weekdays skips`,
		"lebih lambat dari jam mulai",
		`(course.batches[0].daily_end "07:00": must be after daily_start "07:30")`,
		"(course.batches[0].capacity 0: must be at least 1)",
		"Tulis jumlah kursi sebagai angka",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Jumlah kursi:"); n != 3 {
		t.Errorf("the seats were asked %d times, want 3", n)
	}
	b := mustLoadConfig(t, path, noEnv).course().Batches[0]
	if b.Capacity != 12 || b.ID != "gelombang-1" || b.DailyEnd != "15:00" {
		t.Errorf("batch = %+v", b)
	}
}

// Ensure that input ending before the last answer stops init with a clear
// message and writes nothing, wherever it ends.
func TestInit_EOFWritesNothing(t *testing.T) {
	for n := range len(initAnswerLines) {
		input := strings.Join(initAnswerLines[:n], "\n")
		path, _, errOut, err := runInitWith(t, noEnv, input)
		if code := exitCode(err, &bytes.Buffer{}); code != 1 {
			t.Fatalf("%d answers: exit %d (%v), want 1", n, code, err)
		}
		if !strings.Contains(errOut, "tidak ada file yang ditulis") {
			t.Errorf("%d answers: stderr %q", n, errOut)
		}
		entries, err := os.ReadDir(filepath.Dir(path))
		if err != nil || len(entries) != 0 {
			t.Errorf("%d answers: the directory holds %v (%v)", n, entries, err)
		}
	}
}

// Ensure that init leaves an existing config alone, saying so before any
// question, unless -force.
func TestInit_ExistingConfig(t *testing.T) {
	path := writeConfig(t, "# mine\n")
	var stdout, stderr bytes.Buffer
	input := strings.Join(initAnswerLines, "\n") + "\n"
	err := run(context.Background(), []string{"init", "-config", path}, noEnv, strings.NewReader(input), &stdout, &stderr)
	if code := exitCode(err, &bytes.Buffer{}); code != 1 || !strings.Contains(stderr.String(), "sudah ada dan tidak ditimpa") || strings.Contains(stdout.String(), "Nama pelatihan") {
		t.Fatalf("exit %d (%v), stdout %q, stderr %q", code, err, stdout.String(), stderr.String())
	}
	if b, _ := os.ReadFile(path); string(b) != "# mine\n" {
		t.Errorf("the config was changed: %q", b)
	}
	stdout.Reset()
	err = run(context.Background(), []string{"init", "-config", path, "-force"}, noEnv, strings.NewReader(input), &stdout, &stderr)
	if err != nil {
		t.Fatalf("init -force: %v\n%s", err, stderr.String())
	}
	mustLoadConfig(t, path, noEnv)
}

// Ensure that -lang en asks in English, and that a token given is kept in
// a file of its own, mode 0600, which the config names and check finds.
func TestInit_EnglishWithToken(t *testing.T) {
	lines := append([]string(nil), initAnswerLines...)
	lines[len(lines)-1] = "not a token"
	lines = append(lines, "123456:AAH-abc_def")
	path, out, errOut, err := runInitWith(t, noEnv, strings.Join(lines, "\n")+"\n", "-lang", "en")
	if err != nil {
		t.Fatalf("init: %v\n%s\n%s", err, out, errOut)
	}
	for _, want := range []string{"Course title", "Time zone", "That is not a bot token", "written. The check", "token:  yes, from", "Next: run the bot"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "123456:AAH") {
		t.Error("the output shows the token")
	}
	tokenPath := filepath.Join(filepath.Dir(path), initTokenFile)
	b, err := os.ReadFile(tokenPath)
	if err != nil || string(b) != "123456:AAH-abc_def\n" {
		t.Fatalf("token file: %q, %v", b, err)
	}
	if fi, err := os.Stat(tokenPath); runtime.GOOS != "windows" && (err != nil || fi.Mode().Perm() != 0o600) {
		t.Errorf("token file mode %v (%v), want 0600", fi.Mode(), err)
	}
	body, _ := os.ReadFile(path)
	if strings.Contains(string(body), "AAH") {
		t.Error("the config holds the token")
	}
	if c := mustLoadConfig(t, path, noEnv); c.token() != "123456:AAH-abc_def" {
		t.Error("the config does not lead to the token")
	}
}

// Ensure that every form init offers passes the config check, and that
// the first is the sewing form of the single-course example (testdata/config-one-course.toml).
func TestInit_Presets(t *testing.T) {
	for i := range formPresets {
		a := defaultAnswers()
		a.Title, a.Organiser, a.Venue, a.BatchID, a.Capacity = "T", "O", "V", "b", 1
		a.Start, a.Preset = &toml.LocalDate{Year: 2027, Month: 2, Day: 1}, i
		path := writeConfig(t, renderConfig(a, "id"))
		c := mustLoadConfig(t, path, noEnv)
		if i == 0 {
			example := mustLoadConfig(t, filepath.Join("testdata", "config-one-course.toml"), noEnv)
			if !reflect.DeepEqual(c.Form.Fields, example.Form.Fields) {
				t.Errorf("the sewing form differs from config.example.toml's:\n%+v\n%+v", c.Form.Fields, example.Form.Fields)
			}
		}
		if w, err := checkWarnings(c); err != nil || len(w) != 0 {
			t.Errorf("form %d: warnings %v, %v", i+1, w, err)
		}
	}
}

// Ensure that slug makes batch ids the validator takes.
func TestInit_Slug(t *testing.T) {
	for in, want := range map[string]string{"Angkatan 1": "angkatan-1", " Gelombang  II (Pagi) ": "gelombang-ii-pagi", "Ä!": "", strings.Repeat("ab ", 20): "ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab"} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
		if got := slug(in); got != "" && !batchIDPattern.MatchString(got) {
			t.Errorf("slug(%q) = %q: not a batch id", in, got)
		}
	}
}

// FuzzInit feeds init arbitrary input: it never panics, and it either
// writes a config that loads (whatever the answers, e.g. a title with
// quotes or control characters) or writes nothing.
func FuzzInit(f *testing.F) {
	f.Add(strings.Join(initAnswerLines, "\n") + "\n")
	f.Add("T\nO\nV\nWIT\n\n\n2027-02-29\n2028-02-29\n1\n23:59\n00:00\n23:59\n1\n1\n-\nen\nx/y.db\n1\n2\n")
	f.Add("\x00\n\"\\\n\r\n\t\n")
	f.Fuzz(func(t *testing.T, input string) {
		dir := t.TempDir()
		path := filepath.Join(dir, "config.toml")
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"init", "-config", path}, noEnv, strings.NewReader(input), &stdout, &stderr)
		if err != nil {
			if _, serr := os.Stat(path); serr == nil {
				t.Fatalf("init failed (%v) but wrote %s", err, path)
			}
			return
		}
		if _, err := loadConfig(path, noEnv); err != nil {
			t.Fatalf("init wrote a config that does not load: %v", err)
		}
	})
}
