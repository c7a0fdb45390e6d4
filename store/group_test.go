package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	bolt "go.etcd.io/bbolt"
)

var bucketGroupTest = []byte("grouptest")

// probe watches a database's group: every transaction it ran, and every
// call it queued.
type probe struct {
	ran    chan run
	queued chan int
}

type run struct {
	calls int
	err   error
}

// openProbed opens a fresh database whose group reports to the probe.
func openProbed(tb testing.TB) (*DB, *probe) {
	tb.Helper()
	db, err := Open(filepath.Join(tb.TempDir(), "group.db"), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, watch(db)
}

// watch sets the probe's hooks on db, before any Batch call.
func watch(db *DB) *probe {
	p := &probe{ran: make(chan run, 1000), queued: make(chan int, 1000)}
	db.group.ran = func(n int, err error) { p.ran <- run{n, err} }
	db.group.queued = func(n int) { p.queued <- n }
	return p
}

// runs returns the transactions the group ran so far.
func (p *probe) runs() []run {
	var out []run
	for {
		select {
		case r := <-p.ran:
			out = append(out, r)
		default:
			return out
		}
	}
}

// receive waits for one value of ch, at most ten seconds.
func receive[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		tb.Fatalf("no %s within 10 s", what)
		panic("unreachable")
	}
}

// hold starts a Batch whose function waits, inside its transaction, until
// release is called, which then returns that Batch's error. Calls made
// meanwhile queue behind it.
func hold(tb testing.TB, db *DB) (release func() error) {
	tb.Helper()
	var once sync.Once
	inside, free, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Batch(func(tx *Tx) error {
			once.Do(func() { close(inside) })
			<-free
			return put("held")(tx)
		})
	}()
	receive(tb, inside, "held transaction")
	return func() error {
		close(free)
		return receive(tb, done, "held Batch's result")
	}
}

// submit calls Batch with fn and waits until the call is queued.
func submit(tb testing.TB, db *DB, p *probe, fn func(*Tx) error) <-chan error {
	tb.Helper()
	done := make(chan error, 1)
	go func() { done <- db.Batch(fn) }()
	receive(tb, p.queued, "queued call")
	return done
}

// put returns a function that stores key.
func put(key string) func(*Tx) error {
	return func(tx *Tx) error {
		b, err := tx.tx.CreateBucketIfNotExists(bucketGroupTest)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte(key))
	}
}

// has reports whether key is stored in tx.
func has(tx *Tx, key string) bool {
	b := tx.tx.Bucket(bucketGroupTest)
	return b != nil && b.Get([]byte(key)) != nil
}

// stored returns the keys committed, in key order.
func stored(tb testing.TB, db *DB) []string {
	tb.Helper()
	var keys []string
	if err := db.View(func(tx *Tx) error {
		b := tx.tx.Bucket(bucketGroupTest)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error { keys = append(keys, string(k)); return nil })
	}); err != nil {
		tb.Fatal(err)
	}
	return keys
}

// Ensure that a Batch call alone starts its transaction at once: in a
// bubble, whose clock moves only while every goroutine waits, it commits
// without the clock moving, so it waited for no timer.
func TestGroup_lone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db, err := Open(filepath.Join(t.TempDir(), "group.db"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		p := watch(db)
		start := time.Now()
		if err := db.Batch(put("a")); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("a lone Batch waited %v for a timer", waited)
		}
		if got := p.runs(); !slices.Equal(got, []run{{1, nil}}) {
			t.Errorf("transactions %v, want one of one call", got)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// Ensure that the calls made while a transaction runs share the next one,
// in the order they were made.
func TestGroup_shares(t *testing.T) {
	db, p := openProbed(t)
	release := hold(t, db)
	var order []int
	var results []<-chan error
	for i := range 10 {
		results = append(results, submit(t, db, p, func(tx *Tx) error {
			order = append(order, i) // the group runs one function at a time
			return put(fmt.Sprintf("k%d", i))(tx)
		}))
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	for i, done := range results {
		if err := receive(t, done, "result"); err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(order, want) {
		t.Errorf("functions ran in the order %v, want %v", order, want)
	}
	if got, want := p.runs(), []run{{1, nil}, {10, nil}}; !slices.Equal(got, want) {
		t.Errorf("transactions %v, want %v: the held one, then all ten together", got, want)
	}
	if got := stored(t, db); len(got) != 11 {
		t.Errorf("stored %v, want the held key and ten", got)
	}
}

// Ensure that one transaction carries at most maxGroup functions, the
// oldest first.
func TestGroup_bounded(t *testing.T) {
	db, p := openProbed(t)
	release := hold(t, db)
	var results []<-chan error
	for i := range maxGroup + 3 {
		results = append(results, submit(t, db, p, put(fmt.Sprintf("k%03d", i))))
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	for _, done := range results {
		if err := receive(t, done, "result"); err != nil {
			t.Error(err)
		}
	}
	if got, want := p.runs(), []run{{1, nil}, {maxGroup, nil}, {3, nil}}; !slices.Equal(got, want) {
		t.Errorf("transactions %v, want %v", got, want)
	}
}

// Ensure that a function that fails does not fail the others of its
// transaction: they commit without it, and it runs once more alone, after
// them, and its caller gets what that run returns.
func TestGroup_failure(t *testing.T) {
	db, p := openProbed(t)
	release := hold(t, db)
	errNo := errors.New("no")
	var runsA, runsF, runsC int
	var fSawC bool
	a := submit(t, db, p, func(tx *Tx) error { runsA++; return put("a")(tx) })
	f := submit(t, db, p, func(tx *Tx) error {
		runsF++
		fSawC = has(tx, "c")
		if err := put("f")(tx); err != nil {
			return err
		}
		return errNo
	})
	// late fails while c is not stored yet, as in the shared transaction,
	// where it runs before c; alone, after c committed, it succeeds.
	late := submit(t, db, p, func(tx *Tx) error {
		if !has(tx, "c") {
			return errors.New("c missing")
		}
		return put("late")(tx)
	})
	c := submit(t, db, p, func(tx *Tx) error { runsC++; return put("c")(tx) })
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := receive(t, a, "a's result"); err != nil {
		t.Errorf("a: %v", err)
	}
	if err := receive(t, f, "f's result"); !errors.Is(err, errNo) {
		t.Errorf("f: %v, want its own error", err)
	}
	if err := receive(t, late, "late's result"); err != nil {
		t.Errorf("late, alone: %v", err)
	}
	if err := receive(t, c, "c's result"); err != nil {
		t.Errorf("c: %v", err)
	}
	if want := []string{"a", "c", "held", "late"}; !slices.Equal(stored(t, db), want) {
		t.Errorf("stored %v, want %v", stored(t, db), want)
	}
	if runsA != 3 || runsF != 2 || runsC != 1 {
		t.Errorf("a ran %d times, f %d, c %d; want 3, 2, 1", runsA, runsF, runsC)
	}
	if !fSawC {
		t.Error("f ran alone before the others committed")
	}
	want := []run{{1, nil}, {4, errNo}, {3, errors.New("c missing")}, {2, nil}, {1, errNo}, {1, nil}}
	got := p.runs()
	if len(got) != len(want) {
		t.Fatalf("transactions %v, want %v", got, want)
	}
	for i := range got {
		if got[i].calls != want[i].calls || (got[i].err == nil) != (want[i].err == nil) {
			t.Errorf("transaction %d: %v, want %v", i, got[i], want[i])
		}
	}
}

// Ensure that a function that panics gets an error and does not fail the
// others; alone too, nothing panics in the caller.
func TestGroup_panic(t *testing.T) {
	db, p := openProbed(t)
	errBad := errors.New("bad")
	if err := db.Batch(func(*Tx) error { panic(errBad) }); !errors.Is(err, errBad) || !strings.Contains(err.Error(), "panic") {
		t.Errorf("alone: %v, want a panic error wrapping the value", err)
	}
	release := hold(t, db)
	a := submit(t, db, p, put("a"))
	bad := submit(t, db, p, func(tx *Tx) error {
		if err := put("bad")(tx); err != nil {
			return err
		}
		panic("boom")
	})
	c := submit(t, db, p, put("c"))
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := receive(t, bad, "bad's result"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking function: %v, want an error naming the panic", err)
	}
	for _, done := range []<-chan error{a, c} {
		if err := receive(t, done, "result"); err != nil {
			t.Error(err)
		}
	}
	if want := []string{"a", "c", "held"}; !slices.Equal(stored(t, db), want) {
		t.Errorf("stored %v, want %v", stored(t, db), want)
	}
}

// Ensure that an error of the transaction itself reaches every call of it:
// here its commit cannot write, the file handle being read-only.
func TestGroup_commitError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "group.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: time.Second,
		OpenFile: func(name string, _ int, mode os.FileMode) (*os.File, error) {
			return os.OpenFile(name, os.O_RDONLY, mode)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	db = &DB{bolt: b, path: path}
	defer db.Close()
	p := watch(db)
	release := hold(t, db)
	x := submit(t, db, p, put("x"))
	y := submit(t, db, p, put("y"))
	if err := release(); err == nil {
		t.Error("the held transaction committed to a read-only file")
	}
	ex, ey := receive(t, x, "x's result"), receive(t, y, "y's result")
	if ex == nil || ey == nil || ex.Error() != ey.Error() {
		t.Errorf("x: %v, y: %v; want the commit's error for both", ex, ey)
	}
	if got := p.runs(); len(got) != 2 || got[1].calls != 2 {
		t.Errorf("transactions %v, want the held one and one of both", got)
	}
}

// Ensure that Close waits for the calls made before it, and that a call
// after it fails without running its function.
func TestGroup_close(t *testing.T) {
	db, p := openProbed(t)
	release := hold(t, db)
	a := submit(t, db, p, put("a"))
	b := submit(t, db, p, put("b"))
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	// Close is waiting once nobody can take the lock for reading.
	for deadline := time.Now().Add(10 * time.Second); db.mu.TryRLock(); runtime.Gosched() {
		db.mu.RUnlock()
		if time.Now().After(deadline) {
			t.Fatal("Close never waited for the lock")
		}
	}
	if err := release(); err != nil {
		t.Errorf("held: %v", err)
	}
	for _, done := range []<-chan error{a, b} {
		if err := receive(t, done, "result"); err != nil {
			t.Errorf("a call made before Close: %v", err)
		}
	}
	if err := receive(t, closed, "Close"); err != nil {
		t.Fatal(err)
	}
	ran := false
	if err := db.Batch(func(*Tx) error { ran = true; return nil }); err == nil || ran {
		t.Errorf("Batch after Close: %v, function ran: %v", err, ran)
	}
	db, err := Open(db.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if want := []string{"a", "b", "held"}; !slices.Equal(stored(t, db), want) {
		t.Errorf("stored %v, want %v", stored(t, db), want)
	}
}

// Ensure that a function submitted to run alone has a transaction of its
// own, between those submitted before and after it, and runs once.
func TestGroup_alone(t *testing.T) {
	db, p := openProbed(t)
	release := hold(t, db)
	a := submit(t, db, p, put("a"))
	runs := 0
	alone := make(chan error, 1)
	go func() {
		alone <- db.batchAlone(func(tx *bolt.Tx) error { runs++; return put("alone")(&Tx{tx: tx}) })
	}()
	receive(t, p.queued, "queued call")
	b := submit(t, db, p, put("b"))
	c := submit(t, db, p, put("c"))
	if err := release(); err != nil {
		t.Fatal(err)
	}
	for _, done := range []<-chan error{a, alone, b, c} {
		if err := receive(t, done, "result"); err != nil {
			t.Error(err)
		}
	}
	if got, want := p.runs(), []run{{1, nil}, {1, nil}, {1, nil}, {2, nil}}; !slices.Equal(got, want) {
		t.Errorf("transactions %v, want %v: held, a, alone, then b and c", got, want)
	}
	if runs != 1 {
		t.Errorf("the lone function ran %d times", runs)
	}
}

// Ensure that the handlers JournalThen starts share one transaction after
// the journal's: their Batch calls queue while it runs.
func TestGroup_journalThen(t *testing.T) {
	db, p := openProbed(t)
	ups := []Update{{ID: 1, Raw: []byte(`{}`)}, {ID: 2, Raw: []byte(`{}`)}, {ID: 3, Raw: []byte(`{}`)}}
	handled := make(chan error, len(ups))
	fresh, err := db.JournalThen(ups, 4, func(fresh []Update) {
		for _, u := range fresh {
			go func() { handled <- db.Batch(func(tx *Tx) error { return tx.DoneUpdate(u.ID) }) }()
		}
		for range fresh {
			receive(t, p.queued, "handler queued") // not its transaction: that comes after the journal's
		}
	})
	if err != nil || len(fresh) != len(ups) {
		t.Fatalf("JournalThen = %v, %v", fresh, err)
	}
	for range ups {
		if err := receive(t, handled, "handler's result"); err != nil {
			t.Error(err)
		}
	}
	if got, want := p.runs(), []run{{1, nil}, {3, nil}}; !slices.Equal(got, want) {
		t.Errorf("transactions %v, want %v: the journal, then the three handlers", got, want)
	}
	if left, err := db.Journaled(); err != nil || len(left) != 0 {
		t.Errorf("journal left %v, %v", left, err)
	}
}
