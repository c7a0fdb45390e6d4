package bot

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/store"
)

// openAt opens a new database in a temporary folder, closed at the end of
// the test, and returns its path with it.
func openAt(t *testing.T) (string, *store.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "daftar.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return path, db
}

func fileHas(t *testing.T, path, s string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(data, []byte(s))
}

// Ensure that the retention deletes the answers of a form left unfinished
// for retention_days, and leaves a recent one alone.
func TestBot_RetireAbandonedForms(t *testing.T) {
	path, db := openAt(t)
	b := New(db, store.Catalog{Courses: []store.Course{testCourse("angkatan-2")}}, Options{Token: "1:x", RetentionDays: 30, Now: func() time.Time { return testNow }})
	err := db.Update(func(tx *store.Tx) error {
		for _, c := range []store.Conversation{
			{UserID: 1, ChatID: 1, State: conversation.StateField, Step: 2, Answers: map[string]string{"name": "Tini Lama"}, ConsentAt: testNow.AddDate(0, 0, -40), UpdatedAt: testNow.AddDate(0, 0, -31)},
			{UserID: 2, ChatID: 2, State: conversation.StateField, Step: 1, Answers: map[string]string{"name": "Tuti Baru"}, ConsentAt: testNow, UpdatedAt: testNow.AddDate(0, 0, -2)},
		} {
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b.retire()
	err = db.View(func(tx *store.Tx) error {
		old, _, err := tx.Conversation(1)
		if err != nil {
			return err
		}
		if len(old.Answers) != 0 || !old.ConsentAt.IsZero() || old.State != conversation.StateIdle {
			t.Errorf("abandoned form after retention: %+v, want no answers, no consent, idle", old)
		}
		recent, _, err := tx.Conversation(2)
		if len(recent.Answers) != 1 || recent.State != conversation.StateField {
			t.Errorf("recent form after retention: %+v, want it untouched", recent)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if fileHas(t, path, "Tini Lama") {
		t.Error("the abandoned answers are still in the file")
	}
}

// Ensure that the retention reaches batches the config no longer lists,
// counting from their last registration.
func TestBot_RetireOrphanBatches(t *testing.T) {
	path, db := openAt(t)
	b := New(db, store.Catalog{Courses: []store.Course{testCourse("angkatan-2")}}, Options{Token: "1:x", RetentionDays: 30, Now: func() time.Time { return testNow }})
	err := db.Update(func(tx *store.Tx) error {
		for i, at := range []time.Time{testNow.AddDate(0, 0, -40), testNow.AddDate(0, 0, -5)} {
			p := store.Participant{UserID: int64(10 + i), ChatID: int64(10 + i), Batch: []string{"dihapus-lama", "dihapus-baru"}[i],
				Answers: map[string]string{"name": []string{"Sri Lama", "Sri Baru"}[i]}, Lang: "id", RegisteredAt: at}
			if _, err := tx.ConfirmSeat(p, 16); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b.retire()
	err = db.View(func(tx *store.Tx) error {
		for user, want := range map[int64]int{10: 0, 11: 1} {
			ps, err := tx.ParticipantsOf(user)
			if err != nil {
				return err
			}
			if len(ps) != want {
				t.Errorf("user %d holds %d registrations after retention, want %d", user, len(ps), want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fileHas(t, path, "Sri Lama") {
		t.Error("the retired registration is still in the file")
	}
}
