package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// The Telegram library's own poller confirms updates before they are
// handled and drops buffered ones on shutdown, so daftar polls itself:
// a batch is journaled before the next getUpdates confirms it.

// apiError is an error answer of the Bot API to getUpdates.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

func (e *apiError) Error() string {
	return fmt.Sprintf("telegram getUpdates: %d %s", e.Code, e.Description)
}

// maxConflicts 409 answers in a row (no other answer between them), the
// first at least conflictSpan before the last, mean that another process
// polls with the token (or a webhook is set). Telegram ends the older of two long polls with 409, so
// a restart that overlaps the old process sees one or two; a passing fault
// of the network or of Telegram is over within seconds. A second process
// or a webhook answers 409 to every poll for as long as it runs.
const (
	maxConflicts = 4
	conflictSpan = 10 * time.Second
)

// allowedUpdates are the update types the bot handles.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member"}

// poll long-polls getUpdates until ctx ends, journaling every batch before
// it is confirmed and queueing it for the handlers.
func (c *Client) poll(ctx context.Context) error {
	offset, err := c.db.Offset()
	if err != nil {
		return fmt.Errorf("read offset: %w", err)
	}
	client := &http.Client{Timeout: c.opt.PollTimeout + 15*time.Second}
	conflicts := 0 // 409s in a row
	var firstConflict time.Time
	before := -1 // the updates of the poll before with any; -1: none yet
	for attempt := 0; ctx.Err() == nil; {
		updates, err := c.getUpdates(ctx, client, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ae *apiError
			wait := backoff(attempt, 30*time.Second)
			if !errors.As(err, &ae) || ae.Code != http.StatusConflict {
				// A second process answers 409 and nothing else; another
				// error between two 409s is a network or Telegram fault.
				conflicts = 0
			}
			switch {
			case errors.As(err, &ae) && isWebhookConflict(ae):
				// A webhook left by a run with telegram.webhook_url set:
				// polling replaces it, and Telegram's held updates come
				// to the poll.
				c.log.Info("removing the webhook of an earlier run: polling for updates instead")
				if err := c.deleteWebhook(ctx); err != nil {
					c.log.Warn("deleteWebhook failed, retrying", "err", err, "retry_in", wait.Round(time.Millisecond))
					break
				}
				conflicts = 0
				continue
			case errors.As(err, &ae) && ae.Code == http.StatusUnauthorized:
				return ErrUnauthorized
			case errors.As(err, &ae) && ae.Code == http.StatusTooManyRequests:
				wait = time.Duration(max(ae.RetryAfter, 1)) * time.Second
			case errors.As(err, &ae) && ae.Code == http.StatusConflict:
				// One 409 can be the previous process's last poll after a
				// quick restart; several in a row are a second process.
				if conflicts == 0 {
					firstConflict = time.Now()
				}
				if conflicts++; conflicts >= maxConflicts && time.Since(firstConflict) >= conflictSpan {
					return ErrConflict
				}
				c.log.Warn("getUpdates conflict: is another daftar running with this token, or a webhook set?", "retry_in", wait.Round(time.Millisecond))
			default:
				c.log.Warn("getUpdates failed, retrying", "err", redact(err, c.opt.Token), "retry_in", wait.Round(time.Millisecond))
			}
			attempt++
			Sleep(ctx, wait)
			continue
		}
		attempt, conflicts = 0, 0
		if len(updates) == 0 {
			continue
		}
		next := offset
		for _, t := range updates {
			next = max(next, t.u.ID+1)
		}
		// The updates of a chat whose backlog is full are not even
		// journaled: confirmed with the rest, they are dropped.
		keep, over := c.triage(updates)
		answers, err := c.journalThenEnqueue(ctx, keep, func(kept []store.Update, applied func([]store.Update)) error {
			_, err := c.db.JournalThen(kept, next, applied)
			return err
		})
		if err != nil {
			// Not confirmed: Telegram sends the batch again.
			c.log.Error("journal updates", "err", err)
			Sleep(ctx, time.Second)
			continue
		}
		offset = next
		c.drop(ctx, over)
		c.settle(ctx, answers, lone(answers, before))
		before = answers
	}
	return nil
}

// journalThenEnqueue journals the updates of keep with journal (a
// getUpdates batch or pushes to the webhook) and queues the ones it took
// as new for the handlers, returning how many. The handlers start while
// the journal is written to disk: their transactions begin after its own
// and commit after it, or fail when it fails (store.ErrNotJournaled).
// Submitting may wait for room in the queues, which the transaction must
// not, so it runs beside it and journalThenEnqueue waits for both.
func (c *Client) journalThenEnqueue(ctx context.Context, keep []triaged, journal func(kept []store.Update, applied func(fresh []store.Update)) error) (int, error) {
	kept := make([]store.Update, len(keep))
	for i, t := range keep {
		kept[i] = t.u
	}
	enqueued := make(chan struct{})
	started := false
	answers := 0
	err := journal(kept, func(fresh []store.Update) {
		started = true
		ts := onlyFresh(keep, fresh)
		answers = len(ts)
		go func() { defer close(enqueued); c.enqueue(ctx, ts) }()
	})
	if started {
		<-enqueued
	}
	return answers, err
}

// onlyFresh returns the updates of keep that the journal took as new,
// each once: Telegram may repeat an update, even in one batch.
func onlyFresh(keep []triaged, fresh []store.Update) []triaged {
	isFresh := make(map[int64]bool, len(fresh))
	for _, u := range fresh {
		isFresh[u.ID] = true
	}
	return slices.DeleteFunc(keep, func(t triaged) bool {
		fresh := isFresh[t.u.ID]
		delete(isFresh, t.u.ID)
		return !fresh
	})
}

// getUpdates asks for the updates from offset on; the offset confirms
// everything before it. Each update comes decoded (decodeFetched).
func (c *Client) getUpdates(ctx context.Context, client *http.Client, offset int64) ([]triaged, error) {
	body, _ := json.Marshal(map[string]any{
		"offset":          offset,
		"limit":           100,
		"timeout":         int(c.opt.PollTimeout / time.Second),
		"allowed_updates": allowedUpdates,
	})
	url := strings.TrimRight(c.opt.APIURL, "/") + "/bot" + c.opt.Token + "/getUpdates"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, redact(err, c.opt.Token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, redact(err, c.opt.Token)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read getUpdates answer: %w", err)
	}
	var r struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decode getUpdates answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if !r.OK {
		code := r.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		return nil, &apiError{Code: code, Description: r.Description, RetryAfter: r.Parameters.RetryAfter}
	}
	out := make([]triaged, 0, len(r.Result))
	for _, raw := range r.Result {
		t, ok := decodeFetched(raw, c.username)
		if !ok {
			c.log.Warn("skipping an update without update_id")
			continue
		}
		out = append(out, t)
	}
	return out, nil
}
