package telegram

import (
	"sync"

	"github.com/daftar-bot/daftar/store"
)

// job is one journaled update, or one recorded reply left by a restart,
// waiting for its chat's turn.
type job struct {
	reply  *store.Reply // a reply to send again; update is then unset
	update store.Update
	// decoded is update.Raw as enqueue decoded it, so that it is decoded
	// once; when nil, process decodes it.
	decoded *Update
}

// chatQueues runs jobs one at a time per chat, in the order submitted, and
// different chats concurrently, at most limit at once. Submitting blocks
// while too many jobs wait, so that polling cannot run far ahead of the
// handlers (what waits is journaled anyway).
type chatQueues struct {
	run   func(job)
	sem   chan struct{} // running chats
	slots chan struct{} // waiting and running jobs

	mu      sync.Mutex
	pending map[int64][]job
	closed  bool
	wg      sync.WaitGroup
}

func newChatQueues(limit int, run func(job)) *chatQueues {
	return &chatQueues{
		run:     run,
		sem:     make(chan struct{}, limit),
		slots:   make(chan struct{}, 16*limit),
		pending: map[int64][]job{},
	}
}

// submit queues j behind the earlier jobs of chat. It reports false when
// the queues are closed or done ends first.
func (q *chatQueues) submit(done <-chan struct{}, chat int64, j job) bool {
	select {
	case q.slots <- struct{}{}:
	case <-done:
		return false
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		<-q.slots
		return false
	}
	_, busy := q.pending[chat]
	q.pending[chat] = append(q.pending[chat], j)
	if !busy {
		q.wg.Add(1)
		go q.drain(chat)
	}
	q.mu.Unlock()
	return true
}

func (q *chatQueues) drain(chat int64) {
	defer q.wg.Done()
	q.sem <- struct{}{}
	defer func() { <-q.sem }()
	for {
		q.mu.Lock()
		jobs := q.pending[chat]
		if len(jobs) == 0 || q.closed {
			for range jobs {
				<-q.slots // left in the journal for the next start
			}
			delete(q.pending, chat)
			q.mu.Unlock()
			return
		}
		j := jobs[0]
		q.pending[chat] = jobs[1:]
		q.mu.Unlock()
		q.run(j)
		<-q.slots
	}
}

// close stops taking jobs, lets the running ones finish, drops the waiting
// ones (they stay journaled) and returns when every runner is gone.
func (q *chatQueues) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wg.Wait()
}
