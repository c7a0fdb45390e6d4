package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The load tests (TestCrash_Load here, TestFault_Load in fault_test.go)
// let hundreds of simulated people register at once while an organiser
// sends an announcement and a round of reminders goes out, and then check
// that nothing was lost or given twice. The people live in the test
// process and talk to the fake Telegram server; the bot is the real
// program.

// loadToken is the bot token of the load tests.
const loadToken = "515151:load-test-token"

// loadOrganiser is the organiser of the load tests (telegram.admins).
var loadOrganiser = telegramtest.User{ID: 9000001, FirstName: "Rina", LanguageCode: "id"}

// loadConfig writes the example config for a load test: the fake server,
// send_rate 30, the organiser, and room in Angkatan 2 for everyone.
// With webhook set, the updates are pushed to a webhook on loopback
// (telegram.webhook_url) instead of polled.
func loadWriteConfig(t *testing.T, srv *telegramtest.Server, capacity int, webhook bool) (cfg, db string) {
	t.Helper()
	return writeTestConfig(t, capacity, func(s string) string {
		api := `api_url = "` + srv.URL() + `"`
		if webhook {
			addr, err := telegramtest.FreeAddr()
			if err != nil {
				t.Fatal(err)
			}
			api += "\nwebhook_url = \"http://" + addr + "/telegram\"\nwebhook_listen = \"" + addr + "\""
		}
		s = replaceOnce(t, s, `api_url = "https://api.telegram.org"`, api)
		s = replaceOnce(t, s, "send_rate = 28", "send_rate = 30")
		return replaceOnce(t, s, "admins = [123456789]", "admins = ["+strconv.FormatInt(loadOrganiser.ID, 10)+"]")
	})
}

// loadSeeded is the first user id of the people loadSeed registers.
const loadSeeded = 50001

// loadSeed registers n people in Angkatan 2 (seats 1..n) and queues the
// reminder of the evening before day 1 for each: a reminder round under
// way when the bot starts.
func loadSeed(t *testing.T, path string, n, capacity int) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for i := range n {
			u := int64(loadSeeded + i)
			p := store.Participant{
				UserID: u, ChatID: u, Batch: "angkatan-2", Lang: "id", RegisteredAt: time.Now(),
				Answers: map[string]string{"name": fmt.Sprintf("Peserta Lama %d", u), "experience": "Pemula"},
			}
			if _, err := tx.ConfirmSeat(p, capacity); err != nil {
				return err
			}
			_, err := tx.Enqueue(store.ReminderEntry(store.ReminderPayload{Batch: "angkatan-2", Day: 1, Slot: store.Evening},
				store.Participant{UserID: u, ChatID: u}, time.Now()))
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

// loadMailbox keeps the fake server's log sorted by chat, so that hundreds
// of people can wait for their own messages without each scanning
// everybody's.
type loadMailbox struct {
	mu     sync.Mutex
	byChat map[int64][]telegramtest.Message
	wake   map[int64]chan struct{} // closed when a chat gets a message
	cancel func()
}

func newLoadMailbox(t *testing.T, srv *telegramtest.Server) *loadMailbox {
	ch, cancel := srv.Subscribe()
	mb := &loadMailbox{byChat: map[int64][]telegramtest.Message{}, wake: map[int64]chan struct{}{}, cancel: cancel}
	go func() {
		for m := range ch {
			mb.mu.Lock()
			mb.byChat[m.ChatID] = append(mb.byChat[m.ChatID], m)
			if w := mb.wake[m.ChatID]; w != nil {
				close(w)
				delete(mb.wake, m.ChatID)
			}
			mb.mu.Unlock()
		}
	}()
	t.Cleanup(cancel)
	return mb
}

// wait returns the first action in chat after Seq after that match
// accepts, waiting up to d; false when none came.
func (mb *loadMailbox) wait(chat, after int64, match func(telegramtest.Message) bool, d time.Duration) (telegramtest.Message, bool) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		mb.mu.Lock()
		ms := mb.byChat[chat]
		i := sort.Search(len(ms), func(i int) bool { return ms[i].Seq > after })
		for _, m := range ms[i:] {
			if match(m) {
				mb.mu.Unlock()
				return m, true
			}
		}
		w := mb.wake[chat]
		if w == nil {
			w = make(chan struct{})
			mb.wake[chat] = w
		}
		mb.mu.Unlock()
		select {
		case <-w:
		case <-timer.C:
			return telegramtest.Message{}, false
		}
	}
}

// chat returns every action in chat so far.
func (mb *loadMailbox) chat(id int64) []telegramtest.Message {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return slices.Clone(mb.byChat[id])
}

// sentContaining matches a message sent or edited whose text contains part.
func sentContaining(part string) func(telegramtest.Message) bool {
	return func(m telegramtest.Message) bool {
		return (m.Method == "sendMessage" || m.Method == "editMessageText") && strings.Contains(m.Text, part)
	}
}

// continues matches the answer to /start in the form: one message,
// "Mari lanjutkan" and the question with want.
func continues(want string) func(telegramtest.Message) bool {
	return func(m telegramtest.Message) bool {
		return sentContaining("Mari lanjutkan")(m) && strings.Contains(m.Text, want)
	}
}

// loadWorld is what the simulated people share.
type loadWorld struct {
	srv *telegramtest.Server
	box *loadMailbox
	// patience is how long a person waits for an answer after the bot
	// restarted before they send /start; limit is how long anyone waits
	// for an answer at all.
	patience, limit time.Duration

	restarts   atomic.Int64 // bumped on every restart of the bot
	nudges     atomic.Int64 // /start sent because an answer was late after a restart
	registered atomic.Int64 // people told "Pendaftaran berhasil"
	inputs     atomic.Int64 // updates the people and the organiser sent

	killedAt []int64 // the server's LastSeq at each kill; written by the test goroutine only
}

func (w *loadWorld) restarted() { w.restarts.Add(1) }

// loadPerson is one simulated person and their plan. A person sends one
// input at a time and waits for the bot's answer to it before the next,
// as people do.
type loadPerson struct {
	w   *loadWorld
	u   telegramtest.User
	idx int

	stopAt   int  // 1..6: stops at that question and stays in the form; 0: finishes
	cancelAt int  // 1..6: types /batal at that question, then registers again; 0: never
	edit     bool // changes the address with Ubah at the summary

	// What happened, for the checks.
	answers map[string]string // what they gave, as the store must hold it
	seat    int               // the seat they were told; 0 when none
	done    bool              // finished or stopped as planned

	prev   map[string]bool // signatures of the answers accepted in the last step
	expect map[string]int  // how many answers containing each awaited text the person waited for
}

// loadPeople makes n people with ids from first on: some edit, some cancel
// and start again, some stop in the middle of the form (stoppers of them).
func loadPeople(w *loadWorld, rng *rand.Rand, first int64, n, stoppers int) []*loadPerson {
	ps := make([]*loadPerson, n)
	for i := range ps {
		id := first + int64(i)
		ps[i] = &loadPerson{w: w, idx: i, u: telegramtest.User{ID: id, FirstName: fmt.Sprintf("Peserta%d", id), LanguageCode: "id"}}
	}
	order := rng.Perm(n)
	for k, i := range order {
		switch p := ps[i]; {
		case k < stoppers:
			p.stopAt = 1 + rng.IntN(6)
		case k < stoppers+n/10:
			p.cancelAt = 1 + rng.IntN(6)
		case k < stoppers+2*n/10:
			p.edit = true
		case k < stoppers+3*n/10:
			p.cancelAt, p.edit = 1+rng.IntN(6), true
		}
	}
	return ps
}

// loadAnswer is what person idx types at question q (1..6) on attempt a
// (1 after a /batal), and what the store keeps of it. Names carry HTML
// and an apostrophe: the summary must escape them or the fake server
// refuses it.
func loadAnswer(id int64, idx, q, a int) (typed, stored string) {
	again := []string{"", " Ulang"}[a]
	switch q {
	case 1:
		s := fmt.Sprintf("Nur'aini <%d> & Putri%s", id, again)
		return s, s
	case 2:
		s := fmt.Sprintf("62812%08d", id%100000000)
		return s, "+" + s
	case 3: // a woman's NIK: her birth day (question 4) plus 40, August 1990
		s := fmt.Sprintf("350901%02d0890%04d", 40+1+idx%28, idx%9999+1)
		return s, s
	case 4:
		d := 1 + idx%28
		return fmt.Sprintf("%02d-08-1990", d), fmt.Sprintf("1990-08-%02d", d)
	case 5:
		s := fmt.Sprintf("Jl. Mawar %d, Sumbersari%s", id, again)
		return s, s
	case 6:
		s := []string{"Belum pernah", "Pemula", "Sudah bisa"}[idx%3]
		return s, s
	}
	panic("no such question")
}

var loadKeys = []string{"", "name", "phone", "nik", "birth_date", "address", "experience"}

// after is what the bot asks after question q has been answered.
func loadNext(q int) string {
	if q == 6 {
		return "Periksa kembali data Anda"
	}
	return fmt.Sprintf("Pertanyaan %d dari 6", q+1)
}

// step does act, which sends one input, and waits for the bot's message
// containing want. When the answer is late and the bot restarted since
// the input went out, the person sends /start, as people do when a bot
// seems stuck. The bot handles a chat's updates in order and none is lost,
// so the answer to the input still comes, and then the answer to /start:
// "Mari lanjutkan" with the question again while in the form (inForm),
// the welcome otherwise. The person waits for both before going on.
//
// A crash makes the bot send again what it had sent but not yet recorded
// as sent: only the answers to the last update it handled in the chat,
// which are the messages the person accepted in the previous step. An
// answer is therefore taken only when it is not a copy of one of those.
func (p *loadPerson) step(what string, act func() error, want string, inForm bool) (telegramtest.Message, error) {
	w := p.w
	after, gen := w.srv.LastSeq(), w.restarts.Load()
	if err := act(); err != nil {
		return telegramtest.Message{}, fmt.Errorf("user %d: %s: %w", p.u.ID, what, err)
	}
	w.inputs.Add(1)
	if p.expect == nil {
		p.expect = map[string]int{}
	}
	p.expect[want]++
	prev := p.prev
	if prev == nil {
		prev = map[string]bool{}
	}
	p.prev = map[string]bool{}
	fresh := func(want string) func(telegramtest.Message) bool {
		return func(m telegramtest.Message) bool { return sentContaining(want)(m) && !prev[loadSignature(m)] }
	}
	deadline := time.Now().Add(w.limit)
	nudged, nudgeAfter := false, int64(0)
	var got telegramtest.Message
	for {
		m, ok := w.box.wait(p.u.ID, after, fresh(want), w.patience)
		if ok {
			got = m
			break
		}
		if time.Now().After(deadline) {
			return m, fmt.Errorf("user %d: after %s: no answer containing %q within %v; chat: %s", p.u.ID, what, want, w.limit, p.transcript(0))
		}
		if !nudged && w.restarts.Load() != gen {
			nudged, nudgeAfter = true, w.srv.LastSeq()
			w.nudges.Add(1)
			w.inputs.Add(1)
			w.srv.SendText(p.u, "/start")
		}
	}
	p.prev[loadSignature(got)] = true
	if !nudged {
		return got, nil
	}
	if inForm {
		// "Mari lanjutkan" with the question again, in one message: the
		// question's buttons and all. (A copy of an earlier "Mari
		// lanjutkan", sent again after a crash, asks an earlier question.)
		cont, ok := w.box.wait(p.u.ID, nudgeAfter, continues(want), time.Until(deadline))
		if !ok {
			return got, fmt.Errorf("user %d: /start after a restart, at %s: no \"Mari lanjutkan\" with the question %q; chat: %s", p.u.ID, what, want, p.transcript(0))
		}
		p.prev[loadSignature(cont)] = true
		return got, nil
	}
	// A new welcome: a welcome counts as a new question, so its Daftar
	// button differs from that of any welcome before.
	prev[loadSignature(got)] = true
	welcome, ok := w.box.wait(p.u.ID, nudgeAfter, fresh("Selamat datang"), time.Until(deadline))
	if !ok {
		return got, fmt.Errorf("user %d: /start after a restart, at %s: no new welcome; chat: %s", p.u.ID, what, p.transcript(0))
	}
	p.prev[loadSignature(welcome)] = true
	return got, nil
}

// loadSignature is what a copy of a message has in common with it.
func loadSignature(m telegramtest.Message) string {
	return fmt.Sprintf("%s|%q|%v|%v", m.Method, m.Text, m.Inline, m.Keyboard)
}

func (p *loadPerson) transcript(after int64) string {
	var b strings.Builder
	for _, m := range p.w.box.chat(p.u.ID) {
		if m.Seq > after && m.Method != "editMessageReplyMarkup" {
			fmt.Fprintf(&b, "\n  #%d %s msg %d %.60q", m.Seq, m.Method, m.MessageID, m.Text)
			for _, row := range m.Inline {
				for _, btn := range row {
					fmt.Fprintf(&b, " [%s|%s]", btn.Text, btn.CallbackData)
				}
			}
		}
	}
	return b.String()
}

func (p *loadPerson) text(s, want string, inForm bool) error {
	_, err := p.step(fmt.Sprintf("typing %q", s), func() error { p.w.srv.SendText(p.u, s); return nil }, want, inForm)
	return err
}

func (p *loadPerson) press(label, want string, inForm bool) (telegramtest.Message, error) {
	return p.step("pressing "+label, func() error { _, err := p.w.srv.PressButton(p.u, label); return err }, want, inForm)
}

var loadSeatRe = regexp.MustCompile(`kursi nomor (\d+)`)

// run walks the person through the form as planned.
func (p *loadPerson) run() error {
	if err := p.text("/start", "Selamat datang", false); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		p.answers = map[string]string{}
		if _, err := p.press("Daftar", "Persetujuan penggunaan data pribadi", true); err != nil {
			return err
		}
		if _, err := p.press("Setuju", "Pertanyaan 1 dari 6", true); err != nil {
			return err
		}
		cancelled := false
		for q := 1; q <= 6; q++ {
			if p.stopAt == q {
				p.done = true
				return nil
			}
			if p.cancelAt == q && attempt == 0 {
				if err := p.text("/batal", "Pengisian formulir dibatalkan", false); err != nil {
					return err
				}
				if err := p.text("/start", "Selamat datang", false); err != nil {
					return err
				}
				cancelled = true
				break
			}
			typed, stored := loadAnswer(p.u.ID, p.idx, q, attempt)
			var err error
			switch q {
			case 2:
				_, err = p.step("sharing the contact", func() error { p.w.srv.SendContact(p.u, typed, p.u.ID); return nil }, loadNext(q), true)
			case 6:
				_, err = p.press(typed, loadNext(q), true)
			default:
				err = p.text(typed, loadNext(q), true)
			}
			if err != nil {
				return err
			}
			p.answers[loadKeys[q]] = stored
		}
		if !cancelled {
			break
		}
	}
	if p.edit {
		if _, err := p.press("Ubah", "Data mana yang ingin diubah?", true); err != nil {
			return err
		}
		if _, err := p.press("Alamat (desa/kelurahan, kecamatan)", "Pertanyaan 5 dari 6", true); err != nil {
			return err
		}
		addr := fmt.Sprintf("Dusun Krajan %d, Ajung", p.u.ID)
		if err := p.text(addr, "Periksa kembali data Anda", true); err != nil {
			return err
		}
		p.answers["address"] = addr
	}
	m, err := p.press("Konfirmasi", "Pendaftaran berhasil", false)
	if err != nil {
		return err
	}
	sm := loadSeatRe.FindStringSubmatch(m.Text)
	if sm == nil {
		return fmt.Errorf("user %d: a confirmation without a seat: %q", p.u.ID, m.Text)
	}
	p.seat, _ = strconv.Atoi(sm[1])
	p.done = true
	p.w.registered.Add(1)
	return nil
}

// loadAnnounce is the organiser org: /umumkan, the message, "Semua
// peserta", Kirim, and the report at the end. It returns the number of
// recipients the report gives as delivered.
func loadAnnounce(w *loadWorld, org telegramtest.User, text string) (int, error) {
	wait := func(after int64, want string) (telegramtest.Message, error) {
		m, ok := w.box.wait(org.ID, after, sentContaining(want), w.limit)
		if !ok {
			return m, fmt.Errorf("organiser: no message containing %q within %v", want, w.limit)
		}
		return m, nil
	}
	w.inputs.Add(4)
	after := w.srv.LastSeq()
	w.srv.SendText(org, "/umumkan")
	if _, err := wait(after, "Pesan Anda berikutnya menjadi pengumuman"); err != nil {
		return 0, err
	}
	after = w.srv.LastSeq()
	w.srv.SendText(org, text)
	choose, err := wait(after, "Kirim pengumuman ini kepada siapa?")
	if err != nil {
		return 0, err
	}
	label := ""
	for _, row := range choose.Inline {
		for _, b := range row {
			if strings.HasPrefix(b.Text, "Semua peserta (") {
				label = b.Text
			}
		}
	}
	if label == "" {
		return 0, fmt.Errorf("organiser: no button for everyone in %+v", choose.Inline)
	}
	after = w.srv.LastSeq()
	if _, err := w.srv.PressButtonIn(org, choose.MessageID, label); err != nil {
		return 0, err
	}
	if _, err := wait(after, "Begini pengumuman akan diterima"); err != nil {
		return 0, err
	}
	after = w.srv.LastSeq()
	if _, err := w.srv.PressButton(org, "Kirim"); err != nil {
		return 0, err
	}
	// The report replaces the progress message when everything is out;
	// "masuk antrean" is an edit that a crash may swallow.
	report, err := wait(after, "selesai")
	if err != nil {
		return 0, err
	}
	var n int
	if _, rest, ok := strings.Cut(report.Text, "Terkirim: "); ok {
		fmt.Sscanf(rest, "%d", &n)
	}
	if !strings.Contains(report.Text, "Gagal: 0") {
		return n, fmt.Errorf("organiser: the report counts failures:\n%s", report.Text)
	}
	return n, nil
}

// chatKind is an outbox entry as the checks know it: its chat and kind
// (a run sends each kind at most once to a chat).
type chatKind struct {
	chat int64
	kind store.OutboxKind
}

// loadOutbox reads every outbox entry of the database at path.
func loadOutbox(t *testing.T, db *store.DB) []store.OutboxEntry {
	t.Helper()
	counts, err := db.OutboxCounts()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	var out []store.OutboxEntry
	for id := uint64(1); len(out) < total && id <= uint64(total)*2; id++ {
		e, err := db.Outbox(id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if len(out) != total {
		t.Fatalf("read %d outbox entries, the counts say %d", len(out), total)
	}
	return out
}

// loadCheck checks the store and the server's log after a load run:
// everyone told "Pendaftaran berhasil" holds exactly the answers they gave
// and the seat they were told; seats are 1..n without gaps or doubles;
// everyone who stopped is still at their question; every outbox entry
// was delivered, and one arrived more than once only if a kill found it
// marked as being sent, at most once more per such kill (marked); the
// journal is empty and no reply is pending. It returns the duplicates
// found.
func loadCheck(t *testing.T, dbPath string, w *loadWorld, people []*loadPerson, seeded int, marked map[chatKind]int) (dups int) {
	t.Helper()
	db, err := store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	ps, err := db.Participants()
	if err != nil {
		t.Fatal(err)
	}
	registered := map[int64]store.Participant{}
	var seats []int
	for _, p := range ps {
		if p.Batch != "angkatan-2" || p.Status != store.StatusRegistered {
			t.Errorf("participant %d: %s in %s, want registered in angkatan-2", p.UserID, p.Status, p.Batch)
			continue
		}
		if _, dup := registered[p.UserID]; dup {
			t.Errorf("participant %d is stored twice", p.UserID)
		}
		registered[p.UserID] = p
		seats = append(seats, p.Seat)
	}
	slices.Sort(seats)
	for i, s := range seats {
		if s != i+1 {
			t.Errorf("seats are not 1..%d without gaps or doubles: position %d holds %d (%v…)", len(seats), i+1, s, seats[max(0, i-3):min(len(seats), i+4)])
			break
		}
	}

	confirmed := 0
	for _, p := range people {
		told := 0
		for _, m := range w.box.chat(p.u.ID) {
			if m.Method == "sendMessage" && strings.Contains(m.Text, "Pendaftaran berhasil") {
				told++
			}
		}
		got, ok := registered[p.u.ID]
		switch {
		case p.stopAt != 0:
			if told != 0 || ok {
				t.Errorf("user %d stopped in the form but was told %d times that they are registered (stored: %v)", p.u.ID, told, ok)
			}
			err := db.View(func(tx *store.Tx) error {
				c, found, err := tx.Conversation(p.u.ID)
				if err != nil {
					return err
				}
				if !found || c.State != "field" || c.Step != p.stopAt-1 || !maps.Equal(c.Answers, p.answers) {
					t.Errorf("user %d stopped at question %d with answers %q; the store has %q at step %d with %q", p.u.ID, p.stopAt, p.answers, c.State, c.Step, c.Answers)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		case told == 0:
			t.Errorf("user %d never got a confirmation", p.u.ID)
		case !ok:
			t.Errorf("user %d was told they hold seat %d, but is not stored", p.u.ID, p.seat)
		default:
			confirmed++
			if got.Seat != p.seat {
				t.Errorf("user %d was told seat %d, holds %d", p.u.ID, p.seat, got.Seat)
			}
			if !maps.Equal(got.Answers, p.answers) {
				t.Errorf("user %d is stored with %q, gave %q", p.u.ID, got.Answers, p.answers)
			}
		}
	}
	if want := seeded + confirmed; len(registered) != want {
		t.Errorf("%d registered, want the %d seeded and the %d confirmed", len(registered), seeded, confirmed)
	}

	// Every outbox entry went out; its chat saw its message at least once.
	entries := loadOutbox(t, db)
	seen := map[chatKind]int{}
	for _, e := range entries {
		if e.Status != store.OutboxSent && e.Status != store.OutboxUndeliverable {
			t.Errorf("outbox entry %d (%s to %d) is %s: %s", e.ID, e.Kind, e.ChatID, e.Status, e.Error)
		}
		if e.Kind == store.KindAnnouncement {
			if _, ok := registered[e.UserID]; !ok {
				t.Errorf("announcement to %d, who is not registered", e.UserID)
			}
		}
		seen[chatKind{e.ChatID, e.Kind}] = 0
	}
	for ck := range seen {
		for _, m := range w.box.chat(ck.chat) {
			switch {
			case ck.kind == store.KindReminder && m.Method == "sendMessage" && strings.Contains(m.Text, "Besok: Pelatihan Menjahit"),
				ck.kind == store.KindAnnouncement && m.Method == "copyMessage":
				seen[ck]++
			}
		}
	}
	perKill := make([]int, len(w.killedAt)+1) // duplicates by the kill before the copy; [0]: no kill before
	for ck, n := range seen {
		if n == 0 {
			t.Errorf("%s to %d never arrived", ck.kind, ck.chat)
		}
		dups += max(0, n-1)
		if n-1 > marked[ck] {
			t.Errorf("%s to %d arrived %d times, but its entry was marked as being sent at %d kills", ck.kind, ck.chat, n, marked[ck])
		}
		if n > 1 {
			copies := 0
			for _, m := range w.box.chat(ck.chat) {
				if ck.kind == store.KindReminder && m.Method == "sendMessage" && strings.Contains(m.Text, "Besok: Pelatihan Menjahit") ||
					ck.kind == store.KindAnnouncement && m.Method == "copyMessage" {
					if copies++; copies > 1 {
						perKill[sort.Search(len(w.killedAt), func(i int) bool { return w.killedAt[i] >= m.Seq })]++
					}
				}
			}
		}
	}
	if dups > 0 {
		t.Logf("duplicate outbox messages after each kill: %v (first: before any kill)", perKill)
	}

	if j, err := db.Journaled(); err != nil || len(j) != 0 {
		t.Errorf("the journal holds %d updates (%v), want none", len(j), err)
	}
	if r, err := db.PendingReplies(); err != nil || len(r) != 0 {
		t.Errorf("%d replies are pending (%v), want none", len(r), err)
	}
	t.Logf("%d people confirmed, %d stopped in the form, %d seats, %d outbox entries, %d duplicates", confirmed, len(people)-confirmed, len(seats), len(entries), dups)
	return dups
}

// loadContinue has every person who stopped in the form send /start and
// checks they are asked their question again, with "Mari lanjutkan".
func loadContinue(w *loadWorld, people []*loadPerson) error {
	var errs []error
	for _, p := range people {
		if p.stopAt == 0 {
			continue
		}
		after := w.srv.LastSeq()
		w.inputs.Add(1)
		w.srv.SendText(p.u, "/start")
		want := fmt.Sprintf("Pertanyaan %d dari 6", p.stopAt)
		p.expect["Mari lanjutkan"]++
		p.expect[want]++
		if _, ok := w.box.wait(p.u.ID, after, continues(want), w.limit); !ok {
			errs = append(errs, fmt.Errorf("user %d, stopped at question %d: /start got no \"Mari lanjutkan\" with %q: %s", p.u.ID, p.stopAt, want, p.transcript(after)))
		}
	}
	return errors.Join(errs...)
}

// Ensure that with 300 people registering at once (some editing an answer,
// some cancelling and starting again, some stopping in the middle), an
// organiser's announcement to everyone and a round of reminders going out,
// killing the bot with SIGKILL at random moments, again and again, loses
// nothing and gives nothing twice: everyone told they are registered is
// stored with exactly their answers and the seat they were told, seats
// are 1..n, whoever stopped continues at their question, every outbox
// entry is delivered, only the entries marked as being sent at a kill
// (each time at most telegram.MaxInFlight) arrive twice, once more per
// such kill at most, and the journal and the pending replies are empty. The seed is printed; replay it with
// DAFTAR_CRASH_SEED.
func TestCrash_Load(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: runs without -short")
	}
	crashLoad(t, 300, 12, false)
}

// Ensure the same with the updates pushed to a webhook: an update is
// journaled before its push is answered, so none is lost at a kill, and
// one pushed again after it was handled is not handled twice.
func TestCrash_LoadWebhook(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: runs without -short")
	}
	crashLoad(t, 150, 8, true)
}

// crashLoad is TestCrash_Load with people registering and kills, the
// updates polled or pushed to a webhook.
func crashLoad(t *testing.T, people, kills int, webhook bool) {
	const (
		stoppers = 15
		seeded   = 150 // registered before, each with a reminder queued
		capacity = 1000
	)
	seed := testSeed(t, "DAFTAR_CRASH_SEED")
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	start := time.Now()

	srv := telegramtest.NewServer(loadToken)
	t.Cleanup(srv.Close)
	cfg, dbPath := loadWriteConfig(t, srv, capacity, webhook)
	loadSeed(t, dbPath, seeded, capacity)
	w := &loadWorld{srv: srv, box: newLoadMailbox(t, srv), patience: time.Second, limit: 2 * time.Minute}
	ps := loadPeople(w, rng, 100001, people, stoppers)
	// The server action after which the organiser starts; with 300
	// people a whole run makes about 8,500.
	announceAt := int64((1000 + rng.IntN(2000)) * people / 300)

	child := startCrashChild(t, cfg, loadToken)
	marked := map[chatKind]int{} // kills that found the entry to a chat marked as being sent
	inFlight := 0
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Go(func() { errs[i] = p.run() })
	}
	var (
		orgSent int
		orgErr  error
		orgDone = make(chan struct{})
	)
	go func() {
		defer close(orgDone)
		ctx, cancel := context.WithTimeout(context.Background(), w.limit)
		for srv.LastSeq() < announceAt && ctx.Err() == nil {
			srv.WaitSent(ctx, srv.LastSeq(), nil)
		}
		cancel()
		orgSent, orgErr = loadAnnounce(w, loadOrganiser, "Pengumuman: besok bawa KTP & alat tulis <penting>.")
	}()

	// Kill at random points of the run, counted in the server's actions
	// (a whole run makes about 8,500), so that the kills hit the
	// registrations, the announcement and the reminders alike. A point
	// already passed when the bot is back means a kill at once, while it
	// resends what the last crash left.
	points := make([]int64, kills)
	for k := range points {
		points[k] = int64(1 + rng.IntN(7000*people/300))
	}
	slices.Sort(points)
	for k, at := range points {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		for srv.LastSeq() < at && ctx.Err() == nil {
			srv.WaitSent(ctx, srv.LastSeq(), nil)
		}
		cancel()
		child.kill(t)
		at := inFlightAt(t, dbPath)
		for _, e := range at {
			marked[chatKind{e.ChatID, e.Kind}]++
		}
		inFlight += len(at)
		w.killedAt = append(w.killedAt, srv.LastSeq())
		w.restarted()
		t.Logf("kill %d at action %d (%d registered so far)", k+1, srv.LastSeq(), w.registered.Load())
		child = startCrashChild(t, cfg, loadToken)
	}

	wg.Wait()
	<-orgDone
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if orgErr != nil {
		t.Fatal(orgErr)
	}
	// The reminders go on after the people are done.
	for i := range seeded {
		chat := int64(loadSeeded + i)
		if _, ok := w.box.wait(chat, 0, sentContaining("Besok: Pelatihan Menjahit"), w.limit); !ok {
			t.Fatalf("no reminder reached %d", chat)
		}
	}
	if err := loadContinue(w, ps); err != nil {
		t.Error(err)
	}
	child.stop(t)

	dups := loadCheck(t, dbPath, w, ps, seeded, marked)
	t.Logf("%d duplicate outbox messages after %d kills, %d entries being sent at the kills", dups, kills, inFlight)
	if orgSent < seeded {
		t.Errorf("the announcement reached %d, fewer than the %d registered before it", orgSent, seeded)
	}
	t.Logf("%d kills, %d /start nudges after restarts, announcement to %d, %d server actions, %v",
		kills, w.nudges.Load(), orgSent, srv.LastSeq(), time.Since(start).Round(time.Second))
}
