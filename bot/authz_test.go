package bot_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// orgState is everything an organiser action can change.
type orgState struct {
	Announcements []store.Announcement
	States        map[int64]store.OrganiserState
	Attendance    map[string]map[int64]map[int]bool
	Open          map[string][2]bool
	Audit         []store.AuditEntry
	Outbox        map[store.OutboxStatus]int
	Participants  []store.Participant
}

func (e *env) orgState() orgState {
	e.t.Helper()
	s := orgState{States: map[int64]store.OrganiserState{}, Attendance: map[string]map[int64]map[int]bool{}, Open: map[string][2]bool{}}
	err := e.db.View(func(tx *store.Tx) error {
		for id := uint64(1); ; id++ {
			a, err := tx.Announcement(id)
			if errors.Is(err, store.ErrNotFound) {
				break
			}
			if err != nil {
				return err
			}
			s.Announcements = append(s.Announcements, a)
		}
		for _, u := range []int64{rina.ID, dewi.ID, ann.ID, siti.user.ID} {
			st, err := tx.OrganiserState(u)
			if err != nil {
				return err
			}
			s.States[u] = st
		}
		for _, bt := range e.course.Batches {
			var err error
			if s.Attendance[bt.ID], err = tx.Attendance(bt.ID); err != nil {
				return err
			}
			open, overridden := tx.BatchOpen(bt.ID)
			s.Open[bt.ID] = [2]bool{open, overridden}
		}
		var err error
		if s.Audit, err = tx.AuditLog(1000); err != nil {
			return err
		}
		s.Participants, err = tx.Participants()
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if s.Outbox, err = e.db.OutboxCounts(); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// orgButtons returns the callback data of every inline button on the
// bot's messages in chat, as they stand now.
func (e *env) orgButtons(chat int64) []string {
	var out []string
	for _, m := range e.srv.SentTo(chat) {
		if m.Method != "sendMessage" {
			continue
		}
		cur, ok := e.srv.Current(chat, m.MessageID)
		if !ok {
			continue
		}
		for _, row := range cur.Inline {
			for _, b := range row {
				if b.CallbackData != "" && !slices.Contains(out, b.CallbackData) {
					out = append(out, b.CallbackData)
				}
			}
		}
	}
	return out
}

// Ensure that for anyone but an organiser every organiser command is an
// unknown command and every organiser button, real or forged, a stale
// one: the same answer, no data in it, and no change in the store or in
// any other chat.
func TestAuthorization(t *testing.T) {
	e := orgEnv(t, true)
	people := append(e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 3), e.orgSeed("angkatan-2", store.StatusRegistered, 2001, 2)...)

	// Rina leaves buttons of every kind in her chat, and a draft that
	// waits for her next message.
	e.text(rina, "/umumkan")
	e.text(rina, "Pengumuman rahasia untuk peserta")
	e.press(rina, "Semua peserta (5)")
	e.text(rina, "/umumkan")
	e.text(rina, "Pengumuman rahasia kedua")
	e.text(rina, "/peserta")
	e.text(rina, "/peserta angkatan-3")
	e.text(rina, "/absen")
	e.text(rina, "/absen angkatan-3 9") // a day the batch lacks: the choice of days held
	e.text(rina, "/buka")
	e.text(rina, "/tutup angkatan-2")
	e.text(rina, "/buka angkatan-2") // angkatan-1 is finished: it cannot be opened
	e.text(rina, "/umumkan")
	real := e.orgButtons(rina.ID)
	for _, act := range []string{":aa:", ":as", ":ax", ":ap:", ":ai:", ":at:", ":ad:", ":ak:", ":ao:", ":ac:", ":az"} {
		if !slices.ContainsFunc(real, func(d string) bool { return strings.Contains(d, act) }) {
			t.Errorf("no real button with %q among %q", act, real)
		}
	}
	forged := []string{
		"1:as", "2:as", "1:ax", "1:aa:all", "1:aa:b_angkatan-2", "1:aa:p_angkatan-2", "1:aa:ever", "1:aa:wait",
		"0:ao:angkatan-1", "0:ao:angkatan-2", "0:ac:angkatan-2", "1:ak:angkatan-1", "0:ak:angkatan-2", "0:az",
		"0:ap:angkatan-2", "1:ap:angkatan-3", "1001:ai:angkatan-3", "2001:ai:angkatan-2",
		"1001:at:angkatan-3_4_0", "2001:at:angkatan-2_1_0", "0:ar:angkatan-3_4", "4:ad:angkatan-3", "0:ab:angkatan-3",
		"0:ae:angkatan-1", "0:ae:angkatan-3", "1001:ae:angkatan-3",
		"ru:at:angkatan-3_4_0", "1001:at:angkatan-3_99_0", "0:at", "0:as:x:y", "as", ":as", "0:AS", "-1:as", "0:zz",
		"1001:ls:angkatan-2_0", "1001:lc:angkatan-2_0", "1ja:de:angkatan-2_x", "1ja:dy:angkatan-2_x", "1001:lt:angkatan-2_0", "0:lp:angkatan-2", "0:hk:angkatan-2",
	}

	mallory := telegramtest.User{ID: 666001, FirstName: "Mallory", LanguageCode: "en"}
	e.text(siti.user, "/start") // siti has a conversation, mallory none
	before := e.orgState()
	from := e.srv.LastSeq()

	secrets := []string{"Pengumuman rahasia"}
	for _, p := range people {
		secrets = append(secrets, p.name, p.phone)
	}
	checkNoData := func(u telegramtest.User, what string, ms []telegramtest.Message) {
		t.Helper()
		for _, m := range ms {
			for _, s := range secrets {
				if strings.Contains(m.Text, s) || strings.Contains(m.Caption, s) {
					t.Errorf("%s, %s: the answer holds %q: %q", u.FirstName, what, s, m.Text)
				}
			}
			switch m.Method {
			case "copyMessage", "sendDocument", "sendPhoto", "editMessageText":
				t.Errorf("%s, %s: the bot answered with %s", u.FirstName, what, m.Method)
			}
		}
	}

	commands := []string{
		"/umumkan", "/announce", "/umumkan_status", "/announce_status", "/peserta", "/participants", "/peserta angkatan-2",
		"/absen", "/attendance", "/absen angkatan-3 4", "/ekspor", "/export", "/ekspor angkatan-2", "/statistik",
		"/statistics", "/stats", "/buka", "/open", "/buka angkatan-2", "/tutup", "/close", "/tutup angkatan-2",
		"/log", "/jadwal", "/schedule", "/umumkan@daftar_test_bot", "/LOG",
		"/daftarhadir", "/attendancesheet", "/daftarhadir angkatan-3", "/laporan", "/report", "/laporan angkatan-3",
		"/seleksi", "/select", "/seleksi angkatan-2", "/hasil", "/results", "/hasil angkatan-2",
	}
	for _, u := range []telegramtest.User{siti.user, mallory} {
		unknown := sends(e.text(u, "/tidak_ada"))
		if len(unknown) != 1 {
			t.Fatalf("%s: unknown command answered %d messages", u.FirstName, len(unknown))
		}
		for _, cmd := range commands {
			ms := e.text(u, cmd)
			got := sends(ms)
			if len(got) != 1 || len(ms) != 1 || got[0].Text != unknown[0].Text || !reflect.DeepEqual(labels(got[0]), labels(unknown[0])) {
				t.Errorf("%s %s: answered %q (%q), want only %q", u.FirstName, cmd, texts(ms), methodsOf(ms), unknown[0].Text)
			}
			checkNoData(u, cmd, ms)
		}

		// The announcement Rina waits for is hers alone.
		ms := e.step(u.ID, func() int64 {
			return e.srv.SendMessage(u, map[string]any{"photo": []map[string]any{{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}}})
		})
		checkNoData(u, "photo", ms)

		onMsg := int64(999) // a message the bot never sent: inaccessible
		if own := sends(e.srv.SentTo(u.ID)); len(own) > 0 {
			onMsg = own[len(own)-1].MessageID
		}
		stale, _ := toast(e.forge(u, onMsg, "0:nonsense"))
		if stale == "" {
			t.Fatalf("%s: no stale toast", u.FirstName)
		}
		for _, data := range append(slices.Clone(real), forged...) {
			ms := e.forge(u, onMsg, data)
			if got, ok := toast(ms); !ok || got != stale {
				t.Errorf("%s pressing %q: toast %q, want %q", u.FirstName, data, got, stale)
			}
			for _, m := range ms {
				if m.Method != "answerCallbackQuery" && m.Method != "editMessageReplyMarkup" {
					t.Errorf("%s pressing %q: the bot did %s", u.FirstName, data, m.Method)
				}
			}
			checkNoData(u, data, ms)
		}
	}

	if after := e.orgState(); !reflect.DeepEqual(before, after) {
		t.Errorf("the store changed:\nbefore %+v\nafter  %+v", before, after)
	}
	for _, m := range e.srv.Sent() {
		if m.Seq > from && m.ChatID != siti.user.ID && m.ChatID != mallory.ID {
			t.Errorf("the bot did %s in chat %d", m.Method, m.ChatID)
		}
	}
	if n := len(e.annCopies()); n != 0 {
		t.Errorf("%d copies went out", n)
	}

	// Rina's draft still takes her next message.
	if got := last(t, e.text(rina, "Pengumuman yang benar")); !slices.Contains(labels(got), "Semua peserta (5)") {
		t.Errorf("Rina's draft after the attempts: %q %q", got.Text, labels(got))
	}
	e.assertIdle()
}
