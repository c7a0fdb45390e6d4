package store_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that the real migration list leads from version 1 to
// SchemaVersion one step at a time.
func TestMigrations_List(t *testing.T) {
	to, names := store.MigrationTargets()
	for i, v := range to {
		if v != i+2 {
			t.Errorf("migrations[%d] goes to version %d, want %d", i, v, i+2)
		}
		if strings.TrimSpace(names[i]) == "" {
			t.Errorf("migrations[%d] has no name", i)
		}
	}
	if store.SchemaVersion != len(to)+1 || store.LatestVersion() != store.SchemaVersion {
		t.Errorf("SchemaVersion = %d with %d migrations: want %d", store.SchemaVersion, len(to), len(to)+1)
	}
}

// fileSchema reads the schema version written in the file at path, and
// whether the file has the bucket named probe.
func fileSchema(tb testing.TB, path, probe string) (version int, hasProbe bool) {
	tb.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		tb.Fatalf("bolt.Open(%s): %v", path, err)
	}
	defer b.Close()
	err = b.View(func(tx *bolt.Tx) error {
		version, err = strconv.Atoi(string(tx.Bucket([]byte("meta")).Get([]byte("schema"))))
		hasProbe = tx.Bucket([]byte(probe)) != nil
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return version, hasProbe
}

// writeV1 creates a database at schema version 1, as the first daftar
// left it, holding one pending reply.
func writeV1(tb testing.TB) string {
	tb.Helper()
	// The binary's own migrations lead past version 1: write with none.
	store.SetMigrations(tb)
	path := filepath.Join(tb.TempDir(), "daftar.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	mustUpdate(tb, db, func(tx *store.Tx) error {
		_, err := tx.AddReply(42, []byte("pertanyaan berikutnya"))
		return err
	})
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	if v, _ := fileSchema(tb, path, ""); v != 1 {
		tb.Fatalf("new file at schema version %d, want 1", v)
	}
	return path
}

// testMigrations are versions 2 and 3 of a made-up layout: 2 adds the
// bucket "m" with order = "2", 3 appends "3" to order and needs 2 first.
// Each run is logged in *events.
func testMigrations(events *[]string) []store.Migration {
	return []store.Migration{
		{To: 2, Name: "add bucket m", Fn: func(tx *bolt.Tx) error {
			*events = append(*events, "migrate 2")
			b, err := tx.CreateBucket([]byte("m"))
			if err != nil {
				return err
			}
			return b.Put([]byte("order"), []byte("2"))
		}},
		{To: 3, Name: "extend order", Fn: func(tx *bolt.Tx) error {
			*events = append(*events, "migrate 3")
			b := tx.Bucket([]byte("m"))
			if b == nil {
				return errors.New("bucket m missing: migration 2 did not run first")
			}
			return b.Put([]byte("order"), append(b.Get([]byte("order")), '3'))
		}},
	}
}

// backupHook is a BeforeMigrate that logs its call in *events and copies
// the file as it is to backup.
func backupHook(events *[]string, backup string) func(db *store.DB, from, to int) error {
	return func(db *store.DB, from, to int) error {
		*events = append(*events, fmt.Sprintf("before %d->%d", from, to))
		f, err := os.OpenFile(backup, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := db.WriteTo(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
}

func TestOpen_Migrate(t *testing.T) {
	// Ensure that a version 1 file migrates to 2 and then 3 in one Open,
	// after the BeforeMigrate hook copied it as it was, keeping its data.
	t.Run("InOrderAfterBackup", func(t *testing.T) {
		path := writeV1(t)
		var events []string
		store.SetMigrations(t, testMigrations(&events)...)
		backup := filepath.Join(t.TempDir(), "pre-v3.bak")

		db, err := store.Open(path, store.Options{BeforeMigrate: backupHook(&events, backup)})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if want := []string{"before 1->3", "migrate 2", "migrate 3"}; !reflect.DeepEqual(events, want) {
			t.Errorf("events %q, want %q", events, want)
		}
		replies, err := db.PendingReplies()
		if err != nil || len(replies) != 1 || replies[0].ChatID != 42 {
			t.Errorf("data after migration: %+v, %v", replies, err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if v, _ := fileSchema(t, path, "m"); v != 3 {
			t.Errorf("schema version %d after migrating, want 3", v)
		}
		b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		b.View(func(tx *bolt.Tx) error {
			if got := string(tx.Bucket([]byte("m")).Get([]byte("order"))); got != "23" {
				t.Errorf("order = %q, want the migrations run as 2 then 3", got)
			}
			return nil
		})
		b.Close()

		// The backup is the file before any migration ran.
		if v, hasM := fileSchema(t, backup, "m"); v != 1 || hasM {
			t.Errorf("backup at schema version %d, bucket m %v: want 1 and none", v, hasM)
		}

		// A migrated file is current: nothing runs again.
		events = nil
		db, err = store.Open(path, store.Options{BeforeMigrate: backupHook(&events, backup)})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if len(events) != 0 {
			t.Errorf("reopening a migrated file: %q, want nothing", events)
		}
	})

	// Ensure that a file at version 2 runs only the migration to 3.
	t.Run("FromTheMiddle", func(t *testing.T) {
		path := writeV1(t)
		var events []string
		store.SetMigrations(t, testMigrations(&events)[:1]...)
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		store.SetMigrations(t, testMigrations(&events)...)
		events = nil
		db, err = store.Open(path, store.Options{BeforeMigrate: backupHook(&events, filepath.Join(t.TempDir(), "b"))})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if want := []string{"before 2->3", "migrate 3"}; !reflect.DeepEqual(events, want) {
			t.Errorf("events %q, want %q", events, want)
		}
	})

	// Ensure that a failing migration rolls every migration back: the file
	// stays at version 1, usable by the old binary and migrated by a fixed
	// new one.
	t.Run("FailureRollsBack", func(t *testing.T) {
		path := writeV1(t)
		var events []string
		boom := errors.New("boom")
		ms := testMigrations(&events)
		ms[1].Fn = func(tx *bolt.Tx) error { events = append(events, "migrate 3"); return boom }
		store.SetMigrations(t, ms...)

		db, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond})
		if err == nil {
			db.Close()
			t.Fatal("Open with a failing migration succeeded")
		}
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), "extend order") {
			t.Errorf("err = %v, want boom naming the migration", err)
		}
		if v, hasM := fileSchema(t, path, "m"); v != 1 || hasM {
			t.Errorf("after the failure: schema version %d, bucket m %v; want 1 and no trace of migration 2", v, hasM)
		}
		if _, err := store.Open(path, store.Options{ReadOnly: true, Timeout: 100 * time.Millisecond}); !errors.Is(err, store.ErrNeedsMigration) {
			t.Errorf("read-only Open of the rolled-back file: %v, want ErrNeedsMigration", err)
		}

		store.SetMigrations(t, testMigrations(&events)...)
		db = mustOpenPath(t, path)
		replies, err := db.PendingReplies()
		if err != nil || len(replies) != 1 {
			t.Errorf("data after the fixed migration: %+v, %v", replies, err)
		}
	})

	// Ensure that an error of BeforeMigrate aborts Open before anything
	// changes.
	t.Run("HookErrorAborts", func(t *testing.T) {
		path := writeV1(t)
		var events []string
		store.SetMigrations(t, testMigrations(&events)...)
		noSpace := errors.New("no space left on device")
		db, err := store.Open(path, store.Options{BeforeMigrate: func(*store.DB, int, int) error { return noSpace }})
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded although BeforeMigrate failed")
		}
		if !errors.Is(err, noSpace) {
			t.Errorf("err = %v, want the hook's", err)
		}
		if len(events) != 0 {
			t.Errorf("migrations ran: %q", events)
		}
		if v, _ := fileSchema(t, path, "m"); v != 1 {
			t.Errorf("schema version %d, want 1", v)
		}
	})

	// Ensure that a new file starts at the latest version without running
	// migrations or the hook.
	t.Run("NewFile", func(t *testing.T) {
		var events []string
		store.SetMigrations(t, testMigrations(&events)...)
		path := filepath.Join(t.TempDir(), "daftar.db")
		db, err := store.Open(path, store.Options{BeforeMigrate: backupHook(&events, filepath.Join(t.TempDir(), "b"))})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		if len(events) != 0 {
			t.Errorf("a new file ran %q", events)
		}
		if v, _ := fileSchema(t, path, ""); v != 3 {
			t.Errorf("new file at schema version %d, want 3", v)
		}
	})

	// Ensure that a file newer than the binary is still refused, in both
	// modes, and the hook is not asked to back it up.
	t.Run("NewerFileRefused", func(t *testing.T) {
		path := writeV1(t)
		var events []string
		store.SetMigrations(t, testMigrations(&events)...)
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		store.SetMigrations(t, testMigrations(&events)[:1]...)
		events = nil
		for _, readOnly := range []bool{false, true} {
			db, err := store.Open(path, store.Options{ReadOnly: readOnly, Timeout: 100 * time.Millisecond,
				BeforeMigrate: backupHook(&events, filepath.Join(t.TempDir(), "b"))})
			if err == nil {
				db.Close()
				t.Fatalf("Open(ReadOnly: %v) of a version 3 file by a version 2 binary succeeded", readOnly)
			}
			if !errors.Is(err, store.ErrSchemaTooNew) {
				t.Errorf("Open(ReadOnly: %v): %v, want ErrSchemaTooNew", readOnly, err)
			}
		}
		if len(events) != 0 {
			t.Errorf("refused file: %q", events)
		}
	})
}

// Ensure that a file written before the person indexes existed gets them
// built by the migration to version 2: a person's registrations, outbox
// entries and audit entries are found, and erased, through them.
func TestMigrate_PersonIndexes(t *testing.T) {
	seats := wlSeats("b", 2, wlStartIn(10))
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	seatWithName(t, db, seats, "Sulastri")
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.Enqueue(store.OutboxEntry{Key: "test/1", Kind: store.KindNotice, ChatID: 1001, UserID: 1}); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: wlNow, By: 9, ByName: "Rina", Action: store.AuditExport, Subject: 1})
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// As the previous release left it: no index buckets, version 1.
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"participants_by_user", "outbox_by_user", "audit_by_person"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	db = mustOpenPath(t, path)
	var ps []store.Participant
	if err := db.View(func(tx *store.Tx) error {
		var err error
		ps, err = tx.ParticipantsOf(1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Batch != "b" {
		t.Fatalf("ParticipantsOf(1) after the migration = %+v, want the registration in b", ps)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{seats}, 1, wlNow)
		return err
	})
	if err := db.View(func(tx *store.Tx) error {
		_, err := tx.OutboxByKey("test/1")
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the person's outbox entry after erasure: %v, want ErrNotFound", err)
	}
	log := auditLog(t, db)
	for _, e := range log {
		if e.Subject == 1 {
			t.Errorf("audit entry %+v still names the erased person", e)
		}
	}
}

// Ensure that the migration to version 3 records the config's first
// course in every conversation of a file written when the bot served one
// course, keeping the rest of each conversation as it was.
func TestMigrate_ConversationCourse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	mustUpdate(t, db, func(tx *store.Tx) error {
		if err := tx.PutConversation(store.Conversation{UserID: 1, ChatID: 1, State: "form", Step: 2, Answers: map[string]string{"name": "Siti"}}); err != nil {
			return err
		}
		return tx.PutConversation(store.Conversation{UserID: 2, ChatID: 2, State: "idle", Course: "las"})
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("2"))
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()

	db, err = store.Open(path, store.Options{Course: "menjahit"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		user int64
		want string
	}{{1, "menjahit"}, {2, "las"}} {
		var c store.Conversation
		if err := db.View(func(tx *store.Tx) error {
			var err error
			c, _, err = tx.Conversation(tc.user)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if c.Course != tc.want {
			t.Errorf("conversation %d: course %q, want %q", tc.user, c.Course, tc.want)
		}
		if tc.user == 1 && (c.State != "form" || c.Step != 2 || c.Answers["name"] != "Siti") {
			t.Errorf("conversation 1 changed beyond its course: %+v", c)
		}
	}
}
