package store

import (
	"context"
	"sync"
	"time"
)

// ScrubInterval is the least time between two rewrites of the file after
// erasures that a Scrubber allows: a burst of erasures shares one rewrite,
// at most this long after the first that had to wait.
const ScrubInterval = time.Minute

// Scrubber paces the rewrites of the file (DB.Scrub) that erasures and the
// retention call for. Its pacing follows the machine's clock, not a
// course's: it is about the disk, not a domain rule. The need for a
// rewrite is recorded in the store with the deletion, so a crash meanwhile
// only moves it to the next Open.
type Scrubber struct {
	db    *DB
	every time.Duration
	kick  chan struct{}

	mu   sync.Mutex
	last time.Time
}

// NewScrubber returns a Scrubber of db allowing one rewrite per every
// (ScrubInterval when every <= 0). Run carries out the rewrites Soon puts
// off.
func NewScrubber(db *DB, every time.Duration) *Scrubber {
	if every <= 0 {
		every = ScrubInterval
	}
	return &Scrubber{db: db, every: every, kick: make(chan struct{}, 1)}
}

// Soon rewrites the file now when no rewrite ran in the last interval, so
// that one erasure is gone from the file before its confirmation is sent,
// and returns the rewrite's error; otherwise it leaves the rewrite to Run
// and returns nil.
func (s *Scrubber) Soon() error {
	s.mu.Lock()
	due := s.last.IsZero() || time.Since(s.last) >= s.every
	if due {
		s.last = time.Now()
	}
	s.mu.Unlock()
	if !due {
		select {
		case s.kick <- struct{}{}:
		default:
		}
		return nil
	}
	return s.db.Scrub()
}

// Run carries out the rewrites Soon put off, one per interval at most,
// until ctx ends, telling failed of each rewrite that failed.
func (s *Scrubber) Run(ctx context.Context, failed func(error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		}
		s.mu.Lock()
		wait := s.every - time.Since(s.last)
		s.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		s.mu.Lock()
		s.last = time.Now()
		s.mu.Unlock()
		if err := s.db.Scrub(); err != nil && failed != nil {
			failed(err)
		}
	}
}
