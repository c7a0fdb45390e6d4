package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// testToken is the bot token of every test; the fake server's bot id is 424242.
const testToken = "424242:daftar-test-token-not-secret"

// wait bounds every wait of a test for the bot: generous, because the race
// detector slows everything down, but a hang still fails the test.
const wait = 15 * time.Second

var jakarta = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fixedNow is the clock of every test bot: Saturday 28 November 2026, 10:00
// in Jember, when Angkatan 1 is long over and Angkatan 2 takes registrations.
var fixedNow = time.Date(2026, 11, 28, 10, 0, 0, 0, jakarta)

// testCourse is the course of config.example.toml: Angkatan 1 (October
// 2025, closed) and Angkatan 2 (February 2027, open, 16 seats), and the six
// questions of the Jember sewing course.
func testCourse() store.Course {
	return store.Course{
		Title:              "Pelatihan Menjahit",
		Organiser:          "Diskopum Kabupaten Jember & UPT BLK Jember",
		Venue:              "Ruang Garment Apparel, UPT BLK Jember",
		Location:           jakarta,
		Language:           "id",
		Bring:              "Alat tulis, KTP",
		CertificateMinDays: 6,
		Batches: []store.Batch{
			{ID: "angkatan-1", Name: "Angkatan 1", Start: time.Date(2025, 10, 20, 0, 0, 0, 0, jakarta), Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: false},
			{ID: "angkatan-2", Name: "Angkatan 2", Start: time.Date(2027, 2, 1, 0, 0, 0, 0, jakarta), Days: 7, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: true},
		},
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText, Label: "Nama lengkap (sesuai KTP)", Labels: map[string]string{"en": "Full name (as on your ID card)"}, Min: 3, Max: 80},
			{Key: "phone", Kind: store.KindPhone, Label: "Nomor HP/WhatsApp", Labels: map[string]string{"en": "Mobile/WhatsApp number"}},
			{Key: "nik", Kind: store.KindNIK, Label: "NIK (nomor induk kependudukan)", Labels: map[string]string{"en": "NIK (national identity number)"}},
			{Key: "birth_date", Kind: store.KindDate, Label: "Tanggal lahir", Labels: map[string]string{"en": "Date of birth"}},
			{Key: "address", Kind: store.KindText, Label: "Alamat (desa/kelurahan, kecamatan)", Labels: map[string]string{"en": "Address (village, district)"}},
			{Key: "experience", Kind: store.KindChoice, Label: "Pengalaman menjahit", Labels: map[string]string{"en": "Sewing experience"},
				Options: []string{"Belum pernah", "Pemula", "Sudah bisa"}, OptionLabels: map[string][]string{"en": {"Never", "Beginner", "Can already sew"}}},
		},
	}
}

// person is someone who registers, with the answers they give.
type person struct {
	user       telegramtest.User
	name       string
	phone      string // shared as their own contact, as Telegram sends it
	nik        string
	birth      string // as typed
	address    string
	experience string // the label of the button they press
}

// stored returns the answers the store must hold for p.
func (p person) stored() map[string]string {
	birth, err := time.Parse("02-01-2006", p.birth)
	if err != nil {
		panic(err)
	}
	phone := p.phone
	if !strings.HasPrefix(phone, "+") {
		phone = "+" + phone
	}
	return map[string]string{
		"name": p.name, "phone": phone, "nik": p.nik, "birth_date": birth.Format("2006-01-02"),
		"address": p.address, "experience": p.experience,
	}
}

func newPerson(id int64, name string) person {
	return person{
		user:       telegramtest.User{ID: id, FirstName: strings.Fields(name)[0], LanguageCode: "id"},
		name:       name,
		phone:      fmt.Sprintf("62812%08d", id%100000000),
		nik:        personNIK(id),
		birth:      "17-08-1990",
		address:    fmt.Sprintf("Jl. Mawar No. %d, Sumbersari", id%1000),
		experience: "Pemula",
	}
}

// personNIK is the NIK of newPerson(id): a woman of Jember born 17
// August 1990, each id its own (a NIK holds one place per batch).
func personNIK(id int64) string {
	return fmt.Sprintf("3509%02d570890%04d", 1+(id/9999)%99, id%9999+1)
}

var (
	siti = person{
		user: telegramtest.User{ID: 700001, FirstName: "Siti", LastName: "Aminah", LanguageCode: "id"},
		name: "Siti Aminah", phone: "6281234567890", nik: "3509015708900001", birth: "17-08-1990",
		address: "Jl. Mawar No. 5, Sumbersari", experience: "Pemula",
	}
	budi = person{
		user: telegramtest.User{ID: 700002, FirstName: "Budi", LanguageCode: "id"},
		name: "Budi Santoso", phone: "6285712345678", nik: "3509121208850002", birth: "12-08-1985",
		address: "Dusun Krajan, Ajung", experience: "Sudah bisa",
	}
)

// env is a fake Telegram, a database file and the bot under test, which
// can be stopped and started again on the same file.
type env struct {
	t       *testing.T
	srv     *telegramtest.Server
	course  store.Course
	more    []store.Course // courses after course, for a bot of several
	path    string
	db      *store.DB
	handled *tracker
	logs    *logRecorder
	opt     func(*bot.Options) // adjusts the options of every start
	bot     *bot.Bot           // the running bot

	cancel context.CancelFunc
	done   chan error
}

// newEnv starts a fake Telegram and opens a database in t.TempDir(); the
// bot is not started. Everything is stopped and closed when t ends.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{
		t:       t,
		srv:     telegramtest.NewServer(testToken),
		course:  testCourse(),
		path:    filepath.Join(t.TempDir(), "daftar.db"),
		handled: newTracker(),
		logs:    newLogRecorder(),
	}
	e.db = mustOpen(t, e.path)
	t.Cleanup(func() {
		if e.done != nil {
			if err := e.stop(); err != nil {
				t.Errorf("Run at cleanup: %v", err)
			}
		}
		e.srv.Close()
		if e.db != nil {
			e.db.Close()
		}
		if t.Failed() {
			t.Logf("bot log:\n%s", e.logs.String())
		}
	})
	return e
}

// startEnv is newEnv with the bot running.
func startEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.start()
	return e
}

func mustOpen(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	return db
}

// options returns the options a test bot starts with.
func (e *env) options() bot.Options {
	o := bot.Options{
		Token:         testToken,
		APIURL:        e.srv.URL(),
		RetentionDays: 365,
		Logger:        slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:           func() time.Time { return fixedNow },
		OnHandled:     e.handled.add,
	}
	if e.opt != nil {
		e.opt(&o)
	}
	return o
}

// start runs a new bot on e.db.
func (e *env) start() {
	e.t.Helper()
	if e.done != nil {
		e.t.Fatal("start: the bot is already running")
	}
	b := bot.New(e.db, store.Catalog{Courses: append([]store.Course{e.course}, e.more...)}, e.options())
	e.bot = b
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	e.cancel, e.done = cancel, done
}

// stop cancels the bot and returns what Run returned.
func (e *env) stop() error {
	e.t.Helper()
	if e.done == nil {
		e.t.Fatal("stop: the bot is not running")
	}
	e.cancel()
	defer func() { e.cancel, e.done = nil, nil }()
	select {
	case err := <-e.done:
		return err
	case <-time.After(wait):
		e.t.Fatalf("Run did not return within %v of the cancel", wait)
		return nil
	}
}

// restart stops the bot, closes and reopens the database file, and starts a
// new bot on it, as a process restart would.
func (e *env) restart() {
	e.t.Helper()
	if err := e.stop(); err != nil {
		e.t.Fatalf("Run: %v", err)
	}
	if err := e.db.Close(); err != nil {
		e.t.Fatalf("close store: %v", err)
	}
	e.db = mustOpen(e.t, e.path)
	e.start()
}

// waitHandled waits until the bot has handled every update in ids.
func (e *env) waitHandled(ids ...int64) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := e.handled.wait(ctx, ids...); err != nil {
		e.t.Fatalf("waiting for updates %v to be handled: %v", ids, err)
	}
}

// step runs act, which makes a user do something and returns the update
// id, waits until the bot has handled that update, and returns what the bot
// did in chat meanwhile.
func (e *env) step(chat int64, act func() int64) []telegramtest.Message {
	e.t.Helper()
	after := e.srv.LastSeq()
	id := act()
	e.waitHandled(id)
	return e.since(after, chat)
}

// since returns the bot's actions in chat after seq.
func (e *env) since(seq, chat int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range e.srv.Sent() {
		if m.Seq > seq && m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

func (e *env) text(u telegramtest.User, s string) []telegramtest.Message {
	e.t.Helper()
	return e.step(u.ID, func() int64 { return e.srv.SendText(u, s) })
}

func (e *env) press(u telegramtest.User, label string) []telegramtest.Message {
	e.t.Helper()
	return e.step(u.ID, func() int64 { return e.mustPress(u, label) })
}

func (e *env) mustPress(u telegramtest.User, label string) int64 {
	e.t.Helper()
	id, err := e.srv.PressButton(u, label)
	if err != nil {
		e.t.Fatalf("%s: %v", u.FirstName, err)
	}
	return id
}

func (e *env) contact(u telegramtest.User, phone string, owner int64) []telegramtest.Message {
	e.t.Helper()
	return e.step(u.ID, func() int64 { return e.srv.SendContact(u, phone, owner) })
}

// action is one thing a person does in a scripted conversation, with a part
// of the answer it must get.
type action struct {
	do     func(e *env, u telegramtest.User) int64
	expect string
}

func says(text, expect string) action {
	return action{do: func(e *env, u telegramtest.User) int64 { return e.srv.SendText(u, text) }, expect: expect}
}

func presses(label, expect string) action {
	return action{do: func(e *env, u telegramtest.User) int64 { return e.mustPress(u, label) }, expect: expect}
}

func sharesContact(phone, expect string) action {
	return action{do: func(e *env, u telegramtest.User) int64 { return e.srv.SendContact(u, phone, u.ID) }, expect: expect}
}

// toSummary is the way of p from /start to the summary, in Indonesian.
func toSummary(p person) []action {
	return []action{
		says("/start", "Selamat datang"),
		presses("Daftar", "Persetujuan penggunaan data pribadi"),
		presses("Setuju", "Pertanyaan 1 dari 6"),
		says(p.name, "Pertanyaan 2 dari 6"),
		sharesContact(p.phone, "Pertanyaan 3 dari 6"),
		says(p.nik, "Pertanyaan 4 dari 6"),
		says(p.birth, "Pertanyaan 5 dari 6"),
		says(p.address, "Pertanyaan 6 dari 6"),
		presses(p.experience, "Periksa kembali data Anda"),
	}
}

// act does a for u, waits for the bot to handle it, checks the answer
// contains a.expect and returns the bot's actions.
func (e *env) act(u telegramtest.User, a action) []telegramtest.Message {
	e.t.Helper()
	ms := e.step(u.ID, func() int64 { return a.do(e, u) })
	if !said(ms, a.expect) {
		e.t.Fatalf("%s: the bot answered %q, want a message containing %q", u.FirstName, texts(ms), a.expect)
	}
	return ms
}

func (e *env) script(u telegramtest.User, as []action) {
	e.t.Helper()
	for _, a := range as {
		e.act(u, a)
	}
}

// actAll does a for every user at once, without waiting in between, then
// waits for all of it to be handled and checks each answer. It returns the
// bot's actions per user.
func (e *env) actAll(users []telegramtest.User, a action) map[int64][]telegramtest.Message {
	e.t.Helper()
	after := e.srv.LastSeq()
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = a.do(e, u)
	}
	e.waitHandled(ids...)
	out := map[int64][]telegramtest.Message{}
	for _, u := range users {
		out[u.ID] = e.since(after, u.ID)
		if a.expect != "" && !said(out[u.ID], a.expect) {
			e.t.Fatalf("%s: the bot answered %q, want a message containing %q", u.FirstName, texts(out[u.ID]), a.expect)
		}
	}
	return out
}

// snapshot is what the store holds about one person, to check that an
// input changed nothing.
type snapshot struct {
	Conv         store.Conversation
	Found        bool
	Participants []store.Participant
	Journal      int
	Pending      int
}

// snapshot reads userID's conversation (UpdatedAt cleared: every handled
// input touches it) and every participant.
func (e *env) snapshot(userID int64) snapshot {
	e.t.Helper()
	var s snapshot
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		s.Conv, s.Found, err = tx.Conversation(userID)
		if err != nil {
			return err
		}
		s.Conv.UpdatedAt = time.Time{}
		s.Participants, err = tx.Participants()
		return err
	})
	if err != nil {
		e.t.Fatalf("snapshot: %v", err)
	}
	s.Journal = len(e.journaled())
	s.Pending = len(e.pending())
	return s
}

func (e *env) assertUnchanged(before snapshot, userID int64) {
	e.t.Helper()
	if after := e.snapshot(userID); !reflect.DeepEqual(before, after) {
		e.t.Errorf("the store changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

func (e *env) conversation(userID int64) (store.Conversation, bool) {
	e.t.Helper()
	var (
		c  store.Conversation
		ok bool
	)
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		c, ok, err = tx.Conversation(userID)
		return err
	})
	if err != nil {
		e.t.Fatalf("load conversation: %v", err)
	}
	return c, ok
}

func (e *env) participants() []store.Participant {
	e.t.Helper()
	ps, err := e.db.Participants()
	if err != nil {
		e.t.Fatalf("participants: %v", err)
	}
	return ps
}

func (e *env) journaled() []store.Update {
	e.t.Helper()
	us, err := e.db.Journaled()
	if err != nil {
		e.t.Fatalf("journaled: %v", err)
	}
	return us
}

func (e *env) pending() []store.Reply {
	e.t.Helper()
	rs, err := e.db.PendingReplies()
	if err != nil {
		e.t.Fatalf("pending replies: %v", err)
	}
	return rs
}

// assertIdle checks that nothing is left in the journal or owed to anyone.
func (e *env) assertIdle() {
	e.t.Helper()
	if j := e.journaled(); len(j) != 0 {
		e.t.Errorf("journal holds %d updates, want none", len(j))
	}
	if p := e.pending(); len(p) != 0 {
		e.t.Errorf("%d replies are still pending, want none", len(p))
	}
}

// sends returns the sendMessage actions of ms.
func sends(ms []telegramtest.Message) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range ms {
		if m.Method == "sendMessage" {
			out = append(out, m)
		}
	}
	return out
}

// texts returns the texts of the messages sent in ms.
func texts(ms []telegramtest.Message) []string {
	var out []string
	for _, m := range sends(ms) {
		out = append(out, m.Text)
	}
	return out
}

// said reports whether a message sent in ms contains part.
func said(ms []telegramtest.Message, part string) bool {
	_, ok := find(ms, part)
	return ok
}

// find returns the first message sent in ms that contains part.
func find(ms []telegramtest.Message, part string) (telegramtest.Message, bool) {
	for _, m := range sends(ms) {
		if strings.Contains(m.Text, part) {
			return m, true
		}
	}
	return telegramtest.Message{}, false
}

// countSent counts the messages sent to chat that contain part.
func countSent(srv *telegramtest.Server, chat int64, part string) int {
	n := 0
	for _, m := range sends(srv.SentTo(chat)) {
		if strings.Contains(m.Text, part) {
			n++
		}
	}
	return n
}

// toast returns the answer to a button press in ms.
func toast(ms []telegramtest.Message) (string, bool) {
	for _, m := range ms {
		if m.Method == "answerCallbackQuery" {
			return m.Text, true
		}
	}
	return "", false
}

// labels returns the labels of every button of m, inline and reply keyboard.
func labels(m telegramtest.Message) []string {
	var out []string
	for _, row := range append(append([][]telegramtest.Button(nil), m.Inline...), m.Keyboard...) {
		for _, b := range row {
			out = append(out, b.Text)
		}
	}
	return out
}

// buttonData returns the callback data of the inline button label of m.
func buttonData(t *testing.T, m telegramtest.Message, label string) string {
	t.Helper()
	for _, row := range m.Inline {
		for _, b := range row {
			if b.Text == label {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("message %d has no button %q (it has %q)", m.MessageID, label, labels(m))
	return ""
}

// last returns the last message sent in ms.
func last(t *testing.T, ms []telegramtest.Message) telegramtest.Message {
	t.Helper()
	s := sends(ms)
	if len(s) == 0 {
		t.Fatalf("the bot sent nothing (actions: %+v)", ms)
	}
	return s[len(s)-1]
}

// rawUpdate marshals an update body for InjectUpdate or the journal.
func rawUpdate(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tracker records the updates the bot reports handled.
type tracker struct {
	mu      sync.Mutex
	count   map[int64]int
	changed chan struct{}
}

func newTracker() *tracker {
	return &tracker{count: map[int64]int{}, changed: make(chan struct{})}
}

func (tr *tracker) add(id int64) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.count[id]++
	close(tr.changed)
	tr.changed = make(chan struct{})
}

// times reports how often update id was handled.
func (tr *tracker) times(id int64) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.count[id]
}

// wait returns when every update of ids was handled at least once.
func (tr *tracker) wait(ctx context.Context, ids ...int64) error {
	for {
		tr.mu.Lock()
		var missing []int64
		for _, id := range ids {
			if tr.count[id] == 0 {
				missing = append(missing, id)
			}
		}
		changed := tr.changed
		tr.mu.Unlock()
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("%w: %d not handled (%v…)", ctx.Err(), len(missing), missing[:min(len(missing), 5)])
		}
	}
}

// logRecorder is the bot's log: slog's text handler writes one record per
// Write, and tests wait for records.
type logRecorder struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{}
}

func newLogRecorder() *logRecorder { return &logRecorder{changed: make(chan struct{})} }

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, string(bytes.TrimRight(p, "\n")))
	close(l.changed)
	l.changed = make(chan struct{})
	return len(p), nil
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// count returns how many records contain part.
func (l *logRecorder) count(part string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, part) {
			n++
		}
	}
	return n
}

// wait returns when n records contain part.
func (l *logRecorder) wait(ctx context.Context, part string, n int) error {
	for {
		l.mu.Lock()
		changed := l.changed
		l.mu.Unlock()
		if l.count(part) >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d log records with %q: %w", n, part, ctx.Err())
		}
	}
}

// exited waits for Run to return by itself, within the given time.
func (e *env) exited(within time.Duration) error {
	e.t.Helper()
	select {
	case err := <-e.done:
		e.cancel()
		e.cancel, e.done = nil, nil
		return err
	case <-time.After(within):
		e.t.Fatalf("Run did not return within %v", within)
		return errors.New("unreachable")
	}
}
