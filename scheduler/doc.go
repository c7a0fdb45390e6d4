// Package scheduler decides when reminders are due and enqueues them in the
// store's outbox; it also writes the nightly backups.
//
// It runs robfig/cron jobs in the course time zone, but the cron callbacks
// only call functions that take now as an argument (never time.Now), so
// every decision is tested with fixed dates and no test has to sleep. The
// scheduler never talks to Telegram and does not import package bot: the
// outbox dispatcher of package telegram sends what it enqueues. It is the
// only package that imports cron.
//
// Timeline lists every reminder of a batch; Due, a pure function, picks
// those that came due in a window; Scheduler.Tick writes them; Run calls
// Tick at start and whenever a reminder spec fires. The invariants:
//
//   - One tick is one store transaction: it reads the last tick, enqueues
//     what came due since then, and records now as the last tick. Either all
//     of it happens or none, so a crash neither skips nor repeats a window.
//   - Every reminder entry has the idempotency key
//     "reminder/<batch>/<day>/<slot>/<user id>" (store.ReminderKey), and the store keeps one
//     entry per key, ever: overlapping windows, a repeated tick or a clock
//     set back never enqueue a reminder twice. The form of the key is
//     persisted: never change it.
//   - A reminder goes to the participants holding a seat in its batch at
//     the tick that enqueues it: a person promoted from the waiting list
//     gets the reminders that come due afterwards; waiting and cancelled
//     people get none.
//   - Catch-up: a reminder that came due while the bot was down is sent when
//     it is still useful — an evening reminder until its session day starts,
//     a morning one until an hour before the session — and only the latest
//     of a session day's reminders is sent; the others are logged as missed
//     and never sent later.
//
// Cron specs are standard five-field specs (minute hour day-of-month month
// day-of-week) evaluated in the time zone of the times they are given; a spec
// may not name its own time zone, so the course time zone is the only one.
//
// Backups are consistent copies of the live database, written under a
// temporary name, fsynced and renamed, so a backup file is always complete.
package scheduler
