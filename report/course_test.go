package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a course's export and statistics, when the bot serves
// several courses, hold that course's batches and people only, with its
// own form's columns, and that the export of every batch still holds
// everyone.
func TestExportCourse(t *testing.T) {
	db := mustOpen(t)
	sewing := exportCourse(t)
	welding := exportCourse(t)
	welding.ID, welding.Title = "las", "Pelatihan Las"
	welding.Fields = []store.Field{{Key: "name", Kind: store.KindText, Label: "Nama"}, {Key: "welder", Kind: store.KindText, Label: "Sertifikat las"}}
	welding.Batches = []store.Batch{{ID: "las-1", Name: "Las 1", Capacity: 10}}
	at := time.Date(2025, 10, 1, 1, 0, 0, 0, time.UTC)
	mustConfirm(t, db, store.Participant{UserID: 1, ChatID: 1, Batch: "angkatan-1", Lang: "id", RegisteredAt: at, Answers: map[string]string{"name": "Ani"}}, 16)
	mustConfirm(t, db, store.Participant{UserID: 2, ChatID: 2, Batch: "las-1", Lang: "id", RegisteredAt: at, Answers: map[string]string{"name": "Budi", "welder": "SMAW"}}, 10)

	var xlsx, csv bytes.Buffer
	if err := ExportCourse(db, welding, nil, at, &xlsx, &csv); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.String(), "\ufeff")), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "seat,batch,status,name,welder,language") || !strings.Contains(lines[1], "Budi,SMAW") {
		t.Fatalf("welding's export:\n%s\nwant its header and Budi only", csv.String())
	}
	if !bytes.HasPrefix(xlsx.Bytes(), []byte("PK")) {
		t.Fatalf("welding's XLSX is no zip file")
	}
	var all bytes.Buffer
	if err := Export(db, sewing, "", at, io.Discard, &all); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(all.String(), "Ani") || !strings.Contains(all.String(), "Budi") {
		t.Errorf("the export of every batch lost someone:\n%s", all.String())
	}
	text, _, err := CourseStatistics(db, welding, "id", at)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "Angkatan 1") || !strings.Contains(text, "Las 1") {
		t.Errorf("welding's statistics name other courses' batches or miss its own:\n%s", text)
	}
}

// manyCourses returns 10 courses of 5 batches each, shaped as
// reportCourse, and stores 1,000 registered people in every batch
// (50,000 in all) with three days of roll call each.
func manyCourses(b *testing.B, db *store.DB) []store.Course {
	b.Helper()
	base := reportCourse(b)
	var cs []store.Course
	for ci := range 10 {
		c := base
		c.ID = fmt.Sprintf("kursus-%d", ci)
		c.Batches = nil
		for bi := range 5 {
			bt := base.Batches[0]
			bt.ID, bt.Name = fmt.Sprintf("k%d-angkatan-%d", ci, bi), fmt.Sprintf("Angkatan %d", bi+1)
			bt.Start, bt.Capacity = bt.Start.AddDate(0, 0, 7*bi), 1000
			c.Batches = append(c.Batches, bt)
		}
		cs = append(cs, c)
		for _, bt := range c.Batches {
			one := c
			one.Batches = []store.Batch{bt}
			ps, marks := manyPeople(one, 1000)
			// The same people in each batch of a course; other people in
			// each course.
			offset := int64(ci+1) * 10_000_000
			err := db.Update(func(tx *store.Tx) error {
				for _, p := range ps {
					days := marks[bt.ID][p.UserID]
					p.UserID += offset
					p.ChatID = p.UserID
					if _, err := tx.ConfirmSeat(p, 1000); err != nil {
						return err
					}
					for day, present := range days {
						if err := tx.SetAttendance(bt.ID, p.UserID, day, present, 900, reportNow); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	return cs
}

// BenchmarkExportCourses measures a course's exports and statistics (its
// 5 batches, 5,000 people) read from a database of 10 courses × 5
// batches × 1,000 people (targets: CSV under 1 s, XLSX under 3 s,
// statistics under 200 ms).
func BenchmarkExportCourses(b *testing.B) {
	db := mustOpen(b)
	cs := manyCourses(b, db)
	for _, format := range []struct {
		name  string
		write func(io.Writer, *Dataset) error
	}{{"csv", WriteCSV}, {"xlsx", WriteXLSX}} {
		b.Run(format.name, func(b *testing.B) {
			var size int
			cpu0 := cpuTime()
			for i := 0; b.Loop(); i++ {
				var buf bytes.Buffer
				err := db.View(func(tx *store.Tx) error {
					d, err := LoadCourse(tx, cs[i%len(cs)], nil, reportNow)
					if err != nil {
						return err
					}
					return format.write(&buf, d)
				})
				if err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "bytes/file")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
	b.Run("statistics", func(b *testing.B) {
		cpu0 := cpuTime()
		for i := 0; b.Loop(); i++ {
			if _, _, err := CourseStatistics(db, cs[i%len(cs)], "id", reportNow); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}
