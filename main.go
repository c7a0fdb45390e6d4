// Command daftar is a Telegram bot that runs sign-up for short training
// courses. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/report"
	"github.com/daftar-bot/daftar/scheduler"
	"github.com/daftar-bot/daftar/store"
)

func main() {
	os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr), os.Stderr))
}

// exitCode turns run's error into the process exit status, printing it
// unless it was reported already.
func exitCode(err error, stderr io.Writer) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	}
	fmt.Fprintln(stderr, "daftar:", err)
	return 1
}

const usage = `usage: daftar <command> [flags]

commands:
  run -config FILE        run the bot (the token in TELEGRAM_BOT_TOKEN)
  demo [-db FILE] [-lang id|en] [-config FILE] [-now TIME]
                          try the bot offline, chatting in this terminal
  check -config FILE      validate the config, print the reminder timeline
  export -config FILE [-format csv|xlsx] [-o FILE] [-course ID]
                          write the participant list (stdout without -o;
                          the format from -o's extension unless given)
  backup -config FILE -o FILE
                          write a consistent copy of the database
  certificates -config FILE -batch ID -o FOLDER
                          issue the batch's certificates, write one PDF per
                          person and one with all (the bot stopped)
  attendance-sheet -config FILE -batch ID -o FILE.pdf
                          write the batch's attendance sheet (daftar hadir)
  report -config FILE -batch ID -o FILE.pdf
                          write the batch's activity report
  init [-config FILE] [-lang id|en] [-force]
                          ask for the course and write a checked config
  version                 print the version

"daftar -config FILE" is "daftar run -config FILE".
`

// run is the whole program: main only passes it the process's world.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		if _, err := os.Stat("config.toml"); err != nil {
			// A first try on a fresh machine: say what there is to do.
			fmt.Fprint(stderr, "daftar: no config.toml here: give one with -config FILE, write one with \"daftar init\", or try the bot with \"daftar demo\"\n\n"+usage)
			return &exitError{code: 2, err: errors.New("no config")}
		}
	}
	cmd := "run"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runBot(ctx, args, getenv, stderr)
	case "demo":
		return runDemo(ctx, args, stdin, stdout, stderr)
	case "check":
		return runCheck(args, getenv, stdout, stderr)
	case "export":
		return runExport(args, getenv, stdout, stderr)
	case "backup":
		return runBackup(args, getenv, stdout, stderr)
	case "certificates":
		return runCertificates(args, getenv, stdout, stderr)
	case "attendance-sheet":
		return runAttendanceSheet(args, getenv, stdout, stderr)
	case "report":
		return runReport(args, getenv, stdout, stderr)
	case "init":
		return runInit(args, getenv, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "daftar", version(), runtime.Version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		// Every command's flags, as "daftar CMD -h" prints them.
		for _, c := range []string{"run", "demo", "check", "export", "backup", "certificates", "attendance-sheet", "report", "init"} {
			fmt.Fprintln(stdout)
			_ = run(ctx, []string{c, "-h"}, getenv, stdin, stdout, stdout)
		}
		return nil
	}
	fmt.Fprintf(stderr, "daftar: unknown command %q\n\n%s", cmd, usage)
	return &exitError{code: 2, err: fmt.Errorf("unknown command %q", cmd)}
}

// parseFlags parses a command's flags; a usage error is reported on
// stderr and becomes exit status 2.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: daftar %s [flags]\n", fs.Name())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0, err: err}
		}
		return &exitError{code: 2, err: err}
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "daftar %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return &exitError{code: 2, err: fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func runBot(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	verbose := fs.Bool("v", false, "log debug messages")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		return err
	}
	token, err := cfg.requireToken()
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	// The running bot's garbage collector settings (see bot.GCPercent);
	// the other commands run once and keep Go's defaults.
	defer bot.SetGC(getenv)()

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a graceful shutdown (see bot.Run); a second
	// one, from an impatient operator, ends the process at once.
	context.AfterFunc(ctx, stop)

	log.Info("starting", "version", version(), "go", runtime.Version(), "db", cfg.Store.Path, "courses", len(cfg.catalog().Courses), "batches", len(cfg.catalog().Batches()))
	db, err := store.Open(cfg.Store.Path, store.Options{
		BeforeMigrate: backupBeforeMigrate(cfg.Store.BackupDir, log, time.Now),
		Course:        cfg.course().ID,
		NIKFields:     nikFields(cfg.catalog()),
	})
	if err != nil {
		return err
	}
	defer db.Close()

	a := newApp(cfg, cfg.catalog(), db, appOptions{
		Token: token, APIURL: cfg.Telegram.APIURL, Admins: cfg.Telegram.Admins,
		Logger: log, Backups: true, Webhook: true,
	})
	if err := a.run(ctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// backupBeforeMigrate is the bot's store.Options.BeforeMigrate: before a
// database written by an older daftar is migrated, it writes a copy of it
// as it was to <db>.pre-v<to>-<UTC time>.bak beside the database, or in
// dir when set. Going back to the older daftar is copying that file back.
// The daily backups' pruning leaves these files alone.
func backupBeforeMigrate(dir string, log *slog.Logger, now func() time.Time) func(db *store.DB, from, to int) error {
	return func(db *store.DB, from, to int) error {
		into := dir
		if into == "" {
			into = filepath.Dir(db.Path())
		} else if err := os.MkdirAll(into, 0o700); err != nil {
			return fmt.Errorf("backup before migrating: %w", err)
		}
		name := fmt.Sprintf("%s.pre-v%d-%s.bak", filepath.Base(db.Path()), to, now().UTC().Format("20060102T150405Z"))
		path := filepath.Join(into, name)
		log.Info("database written by an older daftar: backing it up before migrating", "from", from, "to", to, "backup", path)
		if err := db.Backup(path); err != nil {
			return err
		}
		log.Info("backup written, migrating", "from", from, "to", to, "backup", path)
		return nil
	}
}

// upcoming lists the reminders still to come, for the organisers' /jadwal.
func upcoming(cat store.Catalog) func(now time.Time) []store.Reminder {
	return func(now time.Time) []store.Reminder {
		var out []store.Reminder
		for _, c := range cat.Courses {
			for _, b := range c.Batches {
				rs, err := scheduler.Timeline(b, c.EveningBefore, c.MorningOf)
				if err != nil {
					continue // the config check rejects bad specs before this runs
				}
				for _, x := range rs {
					if x.At.After(now) {
						out = append(out, x)
					}
				}
			}
		}
		return out
	}
}

// openTool loads the config at path and opens its database for a
// command-line tool (see openForTool).
func openTool(path string, getenv func(string) string) (*Config, *store.DB, error) {
	cfg, err := loadConfig(path, getenv)
	if err != nil {
		return nil, nil, err
	}
	db, err := openForTool(cfg.Store.Path, cfg.Store.BackupDir, cfg.course().ID, nikFields(cfg.catalog()))
	if err != nil {
		return nil, nil, err
	}
	return cfg, db, nil
}

// openForTool opens the database for a command-line tool: read-only, and
// failing at once when the bot holds it. course is the config's first
// course, which a migration records in what an older daftar wrote
// (store.Options.Course), and nik the answers the NIK index is built from
// (store.Options.NIKFields).
func openForTool(path, backupDir, course string, nik map[string]string) (*store.DB, error) {
	opts := store.Options{ReadOnly: true, Timeout: 300 * time.Millisecond}
	db, err := store.Open(path, opts)
	if errors.Is(err, store.ErrOutdated) || errors.Is(err, store.ErrNeedsMigration) {
		// Written by an older daftar: bring it up to date as the bot
		// would at its next start (a backup of it as it was first), then
		// read.
		up, uerr := store.Open(path, store.Options{
			Timeout:       opts.Timeout,
			BeforeMigrate: backupBeforeMigrate(backupDir, slog.New(slog.DiscardHandler), time.Now),
			Course:        course,
			NIKFields:     nik,
		})
		if uerr == nil {
			up.Close()
			db, err = store.Open(path, opts)
		} else {
			err = uerr
		}
	}
	if errors.Is(err, store.ErrInUse) {
		return nil, fmt.Errorf("%s is in use by the running bot: stop it first, or use the bot's own backups (store.backup_dir)", path)
	}
	return db, err
}

func runExport(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	format := fs.String("format", "csv", "the `format`: csv (UTF-8 with a BOM) or xlsx (a sheet per batch and a summary); by default the -o file's extension")
	out := fs.String("o", "", "write to `file` instead of stdout")
	sep := fs.String("separator", "", "the CSV's field `separator`: \",\" or \";\" (for Excel set to Indonesian), \"\\t\" or \"|\"; by default export.separator of the config")
	courseID := fs.String("course", "", "the `id` of the course to export; needed when the config lists several")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *sep == `\t` {
		*sep = "\t"
	}
	if *sep != "" && !slices.Contains(csvSeparators, *sep) {
		err := fmt.Errorf("export: -separator %q: use \",\", \";\", \"\\t\" or \"|\"", *sep)
		fmt.Fprintln(stderr, "daftar", err)
		return &exitError{code: 2, err: err}
	}
	chosen := false
	fs.Visit(func(f *flag.Flag) { chosen = chosen || f.Name == "format" })
	if ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(*out), ".")); ext == "csv" || ext == "xlsx" {
		if !chosen {
			*format = ext
		} else if ext != *format {
			err := fmt.Errorf("export: -o %s is a .%s file, but -format says %s: leave -format out, or name the file .%s", *out, ext, *format, *format)
			fmt.Fprintln(stderr, "daftar", err)
			return &exitError{code: 2, err: err}
		}
	}
	var write func(io.Writer, *report.Dataset) error
	switch *format {
	case "csv":
		write = report.WriteCSV
	case "xlsx":
		write = report.WriteXLSX
	default:
		err := fmt.Errorf("export: unknown format %q: use -format csv or -format xlsx", *format)
		fmt.Fprintln(stderr, "daftar", err)
		return &exitError{code: 2, err: err}
	}
	cfg, db, err := openTool(*path, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	load, err := exportLoader(cfg.catalog(), *courseID, *sep)
	if err != nil {
		fmt.Fprintln(stderr, "daftar", err)
		return &exitError{code: 2, err: err}
	}
	export := func(w io.Writer) error {
		err := db.View(func(tx *store.Tx) error {
			d, err := load(tx, time.Now())
			if err != nil {
				return err
			}
			return write(w, d)
		})
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	}
	if *out == "" {
		return export(stdout)
	}
	return store.WriteFile(*out, export)
}

// exportLoader returns how `daftar export` reads the course with id, its
// CSV separated by sep when set (else the config's): a
// bot serving one course exports every batch, also those the config no
// longer lists, as it always did; with several courses, the course named
// (only its batches: each course has its own form, so its own columns).
func exportLoader(cat store.Catalog, id, sep string) (func(*store.Tx, time.Time) (*report.Dataset, error), error) {
	if cat.Single() && (id == "" || id == cat.Courses[0].ID) {
		c := cat.Courses[0]
		if sep != "" {
			c.CSVSeparator = separatorRune(sep)
		}
		return func(tx *store.Tx, now time.Time) (*report.Dataset, error) { return report.Load(tx, c, "", now) }, nil
	}
	ids := make([]string, len(cat.Courses))
	for i, c := range cat.Courses {
		ids[i] = c.ID
	}
	c, ok := cat.Course(id)
	switch {
	case id == "":
		return nil, fmt.Errorf("export: the config lists %d courses: say which with -course (%s)", len(ids), strings.Join(ids, ", "))
	case !ok:
		return nil, fmt.Errorf("export: no course %q in the config: -course takes %s", id, strings.Join(ids, ", "))
	}
	if sep != "" {
		c.CSVSeparator = separatorRune(sep)
	}
	// Batches removed from the config go with the course they were last
	// listed under; those of no known course with the first (the
	// operator may see everything).
	return func(tx *store.Tx, now time.Time) (*report.Dataset, error) {
		former, err := tx.FormerBatches(cat, c.ID, c.ID == cat.Courses[0].ID)
		if err != nil {
			return nil, err
		}
		return report.LoadCourse(tx, c, former, now)
	}, nil
}

func runBackup(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file`")
	out := fs.String("o", "", "the backup `file` to write")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(stderr, "daftar backup: -o FILE is required")
		return &exitError{code: 2, err: errors.New("backup: -o FILE is required")}
	}
	_, db, err := openTool(*path, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(*out); err != nil {
		return err
	}
	if fi, err := os.Stat(*out); err == nil {
		fmt.Fprintf(stdout, "daftar backup: wrote %s (%d KB)\n", *out, (fi.Size()+1023)/1024)
	}
	return nil
}

// stampedVersion is the version scripts/build.sh stamps into a release
// build (go build -ldflags "-X main.stampedVersion=v1.2.0"). The linker
// sets it; nothing changes it while the program runs.
var stampedVersion string

// version is the stamped version of a release build, else the module
// version when built from a tagged module, else the VCS revision the
// binary was built from.
func version() string {
	if stampedVersion != "" {
		return stampedVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return buildVersion(info)
}

// buildVersion is version for the build information info.
func buildVersion(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty" // as Go marks a modified checkout's pseudo-version
	}
	return "devel-" + rev
}
