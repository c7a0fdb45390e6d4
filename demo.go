package main

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

//go:embed config.example.toml
var exampleConfig []byte

// The demo person. They are an organiser too, so that organiser commands
// can be tried.
var demoUser = telegramtest.User{ID: 700000001, FirstName: "Siti", LastName: "Demo", Username: "siti_demo", LanguageCode: "id"}

const demoPhone = "+6281234567890"

// runDemo is `daftar demo`: the real bot against an embedded fake Telegram,
// chatting in the terminal. Each line is sent only after the bot answered
// the previous one, so a piped script behaves like a person typing.
func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dbPath := fs.String("db", "", "keep the demo database in `file` (default: a temporary one)")
	langs := strings.Join(locale.Codes(), " or ")
	lang := fs.String("lang", "id", "the demo person's Telegram language: "+langs)
	cfgPath := fs.String("config", "", "a config `file` (default: the example Jember sewing course)")
	verbose := fs.Bool("v", false, "print the bot's log on stderr")
	files := fs.String("files", "", "save the files the bot sends (exports, the chart) in `dir` (default: a new temporary folder, printed when the first file comes)")
	at := fs.String("now", "", "pretend the demo starts at this `time`: 2026-11-28, 2026-11-28T19:00 or RFC 3339, in the course time zone;\n"+
		"to follow a batch through (roll call, survey), start again later with the same -db and -config (README: \"Following a batch in the demo\")")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if !slices.Contains(locale.Codes(), *lang) {
		fmt.Fprintln(stderr, "daftar demo: -lang must be "+langs)
		return &exitError{code: 2, err: fmt.Errorf("demo: -lang must be %s", langs)}
	}

	tmp, err := os.MkdirTemp("", "daftar-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	example := *cfgPath == ""
	if example {
		*cfgPath = filepath.Join(tmp, "config.toml")
		if err := os.WriteFile(*cfgPath, exampleConfig, 0o600); err != nil {
			return err
		}
	}
	// The demo never talks to the real Telegram: the environment's token
	// and API URL are not read.
	cfg, err := loadConfig(*cfgPath, func(string) string { return "" })
	if err != nil {
		return err
	}
	cat := cfg.catalog()
	now := time.Now
	if *at != "" {
		start, err := parseDemoTime(*at, cat.Courses[0].Location)
		if err != nil {
			fmt.Fprintln(stderr, "daftar demo:", err)
			return &exitError{code: 2, err: err}
		}
		offset := time.Until(start)
		now = func() time.Time { return time.Now().Add(offset) }
	}
	if example {
		cat = keepOpen(cat, now())
	}
	if *dbPath == "" {
		*dbPath = filepath.Join(tmp, "demo.db")
	}
	db, err := store.Open(*dbPath, store.Options{Course: cat.Courses[0].ID, NIKFields: nikFields(cat)})
	if err != nil {
		return err
	}
	defer db.Close()

	const token = "100000001:demo-token-not-secret"
	srv := telegramtest.NewServer(token)
	defer srv.Close()
	// A kept database has confirmed update ids up to its offset and skips
	// any below it: the fresh server's ids must continue from there.
	offset, err := db.Offset()
	if err != nil {
		return err
	}
	if offset > 0 {
		srv.SetNextUpdateID(offset)
	}

	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	handled := make(chan int64, 1024)
	user := demoUser
	user.LanguageCode = *lang
	a := newApp(cfg, cat, db, appOptions{
		Token: token, APIURL: srv.URL(), Admins: append(cfg.Telegram.Admins, user.ID),
		Logger: logger, Now: now, OnHandled: func(id int64) { handled <- id },
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopped := make(chan error, 1)
	startedAt := now()
	go func() { stopped <- a.run(ctx) }()

	d := &demo{srv: srv, user: user, out: stdout, handled: handled, stopped: stopped, files: *files}
	if d.files != "" {
		if err := os.MkdirAll(d.files, 0o700); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "daftar demo: you are %s (Telegram id %d), chatting with the bot offline.\n", user.FirstName, user.ID)
	fmt.Fprintln(stdout, "Type a message, a button's number to press it, /kontak to share your contact (/kontak +62… for another number). Ctrl-D ends.")
	fmt.Fprintln(stdout)
	if err := d.send(ctx, "/start"); err != nil {
		return err
	}
	// What came due while the bot was off (a survey, a reminder) goes out
	// at start; it is shown before the first line is read, so that a
	// script's first line answers it rather than racing it.
	d.awaitStartup(ctx, db, startedAt, now)
	// Piped input is echoed, so that the output reads as a transcript.
	echo := true
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			echo = false
		}
	}
	// Reminders, announcements and offers show up when they come, not
	// after the next line, at a terminal and from a pipe alike. While a
	// line is being answered the watcher leaves the printing to send, so
	// a script's answers always come right after its lines.
	watched := make(chan struct{})
	go func() { d.watch(ctx); close(watched) }()
	defer func() { cancel(); <-watched }() // nothing is written after runDemo returns
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		d.say("> ")
		if !in.Scan() {
			d.say("\n")
			break
		}
		line := strings.TrimSpace(in.Text())
		if echo {
			d.say(line + "\n")
		}
		if line == "" {
			continue
		}
		if err := d.send(ctx, line); err != nil {
			return err
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("demo: read input: %w", err)
	}
	cancel()
	if err := <-stopped; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// parseDemoTime reads the -now flag.
func parseDemoTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("-now %q: use 2026-11-28, 2026-11-28T19:00 or RFC 3339", s)
}

// keepOpen moves the example's open batches ahead when one of them has
// already started, all by the same number of weeks, so that the demo can
// always be tried and the batches keep their weekdays and spacing: the
// earliest started one lands a few weeks after now.
func keepOpen(cat store.Catalog, now time.Time) store.Catalog {
	weeks := 0
	for _, b := range cat.Batches() {
		if b.Open && b.Started(now) {
			weeks = max(weeks, int(now.Sub(b.Start).Hours()/(24*7))+4)
		}
	}
	if weeks == 0 {
		return cat
	}
	cat.Courses = slices.Clone(cat.Courses)
	for i := range cat.Courses {
		c := &cat.Courses[i]
		c.Batches = slices.Clone(c.Batches)
		for j, b := range c.Batches {
			if !b.Open {
				continue
			}
			c.Batches[j].Start = b.Start.AddDate(0, 0, 7*weeks)
			// Whole weeks keep a calendar's days off on their weekdays.
			c.Batches[j].Dates = nil
			for _, d := range b.Dates {
				c.Batches[j].Dates = append(c.Batches[j].Dates, d.AddDate(0, 0, 7*weeks))
			}
		}
	}
	return cat
}

type demo struct {
	mu      sync.Mutex // every write to out: the input loop's and the watcher's
	busy    bool       // a line is being answered: send prints, not the watcher
	files   string     // where the files the bot sends are saved
	srv     *telegramtest.Server
	user    telegramtest.User
	out     io.Writer
	handled chan int64
	stopped chan error
	printed int64        // the Seq of the last bot action printed
	choices []demoChoice // the buttons on screen, numbered from 1
	last    telegramtest.Message
}

type demoChoice struct {
	msgID   int64
	label   string
	inline  bool
	contact bool
}

// startupWait bounds awaitStartup: a send that keeps failing is retried
// with backoff and shows up later, when it goes.
const startupWait = 5 * time.Second

// awaitStartup waits until the scheduler's catch-up tick after startedAt
// has run and nothing queued in the outbox is due any more, then prints
// what the bot sent meanwhile. It gives up after startupWait.
func (d *demo) awaitStartup(ctx context.Context, db *store.DB, startedAt time.Time, now func() time.Time) {
	deadline := time.Now().Add(startupWait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var ticked bool
		if err := db.View(func(tx *store.Tx) error {
			ticked = !tx.LastTick().Before(startedAt)
			return nil
		}); err != nil {
			break
		}
		next, queued, err := db.NextDue()
		if err != nil {
			break
		}
		if ticked && (!queued || next.After(now())) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.hasNewLocked() {
		d.printLocked()
	}
}

// hasNewLocked reports whether the bot sent something to print since the
// last print. d.mu must be held.
func (d *demo) hasNewLocked() bool {
	for _, m := range d.srv.SentTo(d.user.ID) {
		if m.Seq > d.printed && m.Method != "answerCallbackQuery" {
			return true
		}
	}
	return false
}

// send turns one typed line into an update, waits until the bot handled
// it, and prints what the bot did.
func (d *demo) send(ctx context.Context, line string) error {
	d.setBusy(true)
	defer d.setBusy(false)
	var id int64
	n, err := strconv.Atoi(line)
	switch {
	case err == nil && n >= 1 && n <= len(d.choices):
		c := d.choices[n-1]
		switch {
		case c.inline:
			id, err = d.srv.PressButtonIn(d.user, c.msgID, c.label)
			if err != nil {
				d.say("(that button is gone)\n")
				return nil
			}
		case c.contact:
			id = d.srv.SendContact(d.user, demoPhone, d.user.ID)
		default:
			id = d.srv.SendText(d.user, c.label)
		}
	case line == "/kontak" || strings.HasPrefix(line, "/kontak "):
		phone := strings.TrimSpace(strings.TrimPrefix(line, "/kontak"))
		if phone == "" {
			phone = demoPhone
		}
		id = d.srv.SendContact(d.user, phone, d.user.ID)
	default:
		id = d.srv.SendText(d.user, line)
	}
	wait := time.NewTimer(30 * time.Second)
	defer wait.Stop()
	for {
		select {
		case got := <-d.handled:
			if got < id {
				continue
			}
			d.print()
			return nil
		case err := <-d.stopped:
			if err == nil {
				err = errors.New("the bot stopped")
			}
			return fmt.Errorf("demo: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-wait.C:
			return errors.New("demo: the bot did not answer within 30 s")
		}
	}
}

// print shows the bot's messages since the last call, numbering the
// buttons of the newest one.
func (d *demo) print() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.printLocked()
}

// say writes s, between the watcher's prints.
func (d *demo) say(s string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	io.WriteString(d.out, s)
}

func (d *demo) setBusy(busy bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.busy = busy
}

// printNew is print when the bot sent something since and no line is
// being answered: what the watcher calls, so that a reminder or an
// announcement shows up when it comes.
func (d *demo) printNew() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy {
		return
	}
	if d.hasNewLocked() {
		fmt.Fprintln(d.out)
		d.printLocked()
		fmt.Fprint(d.out, "> ")
	}
}

// watch prints what the bot sends by itself until ctx ends, looking
// three times a second.
func (d *demo) watch(ctx context.Context) {
	t := time.NewTicker(300 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.printNew()
		}
	}
}

func (d *demo) printLocked() {
	for _, m := range d.srv.SentTo(d.user.ID) {
		if m.Seq <= d.printed {
			continue
		}
		d.printed = m.Seq
		switch m.Method {
		case "answerCallbackQuery":
			if m.Text != "" {
				fmt.Fprintf(d.out, "(%s)\n", m.Text)
			}
			continue
		case "sendMessage", "editMessageText", "sendDocument", "sendPhoto", "copyMessage":
		default:
			continue
		}
		fmt.Fprintln(d.out)
		if m.FileName != "" {
			fmt.Fprintf(d.out, "[file %s, %d bytes]\n", m.FileName, len(m.FileData))
			if d.files == "" {
				dir, err := os.MkdirTemp("", "daftar-demo-files-")
				if err != nil {
					fmt.Fprintf(d.out, "(not saved: %v)\n", err)
					continue
				}
				d.files = dir
			}
			path := filepath.Join(d.files, filepath.Base(m.FileName))
			if err := os.WriteFile(path, m.FileData, 0o600); err != nil {
				fmt.Fprintf(d.out, "(not saved: %v)\n", err)
			} else {
				fmt.Fprintf(d.out, "(saved as %s)\n", path)
			}
		}
		if t := strings.TrimSpace(m.Text + m.Caption); t != "" {
			fmt.Fprintln(d.out, t)
		}
		switch {
		case len(m.Inline) > 0 || len(m.Keyboard) > 0:
			d.choices = d.choices[:0]
			for _, row := range m.Inline {
				for _, b := range row {
					if b.URL == "" {
						d.choices = append(d.choices, demoChoice{msgID: m.MessageID, label: b.Text, inline: true})
					}
				}
			}
			for _, row := range m.Keyboard {
				for _, b := range row {
					d.choices = append(d.choices, demoChoice{label: b.Text, contact: b.RequestContact})
				}
			}
			for i, c := range d.choices {
				fmt.Fprintf(d.out, "  [%d] %s\n", i+1, c.label)
			}
		case m.RemoveKeyboard:
			d.choices = d.choices[:0]
		}
	}
	fmt.Fprintln(d.out)
}
