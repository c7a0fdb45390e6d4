package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"github.com/daftar-bot/daftar/store"
)

// Sending limits. Telegram allows about 30 messages a second in bulk.
const (
	maxSendRate     = 30
	defaultSendRate = 28
)

// Errors of Telegram's answers, for errors.Is on what a Sender returns.
var (
	ErrForbidden  = tgbot.ErrorForbidden  // the person blocked the bot or is gone
	ErrBadRequest = tgbot.ErrorBadRequest // the request is malformed or no longer applies
	ErrNotFound   = tgbot.ErrorNotFound
)

// Sender makes the bot's requests to Telegram: replies and bulk messages
// alike, with one rate limiter and one 429 pause (see the package
// documentation). Its methods are safe for concurrent use; each makes one
// request and returns Telegram's refusal, with the token never in it.
//
// Bulk sends (the Dispatcher's) wait for the pause, the overall rate and
// the per-second window; replies wait only for a pause of their own chat.
// Every request goes through one place (do), so that a later priority
// queue for replies over bulk, or several bulk sends in flight, changes
// this type only.
type Sender struct {
	api   *tgbot.Bot
	token string
	log   *slog.Logger
	now   func() time.Time

	limiter *rate.Limiter
	perSec  int

	mu         sync.Mutex
	paused     time.Time           // a 429 stops bulk sending until then
	chatPaused map[int64]time.Time // and replies to the chat it was answered for
	window     []time.Time         // start times of the last perSec bulk sends
}

func newSender(api *tgbot.Bot, token string, perSecond int, log *slog.Logger, now func() time.Time) *Sender {
	if perSecond <= 0 || perSecond > maxSendRate {
		perSecond = defaultSendRate
	}
	return &Sender{
		api: api, token: token, log: log, now: now,
		limiter:    rate.NewLimiter(rate.Limit(perSecond), 1),
		perSec:     perSecond,
		chatPaused: map[int64]time.Time{},
	}
}

// errNoToken is what a Sender without a token answers.
var errNoToken = errors.New("no bot token")

// do makes one request for chat after waiting for the pause of a reply
// (bulk sends wait in waitTurn first), and starts a pause when Telegram
// answers 429. chat 0 is a request of no chat (answerCallbackQuery).
func (s *Sender) do(ctx context.Context, chat int64, call func(context.Context, *tgbot.Bot) error) error {
	if s.api == nil {
		return errNoToken
	}
	if err := s.waitChat(ctx, chat); err != nil {
		return err
	}
	err := call(ctx, s.api)
	var tooMany *tgbot.TooManyRequestsError
	if errors.As(err, &tooMany) {
		s.pause(chat, tooMany.RetryAfter)
	}
	return redact(err, s.token)
}

// waitChat waits until a 429 pause of chat is over.
func (s *Sender) waitChat(ctx context.Context, chat int64) error {
	for {
		s.mu.Lock()
		until, ok := s.chatPaused[chat]
		wait := until.Sub(s.now())
		if ok && wait <= 0 {
			delete(s.chatPaused, chat)
		}
		s.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		if !Sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

// pause stops bulk sending, and replies to chat, for retryAfter seconds.
func (s *Sender) pause(chat int64, retryAfter int) {
	now := s.now()
	until := now.Add(time.Duration(max(retryAfter, 1)) * time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.paused) {
		s.paused = until
	}
	if chat != 0 && until.After(s.chatPaused[chat]) {
		s.chatPaused[chat] = until
	}
	for c, t := range s.chatPaused {
		if !t.After(now) {
			delete(s.chatPaused, c)
		}
	}
}

// waitTurn blocks a bulk send until a 429 pause is over and the overall
// rate allows one more message. The token bucket spaces sends evenly; the
// window on top keeps a late goroutine from making more than perSecond
// sends start within one second, which is how Telegram counts. A wait for
// the window keeps the token: taking another would leave one unused every
// perSecond sends (29 of 30 at send_rate 29, BenchmarkDispatcher). After a
// 429 pause the sends are spaced anew.
func (s *Sender) waitTurn(ctx context.Context) error {
	for token := false; ; {
		if !token {
			if err := s.limiter.Wait(ctx); err != nil {
				return err
			}
			token = true
		}
		now := s.now()
		s.mu.Lock()
		wait := s.paused.Sub(now)
		if wait > 0 {
			token = false
		} else if len(s.window) == s.perSec {
			wait = s.window[0].Add(time.Second + 10*time.Millisecond).Sub(now)
		}
		if wait <= 0 {
			// A 429 that arrives while this send is on its way cannot be
			// helped; every later send sees the pause.
			if len(s.window) == s.perSec {
				s.window = s.window[1:]
			}
			s.window = append(s.window, now)
			s.mu.Unlock()
			return nil
		}
		s.mu.Unlock()
		if !Sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

// sendMessageParams is m as sendMessage to chat: HTML, no link previews.
func sendMessageParams(chat int64, m Message) *tgbot.SendMessageParams {
	return &tgbot.SendMessageParams{
		ChatID:             chat,
		Text:               m.Text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		ReplyMarkup:        markup(m),
	}
}

// SendMessage sends m to chat and returns the new message's id. A text
// too long for one message goes as several (Split), and the id is the
// last one's, the one with the buttons. Replies are split before they are
// recorded, so that each part is forgotten on its own; this is for the
// rest (the outbox, progress messages, replies recorded by earlier
// releases).
func (s *Sender) SendMessage(ctx context.Context, chat int64, m Message) (int, error) {
	var id int
	for _, part := range Split(m) {
		err := s.do(ctx, chat, func(ctx context.Context, api *tgbot.Bot) error {
			msg, err := api.SendMessage(ctx, sendMessageParams(chat, part))
			if err == nil {
				id = msg.ID
			}
			return err
		})
		if err != nil {
			return id, err
		}
	}
	return id, nil
}

// Copy copies message msg of chat from into chat and returns the copy's id.
func (s *Sender) Copy(ctx context.Context, chat, from int64, msg int) (int, error) {
	var id int
	err := s.do(ctx, chat, func(ctx context.Context, api *tgbot.Bot) error {
		c, err := api.CopyMessage(ctx, &tgbot.CopyMessageParams{ChatID: chat, FromChatID: from, MessageID: msg})
		if err == nil {
			id = c.ID
		}
		return err
	})
	return id, err
}

// send makes the request of an outbox entry to chat.
func (s *Sender) send(ctx context.Context, chat int64, o Outgoing) (int, error) {
	if o.Copy != nil {
		return s.Copy(ctx, chat, o.Copy.FromChat, o.Copy.MessageID)
	}
	if o.Document != nil {
		return s.sendDocument(ctx, chat, *o.Document)
	}
	return s.SendMessage(ctx, chat, o.Message)
}

// Edit replaces the text and buttons of message msg in chat. An edit that
// changes nothing is no error. An edit cannot become two messages: a text
// too long is cut (Fit); the screens that can grow page instead.
func (s *Sender) Edit(ctx context.Context, chat int64, msg int, m Message) error {
	m = Fit(m)
	err := s.do(ctx, chat, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.EditMessageText(ctx, &tgbot.EditMessageTextParams{
			ChatID: chat, MessageID: msg, Text: m.Text, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
			ReplyMarkup:        markup(m),
		})
		return err
	})
	if notModified(err) {
		return nil
	}
	return err
}

// notModified reports Telegram's answer to an edit that changes nothing.
func notModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}

// ClearButtons removes the inline keyboard of message msg in chat, so that
// it cannot be pressed again.
func (s *Sender) ClearButtons(ctx context.Context, chat int64, msg int) error {
	return s.do(ctx, chat, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
			ChatID: chat, MessageID: msg, ReplyMarkup: wireInline{InlineKeyboard: [][]wireButton{}},
		})
		return err
	})
}

// AnswerCallback stops the spinner on a pressed button, with text as a
// toast when it is not empty, cut to what Telegram shows (Toast).
func (s *Sender) AnswerCallback(ctx context.Context, id, text string) error {
	text = Toast(text)
	return s.do(ctx, 0, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	})
}

// SendDocument uploads what data reads as the file name to chat. It is
// streamed into the request, never held whole.
func (s *Sender) SendDocument(ctx context.Context, chat int64, name string, data io.Reader) error {
	return s.do(ctx, chat, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID: chat, Document: &models.InputFileUpload{Filename: name, Data: data},
		})
		return err
	})
}

// SendPhoto uploads data as the picture name to chat.
func (s *Sender) SendPhoto(ctx context.Context, chat int64, name string, data []byte) error {
	return s.do(ctx, chat, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.SendPhoto(ctx, &tgbot.SendPhotoParams{
			ChatID: chat, Photo: &models.InputFileUpload{Filename: name, Data: bytes.NewReader(data)},
		})
		return err
	})
}

// RetryAfter reports whether err is Telegram's 429 and how long it asks
// to wait.
func RetryAfter(err error) (time.Duration, bool) {
	var tooMany *tgbot.TooManyRequestsError
	if !errors.As(err, &tooMany) {
		return 0, false
	}
	return time.Duration(max(tooMany.RetryAfter, 1)) * time.Second, true
}

// Refused reports whether Telegram refused a request for good: the
// person blocked the bot, the request is malformed, or what it names is
// gone. Sending it again cannot help.
func Refused(err error) bool {
	var migrated *tgbot.MigrateError
	switch {
	case errors.Is(err, ErrForbidden), errors.Is(err, ErrBadRequest), errors.Is(err, ErrNotFound),
		// A group that became a supergroup: the old chat is gone (the
		// library's MigrateError does not wrap ErrBadRequest).
		errors.As(err, &migrated):
		return true
	}
	// Any other 4xx but 429 (413 too large, 409 …): the library reports
	// those only in its text.
	if m := otherClientError.FindStringSubmatch(err.Error()); m != nil {
		return m[1] != "429"
	}
	return false
}

// Answered reports whether err is Telegram's answer to a request (a
// refusal, a 429, a server error it reported), which means the request
// was not carried out; a request that failed on the way (a timeout, a
// dropped connection, a shutdown) may have been.
func Answered(err error) bool {
	if _, tooMany := RetryAfter(err); tooMany || Refused(err) || errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorConflict) {
		return true
	}
	return strings.HasPrefix(err.Error(), "error response from telegram for method ")
}

// otherClientError matches the library's text for an error code it has no
// error value for.
var otherClientError = regexp.MustCompile(`^error response from telegram for method \w+, (4\d\d) `)

// Reason is what an organiser reads about a failure: Telegram's
// description without the library's prefixes.
func Reason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ", "); i >= 0 && strings.Contains(s[:i], "error") {
		s = s[i+2:]
	}
	return s
}

// Deliver sends a recorded reply and forgets it once Telegram accepted it
// or refused it for good. Until then it retries: a 429 waits retry_after,
// network and server errors back off. When ctx ends first, or Run is
// stopping, the reply stays recorded and is sent after the next start.
func (c *Client) Deliver(ctx context.Context, rec store.Reply) {
	var m Message
	if err := json.Unmarshal(rec.Payload, &m); err != nil {
		c.log.Error("undecodable reply dropped", "reply_id", rec.ID, "err", err)
		c.forget(rec.ID)
		return
	}
	for attempt := 0; ; attempt++ {
		_, err := c.send.SendMessage(ctx, rec.ChatID, m)
		if err == nil {
			c.forget(rec.ID)
			return
		}
		if ctx.Err() != nil {
			return
		}
		wait := backoff(attempt, 30*time.Second)
		retryAfter, tooMany := RetryAfter(err)
		switch {
		case tooMany:
			wait = retryAfter
		case Refused(err):
			c.log.Warn("reply refused by telegram, dropped", "chat_id", rec.ChatID, "err", err)
			c.forget(rec.ID)
			if errors.Is(err, ErrForbidden) && rec.ChatID > 0 {
				c.unreachable(rec.ChatID)
			}
			return
		case errors.Is(err, tgbot.ErrorUnauthorized):
			c.log.Error("reply not sent: token rejected", "chat_id", rec.ChatID)
			return
		default:
			c.log.Warn("send reply failed, retrying", "chat_id", rec.ChatID, "attempt", attempt+1, "err", err)
		}
		select {
		case <-c.stopping:
			return // recorded: sent after the next start
		default:
		}
		if !Sleep(ctx, wait) {
			return
		}
	}
}

// unreachable records that the person of a private chat blocked the bot,
// as a 403 on an outbox message does: reminders and announcements then
// skip them until they write again.
func (c *Client) unreachable(userID int64) {
	err := c.db.Batch(func(tx *store.Tx) error { return tx.SetUnreachable(userID, c.send.now()) })
	if err != nil {
		c.log.Error("record blocked chat", "chat_id", userID, "err", err)
	}
}

func (c *Client) forget(id uint64) {
	if err := c.db.DeleteReplies(id); err != nil {
		c.log.Error("forget sent reply", "reply_id", id, "err", err)
	}
}
