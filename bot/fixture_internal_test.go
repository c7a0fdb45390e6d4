package bot

import (
	"fmt"
	"time"

	_ "time/tzdata"

	"github.com/daftar-bot/daftar/store"
)

// The course and the clock of the internal tests, the same as the
// conversation's (bot/conversation/transition_test.go): a test here runs
// the handler around what the transition tests there check.

var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testCourse is the Jember sewing course with one closed batch and the
// given open ones.
func testCourse(open ...string) store.Course {
	c := store.Course{
		Title: "Pelatihan Menjahit", Organiser: "Diskopum & BLK", Venue: "Ruang Garment Apparel",
		Location: jakarta, Language: "id", Bring: "Alat tulis",
		Batches: []store.Batch{{ID: "angkatan-1", Name: "Angkatan 1", Start: time.Date(2025, 10, 20, 0, 0, 0, 0, jakarta), Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00"}},
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama lengkap", Labels: map[string]string{"en": "Full name"}, Min: 3, Max: 80},
			{Key: "phone", Kind: store.KindPhone, Label: "Nomor HP", Labels: map[string]string{"en": "Mobile number"}},
			{Key: "nik", Kind: store.KindNIK, Label: "NIK"},
			{Key: "experience", Kind: store.KindChoice, Label: "Pengalaman menjahit", Options: []string{"Belum pernah", "Pemula", "Sudah bisa"}, OptionLabels: map[string][]string{"en": {"Never", "Beginner", "Can sew"}}},
		},
	}
	for i, id := range open {
		c.Batches = append(c.Batches, store.Batch{
			ID: id, Name: "Angkatan " + fmt.Sprint(i+2), Start: time.Date(2027, 2, 1+7*i, 0, 0, 0, 0, jakarta),
			Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: true,
		})
	}
	return c
}

var testNow = time.Date(2026, 11, 28, 10, 0, 0, 0, jakarta)
