package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
)

// app is the bot and the scheduler over one database, wired the same way
// for `daftar run` and `daftar demo`: the config decides everything but
// what appOptions says.
type app struct {
	bot   *bot.Bot
	sched *scheduler.Scheduler
}

// appOptions is what differs between the real bot and the demo.
type appOptions struct {
	Token  string
	APIURL string
	Admins []int64
	Logger *slog.Logger
	// Now is the clock of both; nil is time.Now.
	Now func() time.Time
	// OnHandled is bot.Options.OnHandled.
	OnHandled func(updateID int64)
	// Backups turns on the daily backups into store.backup_dir.
	Backups bool
	// Webhook turns on telegram.webhook_url (the demo polls).
	Webhook bool
}

// newApp wires the bot and the scheduler for the courses of cat over db.
// It does no I/O; run does.
func newApp(cfg *Config, cat store.Catalog, db *store.DB, o appOptions) *app {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	b := bot.New(db, cat, bot.Options{
		Token:     o.Token,
		APIURL:    o.APIURL,
		Admins:    o.Admins,
		SendRate:  cfg.Telegram.SendRate,
		Webhook:   cfg.webhook(o.Webhook),
		Upcoming:  upcoming(cat),
		Logger:    o.Logger,
		Now:       o.Now,
		OnHandled: o.OnHandled,
		Paper:     cfg.paper(""),
		Papers:    cfg.coursePapers(""),
	})
	sopt := scheduler.Options{
		Evening:   cfg.Reminders.EveningBefore,
		Morning:   cfg.Reminders.MorningOf,
		Logger:    o.Logger.With("component", "scheduler"),
		Now:       o.Now,
		OnEnqueue: b.Notify,
		Prune:     store.DefaultPrunePolicy(),
	}
	if o.Backups {
		sopt.BackupDir, sopt.BackupKeep = cfg.Store.BackupDir, cfg.Store.BackupKeep
	}
	return &app{bot: b, sched: scheduler.New(db, cat, sopt)}
}

// run serves until ctx ends. The bot and the scheduler run together: when
// either stops for good (a rejected token, a bad spec) the other is
// stopped too, and run returns both errors.
func (a *app) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	schedDone := make(chan error, 1)
	go func() {
		err := a.sched.Run(ctx)
		if err != nil {
			cancel()
		}
		schedDone <- err
	}()
	botErr := a.bot.Run(ctx)
	cancel()
	return errors.Join(botErr, <-schedDone)
}
