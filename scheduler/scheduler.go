package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/robfig/cron/v3"
)

// backupSpec is when Run writes the daily backup, in the course time zone:
// at night, away from the reminder ticks.
const backupSpec = "30 2 * * *"

// pruneSpec is when Run prunes old records (Options.Prune), after the
// backup.
const pruneSpec = "0 3 * * *"

// surveySpec is when Run ticks besides the reminders when the course has
// a survey, so that it goes out within the hour it is due.
const surveySpec = "7 * * * *"

// Options configure a Scheduler.
type Options struct {
	// Evening and Morning are the cron specs of the two reminders (see
	// Timeline) of every course that has none of its own
	// (store.Course.EveningBefore, MorningOf); config validation checks
	// them with CheckSpec.
	Evening, Morning string
	// BackupDir is where Run writes a daily backup; empty means no backups.
	BackupDir string
	// BackupKeep is how many days backups are kept; zero means
	// DefaultBackupKeep. The newest backup is always kept.
	BackupKeep int
	// Logger receives what the scheduler did, never personal data; nil
	// discards.
	Logger *slog.Logger
	// Now is the clock Run reads; nil means time.Now. Tick and Backup take
	// the time as an argument.
	Now func() time.Time
	// OnEnqueue, when set, is called after a tick committed new outbox
	// entries, so that the dispatcher wakes up. It must not block.
	OnEnqueue func()
	// Prune is what Run deletes every night as old; the zero policy
	// deletes nothing.
	Prune store.PrunePolicy
}

// DefaultBackupKeep is how many days backups are kept when
// Options.BackupKeep is zero: long enough to notice a problem, short
// enough that deleted personal data does not linger.
const DefaultBackupKeep = 14

// Scheduler enqueues reminders when they come due and writes backups.
type Scheduler struct {
	db  *store.DB
	cat store.Catalog
	loc *time.Location
	opt Options
	log *slog.Logger
}

// New returns a scheduler of the reminders of cat's courses on db, each
// course with its own specs. Backups and pruning follow the first course's
// time zone. It does no I/O and does not check the specs: Tick and Run
// return their errors.
func New(db *store.DB, cat store.Catalog, opt Options) *Scheduler {
	s := &Scheduler{db: db, cat: cat, opt: opt, log: opt.Logger}
	if len(cat.Courses) > 0 {
		s.loc = cat.Courses[0].Location
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.opt.Now == nil {
		s.opt.Now = time.Now
	}
	if s.opt.BackupKeep <= 0 {
		s.opt.BackupKeep = DefaultBackupKeep
	}
	return s
}

func (s *Scheduler) now() time.Time { return s.opt.Now() }

// Tick enqueues, in one transaction, every reminder that came due since the
// last tick and is still useful at now (see Due), one outbox entry per
// participant holding a seat in the batch at this moment, the surveys
// and survey reminders due (SurveysDue), and the "still coming?"
// questions due (StillComingDue) with the end of those unanswered in
// time (confirm.go), and records now as the last tick. It returns how
// many entries it added.
//
// Entries are keyed by batch, day, kind and user, so ticking again for an
// overlapping window (the same now twice, a clock set back) adds nothing
// already enqueued. When the transaction fails nothing is recorded and the
// next tick looks at the whole window again.
func (s *Scheduler) Tick(now time.Time) (enqueued int, err error) {
	var due, missed []store.Reminder
	err = s.db.Update(func(tx *store.Tx) error {
		enqueued = 0
		var err error
		due, missed, err = s.due(tx.LastTick(), now)
		if err != nil {
			return err
		}
		seated := map[string][]store.Participant{}
		for _, r := range due {
			ps, ok := seated[r.Batch]
			if !ok {
				if ps, err = tx.RegisteredIn(r.Batch); err != nil {
					return fmt.Errorf("participants of %s: %w", r.Batch, err)
				}
				seated[r.Batch] = ps
			}
			for _, p := range ps {
				added, err := tx.Enqueue(reminderEntry(r, p, now))
				if err != nil {
					return fmt.Errorf("enqueue reminder %s: %w", reminderName(r), err)
				}
				if added {
					enqueued++
				}
			}
		}
		for _, c := range s.cat.Courses {
			n, err := enqueueSurveys(tx, c, now)
			if err != nil {
				return fmt.Errorf("course %s: %w", c.ID, err)
			}
			enqueued += n
			if n, err = stillComing(tx, s.cat, c, now); err != nil {
				return fmt.Errorf("course %s: %w", c.ID, err)
			}
			enqueued += n
		}
		return tx.SetLastTick(now)
	})
	if err != nil {
		return 0, fmt.Errorf("tick at %s: %w", now.Format(time.RFC3339), err)
	}
	if len(missed) > 0 {
		s.log.Info("reminders missed: no longer useful", "count", len(missed), "reminders", reminderNames(missed))
	}
	if enqueued > 0 {
		s.log.Info("reminders enqueued", "count", enqueued, "reminders", reminderNames(due))
		if s.opt.OnEnqueue != nil {
			s.opt.OnEnqueue()
		}
	}
	return enqueued, nil
}

// anySurvey reports whether a course has a survey: Run then ticks
// hourly too (surveySpec).
func (s *Scheduler) anySurvey() bool {
	for _, c := range s.cat.Courses {
		if len(c.Survey.Fields) > 0 {
			return true
		}
	}
	return false
}

// specs returns the reminder specs of course c: its own, else Options'.
func (s *Scheduler) specs(c store.Course) (evening, morning string) {
	return cmp.Or(c.EveningBefore, s.opt.Evening), cmp.Or(c.MorningOf, s.opt.Morning)
}

// due is Due of every course, each with its specs, sorted by time.
func (s *Scheduler) due(since, now time.Time) (due, missed []store.Reminder, err error) {
	for _, c := range s.cat.Courses {
		evening, morning := s.specs(c)
		d, m, err := Due(c, evening, morning, since, now)
		if err != nil {
			return nil, nil, fmt.Errorf("course %s: %w", c.ID, err)
		}
		due, missed = append(due, d...), append(missed, m...)
	}
	byTime := func(a, b store.Reminder) int { return a.At.Compare(b.At) }
	slices.SortStableFunc(due, byTime)
	slices.SortStableFunc(missed, byTime)
	return due, missed, nil
}

// reminderEntry is the outbox entry that sends reminder r to p.
func reminderEntry(r store.Reminder, p store.Participant, now time.Time) store.OutboxEntry {
	return store.ReminderEntry(store.ReminderPayload{Batch: r.Batch, Day: r.Day, Slot: r.Slot}, p, now)
}

// reminderName identifies r in logs: "angkatan-1/2/evening".
func reminderName(r store.Reminder) string {
	return fmt.Sprintf("%s/%d/%s", r.Batch, r.Day, r.Slot)
}

func reminderNames(rs []store.Reminder) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = reminderName(r)
	}
	return strings.Join(names, " ")
}

// Run catches up on what came due while the bot was down (one Tick at
// start), then ticks whenever one of the two specs fires, writes a backup
// every night when Options.BackupDir is set and prunes when Options.Prune
// asks, all in the course time zone, until ctx is done. It then returns
// nil, after the job running then. It returns an error at once when a spec
// is invalid; a failed tick is logged, and the next one covers its window.
//
// The firings follow Options.Now, not the machine's clock, so that a clock
// set ahead (daftar demo -now) gets its reminders at its own 19:00. cron
// computes them (Schedule.Next); Run waits for them on the machine's timers.
func (s *Scheduler) Run(ctx context.Context) error {
	// A tick looks at every course, so it runs whenever any course's
	// spec fires: one job per distinct spec.
	var jobs []job
	seen := map[string]bool{}
	for _, c := range s.cat.Courses {
		evening, morning := s.specs(c)
		for _, sp := range []struct{ name, spec string }{{"evening", evening}, {"morning", morning}} {
			if seen[sp.spec] {
				continue
			}
			seen[sp.spec] = true
			sched, err := parseSpec(sp.spec)
			if err != nil {
				return fmt.Errorf("%s spec %q: %w", sp.name, sp.spec, err)
			}
			jobs = append(jobs, job{name: sp.name + " reminders", spec: sched, reminders: true})
		}
	}
	backup, err := parseSpec(backupSpec)
	if err != nil {
		return err
	}
	prune, err := parseSpec(pruneSpec)
	if err != nil {
		return err
	}

	surveys, err := parseSpec(surveySpec)
	if err != nil {
		return err
	}

	tick := func(now time.Time) {
		if _, err := s.Tick(now); err != nil {
			s.log.Error("reminder tick", "err", err)
		}
	}
	s.safely("catch-up", tick, s.now())

	for i := range jobs {
		jobs[i].run = tick
	}
	if s.anySurvey() || s.anyStillComing() {
		jobs = append(jobs, job{name: "surveys", spec: surveys, run: tick, reminders: true})
	}
	if s.opt.BackupDir != "" {
		jobs = append(jobs, job{name: "backup", spec: backup, run: func(now time.Time) {
			path, err := s.Backup(now)
			if err != nil {
				s.log.Error("backup", "path", path, "err", err)
				return
			}
			s.log.Info("backup written", "path", path)
		}})
	}
	if s.opt.Prune != (store.PrunePolicy{}) {
		jobs = append(jobs, job{name: "prune", spec: prune, run: func(now time.Time) {
			n, err := s.Prune(now)
			if err != nil {
				s.log.Error("prune", "err", err)
				return
			}
			s.log.Info("pruned old records", "outbox", n.Outbox, "audit", n.Audit, "conversations", n.Conversations)
		}})
	}
	for {
		now := s.now().In(s.loc)
		at := jobs[0].spec.Next(now)
		for _, j := range jobs[1:] {
			if n := j.spec.Next(now); n.Before(at) {
				at = n
			}
		}
		t := time.NewTimer(at.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		ticked := false
		for _, j := range jobs {
			if !j.spec.Next(now).Equal(at) {
				continue
			}
			// Reminder (and survey) specs firing together need one tick.
			if j.reminders {
				if ticked {
					continue
				}
				ticked = true
			}
			s.safely(j.name, j.run, s.now())
		}
	}
}

// job is one of Run's timed tasks.
type job struct {
	name      string
	spec      *cron.SpecSchedule
	run       func(now time.Time)
	reminders bool // a tick: several firing at once need one
}

// safely runs a job, turning a panic into a log line (as cron.Recover
// would), so that one bad night does not stop the reminders.
func (s *Scheduler) safely(name string, run func(time.Time), now time.Time) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("scheduler job panicked", "job", name, "panic", fmt.Sprintf("%T", r))
		}
	}()
	run(now)
}

// Prune deletes the records Options.Prune calls old at now, in one
// transaction.
func (s *Scheduler) Prune(now time.Time) (store.Pruned, error) {
	var n store.Pruned
	err := s.db.Update(func(tx *store.Tx) error {
		var err error
		n, err = tx.Prune(now, s.opt.Prune)
		return err
	})
	return n, err
}
