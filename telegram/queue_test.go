package telegram

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// queueWait bounds every wait in the queue tests.
const queueWait = 10 * time.Second

// jobFor returns a job whose update id carries chat and n, for checking
// order.
func jobFor(chat int64, n int) job {
	return job{update: store.Update{ID: chat*1_000_000 + int64(n)}}
}

// waitClosed waits for ch to be closed, failing the test after queueWait.
func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(queueWait):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// Ensure that chat queues run each chat's jobs one at a time in the order
// submitted, different chats at the same time up to the limit, and drop
// what still waits when closed.
func TestChatQueues(t *testing.T) {
	t.Run("PerChatOrder", func(t *testing.T) {
		const chats, perChat = 12, 200
		var (
			mu      sync.Mutex
			got     = map[int64][]int64{}
			running = map[int64]int{}
			all     sync.WaitGroup
		)
		all.Add(chats * perChat)
		q := newChatQueues(4, func(j job, done func()) {
			defer done()
			defer all.Done()
			chat := j.update.ID / 1_000_000
			mu.Lock()
			running[chat]++
			if running[chat] > 1 {
				t.Errorf("chat %d runs %d jobs at once", chat, running[chat])
			}
			mu.Unlock()
			runtime.Gosched() // give another job of the chat a chance to overlap
			mu.Lock()
			running[chat]--
			got[chat] = append(got[chat], j.update.ID)
			mu.Unlock()
		})
		// One submitter per chat, all at once.
		var submitters sync.WaitGroup
		for c := range int64(chats) {
			submitters.Go(func() {
				for n := range perChat {
					if !q.submit(nil, c+1, jobFor(c+1, n)) {
						t.Errorf("submit to chat %d refused", c+1)
					}
				}
			})
		}
		submitters.Wait()
		done := make(chan struct{})
		go func() { all.Wait(); close(done) }()
		waitClosed(t, done, "every job to run")
		q.close()
		for c := range int64(chats) {
			chat := c + 1
			if len(got[chat]) != perChat {
				t.Errorf("chat %d ran %d jobs, want %d", chat, len(got[chat]), perChat)
				continue
			}
			for n, id := range got[chat] {
				if want := jobFor(chat, n).update.ID; id != want {
					t.Errorf("chat %d: job %d is %d, want %d", chat, n, id, want)
					break
				}
			}
		}
		if n := len(q.slots); n != 0 {
			t.Errorf("%d slots still taken after every job ran", n)
		}
	})

	t.Run("ChatsInParallel", func(t *testing.T) {
		// Each chat's job waits for the other's to start: serial execution
		// would never get there.
		a, b := make(chan struct{}), make(chan struct{})
		done := make(chan int64, 2)
		q := newChatQueues(2, func(j job, finish func()) {
			defer finish()
			mine, theirs := a, b
			if j.update.ID == 2 {
				mine, theirs = b, a
			}
			close(mine)
			select {
			case <-theirs:
				done <- j.update.ID
			case <-time.After(queueWait):
				t.Errorf("job %d: the other chat's job never started alongside", j.update.ID)
				done <- 0
			}
		})
		defer q.close()
		q.submit(nil, 1, job{update: store.Update{ID: 1}})
		q.submit(nil, 2, job{update: store.Update{ID: 2}})
		for range 2 {
			if id := <-done; id == 0 {
				return
			}
		}
	})

	t.Run("Limit", func(t *testing.T) {
		// With a limit of 2, a third chat waits until one of two running
		// chats is done.
		const limit = 2
		release := make(chan struct{})
		started := make(chan int64, 3)
		var mu sync.Mutex
		running, peak := 0, 0
		q := newChatQueues(limit, func(j job, done func()) {
			defer done()
			mu.Lock()
			running++
			peak = max(peak, running)
			mu.Unlock()
			started <- j.update.ID
			<-release
			mu.Lock()
			running--
			mu.Unlock()
		})
		for chat := range int64(3) {
			q.submit(nil, chat+1, job{update: store.Update{ID: chat + 1}})
		}
		for range limit {
			select {
			case <-started:
			case <-time.After(queueWait):
				t.Fatal("the first jobs did not start")
			}
		}
		select {
		case id := <-started:
			t.Errorf("job %d started beyond the limit", id)
		default:
		}
		close(release)
		select {
		case <-started:
		case <-time.After(queueWait):
			t.Fatal("the third chat never ran")
		}
		q.close()
		if peak != limit {
			t.Errorf("%d chats ran at once, want %d", peak, limit)
		}
	})

	t.Run("CloseDropsWaiting", func(t *testing.T) {
		started, release := make(chan struct{}), make(chan struct{})
		var mu sync.Mutex
		var ran []int64
		q := newChatQueues(4, func(j job, done func()) {
			defer done()
			mu.Lock()
			ran = append(ran, j.update.ID)
			mu.Unlock()
			if j.update.ID == 1 {
				close(started)
				<-release
			}
		})
		for id := range int64(5) {
			q.submit(nil, 7, job{update: store.Update{ID: id + 1}})
		}
		waitClosed(t, started, "the first job")
		closed := make(chan struct{})
		go func() { q.close(); close(closed) }()
		// close marks the queues closed at once, then waits for the running
		// job; nothing to wait on but the flag itself.
		deadline := time.Now().Add(queueWait)
		for {
			q.mu.Lock()
			isClosed := q.closed
			q.mu.Unlock()
			if isClosed {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("close did not mark the queues closed")
			}
			runtime.Gosched()
		}
		select {
		case <-closed:
			t.Fatal("close returned while a job was running")
		default:
		}
		if q.submit(nil, 8, job{update: store.Update{ID: 99}}) {
			t.Error("submit after close was accepted")
		}
		close(release)
		waitClosed(t, closed, "close")
		if fmt.Sprint(ran) != "[1]" {
			t.Errorf("ran %v, want only the running job [1]", ran)
		}
		if n := len(q.slots); n != 0 {
			t.Errorf("%d slots still taken after close", n)
		}
	})

	t.Run("SubmitBlocksWhenFull", func(t *testing.T) {
		// Polling cannot run far ahead of the handlers: with every slot
		// taken, submit waits, and gives up when told to.
		release := make(chan struct{})
		q := newChatQueues(1, func(j job, done func()) { defer done(); <-release })
		for i := range cap(q.slots) {
			if !q.submit(nil, int64(i%3), job{update: store.Update{ID: int64(i + 1)}}) {
				t.Fatalf("submit %d refused", i)
			}
		}
		stop := make(chan struct{})
		refused := make(chan bool)
		go func() { refused <- !q.submit(stop, 1, job{update: store.Update{ID: 1000}}) }()
		select {
		case <-refused:
			t.Fatal("submit did not wait for a free slot")
		default:
		}
		close(stop)
		select {
		case ok := <-refused:
			if !ok {
				t.Error("submit accepted a job with every slot taken")
			}
		case <-time.After(queueWait):
			t.Fatal("submit did not give up when done was closed")
		}
		close(release)
		q.close()
	})
}

// Ensure that idleRun waits for the jobs that found their chat idle, not
// for those behind a chat's earlier jobs, and that a job counts once its
// run returned, before it is done.
func TestChatQueues_IdleRun(t *testing.T) {
	release := map[int64]chan struct{}{}
	for _, id := range []int64{jobFor(1, 1).update.ID, jobFor(1, 2).update.ID, jobFor(2, 1).update.ID, jobFor(3, 2).update.ID} {
		release[id] = make(chan struct{})
	}
	q := newChatQueues(4, func(j job, done func()) {
		if ch, ok := release[j.update.ID]; ok {
			<-ch
		}
		// done is left for later: the answers still go out.
	})
	never := make(chan struct{})
	q.submit(never, 1, jobFor(1, 1))
	q.submit(never, 1, jobFor(1, 2)) // behind chat 1's first
	q.submit(never, 2, jobFor(2, 1))
	idle := q.idleRun()
	close(release[jobFor(1, 1).update.ID])
	select {
	case <-idle:
		t.Fatal("idleRun was over while chat 2's first job still ran")
	case <-time.After(50 * time.Millisecond):
	}
	close(release[jobFor(2, 1).update.ID])
	waitClosed(t, idle, "the idle chats' jobs to run, chat 1's second still running")
	close(release[jobFor(1, 2).update.ID])
	waitClosed(t, q.idleRun(), "idleRun with nothing left")

	// A job whose chat's earlier job has run, its answers still going
	// out (not done), counts.
	q.submit(never, 3, jobFor(3, 1)) // runs at once
	waitClosed(t, q.idleRun(), "chat 3's first job to run")
	q.submit(never, 3, jobFor(3, 2))
	select {
	case <-q.idleRun():
		t.Fatal("idleRun was over while a job submitted after its chat's earlier one ran still runs")
	case <-time.After(50 * time.Millisecond):
	}
	close(release[jobFor(3, 2).update.ID])
	q.close()
	waitClosed(t, q.idleRun(), "idleRun once chat 3's second job ran")
}
