package store

import (
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// maxGroup bounds the functions one transaction carries. A poll brings up
// to 100 updates, whose handlers should share one commit; a much larger
// transaction would hold the write lock long, and each of its functions
// that fails runs the others once more.
const maxGroup = 128

// group commits the functions of concurrent Batch calls together, one
// transaction and one fsync pair for all that were submitted while the
// previous commit ran. It is a leader and its followers:
//
//   - At most one leader at a time, and only the leader runs transactions:
//     the caller whose function found nobody leading, or the oldest caller
//     of the queue, to whom the previous leader handed its first maxGroup
//     functions. So a group's transactions commit one after the other, and
//     the functions of one transaction, and the transactions, run in the
//     order they were submitted.
//   - A function submitted while nobody leads starts its transaction at
//     once: nothing waits for a timer or for company.
//   - A function submitted while a leader runs waits in the queue, and goes
//     into the next transaction.
//   - A function submitted to run alone (the journal's, which must run once:
//     it starts the handlers) has a transaction of its own, and those queued
//     while it runs share the next: the handlers' functions wait for the
//     journal in the queue, not one of them at bbolt's lock.
//   - A function that fails (returns an error or panics, which is its
//     error) is taken out and the others run again, in a new transaction,
//     without it; once they are done it runs once more alone, and what that
//     run returns is its caller's. So a function may run more than once.
//     An error of the transaction itself (begin, commit) is every one of
//     its callers'.
//   - Every caller holds DB.mu for reading from before it submits until its
//     own result arrives, so the leader never takes it anew, the bolt
//     handle cannot change under a group, and Close and Scrub wait for all
//     that was submitted before them.
type group struct {
	mu      sync.Mutex
	leading bool
	queue   []*call
	// ran, when set (tests only; set it before any call), is called by the
	// leader after each transaction with the number of functions in it and
	// what the transaction returned.
	ran func(calls int, err error)
	// queued, when set (tests only), is called after a call was queued,
	// with the queue's length.
	queued func(n int)
}

// call is one function submitted to a group.
type call struct {
	fn    func(*bolt.Tx) error
	alone bool
	err   error
	// turn, for a call that queued, brings its result, or the calls it is
	// to lead (then it is the first of them).
	turn chan []*call
}

// do runs fn on b in a transaction shared with the functions submitted at
// the same time, or, when alone, in one of its own, and returns fn's error
// or the transaction's.
func (g *group) do(b *bolt.DB, fn func(*bolt.Tx) error, alone bool) error {
	c := &call{fn: fn, alone: alone}
	g.mu.Lock()
	if !g.leading {
		g.leading = true
		g.mu.Unlock()
		return g.lead(b, []*call{c})
	}
	c.turn = make(chan []*call, 1)
	g.queue = append(g.queue, c)
	n := len(g.queue)
	g.mu.Unlock()
	if g.queued != nil {
		g.queued(n)
	}
	if calls := <-c.turn; calls != nil {
		return g.lead(b, calls)
	}
	return c.err
}

// lead runs calls, whose first is the caller's, hands the queue to its
// next leader and tells the others their results.
func (g *group) lead(b *bolt.DB, calls []*call) error {
	g.run(b, calls)
	g.mu.Lock()
	n := min(len(g.queue), maxGroup)
	switch i := slices.IndexFunc(g.queue[:n], func(c *call) bool { return c.alone }); {
	case i == 0:
		n = 1
	case i > 0:
		n = i
	}
	next := g.queue[:n:n]
	switch {
	case n == 0:
		g.leading = false
	case n == len(g.queue):
		g.queue = nil
	default:
		g.queue = slices.Clone(g.queue[n:])
	}
	g.mu.Unlock()
	if len(next) > 0 {
		next[0].turn <- next
	}
	for _, c := range calls[1:] {
		c.turn <- nil
	}
	return calls[0].err
}

// run runs calls in one transaction, again without each that fails, and
// then each that failed alone, and records every call's result.
func (g *group) run(b *bolt.DB, calls []*call) {
	var solo []*call
	rest := calls
	for len(rest) > 0 {
		failed, err := g.commit(b, rest)
		if failed < 0 || len(rest) == 1 {
			// Committed, or the transaction failed for all; or the one
			// that failed ran alone already.
			for _, c := range rest {
				c.err = err
			}
			break
		}
		if len(solo) == 0 {
			rest = slices.Clone(rest) // calls keeps them all
		}
		solo = append(solo, rest[failed])
		rest = slices.Delete(rest, failed, failed+1)
	}
	for _, c := range solo {
		_, c.err = g.commit(b, []*call{c})
	}
}

// commit runs calls in one read-write transaction and returns the index of
// the one that failed, or -1 when none did, and the transaction's error.
func (g *group) commit(b *bolt.DB, calls []*call) (failed int, err error) {
	failed = -1
	err = b.Update(func(tx *bolt.Tx) error {
		for i, c := range calls {
			if err := safely(c.fn, tx); err != nil {
				failed = i
				return err
			}
		}
		return nil
	})
	if g.ran != nil {
		g.ran(len(calls), err)
	}
	return failed, err
}

// safely calls fn, turning a panic into an error.
func safely(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError{p}
		}
	}()
	return fn(tx)
}

// panicError is the error of a batched function that panicked: its
// transaction is rolled back, and the others of the batch run on.
type panicError struct{ value any }

func (p panicError) Error() string {
	if err, ok := p.value.(error); ok {
		return "panic in transaction: " + err.Error()
	}
	return fmt.Sprintf("panic in transaction: %v", p.value)
}

func (p panicError) Unwrap() error {
	err, _ := p.value.(error)
	return err
}
