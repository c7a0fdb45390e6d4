// Package scheduler decides when reminders are due and enqueues them in the
// store's outbox.
//
// It runs robfig/cron jobs in the course time zone, but the cron callbacks
// only call pure functions that take now as an argument (never time.Now), so
// every decision is tested with fixed dates and no test has to sleep. A job
// only computes what is due and writes outbox entries in one store
// transaction; the bot's dispatcher sends them. The scheduler never talks to
// Telegram and does not import package bot.
//
// Cron specs are standard five-field specs (minute hour day-of-month month
// day-of-week) evaluated in the time zone of the times they are given; a spec
// may not name its own time zone, so the course time zone is the only one.
package scheduler
