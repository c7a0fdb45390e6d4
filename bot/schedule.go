package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// /jadwal: the reminders still to come, from the scheduler's Upcoming.

// cmdSchedule shows the reminders to come and the outbox backlog.
func (b *Bot) cmdSchedule(r *orgReq) { b.orgSay(r, b.schedule(r, r.PM, r.Now)) }

// schedule lists the reminders still to come per batch of the organiser's
// courses with how many people each goes to now, and the outbox backlog.
func (b *Bot) schedule(r *orgReq, m *locale.Messages, now time.Time) string {
	var up []store.Reminder
	if b.opt.Upcoming != nil {
		up = b.opt.Upcoming(now)
	}
	var out strings.Builder
	out.WriteString(m.Schedule + "\n")
	err := b.db.View(func(tx *store.Tx) error {
		shown := 0
		for _, bt := range r.Batches() {
			var lines []string
			n, err := tx.RegisteredIn(bt.ID)
			if err != nil {
				return err
			}
			for _, u := range up {
				if u.Batch != bt.ID || len(lines) >= 4 {
					continue
				}
				at := u.At.In(bt.Start.Location())
				slot := m.SlotMorning
				if u.Slot == store.Evening {
					slot = m.SlotEvening
				}
				lines = append(lines, fmt.Sprintf(m.ScheduleLine, m.Moment(at), slot, u.Day, bt.Days, len(n)))
			}
			if len(lines) == 0 {
				continue
			}
			shown++
			fmt.Fprintf(&out, m.ScheduleBatch+"\n%s\n", esc(r.Named(bt)), strings.Join(lines, "\n"))
		}
		if shown == 0 {
			out.WriteString("\n" + m.ScheduleNone + "\n")
		}
		return nil
	})
	if err != nil {
		b.log.Error("schedule", "err", err)
	}
	// A course's organisers see their courses' backlog; telegram.admins
	// the whole bot's.
	counts, err := b.db.OutboxCounts()
	if !r.All {
		counts, err = b.db.OutboxCountsOf(func(id string) bool { _, ok := r.Batch(id); return ok }, r.reaches)
	}
	if err != nil {
		b.log.Error("outbox counts", "err", err)
	}
	fmt.Fprintf(&out, m.ScheduleBacklog, counts[store.OutboxQueued], counts[store.OutboxFailed], counts[store.OutboxUndeliverable])
	return out.String()
}
