package telegram

import (
	"math"
	"sync"

	"github.com/daftar-bot/daftar/store"
)

// job is one journaled update waiting for its chat's turn.
type job struct {
	update store.Update
	// decoded is update.Raw as enqueue decoded it, so that it is decoded
	// once; when nil, process decodes it.
	decoded *Update
	counted bool // it found no earlier job of its chat running or waiting (chatQueues.idleRun)
}

// chatQueues runs jobs one at a time per chat, in the order submitted, and
// different chats concurrently, at most limit at once. A job is done when
// run calls done, which may be after run returned (its replies still
// going out): the chat's next job runs meanwhile. Submitting blocks while
// too many jobs are not done, so that polling cannot run far ahead of
// the handlers (what waits is journaled anyway); with backlog set, a chat
// with that many jobs not done takes no more (overflow), so that one chat
// cannot fill the queues.
type chatQueues struct {
	run     func(j job, done func())
	backlog int           // per chat; 0: no bound
	sem     chan struct{} // running chats
	slots   chan struct{} // jobs not done
	unrun   countdown     // jobs submitted to an idle chat whose run has not returned

	mu      sync.Mutex
	pending map[int64][]job // per chat, while its runner lives: the jobs waiting
	running map[int64]bool  // per chat: a job's run has not returned
	open    map[int64]int   // per chat: jobs submitted and not done
	told    map[int64]bool  // chats whose overflow was reported since their backlog was last empty
	closed  bool
	wg      sync.WaitGroup
}

func newChatQueues(limit int, run func(j job, done func())) *chatQueues {
	return &chatQueues{
		run:     run,
		sem:     make(chan struct{}, limit),
		slots:   make(chan struct{}, 16*limit),
		pending: map[int64][]job{},
		running: map[int64]bool{},
		open:    map[int64]int{},
		told:    map[int64]bool{},
	}
}

// room is how many more jobs chat's backlog takes.
func (q *chatQueues) room(chat int64) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.backlog <= 0 {
		return math.MaxInt
	}
	return q.backlog - q.open[chat]
}

// tell reports whether chat's backlog overflows for the first time since
// it was last empty, and remembers that it did.
func (q *chatQueues) tell(chat int64) (first bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	first = !q.told[chat]
	q.told[chat] = true
	return first
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
	q.open[chat]++
	waiting, alive := q.pending[chat]
	// Only a job that finds no earlier job of its chat running or
	// waiting counts for idleRun: one behind them waits for them anyway.
	// (An earlier job's answers may still be going out.) The chat's
	// runner may still be alive with nothing left to run: the job is
	// then idle's all the same, and that runner takes it.
	if j.counted = len(waiting) == 0 && !q.running[chat]; j.counted {
		q.unrun.add(1)
	}
	q.pending[chat] = append(waiting, j)
	if !alive {
		q.wg.Add(1)
		go q.drain(chat)
	}
	q.mu.Unlock()
	return true
}

// finish counts one job of chat done.
func (q *chatQueues) finish(chat int64) {
	q.mu.Lock()
	if q.open[chat]--; q.open[chat] <= 0 {
		delete(q.open, chat)
		delete(q.told, chat)
	}
	q.mu.Unlock()
	<-q.slots
}

func (q *chatQueues) drain(chat int64) {
	defer q.wg.Done()
	q.sem <- struct{}{}
	defer func() { <-q.sem }()
	q.mu.Lock()
	for {
		jobs := q.pending[chat]
		if len(jobs) == 0 || q.closed {
			delete(q.pending, chat)
			delete(q.running, chat)
			q.mu.Unlock()
			for _, j := range jobs {
				q.ran(j)
			}
			for range jobs {
				q.finish(chat) // left in the journal for the next start
			}
			return
		}
		j := jobs[0]
		q.pending[chat] = jobs[1:]
		q.running[chat] = true
		q.mu.Unlock()
		var once sync.Once
		q.run(j, func() { once.Do(func() { q.finish(chat) }) })
		// Not running any more before it counts as run, under the lock a
		// submit takes: a job submitted once idleRun saw this one run
		// finds its chat idle.
		q.mu.Lock()
		q.running[chat] = false
		q.ran(j)
	}
}

// ran counts j as run (or dropped).
func (q *chatQueues) ran(j job) {
	if j.counted {
		q.unrun.add(-1)
	}
}

// idleRun returns a channel closed once every job that found its chat
// idle when submitted, so far and meanwhile, has been run: its handler
// returned, its answers handed over to be sent.
func (q *chatQueues) idleRun() <-chan struct{} { return q.unrun.zero() }

// close stops taking jobs, lets the running ones finish, drops the waiting
// ones (they stay journaled) and returns when every runner is gone.
func (q *chatQueues) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wg.Wait()
}
