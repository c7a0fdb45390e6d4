package scheduler_test

import (
	"fmt"
	"time"
	_ "time/tzdata"

	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
)

// The bot was down from Monday 18:00 to Tuesday 07:30 during the first
// Jember batch: the evening reminder for Tuesday is still worth sending,
// Tuesday's morning reminder is not.
func ExampleDue() {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	course := store.Course{
		Location: jakarta,
		Batches: []store.Batch{{
			ID: "angkatan-1", Start: time.Date(2025, 10, 20, 0, 0, 0, 0, jakarta),
			Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00",
		}},
	}
	since := time.Date(2025, 10, 20, 18, 0, 0, 0, jakarta)
	now := time.Date(2025, 10, 21, 7, 30, 0, 0, jakarta)

	due, missed, err := scheduler.Due(course, "0 19 * * *", "0 6 * * *", since, now)
	if err != nil {
		panic(err)
	}
	for _, r := range due {
		fmt.Println("due:   ", r.At.Format("Mon 15:04"), r.Slot, "day", r.Day)
	}
	for _, r := range missed {
		fmt.Println("missed:", r.At.Format("Mon 15:04"), r.Slot, "day", r.Day)
	}
	// Output:
	// due:    Mon 19:00 evening day 2
	// missed: Tue 06:00 morning day 2
}
