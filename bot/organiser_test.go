package bot_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The organisers of the organiser tests: Rina and Dewi read Indonesian,
// Ann English.
var (
	rina = telegramtest.User{ID: 910001, FirstName: "Rina", LanguageCode: "id"}
	dewi = telegramtest.User{ID: 910002, FirstName: "Dewi", LanguageCode: "id"}
	ann  = telegramtest.User{ID: 910003, FirstName: "Ann", LanguageCode: "en"}
)

// runningBatch is a batch in session at fixedNow (day 4 of 7), for roll
// calls.
var runningBatch = store.Batch{
	ID: "angkatan-3", Name: "Angkatan 3", Start: time.Date(2026, 11, 25, 0, 0, 0, 0, jakarta),
	Days: 7, Capacity: 30, DailyStart: "08:00", DailyEnd: "15:00",
}

// orgEnv starts a bot whose organisers are Rina, Dewi and Ann and whose
// dispatcher sends 30 messages a second; withRunning adds runningBatch.
func orgEnv(t *testing.T, withRunning bool) *env {
	t.Helper()
	e := newEnv(t)
	e.opt = func(o *bot.Options) {
		o.Admins = []int64{rina.ID, dewi.ID, ann.ID}
		o.SendRate = 30
	}
	if withRunning {
		e.course.Batches = append(e.course.Batches, runningBatch)
	}
	e.start()
	return e
}

// seeded is someone put into the store by orgSeed.
type seeded struct {
	id    int64
	name  string
	phone string
}

// orgSeed stores n people from user id first on, each with a conversation
// and, unless status is "", a registration in batch with that status
// (seats regardless of the batch's capacity).
func (e *env) orgSeed(batch string, status store.Status, first int64, n int) []seeded {
	e.t.Helper()
	var out []seeded
	err := e.db.Update(func(tx *store.Tx) error {
		for i := range n {
			s := seeded{id: first + int64(i), name: fmt.Sprintf("Peserta %03d", i+1), phone: fmt.Sprintf("+62812%08d", first+int64(i))}
			out = append(out, s)
			if err := tx.PutConversation(store.Conversation{UserID: s.id, ChatID: s.id, Lang: "id", State: "done"}); err != nil {
				return err
			}
			p := store.Participant{
				UserID: s.id, ChatID: s.id, Batch: batch, Lang: "id", RegisteredAt: fixedNow,
				Answers: map[string]string{"name": s.name, "phone": s.phone, "nik": "3509015708900001", "experience": "Pemula"},
			}
			var err error
			switch status {
			case store.StatusRegistered:
				_, err = tx.ConfirmSeat(p, 1<<20)
			case store.StatusWaiting:
				_, err = tx.JoinWaitingList(store.Seats{Batch: store.Batch{ID: p.Batch, Open: true, Start: time.Now().AddDate(1, 0, 0)}}, p, time.Now())
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatalf("seed: %v", err)
	}
	return out
}

// orgWaitFor waits until cond holds, looking again whenever the bot does
// something and at least every 200 ms.
func (e *env) orgWaitFor(what string, within time.Duration, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: not within %v", what, within)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		e.srv.WaitSent(ctx, e.srv.LastSeq(), nil)
		cancel()
	}
}

// forge presses data on message msg of u's chat as a forged or saved
// press and returns what the bot did in u's chat.
func (e *env) forge(u telegramtest.User, msg int64, data string) []telegramtest.Message {
	e.t.Helper()
	return e.step(u.ID, func() int64 { return e.srv.Callback(u, msg, data) })
}

// withMethod returns the actions of ms made with method.
func withMethod(ms []telegramtest.Message, method string) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range ms {
		if m.Method == method {
			out = append(out, m)
		}
	}
	return out
}

// lastEdit returns the text of the last edit in ms.
func lastEdit(t *testing.T, ms []telegramtest.Message) telegramtest.Message {
	t.Helper()
	es := withMethod(ms, "editMessageText")
	if len(es) == 0 {
		t.Fatalf("no message was edited (actions: %q)", methodsOf(ms))
	}
	return es[len(es)-1]
}

func methodsOf(ms []telegramtest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Method)
	}
	return out
}

// auditLog reads the newest audit entries.
func (e *env) auditLog() []store.AuditEntry {
	e.t.Helper()
	var es []store.AuditEntry
	if err := e.db.View(func(tx *store.Tx) error { var err error; es, err = tx.AuditLog(1000); return err }); err != nil {
		e.t.Fatal(err)
	}
	return es
}

// Ensure that the organisers' command menu lists their commands in both
// languages, for each of them only.
func TestOrganiser_Commands(t *testing.T) {
	e := orgEnv(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	// 3 languages × (participants + 3 organisers).
	if err := e.srv.WaitRequests(ctx, "setMyCommands", 12); err != nil {
		t.Fatal(err)
	}
	e.orgWaitFor("menus stored", wait, func() bool { return len(e.srv.Commands()) == 12 })
	id := []string{"jadwal", "umumkan", "umumkan_status", "peserta", "absen", "ekspor", "statistik", "buka", "tutup", "daftarhadir", "laporan", "daftarkan", "log"}
	en := []string{"schedule", "announce", "announce_status", "participants", "attendance", "export", "statistics", "open", "close", "attendancesheet", "report", "enrol", "log"}
	for sc, cmds := range e.srv.Commands() {
		var names []string
		for _, c := range cmds {
			names = append(names, c.Command)
			if c.Description == "" {
				t.Errorf("%+v: /%s has no description", sc, c.Command)
			}
		}
		switch {
		case sc.Type == "all_private_chats":
			if slices.Contains(names, "umumkan") || slices.Contains(names, "announce") {
				t.Errorf("participants' menu %+v lists organiser commands: %q", sc, names)
			}
		case sc.Type == "chat" && (sc.ChatID == rina.ID || sc.ChatID == dewi.ID || sc.ChatID == ann.ID):
			want := id
			if sc.LanguageCode == "en" {
				want = en
			}
			if !reflect.DeepEqual(names[len(names)-len(want):], want) {
				t.Errorf("menu of %+v ends %q, want %q", sc, names, want)
			}
		default:
			t.Errorf("menu for %+v", sc)
		}
	}
}
