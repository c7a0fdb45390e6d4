package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The shutdown tests run the real program in a child process, as the crash
// tests do (crash_test.go), but end it the way systemd and an operator's
// Ctrl-C do: with SIGTERM. Unlike TestCrashChild, the child exits with the
// status daftar itself would, so that a clean stop can be told apart.
const shutdownChildEnv = "DAFTAR_SHUTDOWN_CHILD_CONFIG"

// shutdownDeadline is how long a stop may take: systemd's TimeoutStopSec in
// deploy/daftar.service is 15 s, after which it kills the process.
const shutdownDeadline = 10 * time.Second

// TestShutdownChild is the child: it runs the bot until a signal stops it
// and exits as main would. It does nothing in a normal test run.
func TestShutdownChild(t *testing.T) {
	cfg := os.Getenv(shutdownChildEnv)
	if cfg == "" {
		t.Skip("only runs as the child of a shutdown test")
	}
	err := run(context.Background(), []string{"run", "-config", cfg}, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	os.Exit(exitCode(err, os.Stderr))
}

// startShutdownChild starts the bot on the config cfg in a child process
// and waits until it polls srv (or registers its webhook), so that its
// signal handlers are in place.
// stderr collects the child's log; read it only after the child is done.
func startShutdownChild(t *testing.T, srv *telegramtest.Server, cfg, token string) (c *crashChild, stderr *strings.Builder) {
	t.Helper()
	// The child takes updates once it polls or, with a webhook in cfg,
	// once it registered the webhook.
	first := "getUpdates"
	if data, err := os.ReadFile(cfg); err == nil && strings.Contains(string(data), "webhook_url") {
		first = "setWebhook"
	}
	polls := srv.Requests(first)
	cmd := exec.Command(os.Args[0], "-test.run=^TestShutdownChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), shutdownChildEnv+"="+cfg, "TELEGRAM_BOT_TOKEN="+token,
		// A race-enabled binary otherwise sleeps 1 s at exit, which the
		// real program does not.
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	stderr = new(strings.Builder)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c = &crashChild{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.done
		if t.Failed() {
			t.Logf("child stderr:\n%s", stderr.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.WaitRequests(ctx, first, polls+1); err != nil {
		t.Fatalf("the child does not take updates (%s): %v", first, err)
	}
	return c, stderr
}

// terminate sends SIGTERM to c and waits for it to exit, returning how long
// that took and the exit status. The test fails when it takes longer than
// shutdownDeadline or ends with any status but 0.
func terminate(t *testing.T, c *crashChild) (time.Duration, int) {
	t.Helper()
	start := time.Now()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(3 * shutdownDeadline):
		t.Fatalf("the child did not exit within %v of SIGTERM", 3*shutdownDeadline)
	}
	took, code := time.Since(start), c.cmd.ProcessState.ExitCode()
	if took > shutdownDeadline {
		t.Errorf("the child took %v to exit after SIGTERM, want at most %v", took.Round(time.Millisecond), shutdownDeadline)
	}
	if code != 0 {
		t.Errorf("the child exited with status %d (%v) after SIGTERM, want 0", code, c.cmd.ProcessState)
	}
	return took, code
}

// seedReminders registers n people (user and chat ids 1..n) in angkatan-2
// of the database at path and queues one reminder for each.
func seedReminders(t *testing.T, path string, n int) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for u := int64(1); u <= int64(n); u++ {
			p := store.Participant{UserID: u, ChatID: u, Batch: "angkatan-2", Lang: "id", Answers: map[string]string{"name": "Peserta"}}
			if _, err := tx.ConfirmSeat(p, n); err != nil {
				return err
			}
			_, err := tx.Enqueue(store.ReminderEntry(store.ReminderPayload{Batch: "angkatan-2", Day: 1, Slot: store.Evening},
				store.Participant{UserID: u, ChatID: u}, time.Time{}))
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// shutdownRig is a fake Telegram, a database with n queued reminders
// (chats 1..n) and the people who write to the bot (chats from 100001 on).
type shutdownRig struct {
	t       *testing.T
	srv     *telegramtest.Server
	cfg, db string
	n       int
	starts  map[int64]int64 // chat -> update id of its /start
	webhook string          // the webhook's address on loopback; "" polls
}

const shutdownToken = "888:shutdown-test-token"

func newShutdownRig(t *testing.T, n, sendRate int) *shutdownRig {
	srv := telegramtest.NewServer(shutdownToken)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	r := &shutdownRig{t: t, srv: srv, cfg: crashConfig(t, dir, srv.URL(), n, sendRate), db: filepath.Join(dir, "daftar.db"), n: n, starts: map[int64]int64{}}
	seedReminders(t, r.db, n)
	return r
}

// pushed makes the rig's bot take its updates from a webhook on loopback
// (telegram.webhook_url) instead of polling.
func (r *shutdownRig) pushed() {
	addr, err := telegramtest.FreeAddr()
	if err != nil {
		r.t.Fatal(err)
	}
	r.webhook = addr
	r.writeWebhook()
}

// writeWebhook adds the webhook's keys to the rig's config, which
// crashConfig writes without them.
func (r *shutdownRig) writeWebhook() {
	if r.webhook == "" {
		return
	}
	data, err := os.ReadFile(r.cfg)
	if err != nil {
		r.t.Fatal(err)
	}
	api := `api_url = "` + r.srv.URL() + `"`
	cfg := replaceOnce(r.t, string(data), api, api+"\nwebhook_url = \"http://"+r.webhook+"/telegram\"\nwebhook_listen = \""+r.webhook+"\"")
	if err := os.WriteFile(r.cfg, []byte(cfg), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// people sends /start from count new people.
func (r *shutdownRig) people(count int) {
	first := int64(100001 + len(r.starts))
	for id := first; id < first+int64(count); id++ {
		r.starts[id] = r.srv.SendText(telegramtest.User{ID: id, FirstName: "Peserta", LanguageCode: "id"}, "/start")
	}
}

// reminded returns how many messages each of the n reminded chats got.
func (r *shutdownRig) reminded() map[int64]int {
	got := map[int64]int{}
	for _, m := range r.srv.Sent() {
		if m.Method == "sendMessage" && m.ChatID >= 1 && m.ChatID <= int64(r.n) {
			got[m.ChatID]++
		}
	}
	return got
}

// answered reports whether chat got a message from the bot.
func (r *shutdownRig) answered(chat int64) bool {
	for _, m := range r.srv.SentTo(chat) {
		if m.Method == "sendMessage" {
			return true
		}
	}
	return false
}

// waitUntil waits until cond holds, checking after every message the bot
// sends.
func (r *shutdownRig) waitUntil(what string, cond func() bool) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		seq := r.srv.LastSeq()
		if cond() {
			return
		}
		if _, err := r.srv.WaitSent(ctx, seq, nil); err != nil {
			r.t.Fatalf("waiting until %s: %v", what, err)
		}
	}
}

// checkStopped opens the database of a stopped bot for writing, which fails
// when the lock is still held, and checks that the stop lost nothing: the
// outbox holds every reminder, sent exactly when Telegram has it; every
// update the bot confirmed to Telegram is journaled or was answered; the
// journal holds only confirmed updates. It returns the outbox counts.
func (r *shutdownRig) checkStopped() map[store.OutboxStatus]int {
	r.t.Helper()
	db, err := store.Open(r.db, store.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		r.t.Fatalf("the database does not open after the stop: %v", err)
	}
	defer db.Close()

	counts, err := db.OutboxCounts()
	if err != nil {
		r.t.Fatal(err)
	}
	if counts[store.OutboxSent]+counts[store.OutboxQueued] != r.n || len(counts) > 2 {
		r.t.Errorf("outbox counts %v: want %d reminders, each sent or still queued", counts, r.n)
	}
	if got := len(r.reminded()); got != counts[store.OutboxSent] {
		r.t.Errorf("telegram has %d reminders, the outbox says %d sent: a send was cut off or lost", got, counts[store.OutboxSent])
	}

	offset, err := db.Offset()
	if err != nil {
		r.t.Fatal(err)
	}
	journaled, err := db.Journaled()
	if err != nil {
		r.t.Fatal(err)
	}
	inJournal := map[int64]bool{}
	for _, u := range journaled {
		inJournal[u.ID] = true
		// A pushed update is confirmed by the answer to its push, not by
		// the offset.
		if r.webhook == "" && u.ID >= offset {
			r.t.Errorf("journaled update %d is not below the confirmed offset %d", u.ID, offset)
		}
	}
	replies, err := db.PendingReplies()
	if err != nil {
		r.t.Fatal(err)
	}
	pending := map[int64]bool{}
	for _, p := range replies {
		pending[p.ChatID] = true
	}
	for chat, id := range r.starts {
		if r.srv.Confirmed(id) && !inJournal[id] && !r.answered(chat) && !pending[chat] {
			r.t.Errorf("update %d of chat %d was confirmed to telegram but is neither journaled nor answered, nor its answer recorded", id, chat)
		}
	}
	r.t.Logf("after the stop: offset %d, %d journaled, %d replies pending, outbox %v", offset, len(journaled), len(replies), counts)
	return counts
}

// restartAndFinish starts the bot again with send_rate sendRate, waits
// until every reminder is delivered and everybody answered, stops it and
// checks that nothing is left: the journal and the pending replies are
// empty, the outbox is sent.
func (r *shutdownRig) restartAndFinish(sendRate int) {
	r.t.Helper()
	crashConfig(r.t, filepath.Dir(r.cfg), r.srv.URL(), r.n, sendRate)
	r.writeWebhook()
	c, _ := startShutdownChild(r.t, r.srv, r.cfg, shutdownToken)
	r.waitUntil("everything is delivered", func() bool {
		if len(r.reminded()) < r.n {
			return false
		}
		for chat := range r.starts {
			if !r.answered(chat) {
				return false
			}
		}
		return true
	})
	terminate(r.t, c)
	db, err := store.Open(r.db, store.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	journaled, err := db.Journaled()
	if err != nil || len(journaled) != 0 {
		r.t.Errorf("journal after the final stop: %d updates, %v; want empty", len(journaled), err)
	}
	replies, err := db.PendingReplies()
	if err != nil || len(replies) != 0 {
		r.t.Errorf("pending replies after the final stop: %d, %v; want none", len(replies), err)
	}
	counts, err := db.OutboxCounts()
	if err != nil || counts[store.OutboxSent] != r.n {
		r.t.Errorf("outbox counts %v, %v: want %d sent", counts, err, r.n)
	}
}

func TestShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("shutdown test: starts the program in child processes; runs without -short")
	}

	// Ensure that SIGTERM in the middle of traffic — reminders going out,
	// people writing — stops the bot within the deadline with status 0,
	// after finishing what was in flight: the database is released, no
	// reminder is lost or sent twice, no confirmed update is lost, and
	// after a restart everything is delivered exactly once.
	// The same with the updates pushed to a webhook: the pushes in
	// progress are answered or cut off (Telegram pushes those again).
	for _, webhook := range []bool{false, true} {
		name := "Traffic"
		if webhook {
			name = "TrafficWebhook"
		}
		t.Run(name, func(t *testing.T) { shutdownTraffic(t, webhook) })
	}

	// Ensure that with a Telegram that does not answer sendMessage, the
	// stop still comes within the deadline with status 0: the sends in
	// flight are cut off after the grace period, and what they carried stays
	// queued or recorded, and goes out after a restart.
	t.Run("SlowServer", func(t *testing.T) {
		t.Parallel()
		r := newShutdownRig(t, 40, 30)
		r.srv.Inject("sendMessage", telegramtest.Fault{Delay: time.Hour})
		c, _ := startShutdownChild(t, r.srv, r.cfg, shutdownToken)
		r.people(10)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Sends of reminders and of answers are hanging in the server.
		if err := r.srv.WaitRequests(ctx, "sendMessage", 10); err != nil {
			t.Fatalf("the bot does not send: %v", err)
		}
		took, _ := terminate(t, c)
		t.Logf("stopped in %v", took.Round(time.Millisecond))

		counts := r.checkStopped()
		if counts[store.OutboxQueued] != r.n {
			t.Errorf("outbox counts %v: want all %d reminders still queued", counts, r.n)
		}
		r.srv.ClearFaults()
		r.restartAndFinish(30)
	})
}

// shutdownTraffic is TestShutdown/Traffic, the updates polled or pushed
// to a webhook.
func shutdownTraffic(t *testing.T, webhook bool) {
	t.Parallel()
	r := newShutdownRig(t, 200, 10) // 20 s of sending: the stop comes in the middle
	if webhook {
		r.pushed()
	}
	c, stderr := startShutdownChild(t, r.srv, r.cfg, shutdownToken)
	r.people(30)
	r.waitUntil("some reminders are out and some people answered", func() bool {
		n := 0
		for chat := range r.starts {
			if r.answered(chat) {
				n++
			}
		}
		return n >= 10 && len(r.reminded()) >= 20
	})
	// Thirty more: the signal comes as soon as the first of them is
	// answered, while the others are in the handlers or on their way.
	before := len(r.starts)
	r.people(30)
	r.waitUntil("one more person is answered", func() bool {
		n := 0
		for chat := range r.starts {
			if r.answered(chat) {
				n++
			}
		}
		return n > before
	})
	took, _ := terminate(t, c)
	t.Logf("stopped in %v", took.Round(time.Millisecond))
	if log := stderr.String(); !strings.Contains(log, "msg=stopped") || strings.Contains(log, "level=ERROR") {
		t.Errorf("the child's log lacks a clean stop or has errors:\n%s", log)
	}

	counts := r.checkStopped()
	if counts[store.OutboxQueued] == 0 {
		t.Errorf("every reminder went out before the stop: the test did not stop the bot mid-way")
	}
	r.restartAndFinish(30)
	for chat, k := range r.reminded() {
		if k != 1 {
			t.Errorf("chat %d got %d reminders across a graceful restart, want 1", chat, k)
		}
	}
}
