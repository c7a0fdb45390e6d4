package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
)

// exitError is returned by a command whose failure is already reported on
// stderr: main exits with code and prints nothing more. Any other error is
// printed by main and exits with status 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// runCheck is `daftar check`: it validates the config and prints what the bot
// would do with it, so an operator sees the reminder times before people get
// them. A bad config prints every problem to stderr and gives exit status 1.
func runCheck(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "config.toml", "the config `file`")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: daftar check [-config FILE]\n\nValidates the config and prints the reminder timeline.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, err: err}
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("check: unexpected argument %q", fs.Arg(0))
		fmt.Fprintln(stderr, err)
		return &exitError{code: 2, err: err}
	}

	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return &exitError{code: 1, err: err}
	}
	if err := printCheck(stdout, cfg); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	return nil
}

// printCheck writes the summary of a valid config: each course, then
// what serves them all.
func printCheck(w io.Writer, cfg *Config) error {
	var b strings.Builder
	cat := cfg.catalog()
	for i, co := range cat.Courses {
		if !cat.Single() {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "course %s (?start=%s), %d own admins\n", co.ID, co.ID, len(co.Admins))
		}
		if err := printCourse(&b, co); err != nil {
			return err
		}
	}
	admins := strconv.Itoa(len(cfg.Telegram.Admins))
	if len(cfg.Telegram.Admins) == 0 {
		admins += " (nobody can use the organiser commands)"
	}
	fmt.Fprintf(&b, "\nadmins: %s\n", admins)
	fmt.Fprintf(&b, "store:  %s\n", cfg.Store.Path)
	if cfg.Store.BackupDir != "" {
		fmt.Fprintf(&b, "backups: %s (keep %d)\n", cfg.Store.BackupDir, cfg.Store.BackupKeep)
	}
	fmt.Fprintf(&b, "api:    %s\n", cfg.Telegram.APIURL)
	if wh := cfg.webhook(true); wh.URL != "" {
		tls := "plain HTTP, behind a proxy that serves HTTPS"
		if wh.CertFile != "" {
			tls = "HTTPS with " + wh.CertFile
		}
		fmt.Fprintf(&b, "updates: pushed by Telegram to %s (listening on %s, %s; %d at once)\n", wh.URL, wh.Listen, tls, wh.MaxConnections)
	} else {
		fmt.Fprintf(&b, "updates: long polling\n")
	}
	token := "no (set TELEGRAM_BOT_TOKEN or telegram.token_file to run the bot)"
	if cfg.bot != nil {
		token = "yes, from " + cfg.bot.source
	}
	fmt.Fprintf(&b, "token:  %s\n", token)
	warnings, err := checkWarnings(cfg)
	if err != nil {
		return err
	}
	if len(warnings) > 0 {
		b.WriteString("\nwarnings (the bot runs, but check these):\n")
		for _, w := range warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// printCourse writes the summary of one course: its batches with their
// reminder timelines and its form.
func printCourse(b *strings.Builder, co store.Course) error {
	fmt.Fprintf(b, "%s — %s\n", co.Title, co.Organiser)
	fmt.Fprintf(b, "venue:       %s\n", co.Venue)
	fmt.Fprintf(b, "time zone:   %s\n", co.Location)
	fmt.Fprintf(b, "language:    %s\n", co.Language)
	fmt.Fprintf(b, "certificate: %d days present\n", co.CertificateMinDays)
	for _, bt := range co.Batches {
		state := "closed"
		if bt.Open {
			state = "open"
		}
		fmt.Fprintf(b, "\nbatch %s (%s): %s – %s, %d days, %s–%s, %d seats, %s\n",
			bt.ID, bt.Name, bt.Start.Format("Mon 2006-01-02"), bt.End().Format("Mon 2006-01-02"),
			bt.Days, bt.DailyStart, bt.DailyEnd, bt.Capacity, state)
		b.WriteString("  dates: " + sessionDates(bt) + "\n")
		b.WriteString(eligibilityLine(bt.Eligibility))
		for _, line := range admissionLines(bt) {
			b.WriteString("  " + line + "\n")
		}
		rs, err := scheduler.Timeline(bt, co.EveningBefore, co.MorningOf)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			b.WriteString("  no reminders: the cron specs never fire before a session\n")
		}
		for _, r := range rs {
			fmt.Fprintf(b, "  %s  %-7s  day %d/%d\n", r.At.Format("2006-01-02 15:04 MST"), r.Slot, r.Day, bt.Days)
		}
		if len(co.Survey.Fields) > 0 {
			fmt.Fprintf(b, "  %s  survey\n", co.Survey.Due(bt).Format("2006-01-02 15:04 MST"))
		}
	}
	fmt.Fprintf(b, "\nform: %d fields\n", len(co.Fields))
	for _, f := range co.Fields {
		opt := ""
		if f.Optional {
			opt = "  (optional)"
		}
		fmt.Fprintf(b, "  %-20s %s%s\n", f.Key, f.Kind, opt)
	}
	if n := len(co.Survey.Fields); n > 0 {
		how := "anonymous"
		if co.Survey.Linked {
			how = "with who answered"
		}
		remind := "no reminder"
		if after, ok := co.Survey.ReminderAfter(); ok {
			remind = fmt.Sprintf("a reminder %d hours after it", int(after.Hours()))
		}
		fmt.Fprintf(b, "\nsurvey: %d questions, %s, %d hours after the last session; open %d days, %s\n",
			n, how, co.Survey.Hours, co.Survey.OpenDays(), remind)
		for _, f := range co.Survey.Fields {
			opt := ""
			if f.Optional {
				opt = "  (optional)"
			}
			fmt.Fprintf(b, "  %-20s %s%s\n", f.Key, f.Kind, opt)
		}
	}
	return nil
}

// sessionDates lists a batch's session days as "Mon 02-01, Tue 02-02, …",
// and says so when they are consecutive.
func sessionDates(bt store.Batch) string {
	days := bt.SessionDays()
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.Format("Mon 01-02")
	}
	s := strings.Join(out, ", ")
	if len(bt.Dates) == 0 {
		s += " (consecutive)"
	}
	return s
}

// placeholderAdmin is the organiser id of config.example.toml: a config
// still holding it gives nobody organiser rights.
const placeholderAdmin = 123456789

// checkWarnings lists what is valid but probably not what the organisers
// meant: a morning reminder that would come after the session started
// (and so is never sent), the
// example's placeholder organiser id, and questions a language the bot
// speaks would see in the course language, and a field keyed like an
// appended export column (report.DuplicateKeys).
func checkWarnings(cfg *Config) ([]string, error) {
	var out []string
	cat := cfg.catalog()
	for _, co := range cat.Courses {
		for _, bt := range co.Batches {
			rs, err := scheduler.Timeline(bt, co.EveningBefore, co.MorningOf)
			if err != nil {
				return nil, err
			}
			mornings := map[int]bool{}
			for _, r := range rs {
				if r.Slot == store.Morning {
					mornings[r.Day] = true
				}
			}
			for n := 1; n <= bt.Days; n++ {
				if !mornings[n] {
					out = append(out, fmt.Sprintf("reminders.morning_of (%s) does not fire between midnight and %s, when the sessions of batch %s start (first on day %d): no morning reminder goes out then",
						co.MorningOf, bt.DailyStart, bt.ID, n))
					break
				}
			}
		}
	}
	admins := map[string][]int64{"telegram.admins": cfg.Telegram.Admins}
	for _, e := range cfg.courses {
		admins[e.key+".admins"] = e.Admins
	}
	for _, key := range slices.Sorted(maps.Keys(admins)) {
		if slices.Contains(admins[key], placeholderAdmin) {
			out = append(out, fmt.Sprintf("%s holds %d, the example's placeholder: put the organisers' own ids there (each sends /id to the bot, which answers with their own)", key, placeholderAdmin))
		}
	}
	if w := webhookWarning(cfg.Telegram); w != "" {
		out = append(out, w)
	}
	for _, co := range cat.Courses {
		// A field's key names its course only when there are several.
		name := func(f store.Field) string { return strconv.Quote(f.Key) }
		if !cat.Single() {
			name = func(f store.Field) string { return strconv.Quote(co.ID + "." + f.Key) }
		}
		for _, key := range report.DuplicateKeys(co) {
			out = append(out, fmt.Sprintf("form field %s has the key of an export column appended after the form's: the export has two columns %q (a script reading by key may take either); a new form should use another key, a form people answered already keeps it, for their answers are stored under it",
				name(store.Field{Key: key}), key))
		}
		for _, lang := range locale.Codes() {
			if lang == co.Language {
				continue
			}
			for _, f := range co.Fields {
				if f.Labels[lang] == "" {
					out = append(out, fmt.Sprintf("form field %s has no label in %q (labels.%s): people who read %s see the question in %q", name(f), lang, lang, lang, co.Language))
				}
				if len(f.Options) > 0 && len(f.OptionLabels[lang]) == 0 {
					out = append(out, fmt.Sprintf("form field %s has no options in %q (option_labels.%s): they are shown in %q", name(f), lang, lang, co.Language))
				}
			}
		}
	}
	return out, nil
}
