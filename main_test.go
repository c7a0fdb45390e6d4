package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// These tests drive the whole program through run, as main does, against
// the fake Telegram server and real bbolt files in t.TempDir(). The bot's
// clock is the real time.Now: writeTestConfig moves Angkatan 2 of
// config.example.toml to 2080 so that it takes registrations (and not
// later: the people of these tests, born around 1990, must be at most 100
// when it starts).

// testToken is distinctive so that a leak is found by a plain search.
const testToken = "424242:daftarTEST-tok3n-Qx7Zw9"

// siti is the person of the single-registration tests; sitiAnswers what the
// store must hold for her.
var (
	siti        = telegramtest.User{ID: 5550001, FirstName: "Siti", LastName: "Aminah", LanguageCode: "id"}
	sitiAnswers = map[string]string{
		"name":       "Siti Aminah Rahayu",
		"phone":      "+6281234567890",
		"nik":        "3509015708900001",
		"birth_date": "1990-08-17",
		"address":    "Jl. Mawar 5, Kaliwates",
		"experience": "Pemula",
	}
)

// mapEnv is a getenv over m.
func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// botEnv is the environment of a bot talking to srv.
func botEnv(srv *telegramtest.Server) func(string) string {
	return mapEnv(map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "DAFTAR_API_URL": srv.URL()})
}

// writeTestConfig writes testdata/config-one-course.toml (the example
// config of the release before several courses) with the example's
// [certificate] table to a temporary directory with
// the store in that directory and, when capacity > 0, that many seats in
// Angkatan 2. edit, when not nil, changes the text further. It returns the
// config's and the database's paths.
func writeTestConfig(tb testing.TB, capacity int, edit func(string) string) (cfgPath, dbPath string) {
	tb.Helper()
	data, err := os.ReadFile("testdata/config-one-course.toml")
	if err != nil {
		tb.Fatal(err)
	}
	// With the example's [certificate] table, which that release lacked.
	example, err := os.ReadFile("config.example.toml")
	if err != nil {
		tb.Fatal(err)
	}
	cert := string(example)[strings.Index(string(example), "[certificate]"):]
	data = append(data, "\n"+cert[:strings.Index(cert, "\n\n")+1]...)
	dir := tb.TempDir()
	dbPath = filepath.Join(dir, "daftar.db")
	s := replaceOnce(tb, string(data), `path = "daftar.db"`, "path = "+strconv.Quote(dbPath))
	// run uses the real clock: move the open batch far enough ahead that
	// it still takes registrations whenever the tests run.
	s = replaceOnce(tb, s, "start = 2027-02-01", "start = 2080-02-05")
	if capacity > 0 {
		i := strings.Index(s, `id = "angkatan-2"`)
		if i < 0 {
			tb.Fatal("testdata/config-one-course.toml has no angkatan-2")
		}
		s = s[:i] + replaceOnce(tb, s[i:], "capacity = 16", fmt.Sprintf("capacity = %d", capacity))
	}
	if edit != nil {
		s = edit(s)
	}
	cfgPath = filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(s), 0o600); err != nil {
		tb.Fatal(err)
	}
	return cfgPath, dbPath
}

// replaceOnce replaces the first old in s, failing when there is none.
func replaceOnce(tb testing.TB, s, old, new string) string {
	tb.Helper()
	if !strings.Contains(s, old) {
		tb.Fatalf("config text has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// lockedBuffer is a bytes.Buffer safe for the bot's goroutines to log into.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runningBot is `daftar run` started in a goroutine.
type runningBot struct {
	cancel context.CancelFunc
	done   chan error
	stderr *lockedBuffer

	once sync.Once
	err  error
}

// startBot calls run with args in a goroutine and returns once the bot is
// long-polling srv, so that its database is open. The bot is stopped and
// must have returned nil at the end of the test.
func startBot(tb testing.TB, srv *telegramtest.Server, getenv func(string) string, args ...string) *runningBot {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b := &runningBot{cancel: cancel, done: make(chan error, 1), stderr: &lockedBuffer{}}
	polls := srv.Requests("getUpdates")
	go func() { b.done <- run(ctx, args, getenv, strings.NewReader(""), io.Discard, b.stderr) }()
	tb.Cleanup(func() {
		if err := b.stop(); err != nil {
			tb.Errorf("run: %v\nstderr:\n%s", err, b.stderr)
		} else if tb.Failed() {
			// The bot logs no personal data: its log is what tells why.
			tb.Logf("bot log:\n%s", b.stderr)
		}
	})

	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	ready := make(chan error, 1)
	go func() { ready <- srv.WaitRequests(wctx, "getUpdates", polls+1) }()
	select {
	case err := <-ready:
		if err != nil {
			tb.Fatalf("the bot did not poll: %v\nstderr:\n%s", err, b.stderr)
		}
	case err := <-b.done:
		b.done <- err
		tb.Fatalf("run returned before polling: %v\nstderr:\n%s", err, b.stderr)
	}
	return b
}

// stop cancels run and returns what it returned; it fails when run takes
// more than 10 s to stop. It may be called more than once.
func (b *runningBot) stop() error {
	b.once.Do(func() {
		b.cancel()
		select {
		case b.err = <-b.done:
		case <-time.After(10 * time.Second):
			b.err = errors.New("run did not return within 10 s of cancel")
		}
	})
	return b.err
}

// person plays one Telegram user against the fake server. Its methods
// return errors instead of failing the test so that many people can run in
// goroutines.
type person struct {
	srv *telegramtest.Server
	u   telegramtest.User
}

// step does act and waits for the bot's message to the person containing
// want.
func (p person) step(what string, act func() error, want string) (telegramtest.Message, error) {
	after := p.srv.LastSeq()
	if err := act(); err != nil {
		return telegramtest.Message{}, fmt.Errorf("user %d: %s: %w", p.u.ID, what, err)
	}
	m, err := p.wait(after, want)
	if err != nil {
		return m, fmt.Errorf("user %d: after %s: %w", p.u.ID, what, err)
	}
	return m, nil
}

// wait returns the first message (sent or edited) to the person after the
// Seq after whose text contains one of wants.
func (p person) wait(after int64, wants ...string) (telegramtest.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := p.srv.WaitSent(ctx, after, func(m telegramtest.Message) bool {
		if m.ChatID != p.u.ID || (m.Method != "sendMessage" && m.Method != "editMessageText") {
			return false
		}
		for _, w := range wants {
			if strings.Contains(m.Text, w) {
				return true
			}
		}
		return false
	})
	if err != nil {
		var got []string
		for _, m := range p.srv.SentTo(p.u.ID) {
			if m.Seq > after {
				got = append(got, m.Method+": "+m.Text)
			}
		}
		return m, fmt.Errorf("no message containing %q: %w; got %q", wants, err, got)
	}
	return m, nil
}

func (p person) text(s, want string) error {
	_, err := p.step(fmt.Sprintf("text %q", s), func() error { p.srv.SendText(p.u, s); return nil }, want)
	return err
}

func (p person) press(label, want string) error {
	_, err := p.step("pressing "+label, func() error { _, err := p.srv.PressButton(p.u, label); return err }, want)
	return err
}

func (p person) contact(phone, want string) error {
	_, err := p.step("sharing contact", func() error { p.srv.SendContact(p.u, phone, p.u.ID); return nil }, want)
	return err
}

// upToQuestion3 takes the person from /start through consent, name and a
// shared contact to the NIK question.
func (p person) upToQuestion3(name, contactPhone string) error {
	for _, err := range []func() error{
		func() error { return p.text("/start", "Tekan Daftar") },
		func() error { return p.press("Daftar", "Apakah Anda setuju?") },
		func() error { return p.press("Setuju", "Pertanyaan 1 dari 6") },
		func() error { return p.text(name, "Pertanyaan 2 dari 6") },
		func() error { return p.contact(contactPhone, "Pertanyaan 3 dari 6") },
	} {
		if err := err(); err != nil {
			return err
		}
	}
	return nil
}

// fromQuestion3 answers NIK, birth date, address and experience and gets
// the summary.
func (p person) fromQuestion3(nik, birth, address, experience string) error {
	for _, err := range []func() error{
		func() error { return p.text(nik, "Pertanyaan 4 dari 6") },
		func() error { return p.text(birth, "Pertanyaan 5 dari 6") },
		func() error { return p.text(address, "Pertanyaan 6 dari 6") },
		func() error { return p.press(experience, "Periksa kembali data Anda") },
	} {
		if err := err(); err != nil {
			return err
		}
	}
	return nil
}

// registerSiti takes siti through the whole form and confirms, returning
// the confirmation message.
func registerSiti(tb testing.TB, srv *telegramtest.Server) telegramtest.Message {
	tb.Helper()
	p := person{srv, siti}
	if err := p.upToQuestion3("  Siti   Aminah Rahayu ", "6281234567890"); err != nil {
		tb.Fatal(err)
	}
	if err := p.fromQuestion3("3509015708900001", "17-08-1990", "Jl. Mawar 5, Kaliwates", "Pemula"); err != nil {
		tb.Fatal(err)
	}
	m, err := p.step("pressing Konfirmasi", func() error { _, err := srv.PressButton(siti, "Konfirmasi"); return err }, "Pendaftaran berhasil")
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// participants reads every participant of the database at path, opened
// read-only as the tools open it.
func participants(tb testing.TB, path string) []store.Participant {
	tb.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	ps, err := db.Participants()
	if err != nil {
		tb.Fatal(err)
	}
	return ps
}

// checkSiti checks that ps is exactly siti, registered with seat 1.
func checkSiti(tb testing.TB, ps []store.Participant) {
	tb.Helper()
	if len(ps) != 1 {
		tb.Fatalf("%d participants, want 1: %+v", len(ps), ps)
	}
	p := ps[0]
	if p.UserID != siti.ID || p.ChatID != siti.ID || p.Batch != "angkatan-2" || p.Status != store.StatusRegistered || p.Seat != 1 || p.Lang != "id" {
		tb.Errorf("participant = %+v, want siti registered in angkatan-2, seat 1, lang id", p)
	}
	if !maps.Equal(p.Answers, sitiAnswers) {
		tb.Errorf("answers = %q, want %q", p.Answers, sitiAnswers)
	}
	if p.ConsentAt.IsZero() || p.RegisteredAt.IsZero() || p.RegisteredAt.Before(p.ConsentAt) {
		tb.Errorf("consent at %v, registered at %v: want both set, consent first", p.ConsentAt, p.RegisteredAt)
	}
	if d := time.Since(p.RegisteredAt); d < 0 || d > time.Minute {
		tb.Errorf("registered at %v, not just now", p.RegisteredAt)
	}
}

// checkMode checks a file's permission bits.
func checkMode(tb testing.TB, path string, want os.FileMode) {
	tb.Helper()
	st, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		tb.Errorf("%s has mode %v, want %v", path, got, want)
	}
}

// checkNoSecrets fails when out shows the token or siti's personal data,
// in any of the forms they were typed or stored in.
func checkNoSecrets(tb testing.TB, what, out string) {
	tb.Helper()
	secrets := []string{testToken, "daftarTEST-tok3n", "Aminah", "81234567890", "3509015708900001", "Mawar", "1990-08-17", "17-08-1990"}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			tb.Errorf("%s shows %q:\n%s", what, s, out)
		}
	}
}

func TestRun_Bot(t *testing.T) {
	// Ensure that `daftar run -config FILE` and plain `daftar -config FILE`
	// serve a whole registration, stop with nil when cancelled, and leave
	// the participant with the exact answers and seat 1 in a 0600 file;
	// the log, even with -v while Telegram drops connections and refuses
	// requests (errors that carry the request URL, token included), holds
	// neither the token nor personal data.
	for _, tc := range []struct {
		name   string
		args   func(cfg string) []string
		faults bool
	}{
		{"run", func(cfg string) []string { return []string{"run", "-config", cfg} }, false},
		{"plain -config -v, faults", func(cfg string) []string { return []string{"-config", cfg, "-v"} }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, db := writeTestConfig(t, 0, nil)
			srv := telegramtest.NewServer(testToken)
			defer srv.Close()
			b := startBot(t, srv, botEnv(srv), tc.args(cfg)...)
			if tc.faults {
				srv.Inject("getUpdates", telegramtest.Fault{Drop: true, Times: 1})
				srv.Inject("sendMessage", telegramtest.Fault{Drop: true, Times: 1})
				srv.Inject("sendMessage", telegramtest.Fault{Status: 502, Times: 1})
				srv.Inject("answerCallbackQuery", telegramtest.Fault{Drop: true, Times: 1})
				srv.Inject("editMessageReplyMarkup", telegramtest.Fault{Status: 400, Description: "Bad Request: message to edit not found", Times: 1})
			}

			m := registerSiti(t, srv)
			for _, want := range []string{"Angkatan 2 — kursi nomor 1", "5–11 Feb 2080", "08:00–15:00", "Ruang Garment Apparel"} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("confirmation does not contain %q:\n%s", want, m.Text)
				}
			}
			if err := b.stop(); err != nil {
				t.Fatalf("run: %v\nstderr:\n%s", err, b.stderr)
			}
			checkSiti(t, participants(t, db))
			checkMode(t, db, 0o600)

			log := b.stderr.String()
			checkNoSecrets(t, "the log", log)
			for _, want := range []string{"msg=starting", "msg=stopped"} {
				if !strings.Contains(log, want) {
					t.Errorf("the log does not contain %q:\n%s", want, log)
				}
			}
			if tc.faults {
				for _, want := range []string{"level=DEBUG", "level=WARN"} {
					if !strings.Contains(log, want) {
						t.Errorf("with -v and faults the log has no %s line:\n%s", want, log)
					}
				}
			}
		})
	}

	// Ensure that a person who was at question 3 when the bot stopped
	// answers it after the restart and goes on from there: nothing is asked
	// twice and the answers of both runs are kept.
	t.Run("restart in the middle of the form", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		srv := telegramtest.NewServer(testToken)
		defer srv.Close()
		p := person{srv, siti}

		b := startBot(t, srv, botEnv(srv), "run", "-config", cfg)
		if err := p.upToQuestion3("Siti Aminah Rahayu", "+6281234567890"); err != nil {
			t.Fatal(err)
		}
		if err := b.stop(); err != nil {
			t.Fatalf("first run: %v\nstderr:\n%s", err, b.stderr)
		}
		stoppedAt := srv.LastSeq()

		b = startBot(t, srv, botEnv(srv), "run", "-config", cfg)
		// The bot polls only after resending what a crash left unsent:
		// after a clean stop there is nothing to resend.
		for _, m := range srv.SentTo(siti.ID) {
			if m.Seq > stoppedAt && m.Method != "answerCallbackQuery" {
				t.Errorf("after the restart the bot sent %s %q unasked", m.Method, m.Text)
			}
		}
		if err := p.fromQuestion3("3509015708900001", "17-08-1990", "Jl. Mawar 5, Kaliwates", "Pemula"); err != nil {
			t.Fatal(err)
		}
		if err := p.press("Konfirmasi", "kursi nomor 1"); err != nil {
			t.Fatal(err)
		}
		if err := b.stop(); err != nil {
			t.Fatalf("second run: %v\nstderr:\n%s", err, b.stderr)
		}
		checkSiti(t, participants(t, db))
	})

	// Ensure that when 40 people confirm at once for 16 seats, exactly 16
	// get seats 1..16, each told their own seat, and the other 24 are told
	// the batch is full and are not stored.
	t.Run("40 confirm at once for 16 seats", func(t *testing.T) {
		const people, seats = 40, 16
		cfg, db := writeTestConfig(t, seats, nil)
		srv := telegramtest.NewServer(testToken)
		defer srv.Close()
		b := startBot(t, srv, botEnv(srv), "run", "-config", cfg)

		ps := make([]person, people)
		errs := make([]error, people)
		var wg sync.WaitGroup
		for i := range ps {
			ps[i] = person{srv, telegramtest.User{ID: int64(6000001 + i), FirstName: fmt.Sprintf("Peserta%02d", i+1), LanguageCode: "id"}}
			wg.Go(func() {
				p := ps[i]
				errs[i] = p.upToQuestion3(fmt.Sprintf("Peserta Nomor %02d", i+1), fmt.Sprintf("62812000000%02d", i+1))
				if errs[i] == nil {
					errs[i] = p.fromQuestion3(fmt.Sprintf("35090157089000%02d", i+1), "17-08-1990", "Desa Sukorejo", "Sudah bisa")
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}

		after := srv.LastSeq()
		for _, p := range ps {
			if _, err := srv.PressButton(p.u, "Konfirmasi"); err != nil {
				t.Fatalf("user %d: pressing Konfirmasi: %v", p.u.ID, err)
			}
		}
		seatRe := regexp.MustCompile(`kursi nomor (\d+)`)
		told := map[int64]int{} // user id → seat the bot told them
		full := 0
		for _, p := range ps {
			m, err := p.wait(after, "Pendaftaran berhasil", "sudah penuh")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(m.Text, "sudah penuh") {
				full++
				continue
			}
			sm := seatRe.FindStringSubmatch(m.Text)
			if sm == nil {
				t.Fatalf("user %d: confirmation without a seat:\n%s", p.u.ID, m.Text)
			}
			told[p.u.ID], _ = strconv.Atoi(sm[1])
		}
		if len(told) != seats || full != people-seats {
			t.Errorf("%d told registered, %d told full; want %d and %d", len(told), full, seats, people-seats)
		}
		if err := b.stop(); err != nil {
			t.Fatalf("run: %v\nstderr:\n%s", err, b.stderr)
		}

		stored := participants(t, db)
		var got []int
		for _, p := range stored {
			if p.Batch != "angkatan-2" {
				t.Errorf("stored %+v, want only angkatan-2", p)
				continue
			}
			if p.Status == store.StatusWaiting && told[p.UserID] == 0 {
				continue // the waiting list may keep those told the batch is full
			}
			if p.Status != store.StatusRegistered {
				t.Errorf("stored %+v, want registered or waiting", p)
				continue
			}
			got = append(got, p.Seat)
			if told[p.UserID] != p.Seat {
				t.Errorf("user %d holds seat %d but was told %d", p.UserID, p.Seat, told[p.UserID])
			}
		}
		slices.Sort(got)
		want := make([]int, seats)
		for i := range want {
			want[i] = i + 1
		}
		if !slices.Equal(got, want) {
			t.Errorf("stored seats %v, want %v", got, want)
		}
	})
}

func TestRun_Token(t *testing.T) {
	// Ensure that without a token run fails before touching Telegram or the
	// database, naming TELEGRAM_BOT_TOKEN.
	t.Run("missing", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		srv := telegramtest.NewServer(testToken)
		defer srv.Close()
		var stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := run(ctx, []string{"run", "-config", cfg}, mapEnv(map[string]string{"DAFTAR_API_URL": srv.URL()}), strings.NewReader(""), io.Discard, &stderr)
		if err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
			t.Fatalf("run = %v, want an error naming TELEGRAM_BOT_TOKEN", err)
		}
		if code := exitCode(err, &stderr); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
		if n := srv.Requests("getMe") + srv.Requests("getUpdates"); n != 0 {
			t.Errorf("%d requests to Telegram without a token", n)
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the database was created: %v", err)
		}
	})

	// Ensure that a token Telegram rejects stops run at once with an error
	// that says so, and that neither the error nor the debug log shows the
	// token.
	for _, tc := range []struct {
		name  string
		setup func(srv *telegramtest.Server)
		token string // the server's token
	}{
		{"getMe answers 401", func(srv *telegramtest.Server) { srv.Inject("getMe", telegramtest.Fault{Status: 401}) }, testToken},
		{"unknown to the server", func(*telegramtest.Server) {}, "999:another-token"},
	} {
		t.Run("rejected/"+tc.name, func(t *testing.T) {
			cfg, _ := writeTestConfig(t, 0, nil)
			srv := telegramtest.NewServer(tc.token)
			defer srv.Close()
			tc.setup(srv)
			var stderr lockedBuffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			start := time.Now()
			err := run(ctx, []string{"run", "-config", cfg, "-v"}, botEnv(srv), strings.NewReader(""), io.Discard, &stderr)
			took := time.Since(start)
			if err == nil || !strings.Contains(err.Error(), "rejected") || !strings.Contains(err.Error(), "token") {
				t.Fatalf("run = %v, want an error saying the token is rejected", err)
			}
			if took > 3*time.Second {
				t.Errorf("run took %v to give up on a rejected token", took)
			}
			var printed bytes.Buffer
			if code := exitCode(err, &printed); code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			all := stderr.String() + printed.String() + err.Error()
			checkNoSecrets(t, "stderr and the error", all)
		})
	}
}

// seedParticipants stores ps, each confirmed for a seat of its batch, in a
// new database at path.
func seedParticipants(tb testing.TB, path string, ps ...store.Participant) {
	tb.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for _, p := range ps {
			if _, err := tx.ConfirmSeat(p, 16); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// exportPeople are the participants of the export and backup tests: names
// that CSV must quote, and one that a spreadsheet would run as a formula.
var exportPeople = []store.Participant{
	{
		UserID: 1001, ChatID: 1001, Batch: "angkatan-2", Lang: "id",
		Answers: map[string]string{
			"name": `Siti "Ani" Aminah, S.Pd`, "phone": "+6281234567890", "nik": "3509015708900001",
			"birth_date": "1990-08-17", "address": "Jl. Mawar 5, Kaliwates", "experience": "Pemula",
		},
		ConsentAt:    time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC),
		RegisteredAt: time.Date(2026, 11, 28, 3, 4, 5, 0, time.UTC),
	},
	{
		UserID: 1002, ChatID: 1002, Batch: "angkatan-2", Lang: "en",
		Answers: map[string]string{
			"name": "Dewi\nLestari", "phone": "+6285712345678", "nik": "3509015601920002",
			"birth_date": "1992-01-16", "address": "=HYPERLINK(\"x\")", "experience": "Sudah bisa",
		},
		ConsentAt:    time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC),
		RegisteredAt: time.Date(2026, 11, 28, 20, 30, 0, 0, time.UTC),
	},
}

// exportHeader is the contract header, then the attendance columns
// (config.example.toml's longest batch has 7 days), then telegram.
const exportHeader = "seat,batch,status,name,phone,nik,birth_date,address,experience,language,registered_at," +
	"day_1,day_2,day_3,day_4,day_5,day_6,day_7,days_present,certificate,telegram"

// noRollCall are the attendance cells of a registered person before any
// roll call of their batch.
var noRollCall = []string{"", "", "", "", "", "", "", "0", "no"}

// exportRows are exportPeople as exported: registered through the bot,
// so telegram "yes".
var exportRows = [][]string{
	strings.Split(exportHeader, ","),
	append(append([]string{"1", "angkatan-2", "registered", `Siti "Ani" Aminah, S.Pd`, "+6281234567890", "3509015708900001", "1990-08-17", "Jl. Mawar 5, Kaliwates", "Pemula", "id", "2026-11-28T10:04:05+07:00"}, noRollCall...), "yes"),
	append(append([]string{"2", "angkatan-2", "registered", "Dewi\nLestari", "+6285712345678", "3509015601920002", "1992-01-16", "'=HYPERLINK(\"x\")", "Sudah bisa", "en", "2026-11-29T03:30:00+07:00"}, noRollCall...), "yes"),
}

// checkCSV checks an export: a BOM, the contract header, then the rows.
func checkCSV(tb testing.TB, data []byte) {
	tb.Helper()
	rest, ok := bytes.CutPrefix(data, []byte("\ufeff"))
	if !ok {
		tb.Fatalf("export does not start with a UTF-8 BOM: %q", data[:min(len(data), 20)])
	}
	if line, _, _ := bytes.Cut(rest, []byte("\n")); string(bytes.TrimSuffix(line, []byte("\r"))) != exportHeader {
		tb.Errorf("header line = %q, want %q", line, exportHeader)
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		tb.Fatalf("parse export: %v\n%s", err, rest)
	}
	if !slices.EqualFunc(rows, exportRows, slices.Equal) {
		tb.Errorf("export rows:\n%q\nwant:\n%q", rows, exportRows)
	}
}

// checkToolFailsWhileBotRuns runs a tool command while the bot holds the
// database: it must fail within a second, saying the database is in use.
func checkToolFailsWhileBotRuns(t *testing.T, args func(cfg, out string) []string) {
	t.Helper()
	cfg, db := writeTestConfig(t, 0, nil)
	seedParticipants(t, db, exportPeople...)
	srv := telegramtest.NewServer(testToken)
	defer srv.Close()
	startBot(t, srv, botEnv(srv), "run", "-config", cfg)

	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	err := run(ctx, args(cfg, out), mapEnv(nil), strings.NewReader(""), &stdout, &stderr)
	took := time.Since(start)
	if err == nil {
		t.Fatal("run succeeded while the bot holds the database")
	}
	if !strings.Contains(err.Error(), "in use") {
		t.Errorf("error %q does not say the database is in use", err)
	}
	if took > time.Second {
		t.Errorf("took %v to fail, want under 1 s", took)
	}
	if code := exitCode(err, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was written: %v", out, err)
	}
}

func TestRun_Export(t *testing.T) {
	// Ensure that the CSV export on stdout has the BOM, the contract header
	// and every participant, names with commas, quotes and newlines intact
	// and times in the course time zone.
	t.Run("csv to stdout", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		seedParticipants(t, db, exportPeople...)
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"export", "-config", cfg, "-format", "csv"}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("export: %v\nstderr:\n%s", err, stderr.String())
		}
		checkCSV(t, stdout.Bytes())
		if stderr.Len() != 0 {
			t.Errorf("stderr: %s", stderr.String())
		}
	})

	// Ensure that the CSV's separator is export.separator, or -separator,
	// which wins: the same header keys and rows, separated by ";" for Excel
	// set to Indonesian; and that another separator is refused.
	t.Run("separator", func(t *testing.T) {
		// The one-course file of the previous release has no [export].
		semicolon := func(s string) string { return s + "\n[export]\nseparator = \";\"\n" }
		for _, tc := range []struct {
			name string
			edit func(string) string
			args []string
			want rune
		}{
			{"config", semicolon, nil, ';'},
			{"flag", nil, []string{"-separator", ";"}, ';'},
			{"flag wins", semicolon, []string{"-separator", ","}, ','},
			{"tab", nil, []string{"-separator", `\t`}, '\t'},
		} {
			cfg, db := writeTestConfig(t, 0, tc.edit)
			seedParticipants(t, db, exportPeople...)
			var stdout, stderr bytes.Buffer
			args := append([]string{"export", "-config", cfg, "-format", "csv"}, tc.args...)
			if err := run(context.Background(), args, mapEnv(nil), nil, &stdout, &stderr); err != nil {
				t.Fatalf("%s: export: %v\nstderr:\n%s", tc.name, err, stderr.String())
			}
			rest := bytes.TrimPrefix(stdout.Bytes(), []byte("\ufeff"))
			r := csv.NewReader(bytes.NewReader(rest))
			r.Comma = tc.want
			rows, err := r.ReadAll()
			if err != nil || !slices.EqualFunc(rows, exportRows, slices.Equal) {
				t.Errorf("%s: rows separated by %q:\n%q (%v)\nwant:\n%q", tc.name, tc.want, rows, err, exportRows)
			}
		}
		cfg, _ := writeTestConfig(t, 0, nil)
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"export", "-config", cfg, "-separator", "::"}, mapEnv(nil), nil, &stdout, &stderr)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(stderr.String(), `-separator "::": use`) || stdout.Len() != 0 {
			t.Errorf("-separator '::': %v, stderr %q, stdout %d bytes", err, stderr.String(), stdout.Len())
		}
		bad, _ := writeTestConfig(t, 0, func(s string) string { return s + "\n[export]\nseparator = \"::\"\n" })
		if _, err := loadConfig(bad, noEnv); err == nil || !strings.Contains(err.Error(), `export.separator "::": want "," or ";"`) {
			t.Errorf("export.separator \"::\": %v", err)
		}
	})

	// Ensure that -o writes the same CSV to a 0600 file and nothing to
	// stdout.
	t.Run("csv to a file", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		seedParticipants(t, db, exportPeople...)
		out := filepath.Join(t.TempDir(), "peserta.csv")
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"export", "-config", cfg, "-format", "csv", "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("export: %v\nstderr:\n%s", err, stderr.String())
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		checkCSV(t, data)
		checkMode(t, out, 0o600)
		if stdout.Len() != 0 {
			t.Errorf("stdout: %q", stdout.String())
		}
		entries, _ := os.ReadDir(filepath.Dir(out))
		if len(entries) != 1 {
			t.Errorf("the output directory holds %d files, want only the export", len(entries))
		}
	})

	// Ensure that an export of the database a registration through the bot
	// left is one row with the answers as typed.
	t.Run("after a registration", func(t *testing.T) {
		cfg, _ := writeTestConfig(t, 0, nil)
		srv := telegramtest.NewServer(testToken)
		defer srv.Close()
		b := startBot(t, srv, botEnv(srv), "run", "-config", cfg)
		registerSiti(t, srv)
		if err := b.stop(); err != nil {
			t.Fatalf("run: %v", err)
		}
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"export", "-config", cfg}, mapEnv(nil), nil, &stdout, io.Discard); err != nil {
			t.Fatalf("export: %v", err)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d rows, want header and one:\n%s", len(rows), stdout.String())
		}
		want := []string{"1", "angkatan-2", "registered", "Siti Aminah Rahayu", "+6281234567890", "3509015708900001", "1990-08-17", "Jl. Mawar 5, Kaliwates", "Pemula", "id"}
		if got := rows[1][:len(want)]; !slices.Equal(got, want) {
			t.Errorf("row = %q, want %q", got, want)
		}
		if at, err := time.Parse(time.RFC3339, rows[1][10]); err != nil || !strings.HasSuffix(rows[1][10], "+07:00") {
			t.Errorf("registered_at %q: want RFC 3339 in +07:00 (%v)", rows[1][10], err)
		} else if d := time.Since(at); d < 0 || d > time.Minute {
			t.Errorf("registered_at %v is not just now", at)
		}
	})

	// Ensure that -format xlsx writes a 0600 workbook: the summary first,
	// then a sheet per batch whose header row is the CSV's columns headed
	// in the course language and whose cells hold the same values, phone
	// and NIK as text.
	t.Run("xlsx to a file", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		seedParticipants(t, db, exportPeople...)
		out := filepath.Join(t.TempDir(), "peserta.xlsx")
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"export", "-config", cfg, "-format", "xlsx", "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("export: %v\nstderr:\n%s", err, stderr.String())
		}
		checkMode(t, out, 0o600)
		if stdout.Len() != 0 {
			t.Errorf("stdout: %q", stdout.String())
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatalf("open the workbook: %v", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) != 3 || sheets[0] != "Ringkasan" {
			t.Fatalf("sheets = %q, want Ringkasan and a sheet per batch", sheets)
		}
		rows, err := f.GetRows(sheets[2])
		if err != nil {
			t.Fatal(err)
		}
		header := []string{"Kursi", "Angkatan", "Status", "Nama lengkap (sesuai KTP)", "Nomor HP/WhatsApp", "NIK (nomor induk kependudukan)",
			"Tanggal lahir", "Alamat (desa/kelurahan, kecamatan)", "Pengalaman menjahit", "Bahasa", "Waktu daftar",
			"Hari 1", "Hari 2", "Hari 3", "Hari 4", "Hari 5", "Hari 6", "Hari 7", "Hari hadir", "Sertifikat", "Akun Telegram"}
		if len(rows) != len(exportRows) || !slices.Equal(rows[0], header) || len(header) != len(exportRows[0]) {
			t.Fatalf("rows of %s:\n%q\nwant the header %q (the columns %q) and %d people", sheets[2], rows, header, exportRows[0], len(exportRows)-1)
		}
		for i, want := range [][]string{
			{"1", "angkatan-2", "registered", `Siti "Ani" Aminah, S.Pd`, "+6281234567890", "3509015708900001", "1990-08-17", "Jl. Mawar 5, Kaliwates", "Pemula", "id", "2026-11-28 10:04:05"},
			{"2", "angkatan-2", "registered", "Dewi\nLestari", "+6285712345678", "3509015601920002", "1992-01-16", `=HYPERLINK("x")`, "Sudah bisa", "en", "2026-11-29 03:30:00"},
		} {
			if got := rows[i+1][:len(want)]; !slices.Equal(got, want) {
				t.Errorf("row %d = %q, want %q", i+2, got, want)
			}
			if formula, _ := f.GetCellFormula(sheets[2], fmt.Sprintf("H%d", i+2)); formula != "" {
				t.Errorf("H%d is the formula %q", i+2, formula)
			}
		}
	})

	// Ensure that the export says which registrations belong to a
	// Telegram account, in the CSV and the XLSX: the bot's registration
	// and a walk-in who opened their claim link "yes", a walk-in who has
	// not "no" (with an empty language cell).
	t.Run("walk-ins", func(t *testing.T) {
		cfg, dbPath := writeTestConfig(t, 0, nil)
		seedParticipants(t, dbPath, exportPeople[0])
		bt, _, ok := mustLoadConfig(t, cfg, noEnv).catalog().Batch("angkatan-2")
		if !ok {
			t.Fatal("no angkatan-2")
		}
		db, err := store.Open(dbPath, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
		seats := []store.Seats{{Batch: bt}}
		err = db.Update(func(tx *store.Tx) error {
			for i, name := range []string{"Sri Wahyuni", "Rudi Hartono"} {
				p := store.Participant{Batch: bt.ID, ConsentAt: now, Answers: map[string]string{"name": name, "nik": fmt.Sprintf("350912450792000%d", i+3)}}
				_, w, err := tx.EnrolWalkIn(seats[0], p, 910001, now)
				if err != nil {
					return err
				}
				if i == 0 {
					if _, err := tx.ClaimWalkIn(seats, w.Code, 800001, 800001, "en", now.Add(time.Hour)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]string{ // language, telegram
			`Siti "Ani" Aminah, S.Pd`: {"id", "yes"}, "Sri Wahyuni": {"en", "yes"}, "Rudi Hartono": {"", "no"},
		}
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"export", "-config", cfg, "-format", "csv"}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("export: %v\nstderr:\n%s", err, stderr.String())
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1+len(want) || !slices.Equal(rows[0], exportRows[0]) {
			t.Fatalf("CSV:\n%q\nwant the header %q and %d rows", rows, exportRows[0], len(want))
		}
		out := filepath.Join(t.TempDir(), "peserta.xlsx")
		if err := run(context.Background(), []string{"export", "-config", cfg, "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("export xlsx: %v\nstderr:\n%s", err, stderr.String())
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		xrows, err := f.GetRows("Angkatan 2")
		if err != nil {
			t.Fatal(err)
		}
		if len(xrows) != len(rows) || xrows[0][len(xrows[0])-1] != "Akun Telegram" {
			t.Fatalf("XLSX rows %q, want %d and the last column headed Akun Telegram", xrows, len(rows))
		}
		lang, last := slices.Index(rows[0], "language"), len(rows[0])-1
		for i, row := range rows[1:] {
			w, ok := want[row[3]]
			if !ok {
				t.Errorf("CSV row of %q", row[3])
				continue
			}
			if row[lang] != w[0] || row[last] != w[1] {
				t.Errorf("%s: CSV language %q, telegram %q; want %q, %q", row[3], row[lang], row[last], w[0], w[1])
			}
			// GetRows drops a row's empty cells at its end only: the
			// telegram cell is never empty.
			if x := xrows[i+1]; len(x) != len(row) || x[3] != row[3] || x[last] != w[1] {
				t.Errorf("%s: XLSX row %q, want telegram %q last", row[3], x, w[1])
			}
		}
	})

	// Ensure that an unknown format is refused with a clear error and
	// writes nothing.
	t.Run("unknown format", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		seedParticipants(t, db, exportPeople...)
		out := filepath.Join(t.TempDir(), "peserta.ods")
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"export", "-config", cfg, "-format", "ods", "-o", out}, mapEnv(nil), nil, &stdout, &stderr)
		if err == nil {
			t.Fatal("export -format ods succeeded")
		}
		for _, want := range []string{`"ods"`, "-format csv", "-format xlsx"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		}
		if code := exitCode(err, &stderr); code == 0 {
			t.Error("exit code 0")
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was written: %v", out, err)
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout: %q", stdout.String())
		}
	})

	// Ensure that export fails at once, never hangs, while the bot runs.
	t.Run("bot running", func(t *testing.T) {
		checkToolFailsWhileBotRuns(t, func(cfg, _ string) []string { return []string{"export", "-config", cfg, "-format", "csv"} })
	})
	t.Run("bot running, -o", func(t *testing.T) {
		checkToolFailsWhileBotRuns(t, func(cfg, out string) []string { return []string{"export", "-config", cfg, "-o", out} })
	})
}

func TestRun_Backup(t *testing.T) {
	// Ensure that backup writes a 0600 copy that opens as a database with
	// the same participants.
	t.Run("copy", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		seedParticipants(t, db, exportPeople...)
		out := filepath.Join(t.TempDir(), "backup.db")
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{"backup", "-config", cfg, "-o", out}, mapEnv(nil), nil, &stdout, &stderr); err != nil {
			t.Fatalf("backup: %v\nstderr:\n%s", err, stderr.String())
		}
		checkMode(t, out, 0o600)
		want, got := participants(t, db), participants(t, out)
		if len(got) != len(exportPeople) {
			t.Fatalf("backup holds %d participants, want %d", len(got), len(exportPeople))
		}
		for i := range want {
			if got[i].UserID != want[i].UserID || got[i].Seat != want[i].Seat || !maps.Equal(got[i].Answers, want[i].Answers) || !got[i].RegisteredAt.Equal(want[i].RegisteredAt) {
				t.Errorf("backup participant %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})

	// Ensure that backup fails at once, never hangs, while the bot runs.
	t.Run("bot running", func(t *testing.T) {
		checkToolFailsWhileBotRuns(t, func(cfg, out string) []string { return []string{"backup", "-config", cfg, "-o", out} })
	})

	// Ensure that backup without -o is a usage error (exit status 2) that
	// tells the operator what is missing.
	t.Run("no -o", func(t *testing.T) {
		cfg, db := writeTestConfig(t, 0, nil)
		seedParticipants(t, db, exportPeople...)
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"backup", "-config", cfg}, mapEnv(nil), nil, &stdout, &stderr)
		if code := exitCode(err, &stderr); code != 2 {
			t.Errorf("exit code %d (%v), want 2", code, err)
		}
		if !strings.Contains(stderr.String(), "-o") {
			t.Errorf("stderr does not say -o is missing: %q", stderr.String())
		}
	})
}

func TestRun_Check(t *testing.T) {
	// Ensure that check accepts the example config and prints the reminder
	// timeline of every batch.
	t.Run("example", func(t *testing.T) {
		dir := t.TempDir()
		data, err := os.ReadFile("config.example.toml")
		if err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(cfg, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		err = run(context.Background(), []string{"check", "-config", cfg}, mapEnv(nil), nil, &stdout, &stderr)
		if code := exitCode(err, &stderr); code != 0 {
			t.Fatalf("exit code %d: %v\nstderr:\n%s", code, err, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{
			"batch angkatan-2 (Angkatan 2): Mon 2027-02-01 – Sun 2027-02-07",
			"  2027-01-31 19:00 WIB  evening  day 1/7\n",
			"  2027-02-01 06:00 WIB  morning  day 1/7\n",
			"  2027-02-07 06:00 WIB  morning  day 7/7\n",
			"store:  " + filepath.Join(dir, "daftar.db"),
			"token:  no",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output does not contain %q:\n%s", want, out)
			}
		}
		if stderr.Len() != 0 {
			t.Errorf("stderr: %s", stderr.String())
		}
	})

	// Ensure that a config with two problems gives exit status 1 and
	// reports both, each with file:line.
	t.Run("two problems", func(t *testing.T) {
		cfg, _ := writeTestConfig(t, 0, func(s string) string {
			s = replaceOnce(t, s, `timezone = "Asia/Jakarta"`, `timezone = "Asia/Jakarta-Timur"`)
			return replaceOnce(t, s, `daily_end = "15:00"`, `daily_end = "3 sore"`)
		})
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"check", "-config", cfg}, mapEnv(nil), nil, &stdout, &stderr)
		if code := exitCode(err, &stderr); code != 1 {
			t.Fatalf("exit code %d (%v), want 1", code, err)
		}
		out := stderr.String()
		for _, re := range []string{
			regexp.QuoteMeta(cfg) + `:\d+: course\.timezone "Asia/Jakarta-Timur": unknown time zone`,
			regexp.QuoteMeta(cfg) + `:\d+: course\.batches\[0\]\.daily_end "3 sore": want a time of day`,
		} {
			if !regexp.MustCompile(re).MatchString(out) {
				t.Errorf("stderr does not match %s:\n%s", re, out)
			}
		}
		if n := strings.Count(strings.TrimSpace(out), "\n") + 1; n != 2 {
			t.Errorf("stderr has %d lines, want the 2 problems once each:\n%s", n, out)
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout: %s", stdout.String())
		}
	})
}

func TestRun_Commands(t *testing.T) {
	// Ensure that version prints "daftar <version>".
	t.Run("version", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"version"}, mapEnv(nil), nil, &stdout, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		if out := stdout.String(); !strings.HasPrefix(out, "daftar ") || len(strings.TrimSpace(out)) <= len("daftar") {
			t.Errorf("version printed %q", out)
		}
	})

	// Ensure that an unknown command is a usage error (exit status 2) that
	// names it and shows the usage.
	t.Run("unknown command", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"exprot", "-config", "x.toml"}, mapEnv(nil), nil, &stdout, &stderr)
		var printed bytes.Buffer
		if code := exitCode(err, &printed); code != 2 {
			t.Errorf("exit code %d (%v), want 2", code, err)
		}
		out := stderr.String() + printed.String()
		for _, want := range []string{`"exprot"`, "usage: daftar", "export -config FILE"} {
			if !strings.Contains(out, want) {
				t.Errorf("stderr does not contain %q:\n%s", want, out)
			}
		}
		if strings.Count(out, "unknown command") != 1 {
			t.Errorf("the error is not reported exactly once:\n%s", out)
		}
	})

	// Ensure that a flag a command does not know is a usage error.
	t.Run("unknown flag", func(t *testing.T) {
		var stderr bytes.Buffer
		err := run(context.Background(), []string{"export", "-formta", "csv"}, mapEnv(nil), nil, io.Discard, &stderr)
		if code := exitCode(err, &stderr); code != 2 {
			t.Errorf("exit code %d (%v), want 2", code, err)
		}
		if !strings.Contains(stderr.String(), "formta") {
			t.Errorf("stderr: %s", stderr.String())
		}
	})
}

// Ensure that export reads a database written by an older daftar, which
// lacks the buckets newer versions add (testdata/older.db has no
// attendance bucket): the tool adds them, as the bot would at its start,
// instead of failing.
func TestRun_ExportOlderDatabase(t *testing.T) {
	cfg, dbPath := writeTestConfig(t, 0, nil)
	data, err := os.ReadFile("testdata/older.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dbPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dbPath, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrOutdated) {
		t.Fatalf("read-only open of an older file: %v, want ErrOutdated", err)
	}
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"export", "-config", cfg, "-format", "csv"}, mapEnv(nil), nil, &out, &errs); err != nil {
		t.Fatalf("export: %v\n%s", err, errs.String())
	}
	if !strings.HasPrefix(out.String(), "\ufeffseat,batch,status") {
		t.Errorf("export of an older database: %q", out.String())
	}
}
