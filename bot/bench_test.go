package bot_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// benchStep is one step of a registration: something the person does, and
// a part of the bot's message that answers it (the last message the step
// calls for, so that the step is over when it arrives).
type benchStep struct {
	do     func(srv *telegramtest.Server, p person) (int64, error)
	answer string
}

func benchSays(text func(p person) string, answer string) benchStep {
	return benchStep{
		do:     func(srv *telegramtest.Server, p person) (int64, error) { return srv.SendText(p.user, text(p)), nil },
		answer: answer,
	}
}

func benchPresses(label func(p person) string, answer string) benchStep {
	return benchStep{
		do:     func(srv *telegramtest.Server, p person) (int64, error) { return srv.PressButton(p.user, label(p)) },
		answer: answer,
	}
}

func benchConst(s string) func(person) string { return func(person) string { return s } }

// benchRegistration is the whole way from /start to a seat: ten steps,
// the six answers among them, the phone as a shared contact.
var benchRegistration = []benchStep{
	benchSays(benchConst("/start"), "Selamat datang"),
	benchPresses(benchConst("Daftar"), "Persetujuan penggunaan data pribadi"),
	benchPresses(benchConst("Setuju"), "Pertanyaan 1 dari 6"),
	benchSays(func(p person) string { return p.name }, "Pertanyaan 2 dari 6"),
	{
		do: func(srv *telegramtest.Server, p person) (int64, error) {
			return srv.SendContact(p.user, p.phone, p.user.ID), nil
		},
		answer: "Pertanyaan 3 dari 6",
	},
	benchSays(func(p person) string { return p.nik }, "Pertanyaan 4 dari 6"),
	benchSays(func(p person) string { return p.birth }, "Pertanyaan 5 dari 6"),
	benchSays(func(p person) string { return p.address }, "Pertanyaan 6 dari 6"),
	benchPresses(func(p person) string { return p.experience }, "Periksa kembali data Anda"),
	benchPresses(benchConst("Konfirmasi"), "Pendaftaran berhasil"),
}

// benchLatency is how long every Bot API call takes in the benchmarks, as
// from a server in Indonesia to Telegram (100–250 ms):
//
//	go test -run XXX -bench 'Conversation/people=100$' -benchtime 20x ./bot -latency 150ms
var benchLatency = flag.Duration("latency", 0, "benchmarks: answer every Bot API call of the fake server after this `round trip`")

// benchBot is a bot on a real bbolt file with default options (durable
// writes on) against a fake Telegram, with a course that has seats for
// everybody.
type benchBot struct {
	srv    *telegramtest.Server
	db     *store.DB
	path   string // the database file
	stop   func()
	notify func() // the outbox has new entries
}

func benchStartBot(b *testing.B, course store.Course, opt func(*bot.Options)) *benchBot {
	return benchStartCatalog(b, store.Catalog{Courses: []store.Course{course}}, nil, opt)
}

// benchStartCatalog is benchStartBot of the courses of cat, on a database
// that fill (when not nil) writes first.
func benchStartCatalog(b *testing.B, cat store.Catalog, fill func(*store.DB), opt func(*bot.Options)) *benchBot {
	b.Helper()
	benchGC(b)
	srv := telegramtest.NewServer(testToken)
	srv.SetLatency(*benchLatency)
	path := filepath.Join(b.TempDir(), "daftar.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if fill != nil {
		fill(db)
	}
	o := bot.Options{
		Token:         testToken,
		APIURL:        srv.URL(),
		RetentionDays: 365,
		Logger:        slog.New(slog.DiscardHandler),
		Now:           func() time.Time { return fixedNow },
	}
	if opt != nil {
		opt(&o)
	}
	o.Webhook = benchWebhook(b)
	bt := bot.New(db, cat, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bt.Run(ctx) }()
	e := &benchBot{srv: srv, db: db, path: path, notify: bt.Notify}
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				b.Errorf("Run: %v", err)
			}
			srv.Close()
			db.Close()
		})
	}
	b.Cleanup(e.stop)
	wctx, wcancel := context.WithTimeout(context.Background(), wait)
	defer wcancel()
	first := "getUpdates"
	if o.Webhook.URL != "" {
		first = "setWebhook"
	}
	if err := srv.WaitRequests(wctx, first, 1); err != nil {
		b.Fatalf("the bot did not start taking updates (%s): %v", first, err)
	}
	return e
}

// benchWebhook is the webhook DAFTAR_BENCH_WEBHOOK=N asks for: updates
// pushed by the fake server, at most N at once (telegram.webhook_url,
// webhook_max_connections), to a port on loopback; unset, the bot polls.
func benchWebhook(b *testing.B) telegram.Webhook {
	env := os.Getenv("DAFTAR_BENCH_WEBHOOK")
	if env == "" {
		return telegram.Webhook{}
	}
	n, err := strconv.Atoi(env)
	if err != nil || n < 1 || n > 100 {
		b.Fatalf("DAFTAR_BENCH_WEBHOOK=%q: want how many pushes at once, 1 to 100", env)
	}
	addr, err := telegramtest.FreeAddr()
	if err != nil {
		b.Fatal(err)
	}
	return telegram.Webhook{URL: "http://" + addr + "/tg", Listen: addr, MaxConnections: n}
}

// benchGC sets the garbage collector as daftar run does (bot.SetGC: the
// percentage bot.GCPercent, or GOGC when set, so that GOGC=100 measures
// Go's default) but without the memory limit bot.GCMemoryLimit: this
// process also holds the fake server's record of every message it was sent
// and the simulated people, 30-50 MB live by the end of a conversation run,
// above the limit the bot keeps on its own, where the collector would run
// without pause.
func benchGC(b *testing.B) {
	b.Cleanup(bot.SetGC(func(key string) string {
		if v := os.Getenv(key); v != "" || key != "GOMEMLIMIT" {
			return v
		}
		return "off"
	}))
}

// benchCourse is the test course with room for any number of people.
func benchCourse() store.Course {
	c := testCourse()
	c.Batches[1].Capacity = 1 << 30
	return c
}

// BenchmarkConversation measures conversation throughput and step latency:
// N people register at once in a closed loop (each sends the next step only
// after the bot's answer to the previous one arrived at the fake server),
// through the real client library, with durable writes on. Each of the N
// does b.N whole registrations (10 steps each) one after the other, each
// time as a new person, so b.N scales the run:
//
//	go test -run XXX -bench 'Conversation/people=100$' -benchtime 20x ./bot
//	go test -run XXX -bench 'Conversation/people=1000$' -benchtime 3x ./bot
//
// steps/s counts the steps of everyone over the wall time; p50-ms, p99-ms
// and max-ms are step latencies, from the person's message reaching the
// server to the bot's answer reaching it. The bot, the fake server and
// the people share this process: cpu-% is its CPU time over the wall time
// (200 on two idle cores; less means other processes took the CPU) and
// cpu-µs/step the CPU time per step, which depends little on them.
//
// DAFTAR_BENCH_PEOPLE=300,3000 runs other numbers of people;
// DAFTAR_BENCH_SURVEY=1 gives the course an end-of-course survey;
// DAFTAR_BENCH_THINK=2s has each person wait before each step, uniformly
// between half and one and a half times that, as people who read and type
// do: steps/s then counts the think time, and the latencies are those of
// people who do not all answer within the same millisecond.
// DAFTAR_BENCH_WEBHOOK=100 (this and every benchmark of the bot) has the
// fake server push the updates to a webhook, at most that many at once,
// instead of the bot polling.
func BenchmarkConversation(b *testing.B) {
	people := []int{100, 1000}
	if env := os.Getenv("DAFTAR_BENCH_PEOPLE"); env != "" {
		people = people[:0]
		for f := range strings.SplitSeq(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("DAFTAR_BENCH_PEOPLE=%q: want numbers of people, like 100,1000", env)
			}
			people = append(people, n)
		}
	}
	for _, n := range people {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) { benchConversation(b, n, nil) })
	}
}

// benchConversation runs n people's registrations; load, when set, starts
// something else on the bot before they start and returns what reports on
// it afterwards.
func benchConversation(b *testing.B, n int, load func(*benchBot) func()) {
	co := benchCourse()
	if os.Getenv("DAFTAR_BENCH_SURVEY") != "" {
		// Every step then reads what the survey keeps about the person.
		co.Survey = store.Survey{Hours: 2, Fields: []store.SurveyField{
			{Key: "overall", Kind: store.SurveyRating, Label: "Nilai"},
			{Key: "comment", Kind: store.SurveyText, Label: "Saran", Optional: true},
		}}
	}
	benchConversationOf(b, benchStartBot(b, co, nil), n, func(int) []benchStep { return benchRegistration }, 0, load)
}

// BenchmarkConversationCourses is BenchmarkConversation with a bot of 10
// courses of 5 batches each (the test course's form; one batch of each
// open) on a database holding 1,000 people in every batch (50,000): the
// people register spread over the courses, each coming by the course's
// link (?start=<course-id>).
//
//	go test -run XXX -bench 'ConversationCourses/people=100$' -benchtime 20x ./bot
func BenchmarkConversationCourses(b *testing.B) {
	for _, n := range []int{100} {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			var cat store.Catalog
			for c := range 10 {
				co := benchCourse()
				co.ID, co.Title = fmt.Sprintf("kursus-%d", c), fmt.Sprintf("Pelatihan %d", c+1)
				co.Batches = nil
				for i := range 5 {
					bt := testCourse().Batches[1]
					bt.ID, bt.Name = fmt.Sprintf("k%d-angkatan-%d", c, i+1), fmt.Sprintf("Angkatan %d", i+1)
					bt.Start, bt.Capacity, bt.Open = bt.Start.AddDate(0, 0, 14*i), 1<<30, i == 0
					co.Batches = append(co.Batches, bt)
				}
				cat.Courses = append(cat.Courses, co)
			}
			const filled = 50_000
			fill := func(db *store.DB) {
				batches := cat.Batches()
				for i, bt := range batches {
					err := db.Update(func(tx *store.Tx) error {
						for j := range filled / len(batches) {
							id := int64(20_000_000 + i*10_000 + j)
							p := newPerson(id, fmt.Sprintf("Peserta Lama %d", j))
							if _, err := tx.ConfirmSeat(store.Participant{UserID: id, ChatID: id, Batch: bt.ID, Answers: p.stored(), Lang: "id", RegisteredAt: fixedNow}, 1<<30); err != nil {
								return err
							}
							if err := tx.PutConversation(store.Conversation{UserID: id, ChatID: id, Lang: "id", State: "done", Course: cat.Courses[i/5].ID, Seq: 12}); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			e := benchStartCatalog(b, cat, fill, nil)
			steps := func(w int) []benchStep {
				out := slices.Clone(benchRegistration)
				out[0] = benchSays(benchConst("/start kursus-"+strconv.Itoa(w%10)), "Selamat datang")
				return out
			}
			benchConversationOf(b, e, n, steps, filled, nil)
		})
	}
}

// BenchmarkFairness is BenchmarkConversation with 100 people while
// something else loads the bot: an announcement to 1,000 other people
// (load=announcement), or one chat sending 2,000 messages as fast as it
// can (load=flood); load=none is the same run without, to compare the
// registration's p99 with:
//
//	go test -run XXX -bench Fairness -benchtime 3x ./bot -latency 150ms
//
// DAFTAR_BENCH_FLOOD_RATE=30 sends the flood at 30 messages a second
// instead (until its 2,000 or the end of the registrations): what one
// person can do from a real Telegram account, whose client is held to
// far fewer.
//
// bulk-sent is how many of the announcement's copies went out during the
// registrations (replies go first); flood-answered how many of the
// flood's messages were answered, journal what is left in the journal
// when the registrations are done; heap-MB the Go heap in use then, after
// a collection, and db-MB the database file, to compare with load=none.
func BenchmarkFairness(b *testing.B) {
	for _, load := range []string{"none", "announcement", "flood"} {
		b.Run("load="+load, func(b *testing.B) {
			benchConversation(b, 100, func(e *benchBot) func() {
				report := benchFairnessLoad(b, e, load)
				return func() {
					report()
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
					if fi, err := os.Stat(e.path); err == nil {
						b.ReportMetric(float64(fi.Size())/(1<<20), "db-MB")
					}
				}
			})
		})
	}
}

// benchFairnessLoad starts BenchmarkFairness's load on e and returns what
// reports on it afterwards.
func benchFairnessLoad(b *testing.B, e *benchBot, load string) func() {
	switch load {
	case "announcement":
		benchAnnounce(b, e, 1000)
		return func() {
			n := 0
			for _, m := range e.srv.Sent() {
				if m.Method == "copyMessage" {
					n++
				}
			}
			b.ReportMetric(float64(n), "bulk-sent")
		}
	case "flood":
		flooder := telegramtest.User{ID: 30_000_000, FirstName: "Banjir", LanguageCode: "id"}
		var tick <-chan time.Time
		if every := benchFloodEvery(b); every > 0 {
			t := time.NewTicker(every)
			b.Cleanup(t.Stop)
			tick = t.C
		}
		over := make(chan struct{})
		flooded := make(chan struct{})
		stop := sync.OnceFunc(func() { close(over); <-flooded })
		b.Cleanup(stop) // before the ticker's Stop: cleanups run last first
		go func() {
			defer close(flooded)
			for i := range 2000 {
				if tick != nil {
					select {
					case <-tick:
					case <-over:
						return
					}
				}
				e.srv.SendText(flooder, fmt.Sprintf("halo %d", i))
			}
		}()
		return func() {
			stop()
			b.ReportMetric(float64(len(sends(e.srv.SentTo(flooder.ID)))), "flood-answered")
			j, _ := e.db.Journaled()
			b.ReportMetric(float64(len(j)), "journal")
		}
	}
	return func() {}
}

// benchAnnounce has an organiser's message copied to n people registered
// before (user ids from 20,000,000), as /umumkan does.
func benchAnnounce(b *testing.B, e *benchBot, n int) {
	b.Helper()
	const org = 29_999_999
	e.srv.SendText(telegramtest.User{ID: org, FirstName: "Panitia"}, "Pengumuman: besok bawa KTP.") // message 1 of the chat
	err := e.db.Update(func(tx *store.Tx) error {
		for i := range n {
			u := int64(20_000_000 + i)
			p := store.Participant{UserID: u, ChatID: u, Batch: "angkatan-2", Lang: "id", Answers: map[string]string{"name": "Peserta"}}
			if _, err := tx.ConfirmSeat(p, 1<<30); err != nil {
				return err
			}
		}
		a, err := tx.NewAnnouncement(org, org, "id", fixedNow)
		if err != nil {
			return err
		}
		if _, _, err := tx.CaptureAnnouncement(org, org, 1, "text"); err != nil {
			return err
		}
		if _, err := tx.SetAudience(a.ID, store.AudienceBatch("angkatan-2")); err != nil {
			return err
		}
		_, _, err = tx.SendAnnouncement(a.ID, fixedNow)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	e.notify()
}

// benchConversationOf runs BenchmarkConversation's n people on e, person w
// taking the steps of steps(w), on a database holding filled
// participants before; load, when set, starts something else on the bot
// before they start and returns what reports on it afterwards.
func benchConversationOf(b *testing.B, e *benchBot, n int, steps func(w int) []benchStep, filled int, load func(*benchBot) func()) {
	benchRegistration := steps(0)
	rounds := b.N
	const base = 10_000_000
	// Every person of every round has an inbox, found by chat id: the
	// router hands each sendMessage to the person it is for.
	inbox := make([]chan telegramtest.Message, n*rounds)
	for i := range inbox {
		inbox[i] = make(chan telegramtest.Message, 8)
	}
	sub, unsubscribe := e.srv.Subscribe()
	routed := make(chan struct{})
	go func() {
		defer close(routed)
		for m := range sub {
			i := m.ChatID - base
			if m.Method != "sendMessage" || i < 0 || i >= int64(len(inbox)) {
				continue
			}
			inbox[i] <- m
		}
	}()
	defer func() { unsubscribe(); <-routed }()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	report := func() {}
	if load != nil {
		report = load(e)
	}
	think := benchThink(b)
	lat := make([][]time.Duration, n)
	perStep := make([][][]time.Duration, n) // [person][step]
	errs := make(chan error, n)
	var wg sync.WaitGroup
	b.ResetTimer()
	cpu0 := benchCPUTime()
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			benchRegistration := steps(w)
			rnd := rand.New(rand.NewPCG(uint64(w), 1))
			lat[w] = make([]time.Duration, 0, rounds*len(benchRegistration))
			perStep[w] = make([][]time.Duration, len(benchRegistration))
			for r := range rounds {
				idx := r*n + w
				p := newPerson(int64(base+idx), fmt.Sprintf("Peserta Nomor %d", idx+1))
				for s, st := range benchRegistration {
					if think > 0 {
						// Uniform in [think/2, 3 × think/2): people
						// answer after reading, not in step with each
						// other, and none within milliseconds.
						time.Sleep(think/2 + time.Duration(rnd.Int64N(int64(think))))
					}
					sentAt := time.Now()
					if _, err := st.do(e.srv, p); err != nil {
						errs <- fmt.Errorf("person %d, step %d: %w", idx, s+1, err)
						cancel()
						return
					}
					for answered := false; !answered; {
						select {
						case m := <-inbox[idx]:
							if strings.Contains(m.Text, st.answer) {
								d := m.Time.Sub(sentAt)
								lat[w] = append(lat[w], d)
								perStep[w][s] = append(perStep[w][s], d)
								answered = true
							}
						case <-ctx.Done():
							errs <- fmt.Errorf("person %d, step %d: no answer containing %q: %w", idx, s+1, st.answer, ctx.Err())
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := benchCPUTime() - cpu0
	b.StopTimer()
	close(errs)
	for err := range errs {
		if !errors.Is(err, context.Canceled) {
			b.Fatal(err)
		}
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "steps/s")
	b.ReportMetric(benchMillis(benchPercentile(all, 0.50)), "p50-ms")
	b.ReportMetric(benchMillis(benchPercentile(all, 0.95)), "p95-ms")
	b.ReportMetric(benchMillis(benchPercentile(all, 0.99)), "p99-ms")
	b.ReportMetric(benchMillis(all[len(all)-1]), "max-ms")
	b.ReportMetric(100*cpu.Seconds()/elapsed.Seconds(), "cpu-%")
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(all)), "cpu-µs/step")
	// Each step's p50 and p99 over the run, on two lines: the testing
	// package prints every run's log (b.N=1 first, a single round whose
	// first step has no round trip to settle by) but cuts a benchmark's
	// output after ten lines, so one line per step showed only that first
	// run.
	var p50s, p99s strings.Builder
	for s := range benchRegistration {
		var ds []time.Duration
		for w := range perStep {
			ds = append(ds, perStep[w][s]...)
		}
		slices.Sort(ds)
		fmt.Fprintf(&p50s, " %d:%.0f", s+1, benchMillis(benchPercentile(ds, 0.5)))
		fmt.Fprintf(&p99s, " %d:%.0f", s+1, benchMillis(benchPercentile(ds, 0.99)))
	}
	b.Logf("%d rounds, each step's p50 (ms):%s", rounds, p50s.String())
	b.Logf("%d rounds, each step's p99 (ms):%s", rounds, p99s.String())
	b.ReportMetric(0, "ns/op")
	report()

	ps, err := e.db.Participants()
	if err != nil {
		b.Fatal(err)
	}
	if load != nil {
		return // others are registered too
	}
	if len(ps) != filled+n*rounds {
		b.Errorf("%d participants stored, want %d", len(ps), filled+n*rounds)
	}
}

// benchFloodEvery is the gap between the flood's messages that
// DAFTAR_BENCH_FLOOD_RATE (messages a second) asks for; 0 (unset): as
// fast as the fake server takes them, all 2,000 queued within
// milliseconds, which no Telegram account can do.
func benchFloodEvery(b *testing.B) time.Duration {
	env := os.Getenv("DAFTAR_BENCH_FLOOD_RATE")
	if env == "" {
		return 0
	}
	n, err := strconv.Atoi(env)
	if err != nil || n <= 0 {
		b.Fatalf("DAFTAR_BENCH_FLOOD_RATE=%q: want messages a second, like 30", env)
	}
	return time.Second / time.Duration(n)
}

// benchThink is DAFTAR_BENCH_THINK, how long the people of a conversation
// benchmark take on average to answer each message (0: at once).
func benchThink(b *testing.B) time.Duration {
	env := os.Getenv("DAFTAR_BENCH_THINK")
	if env == "" {
		return 0
	}
	d, err := time.ParseDuration(env)
	if err != nil || d < 0 {
		b.Fatalf("DAFTAR_BENCH_THINK=%q: want a duration, like 2s", env)
	}
	return d
}

// benchCPUTime returns the CPU time (user and system) this process has
// used so far. Over a run, CPU time per wall time shows whether the run
// had the machine's cores to itself: the bot, the fake server and the
// simulated people all run in this process.
func benchCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchPercentile returns the q quantile of sorted durations.
func benchPercentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func benchMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchFill gives db what a season of a big course leaves: n people
// registered in Angkatan 2 with their conversations, three days of
// attendance, two sent reminders each (outbox history) and a hundred
// still queued for tomorrow evening, and what a crash leaves behind:
// journaled updates not handled yet and replies not sent yet.
func benchFill(b *testing.B, db *store.DB, n int) {
	b.Helper()
	const batch = "angkatan-2"
	for from := 0; from < n; from += 1000 {
		err := db.Update(func(tx *store.Tx) error {
			for i := from; i < min(from+1000, n); i++ {
				p := newPerson(int64(benchUserBase+i), fmt.Sprintf("Peserta Nomor %d", i+1))
				answers := p.stored()
				if _, err := tx.ConfirmSeat(store.Participant{
					UserID: p.user.ID, ChatID: p.user.ID, Batch: batch, Answers: answers, Lang: "id",
					ConsentAt: fixedNow.Add(-time.Hour), RegisteredAt: fixedNow.Add(-time.Duration(n-i) * time.Minute),
				}, 1<<30); err != nil {
					return err
				}
				err := tx.PutConversation(store.Conversation{
					UserID: p.user.ID, ChatID: p.user.ID, Lang: "id", State: "done", Batch: batch,
					Answers: answers, ConsentAt: fixedNow.Add(-time.Hour), Seq: 12, UpdatedAt: fixedNow,
				})
				if err != nil {
					return err
				}
				for day := 1; day <= 3; day++ {
					if err := tx.SetAttendance(batch, p.user.ID, day, i%7 != 0, 123456789, fixedNow); err != nil {
						return err
					}
				}
				for _, slot := range []store.Slot{store.Evening, store.Morning} {
					_, err := tx.Enqueue(store.ReminderEntry(store.ReminderPayload{Batch: batch, Day: 1, Slot: slot},
						store.Participant{UserID: p.user.ID, ChatID: p.user.ID}, fixedNow))
					if err != nil {
						return err
					}
				}
				if i < 100 {
					later := store.ReminderEntry(store.ReminderPayload{Batch: batch, Day: 4, Slot: store.Evening},
						store.Participant{UserID: p.user.ID, ChatID: p.user.ID}, fixedNow)
					later.NotBefore = fixedNow.Add(24 * time.Hour)
					_, err := tx.Enqueue(later)
					if err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatalf("fill: %v", err)
		}
	}
	// The reminders of day 1 went out: marked sent one by one, as the
	// dispatcher does, many at once so that they share commits.
	queued, err := db.Queued(fixedNow, 1<<30, nil)
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	work := make(chan uint64)
	for range 200 {
		wg.Go(func() {
			for id := range work {
				if err := db.MarkSent(id, 1, fixedNow); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, e := range queued {
		work <- e.ID
	}
	close(work)
	wg.Wait()

	// A crash left 20 updates journaled and 20 replies unsent.
	var updates []store.Update
	for i := range 20 {
		id := int64(900_000 + i)
		raw := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":99,"date":1764298800,"text":"/status",`+
			`"entities":[{"type":"bot_command","offset":0,"length":7}],`+
			`"chat":{"id":%d,"type":"private","first_name":"Peserta"},`+
			`"from":{"id":%d,"is_bot":false,"first_name":"Peserta","language_code":"id"}}}`, id, benchUserBase+i, benchUserBase+i)
		updates = append(updates, store.Update{ID: id, Raw: []byte(raw)})
	}
	if _, err := db.Journal(updates, 900_000); err != nil {
		b.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		for i := range 20 {
			if _, err := tx.AddReply(int64(benchUserBase+20+i), []byte(`{"text":"Pertanyaan 3 dari 6"}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchUserBase is the first user id of benchFill's people.
const benchUserBase = 5_000_000

// BenchmarkStartup measures how long a bot with 10,000 participants in its
// database takes from bot.New and Run to its first getUpdates (target:
// under 300 ms): connecting, resending the replies a crash left, queueing
// the journaled updates, reading the offset. The database is a fresh copy
// of the filled file every time; open-ms is store.Open of it, which main
// does before.
//
//	go test -run XXX -bench Startup -benchtime 20x ./bot
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	filled := filepath.Join(dir, "filled.db")
	db, err := store.Open(filled, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchFill(b, db, 10_000)
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(filled)
	if err != nil {
		b.Fatal(err)
	}
	course := benchCourse()
	var total, opening time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		benchCopyFile(b, filled, path)
		srv := telegramtest.NewServer(testToken)
		b.StartTimer()

		t0 := time.Now()
		db, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		bt := bot.New(db, store.Catalog{Courses: []store.Course{course}}, bot.Options{
			Token: testToken, APIURL: srv.URL(), RetentionDays: 365, Now: func() time.Time { return fixedNow },
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- bt.Run(ctx) }()
		wctx, wcancel := context.WithTimeout(context.Background(), wait)
		err = srv.WaitRequests(wctx, "getUpdates", 1)
		t2 := time.Now()
		wcancel()

		b.StopTimer()
		if err != nil {
			b.Fatalf("no getUpdates: %v", err)
		}
		opening += t1.Sub(t0)
		total += t2.Sub(t1)
		cancel()
		if err := <-done; err != nil {
			b.Errorf("Run: %v", err)
		}
		srv.Close()
		db.Close()
		os.Remove(path)
		b.StartTimer()
	}
	b.ReportMetric(benchMillis(total)/float64(b.N), "ms-to-getUpdates")
	b.ReportMetric(benchMillis(opening)/float64(b.N), "open-ms")
	b.ReportMetric(float64(info.Size())/(1<<20), "db-MB")
}

func benchCopyFile(b *testing.B, from, to string) {
	b.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		b.Fatal(err)
	}
}
