package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The crash tests run the real program (run with "run -config FILE") in a
// child process — this test binary started again with crashChildEnv set —
// and kill it with SIGKILL at random moments.
const crashChildEnv = "DAFTAR_CRASH_CHILD_CONFIG"

// testSeed returns a random seed for a randomized test, or the one in the
// environment variable env to replay a run; it logs how to replay.
func testSeed(t *testing.T, env string) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(env); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", env, s, err)
		}
	}
	t.Logf("seed %d (replay with %s=%d)", seed, env, seed)
	return seed
}

// TestCrashChild is the child: it runs the bot until it is killed. It does
// nothing in a normal test run.
func TestCrashChild(t *testing.T) {
	cfg := os.Getenv(crashChildEnv)
	if cfg == "" {
		t.Skip("only runs as the child of a crash test")
	}
	err := run(context.Background(), []string{"run", "-config", cfg}, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	fmt.Fprintln(os.Stderr, "child stopped:", err)
	os.Exit(3)
}

// crashChild is one running child process.
type crashChild struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

func startCrashChild(t *testing.T, cfg, token string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+cfg, "TELEGRAM_BOT_TOKEN="+token)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &crashChild{cmd: cmd, done: make(chan struct{})}
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
	return c
}

func (c *crashChild) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.done
}

// stop ends the child with SIGTERM and waits for its clean exit.
func (c *crashChild) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(15 * time.Second):
		t.Fatal("the child did not stop within 15 s of SIGTERM")
	}
}

// inFlightAt returns the outbox entries the database at path has marked
// as being sent: after a kill, only these may arrive twice, each once
// more. There are never more than telegram.MaxInFlight. The child must be
// dead (the file unlocked).
func inFlightAt(t *testing.T, path string) []store.OutboxEntry {
	t.Helper()
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.InFlight()
	if err != nil {
		t.Fatal(err)
	}
	var marked []store.OutboxEntry
	for _, e := range loadOutbox(t, db) {
		if e.Status == store.OutboxQueued && !e.SendingAt.IsZero() {
			marked = append(marked, e)
		}
	}
	if len(marked) != n {
		t.Errorf("InFlight says %d outbox entries are being sent, %d are marked", n, len(marked))
	}
	if n > telegram.MaxInFlight {
		t.Errorf("%d outbox entries marked as being sent at a kill, more than the bound %d", n, telegram.MaxInFlight)
	}
	return marked
}

// crashConfig writes a config for the child: the one course of
// testdata/config-one-course.toml, the database in dir, the fake server's
// URL.
func crashConfig(t *testing.T, dir, apiURL string, capacity, sendRate int) string {
	t.Helper()
	one, err := os.ReadFile("testdata/config-one-course.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(one), `api_url = "https://api.telegram.org"`, `api_url = "`+apiURL+`"`, 1)
	cfg = strings.Replace(cfg, "send_rate = 28", "send_rate = "+strconv.Itoa(sendRate), 1)
	cfg = strings.Replace(cfg, "id = \"angkatan-2\"\nname = \"Angkatan 2\"\nstart = 2027-02-01\ndays = 7\ncapacity = 16", "id = \"angkatan-2\"\nname = \"Angkatan 2\"\nstart = 2027-02-01\ndays = 7\ncapacity = "+strconv.Itoa(capacity), 1)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Ensure that outbox entries survive SIGKILL at random moments while
// several are on their way at once (a 100 ms round trip keeps about three
// on the wire at 30 a second): in the end every entry is sent, and only
// entries marked as being sent at a kill (each time at most
// telegram.MaxInFlight) arrived twice, each at most once more per kill
// that found it marked.
func TestCrash_Outbox(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: runs without -short")
	}
	n, kills := 2000, 5
	seed := testSeed(t, "DAFTAR_CRASH_SEED")
	rng := rand.New(rand.NewPCG(seed, seed))

	const token = "777:crash-test-token"
	srv := telegramtest.NewServer(token)
	t.Cleanup(srv.Close)
	srv.SetLatency(100 * time.Millisecond)
	dir := t.TempDir()
	cfg := crashConfig(t, dir, srv.URL(), n, 30)

	seedReminders(t, filepath.Join(dir, "daftar.db"), n)

	delivered := func() int {
		seen := map[int64]bool{}
		for _, m := range srv.Sent() {
			if m.Method == "sendMessage" && m.ChatID > 0 && m.ChatID <= int64(n) {
				seen[m.ChatID] = true
			}
		}
		return len(seen)
	}
	child := startCrashChild(t, cfg, token)
	marked := map[int64]int{} // chat: kills that found its entry marked as being sent
	inFlight := 0
	for k := 0; k < kills; k++ {
		// Kill after a random share of the remaining messages went out.
		target := delivered() + 1 + rng.IntN(max(1, (n-delivered())/(kills-k+1)))
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		for {
			// The last action is read before the count: one landing in
			// between ends the wait at once instead of being waited past.
			seq := srv.LastSeq()
			if delivered() >= target {
				break
			}
			if _, err := srv.WaitSent(ctx, seq, nil); err != nil {
				cancel()
				t.Fatalf("kill %d: waiting for %d deliveries, have %d: %v", k+1, target, delivered(), err)
			}
		}
		cancel()
		child.kill(t)
		at := inFlightAt(t, filepath.Join(dir, "daftar.db"))
		for _, e := range at {
			marked[e.ChatID]++
		}
		inFlight += len(at)
		t.Logf("kill %d after %d of %d delivered, %d being sent", k+1, delivered(), n, len(at))
		child = startCrashChild(t, cfg, token)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for {
		seq := srv.LastSeq()
		if delivered() >= n {
			break
		}
		if _, err := srv.WaitSent(ctx, seq, nil); err != nil {
			t.Fatalf("only %d of %d delivered: %v", delivered(), n, err)
		}
	}
	child.stop(t)

	perChat := map[int64]int{}
	for _, m := range srv.Sent() {
		if m.Method == "sendMessage" && m.ChatID > 0 && m.ChatID <= int64(n) {
			perChat[m.ChatID]++
		}
	}
	dups := 0
	for chat, c := range perChat {
		dups += c - 1
		if c-1 > marked[chat] {
			t.Errorf("chat %d got its reminder %d times, but its entry was marked as being sent at %d kills", chat, c, marked[chat])
		}
	}
	db, err := store.Open(filepath.Join(dir, "daftar.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts, err := db.OutboxCounts()
	if err != nil {
		t.Fatal(err)
	}
	if counts[store.OutboxSent] != n {
		t.Errorf("outbox counts %v, want %d sent", counts, n)
	}
	t.Logf("%d delivered, %d duplicates, %d kills, %d being sent at the kills", n, dups, kills, inFlight)
}
