package main

import (
	"archive/zip"
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a database written by the release before several courses
// (testdata/release-2.db: one registration made through its demo, schema
// version 2), with that release's one-course config, still works: it is
// backed up, then migrated, and its exports are byte for byte those that
// release made of it (testdata/release-2-export.*) but for the one column
// appended since, telegram (issue 13.6, "yes": the registration is a
// Telegram account's): every CSV line is that release's line and one more
// cell; the XLSX is that release's but for the moment it says it was
// made, the batch sheets' header row and column widths, which are the
// course language's labels since issue 12.6 (a change meant; the CSV keys
// are the contract), and each batch sheet row's one more cell, last,
// written as the certificate cell before it.
func TestRun_PreviousRelease(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "daftar.db")
	data, err := os.ReadFile("testdata/release-2.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dbPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile("testdata/config-one-course.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}

	var csv, errs bytes.Buffer
	if err := run(context.Background(), []string{"export", "-config", cfgPath, "-format", "csv"}, mapEnv(nil), nil, &csv, &errs); err != nil {
		t.Fatalf("export csv: %v\n%s", err, errs.String())
	}
	want, err := os.ReadFile("testdata/release-2-export.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := appendCSVCell(t, want, "telegram", "yes"); !bytes.Equal(csv.Bytes(), want) {
		t.Errorf("CSV export of the previous release's database:\n%s\nwant (as that release wrote it, telegram appended):\n%s", csv.Bytes(), want)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("daftar.db.pre-v%d-*.bak", store.SchemaVersion)))
	if len(backups) != 1 {
		t.Errorf("backups before the migration: %v, want one daftar.db.pre-v%d-….bak", backups, store.SchemaVersion)
	}

	xlsxPath := filepath.Join(dir, "list.xlsx")
	if err := run(context.Background(), []string{"export", "-config", cfgPath, "-o", xlsxPath}, mapEnv(nil), nil, io.Discard, &errs); err != nil {
		t.Fatalf("export xlsx: %v\n%s", err, errs.String())
	}
	got, wantX := xlsxParts(t, xlsxPath), xlsxParts(t, "testdata/release-2-export.xlsx")
	for name, part := range got {
		if strings.HasPrefix(name, "xl/worksheets/") && name != "xl/worksheets/sheet1.xml" {
			got[name] = withoutAppendedCell(t, name, part, releaseColumns+1, "yes")
		}
	}
	if len(got) != len(wantX) {
		t.Errorf("XLSX parts %d, want %d", len(got), len(wantX))
	}
	for name, w := range wantX {
		if got[name] != w {
			t.Errorf("XLSX part %s differs from the previous release's:\n%s\nwant\n%s", name, got[name], w)
		}
	}

	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var c store.Conversation
	if err := db.View(func(tx *store.Tx) error {
		var err error
		c, _, err = tx.Conversation(demoUser.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if c.Course != "kursus" {
		t.Errorf("the demo person's conversation after the migration: course %q, want the one course's id \"kursus\"", c.Course)
	}
	// The registration is in the NIK index (migration 4): its NIK is
	// refused to another account.
	if err := db.View(func(tx *store.Tx) error {
		ps, err := tx.ParticipantsOf(demoUser.ID)
		if err != nil || len(ps) != 1 {
			return fmt.Errorf("the demo person's registrations: %d, %v", len(ps), err)
		}
		if places, err := tx.PlacesOfNIK(ps[0].Answers["nik"]); err != nil || len(places) != 1 || ps[0].NIK == "" {
			return fmt.Errorf("the registration is not in the NIK index: %d places, %v", len(places), err)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

// releaseColumns is how many columns the exports of the release of
// testdata/release-2-export.* have: up to certificate.
const releaseColumns = 20

// appendCSVCell returns the CSV old, each of whose lines is one record,
// with the cell head appended to its first line and cell to every other:
// what an export that appended one column makes of the same data.
func appendCSVCell(tb testing.TB, old []byte, head, cell string) []byte {
	tb.Helper()
	records, err := stdcsv.NewReader(bytes.NewReader(bytes.TrimPrefix(old, []byte("\ufeff")))).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.SplitAfter(string(old), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) != len(records) || len(records[0]) != releaseColumns {
		tb.Fatalf("%d lines, %d records of %d columns: want one record a line, %d columns", len(lines), len(records), len(records[0]), releaseColumns)
	}
	var out strings.Builder
	for i, line := range lines {
		add := cell
		if i == 0 {
			add = head
		}
		out.WriteString(strings.TrimSuffix(line, "\n") + "," + add + "\n")
	}
	return []byte(out.String())
}

// dataRow is a sheet's row after the header: its number and cells.
var dataRow = regexp.MustCompile(`<row r="(\d+)"[^>]*>(.*?)</row>`)

// withoutAppendedCell returns the sheet part with the last cell of every
// row after the header taken out, after checking that it is in column
// col, holds the text cell, and has the style of the cell before it (as
// certificate's and telegram's are written alike).
func withoutAppendedCell(tb testing.TB, name, part string, col int, cell string) string {
	tb.Helper()
	letter, err := excelize.ColumnNumberToName(col)
	if err != nil {
		tb.Fatal(err)
	}
	before, _ := excelize.ColumnNumberToName(col - 1)
	return dataRow.ReplaceAllStringFunc(part, func(row string) string {
		m := dataRow.FindStringSubmatch(row)
		if m[1] == "1" {
			return row
		}
		style := regexp.MustCompile(`<c r="` + before + m[1] + `" s="(\d+)"`).FindStringSubmatch(m[2])
		if style == nil {
			tb.Errorf("%s row %s: no cell %s%s", name, m[1], before, m[1])
			return row
		}
		want := fmt.Sprintf(`<c r="%s%s" s="%s" t="inlineStr"><is><t>%s</t></is></c></row>`, letter, m[1], style[1], cell)
		trimmed, ok := strings.CutSuffix(row, want)
		if !ok {
			tb.Errorf("%s row %s does not end in %s:\n%s", name, m[1], want, row)
			return row
		}
		return trimmed + "</row>"
	})
}

// madeAt is the summary sheet's "made at" cell, the one part of an
// export that differs between two runs.
var madeAt = regexp.MustCompile(`(<c r="B2" s="\d+"><v>)[0-9.]+(</v>)`)

// headerRow and widths are a batch sheet's first row and its column
// widths.
var (
	headerRow = regexp.MustCompile(`<row r="1"[^>]*>.*?</row>`)
	widths    = regexp.MustCompile(`<cols>.*?</cols>`)
)

// xlsxParts returns the parts of the XLSX file at path by name, the
// moment it was made blanked.
func xlsxParts(tb testing.TB, path string) map[string]string {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			tb.Fatal(err)
		}
		s := string(b)
		switch {
		case f.Name == "xl/worksheets/sheet1.xml": // the summary
			s = madeAt.ReplaceAllString(s, "${1}…${2}")
		case strings.HasPrefix(f.Name, "xl/worksheets/"):
			s = widths.ReplaceAllString(headerRow.ReplaceAllString(s, "<row r=\"1\">…</row>"), "<cols>…</cols>")
		}
		out[f.Name] = s
	}
	return out
}

// twoCoursesOnDisk writes the twoCourses config with its database beside
// it and opens the database; the caller closes it.
func twoCoursesOnDisk(t *testing.T) (cfgPath string, db *store.DB) {
	t.Helper()
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte("[store]\npath = \"daftar.db\"\n"+twoCourses), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(filepath.Join(dir, "daftar.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cfgPath, db
}

// Ensure that `daftar export` of a config with several courses asks which
// and exports the one named, with its own form's columns and only its
// people.
func TestRun_ExportCourses(t *testing.T) {
	cfgPath, db := twoCoursesOnDisk(t)
	if err := db.Update(func(tx *store.Tx) error {
		if _, err := tx.ConfirmSeat(store.Participant{UserID: 1, ChatID: 1, Batch: "jahit-1", Answers: map[string]string{"name": "Ani"}}, 16); err != nil {
			return err
		}
		_, err := tx.ConfirmSeat(store.Participant{UserID: 2, ChatID: 2, Batch: "las-2", Answers: map[string]string{"name": "Budi", "phone": "+6281234567890"}}, 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"export", "-config", cfgPath}, mapEnv(nil), nil, &out, &errs)
	if err == nil || !strings.Contains(errs.String(), "say which with -course (menjahit, las)") {
		t.Fatalf("export without -course: %v, stderr %q", err, errs.String())
	}
	errs.Reset()
	if err := run(context.Background(), []string{"export", "-config", cfgPath, "-course", "kayu"}, mapEnv(nil), nil, &out, &errs); err == nil ||
		!strings.Contains(errs.String(), `no course "kayu"`) {
		t.Fatalf("export -course kayu: %v, stderr %q", err, errs.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"export", "-config", cfgPath, "-course", "las"}, mapEnv(nil), nil, &out, &errs); err != nil {
		t.Fatalf("export -course las: %v\n%s", err, errs.String())
	}
	got := strings.TrimPrefix(out.String(), "\ufeff")
	if !strings.HasPrefix(got, "seat,batch,status,name,phone,language,registered_at") || !strings.Contains(got, "las-2,registered,Budi") || strings.Contains(got, "Ani") {
		t.Errorf("export -course las:\n%s", got)
	}
}

// Ensure that with several courses a batch removed from the config stays
// in the export of the course it was last listed under (as the bot
// recorded at a start), and one of no known course in the first
// course's, as a one-course bot's export keeps every batch.
func TestRun_ExportCoursesFormerBatches(t *testing.T) {
	cfgPath, db := twoCoursesOnDisk(t)
	then := store.Catalog{Courses: []store.Course{
		{ID: "menjahit", Batches: []store.Batch{{ID: "jahit-0"}}},
		{ID: "las", Batches: []store.Batch{{ID: "las-0"}}},
	}}
	if err := db.RecordBatchCourses(then); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *store.Tx) error {
		for i, seat := range []struct{ batch, name string }{{"jahit-0", "Ani"}, {"las-0", "Budi"}, {"kuno-1", "Citra"}, {"las-2", "Dedi"}} {
			p := store.Participant{UserID: int64(i + 1), ChatID: int64(i + 1), Batch: seat.batch, Answers: map[string]string{"name": seat.name}}
			if _, err := tx.ConfirmSeat(p, 10); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	export := func(course string) string {
		t.Helper()
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"export", "-config", cfgPath, "-course", course}, mapEnv(nil), nil, &out, &errs); err != nil {
			t.Fatalf("export -course %s: %v\n%s", course, err, errs.String())
		}
		return out.String()
	}
	for _, tc := range []struct {
		course    string
		has, hasn []string
	}{
		{"las", []string{"las-0,registered,Budi", "las-2,registered,Dedi"}, []string{"Ani", "Citra"}},
		{"menjahit", []string{"jahit-0,registered,Ani", "kuno-1,registered,Citra"}, []string{"Budi", "Dedi"}},
	} {
		got := export(tc.course)
		for _, s := range tc.has {
			if !strings.Contains(got, s) {
				t.Errorf("export -course %s lacks %q:\n%s", tc.course, s, got)
			}
		}
		for _, s := range tc.hasn {
			if strings.Contains(got, s) {
				t.Errorf("export -course %s has %q:\n%s", tc.course, s, got)
			}
		}
	}
}
