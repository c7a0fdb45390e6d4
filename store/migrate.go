package store

import (
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

// A migration changes data written at schema version to-1 into the layout
// of version to. It runs inside the one transaction that also creates the
// buckets a file lacks (every bucket in allBuckets exists when fn runs) and
// records the new version: a file is either wholly at its old version or
// wholly at the new one, never in between.
type migration struct {
	to   int
	name string // what it does, for errors and logs: "index participants by phone"
	fn   func(tx *bolt.Tx, opts Options) error
}

// migrations lead from schema version 1 to SchemaVersion, in order:
// migrations[i] goes to version i+2. A change of the data layout is one
// more element here and SchemaVersion one higher (TestMigrations_List
// checks they agree). Values are JSON, so adding a field needs no
// migration; a migration is for new keys or buckets that must be filled
// from existing data, and for changed meanings of existing values.
//
// A new file starts at the latest version without running any: a migration
// only ever sees a file written by an older daftar.
var migrations = []migration{
	{to: 2, name: "index participants, outbox entries and audit entries by person", fn: indexAll},
	{to: 3, name: "record the course of every conversation", fn: courseConversations},
	{to: 4, name: "index registrations by NIK", fn: indexNIKs},
}

// latestVersion is the schema version this binary writes: SchemaVersion
// for the real list, more when a test injects migrations.
func latestVersion() int { return len(migrations) + 1 }

// schemaVersion reads the version a file carries: 0 for a file nobody has
// initialised yet.
func schemaVersion(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get(keySchema)
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("not a daftar database: its schema version is %q, want a number", raw)
	}
	if latest := latestVersion(); v > latest {
		return v, fmt.Errorf("schema version %d, this daftar knows %d: %w", v, latest, ErrSchemaTooNew)
	}
	return v, nil
}

// migrate runs, in tx, the migrations that lead from version from to the
// latest, in order, and records the latest version. The caller rolls tx
// back when it fails, so a failed migration leaves the file at from.
func migrate(tx *bolt.Tx, from int, opts Options) error {
	for i, m := range migrations {
		if m.to != i+2 {
			// A programming error that TestMigrations_List catches.
			return fmt.Errorf("migration %q is number %d in the list but goes to version %d", m.name, i+1, m.to)
		}
		if m.to <= from {
			continue
		}
		if err := m.fn(tx, opts); err != nil {
			return fmt.Errorf("migrate schema version %d to %d (%s): %w", m.to-1, m.to, m.name, err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(latestVersion())))
}

// courseConversations records opts.Course as the course of every
// conversation of a file written when a bot served one course
// (migration to schema version 3). From then on a conversation names the
// course whose form it holds, so that adding or reordering courses in the
// config never puts one person's answers under another course's form.
// The conversation's other keys are kept byte for byte.
func courseConversations(tx *bolt.Tx, opts Options) error {
	if opts.Course == "" {
		return nil // nothing to record: the bot reads "" as its first course
	}
	_, err := addKey(tx.Bucket(bucketConversations), "conversation", "course", func(c map[string]json.RawMessage) (any, error) {
		if _, ok := c["course"]; ok {
			return nil, nil
		}
		return opts.Course, nil
	})
	return err
}

// migrated is a record a migration rewrote: its key and value as stored.
type migrated struct{ k, v []byte }

// addKey sets key in every JSON object of b for which value returns one
// (nil: leave the record as it is), keeping the object's other keys byte
// for byte, and returns the records it rewrote. what names the records in
// errors.
func addKey(b *bolt.Bucket, what, key string, value func(map[string]json.RawMessage) (any, error)) ([]migrated, error) {
	var changed []migrated
	err := b.ForEach(func(k, v []byte) error {
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode %s %x: %w", what, k, err)
		}
		val, err := value(rec)
		if err != nil {
			return fmt.Errorf("decode %s %x: %w", what, k, err)
		}
		if val == nil {
			return nil
		}
		raw, err := json.Marshal(val)
		if err != nil {
			return err
		}
		rec[key] = raw
		out, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		changed = append(changed, migrated{append([]byte(nil), k...), out})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// ForEach must not change the bucket it walks.
	for _, e := range changed {
		if err := b.Put(e.k, e.v); err != nil {
			return nil, err
		}
	}
	return changed, nil
}
