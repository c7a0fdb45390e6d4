package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the data layout this binary writes: one
// more than the number of migrations (migrate.go), which Open runs on a file
// written by an older daftar.
const SchemaVersion = 4

// Sentinel errors.
var (
	// ErrInUse is returned by Open when another process holds the database.
	ErrInUse = errors.New("database is in use by another daftar process")
	// ErrSchemaTooNew is returned by Open when the file was written by a
	// newer daftar than this one.
	ErrSchemaTooNew = errors.New("database was written by a newer daftar: upgrade the binary")
	// ErrBatchFull is returned by ConfirmSeat when no seat is left.
	ErrBatchFull = errors.New("batch is full")
	// ErrBatchClosed is returned by TakeSeat, JoinWaitingList and AcceptOffer when the
	// batch does not take registrations: the config or the organisers
	// (/tutup) closed it.
	ErrBatchClosed = errors.New("batch is closed for registration")
	// ErrBatchStarted is returned by TakeSeat, JoinWaitingList and
	// AcceptOffer once the batch's first session has begun (also when it
	// has ended).
	ErrBatchStarted = errors.New("batch has started")
	// ErrOverlap is returned by TakeSeat, JoinWaitingList and AcceptOffer
	// when the person holds a seat or a waiting place in another batch
	// whose dates overlap (Course.Overlap names it).
	ErrOverlap = errors.New("dates overlap another registration")
	// ErrAlreadyRegistered is returned by ConfirmSeat when the person already
	// holds a seat in the batch.
	ErrAlreadyRegistered = errors.New("already registered in this batch")
	// ErrOutdated is returned by a read-only Open of a file that a newer
	// daftar has not opened for writing yet: it lacks the newer buckets.
	// Opening it for writing once adds them.
	ErrOutdated = errors.New("database was written by an older daftar: open it for writing once to upgrade")
	// ErrNeedsMigration is returned by a read-only Open of a file at an
	// older schema version than this binary's: a writing Open migrates it,
	// which the bot does at its start after taking a backup.
	ErrNeedsMigration = errors.New("database was written by an older daftar: start the bot once to migrate it (it takes a backup first)")
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("not found")
)

var (
	bucketMeta          = []byte("meta")
	bucketJournal       = []byte("journal")
	bucketConversations = []byte("conversations")
	bucketParticipants  = []byte("participants")
	bucketBatches       = []byte("batches")
	bucketReplies       = []byte("replies")
	// bucketPushed holds, by update id, when an update pushed to the
	// webhook was handled: Telegram may push it again (JournalPushed).
	bucketPushed = []byte("pushed")

	keySchema = []byte("schema")
	keyOffset = []byte("offset")
)

var allBuckets = [][]byte{
	bucketMeta, bucketJournal, bucketConversations, bucketParticipants, bucketBatches, bucketReplies,
	bucketOutbox, bucketOutboxKeys, bucketOutboxQueue, bucketUnreachable, bucketSchedule,
	bucketAttendance,
	bucketAnnouncements, bucketOrganisers, bucketAudit, bucketBatchOpen,
	bucketParticipantsByUser, bucketOutboxByUser, bucketAuditByPerson,
	bucketCertificates, bucketCertificateCodes,
	bucketSurveyProgress, bucketSurveyDone, bucketSurveyLinked, bucketSurveyAnswers,
	bucketParticipantsByNIK, bucketNIKOfParticipant,
	bucketWalkIns, bucketWalkInCodes, bucketDesk,
	bucketDecisions, bucketResultsSent, bucketStillComing,
	bucketPushed,
}

// Options tune Open.
type Options struct {
	// Timeout is how long Open waits for another process to release the
	// file before it returns ErrInUse. Zero means one second.
	Timeout time.Duration
	// ReadOnly opens the file for reading only (export, backup).
	ReadOnly bool
	// BeforeMigrate, when set, is called by a writing Open that is about to
	// migrate a file written by an older daftar, at schema version from, to
	// this binary's version to; it is not called for a new file or one
	// already at to. It runs once Open holds the file's lock and before
	// anything is changed, so that it can copy the file as it was: db is
	// usable for WriteTo and Path only, and must not be closed. An error
	// aborts Open and leaves the file as it was.
	BeforeMigrate func(db *DB, from, to int) error
	// Course is the id of the course that the conversations of a file
	// written before a bot served several courses belong to: the config's
	// first course. The migration to schema version 3 records it in them.
	Course string
	// NIKFields name, by batch id, the answer holding the NIK in the
	// form of the batch's course (Intake.NIKField): the migration to
	// schema version 4 indexes the registrations by it.
	NIKFields map[string]string
}

// DB is an open daftar database. It is safe for concurrent use.
type DB struct {
	// mu is held for reading by every transaction and for writing by
	// Scrub, which swaps the file underneath.
	mu   sync.RWMutex
	bolt *bolt.DB
	opts *bolt.Options
	// path is the file's name. After a scrub the bolt handle is the one
	// that wrote the new file under a temporary name, so its own Path is
	// not the file's.
	path string
	// group commits the functions of concurrent batch calls together.
	group group
}

// view, update, batch and batchAlone are the only ways to the bolt file: they hold mu
// for reading. They must not be nested.
func (db *DB) view(fn func(*bolt.Tx) error) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.bolt.View(fn)
}

func (db *DB) update(fn func(*bolt.Tx) error) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.bolt.Update(fn)
}

func (db *DB) batch(fn func(*bolt.Tx) error) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.group.do(db.bolt, fn, false)
}

// batchAlone is batch for a function that must run once, in a transaction
// of its own; the batch calls made meanwhile share the next.
func (db *DB) batchAlone(fn func(*bolt.Tx) error) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.group.do(db.bolt, fn, true)
}

// Open opens the database at path, creating it with mode 0600 when it does
// not exist.
func Open(path string, opts Options) (*DB, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	bopts := &bolt.Options{Timeout: timeout, ReadOnly: opts.ReadOnly}
	b, err := bolt.Open(path, 0o600, bopts)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{bolt: b, opts: bopts, path: path}
	if err := db.init(opts); err != nil {
		b.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		// An erasure whose rewrite a crash or a full disk interrupted is
		// finished before anything else reads the file.
		if err := db.Scrub(); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// init checks the file's schema version and, for writing, brings the file
// to this binary's: it creates the missing buckets and runs the migrations
// in one transaction, after Options.BeforeMigrate.
func (db *DB) init(opts Options) error {
	latest := latestVersion()
	if opts.ReadOnly {
		return db.view(func(tx *bolt.Tx) error {
			v, err := schemaVersion(tx)
			if err != nil {
				return err
			}
			// Nothing creates missing buckets or migrates here, and every
			// accessor assumes the current layout.
			if tx.Bucket(bucketMeta) == nil {
				return fmt.Errorf("bucket %s missing: not a daftar database, or never opened for writing", bucketMeta)
			}
			if v < latest {
				// Older in both ways: what lacks a migration is outdated too.
				return fmt.Errorf("schema version %d, this daftar writes %d: %w (%w)", v, latest, ErrNeedsMigration, ErrOutdated)
			}
			for _, name := range allBuckets {
				if tx.Bucket(name) == nil {
					return fmt.Errorf("bucket %s missing: %w", name, ErrOutdated)
				}
			}
			return nil
		})
	}
	var from int
	if err := db.view(func(tx *bolt.Tx) error {
		var err error
		from, err = schemaVersion(tx)
		return err
	}); err != nil {
		return err
	}
	// Outside any transaction: the hook reads the file through db.
	if from > 0 && from < latest && opts.BeforeMigrate != nil {
		if err := opts.BeforeMigrate(db, from, latest); err != nil {
			return fmt.Errorf("before migrating schema version %d to %d: %w", from, latest, err)
		}
	}
	return db.update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		switch {
		case from == 0:
			return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(latest)))
		case from < latest:
			return migrate(tx, from, opts)
		}
		return nil
	})
}

// Close closes the database.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.bolt.Close()
}

// Path returns the database file's path.
func (db *DB) Path() string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.path
}

// Tx is a read or read-write transaction on the domain. A Tx and the values
// it returns are only valid for the life of the transaction.
type Tx struct {
	tx *bolt.Tx
	// read and unreleased count the bytes of the records read one by
	// one, all of them and since the last release (mapped.go).
	read, unreleased int
}

// Update runs fn in a read-write transaction of its own.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Batch runs fn in a read-write transaction that may be shared with other
// concurrent Batch calls, so that one fsync serves many of them: fn's
// transaction begins at once when no other Batch transaction is running,
// else it is the next one, with every function submitted meanwhile, in
// the order they were (group.go). fn may be called more than once when
// another function of the batch fails, so it must have no effect outside
// the transaction. A function that fails does not fail the others: it
// runs once more alone, and Batch returns that run's error; a panic in fn
// is its error.
func (db *DB) Batch(fn func(*Tx) error) error {
	return db.batch(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// View runs fn in a read-only transaction.
// A read that walked many records lets go of the file's pages it mapped
// before it ends (Tx.release).
func (db *DB) View(fn func(*Tx) error) error {
	return db.view(func(tx *bolt.Tx) error {
		t := &Tx{tx: tx}
		err := fn(t)
		if t.read >= releaseBytes && t.unreleased > 0 {
			t.release()
		}
		return err
	})
}

// WriteTo writes a consistent copy of the whole database to w while other
// transactions go on.
func (db *DB) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func i64(v int64) []byte { return u64(uint64(v)) }

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return true, fmt.Errorf("decode record %x: %w", key, err)
	}
	return true, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}
