package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// faultMethods are the Bot API methods the fault test makes fail, with
// how often each is picked.
var faultMethods = []struct {
	method string
	weight int
}{
	{"getUpdates", 4},
	{"sendMessage", 6},
	{"copyMessage", 2},
	{"answerCallbackQuery", 2},
	{"editMessageReplyMarkup", 2},
	{"editMessageText", 1},
}

// faultPick returns a random fault for method: a server error, a 429 with
// retry_after, a dropped connection (what a client sees when an answer
// never comes), a slow answer, and for getUpdates a 409 conflict. The
// bot's HTTP client gives up after 30 s; a dropped connection stands for
// an answer slower than that, which would make the test as slow.
func faultPick(rng *rand.Rand, method string) telegramtest.Fault {
	fs := []telegramtest.Fault{
		{Status: 500}, {Status: 502}, {Status: 503},
		{Status: 429, RetryAfter: 1},
		{Drop: true},
		{Delay: 300 * time.Millisecond, Drop: true},
		{Delay: time.Duration(500+rng.IntN(1500)) * time.Millisecond},
	}
	if method == "getUpdates" {
		fs = append(fs, telegramtest.Fault{Status: 409}, telegramtest.Fault{Status: 409})
	}
	f := fs[rng.IntN(len(fs))]
	f.Times = 1
	return f
}

// faultInjector injects up to budget faults, one after every few actions
// of the bot, until stop is closed. It returns how many it injected per
// method.
func faultInjector(srv *telegramtest.Server, rng *rand.Rand, budget int, stop <-chan struct{}) map[string]int {
	injected := map[string]int{}
	total := 0
	for _, m := range faultMethods {
		total += m.weight
	}
	next := srv.LastSeq()
	for n := 0; n < budget; n++ {
		next += int64(3 + rng.IntN(30))
		for srv.LastSeq() < next {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			srv.WaitSent(ctx, srv.LastSeq(), nil)
			cancel()
			select {
			case <-stop:
				return injected
			default:
			}
		}
		r := rng.IntN(total)
		method := faultMethods[0].method
		for _, m := range faultMethods {
			if r < m.weight {
				method = m.method
				break
			}
			r -= m.weight
		}
		if srv.PendingFaults(method) > 0 {
			// One fault waiting per method: for a method the bot calls
			// rarely (getUpdates, once a poll) faults injected during a
			// burst would pile up and fail every poll in a row, each
			// retried later than the one before, an outage of minutes
			// rather than faults at random (TestFault_Load failed so,
			// its people waiting past their two minutes).
			n--
			continue
		}
		srv.Inject(method, faultPick(rng, method))
		injected[method]++
	}
	return injected
}

// Ensure that with 100 people registering at once, an announcement and
// a round of reminders going out, while Telegram answers at random with
// server errors, 429s, dropped connections, slow answers and 409
// conflicts on getUpdates, everyone still completes, nothing is lost or
// sent twice, and the bot does not busy-loop: every method is requested
// at most once per success and once per injected fault, give or take a
// few.
func TestFault_Load(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: runs without -short")
	}
	const (
		people   = 100
		stoppers = 5
		seeded   = 60
		capacity = 1000
		budget   = 90
	)
	seed := testSeed(t, "DAFTAR_FAULT_SEED")
	rng := rand.New(rand.NewPCG(seed, seed^0xfa17))
	start := time.Now()

	srv := telegramtest.NewServer(loadToken)
	defer srv.Close()
	cfg, dbPath := loadWriteConfig(t, srv, capacity, false)
	loadSeed(t, dbPath, seeded, capacity)
	w := &loadWorld{srv: srv, box: newLoadMailbox(t, srv), patience: time.Minute, limit: 2 * time.Minute}
	ps := loadPeople(w, rng, 200001, people, stoppers)

	b := startBot(t, srv, mapEnv(map[string]string{"TELEGRAM_BOT_TOKEN": loadToken}), "run", "-config", cfg)
	stop := make(chan struct{})
	injectedCh := make(chan map[string]int, 1)
	injRng := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	go func() { injectedCh <- faultInjector(srv, injRng, budget, stop) }()

	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Go(func() { errs[i] = p.run() })
	}
	var (
		orgSent int
		orgErr  error
	)
	wg.Go(func() {
		orgSent, orgErr = loadAnnounce(w, loadOrganiser, "Pengumuman: jadwal tetap, bawa KTP & alat tulis.")
	})
	wg.Wait()
	if err := errors.Join(append(errs, orgErr)...); err != nil {
		t.Fatal(err)
	}
	for i := range seeded {
		chat := int64(loadSeeded + i)
		if _, ok := w.box.wait(chat, 0, sentContaining("Besok: Pelatihan Menjahit"), w.limit); !ok {
			t.Fatalf("no reminder reached %d", chat)
		}
	}
	if err := loadContinue(w, ps); err != nil {
		t.Error(err)
	}
	close(stop)
	injected := <-injectedCh
	srv.ClearFaults()
	faultBackoff(t, w)
	if err := b.stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	took := time.Since(start)

	// Nothing lost or doubled: the store, the outbox, and every answer a
	// person waited for came exactly once.
	if dups := loadCheck(t, dbPath, w, ps, seeded, nil); dups != 0 {
		t.Errorf("%d outbox messages went out twice, without a crash", dups)
	}
	for _, p := range ps {
		got := map[string]int{}
		for _, m := range w.box.chat(p.u.ID) {
			for want := range p.expect {
				if m.Method == "sendMessage" && strings.Contains(m.Text, want) {
					got[want]++
				}
			}
		}
		for want, n := range p.expect {
			if got[want] != n {
				t.Errorf("user %d got %d messages containing %q, want %d", p.u.ID, got[want], want, n)
			}
		}
	}
	if orgSent < seeded {
		t.Errorf("the announcement reached %d, fewer than the %d registered before it", orgSent, seeded)
	}

	// No busy loop: requests are bounded by successes and faults.
	successes := map[string]int{}
	for _, m := range srv.Sent() {
		successes[m.Method]++
	}
	faults := 0
	for _, n := range injected {
		faults += n
	}
	var report []string
	injected["getUpdates"] += 5 // faultBackoff's
	injected["sendMessage"] += 5
	for _, fm := range faultMethods {
		m := fm.method
		req := srv.Requests(m)
		bound := successes[m] + injected[m] + 5
		if m == "getUpdates" {
			// A poll returns as soon as there is an update, or after the
			// 25 s long-poll timeout.
			bound = int(w.inputs.Load()) + injected[m] + int(took/(25*time.Second)) + 5
		}
		report = append(report, fmt.Sprintf("%s %d requests (bound %d, %d faults)", m, req, bound, injected[m]))
		if req > bound {
			t.Errorf("%s: %d requests, more than %d: %d successes, %d faults injected", m, req, bound, successes[m], injected[m])
		}
	}
	if log := b.stderr.String(); strings.Contains(log, "panic") {
		t.Errorf("the log shows a panic:\n%s", log)
	}
	t.Logf("%d faults injected; %s; %d inputs; %v", faults, strings.Join(report, "; "), w.inputs.Load(), took.Round(time.Second))
}

// faultBackoff checks that the bot waits between retries instead of
// spinning: getUpdates and the reply to a /start fail three times with
// 502 and 409, then twice with 429 retry_after 1. Backing off (at least
// 50, 100 and 200 ms) and honouring retry_after takes at least 2.35 s
// before the sixth attempt; a busy loop takes milliseconds.
func faultBackoff(t *testing.T, w *loadWorld) {
	t.Helper()
	srv := w.srv
	for _, m := range []string{"getUpdates", "sendMessage"} {
		srv.Inject(m, telegramtest.Fault{Status: 502, Times: 1})
		srv.Inject(m, telegramtest.Fault{Status: 409, Times: 2})
		srv.Inject(m, telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 2})
	}
	const least = 2350 * time.Millisecond
	ani := telegramtest.User{ID: 300001, FirstName: "Ani", LanguageCode: "id"}
	polls := srv.Requests("getUpdates")
	after, start := srv.LastSeq(), time.Now()
	srv.SendText(ani, "/start")
	w.inputs.Add(1)

	ctx, cancel := context.WithTimeout(context.Background(), w.limit)
	defer cancel()
	// The long poll waiting now answers with the /start; the next five
	// polls fail.
	if err := srv.WaitRequests(ctx, "getUpdates", polls+6); err != nil {
		t.Fatalf("the bot stopped polling: %v", err)
	}
	if took := time.Since(start); took < least {
		t.Errorf("6 polls within %v of 5 failures, want at least %v between them: the bot does not back off", took, least)
	}
	if _, ok := w.box.wait(ani.ID, after, sentContaining("Selamat datang"), w.limit); !ok {
		t.Fatal("the welcome never came after the faults")
	}
	if took := time.Since(start); took < least {
		t.Errorf("the welcome came %v after the /start despite 5 failed sends, want at least %v: the bot does not back off", took, least)
	}
}
