package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a database written by the release before several courses
// (testdata/release-2.db: one registration made through its demo, schema
// version 2), with that release's one-course config, still works: it is
// backed up, then migrated, and its exports are byte for byte those that
// release made of it (testdata/release-2-export.*): the CSV wholly, the
// XLSX but for the moment it says it was made and the batch sheets'
// header row and column widths, which are the course language's labels
// since issue 12.6 (a change meant; the CSV keys are the contract).
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
	if !bytes.Equal(csv.Bytes(), want) {
		t.Errorf("CSV export of the previous release's database:\n%s\nwant (as that release wrote it):\n%s", csv.Bytes(), want)
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
