package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the data layout this binary writes.
const SchemaVersion = 1

// Sentinel errors.
var (
	// ErrInUse is returned by Open when another process holds the database.
	ErrInUse = errors.New("database is in use by another daftar process")
	// ErrSchemaTooNew is returned by Open when the file was written by a
	// newer daftar than this one.
	ErrSchemaTooNew = errors.New("database was written by a newer daftar: upgrade the binary")
	// ErrBatchFull is returned by ConfirmSeat when no seat is left.
	ErrBatchFull = errors.New("batch is full")
	// ErrAlreadyRegistered is returned by ConfirmSeat when the person already
	// holds a seat in the batch.
	ErrAlreadyRegistered = errors.New("already registered in this batch")
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

	keySchema = []byte("schema")
	keyOffset = []byte("offset")
)

var allBuckets = [][]byte{
	bucketMeta, bucketJournal, bucketConversations, bucketParticipants, bucketBatches, bucketReplies,
	bucketOutbox, bucketOutboxKeys, bucketOutboxQueue, bucketUnreachable, bucketSchedule,
}

// Options tune Open.
type Options struct {
	// Timeout is how long Open waits for another process to release the
	// file before it returns ErrInUse. Zero means one second.
	Timeout time.Duration
	// ReadOnly opens the file for reading only (export, backup).
	ReadOnly bool
}

// DB is an open daftar database. It is safe for concurrent use.
type DB struct {
	bolt *bolt.DB
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
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, ReadOnly: opts.ReadOnly})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Handlers of different chats commit together; a short delay keeps the
	// latency of a single step low while still sharing fsyncs under load.
	b.MaxBatchDelay = 2 * time.Millisecond
	db := &DB{bolt: b}
	if err := db.init(opts.ReadOnly); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) init(readOnly bool) error {
	check := func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if v > SchemaVersion {
			return fmt.Errorf("schema version %d, this daftar knows %d: %w", v, SchemaVersion, ErrSchemaTooNew)
		}
		return nil
	}
	if readOnly {
		return db.bolt.View(func(tx *bolt.Tx) error {
			if err := check(tx); err != nil {
				return err
			}
			// Nothing creates missing buckets here, and every accessor
			// assumes they exist.
			for _, name := range allBuckets {
				if tx.Bucket(name) == nil {
					return fmt.Errorf("bucket %s missing: not a daftar database, or never opened for writing", name)
				}
			}
			return nil
		})
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if meta.Get(keySchema) == nil {
			return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
		}
		return nil
	})
}

// Close closes the database.
func (db *DB) Close() error { return db.bolt.Close() }

// Path returns the database file's path.
func (db *DB) Path() string { return db.bolt.Path() }

// Tx is a read or read-write transaction on the domain. A Tx and the values
// it returns are only valid for the life of the transaction.
type Tx struct {
	tx *bolt.Tx
}

// Update runs fn in a read-write transaction of its own.
func (db *DB) Update(fn func(*Tx) error) error {
	return db.bolt.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Batch runs fn in a read-write transaction that may be shared with other
// concurrent Batch calls, so that one fsync serves many of them. fn may be
// called more than once when another function of the batch fails, so it
// must have no effect outside the transaction.
func (db *DB) Batch(fn func(*Tx) error) error {
	return db.bolt.Batch(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(*Tx) error) error {
	return db.bolt.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// WriteTo writes a consistent copy of the whole database to w while other
// transactions go on.
func (db *DB) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
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
