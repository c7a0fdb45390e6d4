package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

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
// alike, through one gate (gate.go) that keeps Telegram's limits for the
// whole bot: replies first, bulk with what they leave of the overall
// rate, and one 429 pause for every request. Its methods are safe for
// concurrent use; each makes one request per message and returns
// Telegram's refusal, with the token never in it.
type Sender struct {
	api   *tgbot.Bot
	token string
	log   *slog.Logger
	now   func() time.Time
	gate  *gate
	class class // of the requests of the methods below (Paced)
}

func newSender(api *tgbot.Bot, token string, perSecond int, log *slog.Logger, now func() time.Time) *Sender {
	if perSecond <= 0 || perSecond > maxSendRate {
		perSecond = defaultSendRate
	}
	return &Sender{api: api, token: token, log: log, now: now, gate: newGate(perSecond, now)}
}

// Paced returns the Sender for messages nobody waits for in chats where
// replies go too (an announcement's progress and report): each keeps one
// second after the previous request to its chat, so that it cannot make
// a reply exceed the chat's limit, but waits for no overall rate.
func (s *Sender) Paced() *Sender {
	p := *s
	p.class = classPaced
	return &p
}

// ErrNotSent is returned when a request never left: ctx ended while it
// waited for its turn (a 429 pause, a chat's gap).
var ErrNotSent = errors.New("not sent")

// errNoToken is what a Sender without a token answers.
var errNoToken = errors.New("no bot token")

// do makes one request of class c for chat once the gate lets it start,
// and pauses every request when Telegram answers 429. chat 0 is a request
// of no chat (answerCallbackQuery).
func (s *Sender) do(ctx context.Context, c class, chat int64, call func(context.Context, *tgbot.Bot) error) error {
	if s.api == nil {
		return errNoToken
	}
	wrote, done, err := s.gate.acquireWritten(ctx, c, chat)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotSent, err)
	}
	err = call(written(ctx, wrote), s.api)
	done()
	var tooMany *tgbot.TooManyRequestsError
	if errors.As(err, &tooMany) {
		s.gate.pause(tooMany.RetryAfter)
	}
	return redact(err, s.token)
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

// SendMessage sends m to chat as a reply and returns the new message's
// id. A text too long for one message goes as several (Split), and the id
// is the last one's, the one with the buttons. Replies are split before
// they are recorded, so that each part is forgotten on its own; this is
// for the rest (progress messages, replies recorded by earlier releases).
func (s *Sender) SendMessage(ctx context.Context, chat int64, m Message) (int, error) {
	var id int
	for _, part := range Split(m) {
		var err error
		if id, err = s.sendPart(ctx, s.class, chat, part); err != nil {
			return id, err
		}
	}
	return id, nil
}

// sendPart sends one message Telegram takes as it is.
func (s *Sender) sendPart(ctx context.Context, c class, chat int64, m Message) (int, error) {
	var id int
	err := s.do(ctx, c, chat, func(ctx context.Context, api *tgbot.Bot) error {
		msg, err := api.SendMessage(ctx, sendMessageParams(chat, m))
		if err == nil {
			id = msg.ID
		}
		return err
	})
	return id, err
}

// Copy copies message msg of chat from into chat and returns the copy's id.
func (s *Sender) Copy(ctx context.Context, chat, from int64, msg int) (int, error) {
	return s.copy(ctx, s.class, chat, from, msg)
}

func (s *Sender) copy(ctx context.Context, c class, chat, from int64, msg int) (int, error) {
	var id int
	err := s.do(ctx, c, chat, func(ctx context.Context, api *tgbot.Bot) error {
		c, err := api.CopyMessage(ctx, &tgbot.CopyMessageParams{ChatID: chat, FromChatID: from, MessageID: msg})
		if err == nil {
			id = c.ID
		}
		return err
	})
	return id, err
}

// Parts is what an outbox entry sends, one request each: the messages of
// its text (Split), or its copy or document.
func (o Outgoing) Parts() int {
	if o.Copy != nil || o.Document != nil {
		return 1
	}
	return len(Split(o.Message))
}

// sendBulk makes the request of part i (see Parts) of an outbox entry to
// chat, as bulk.
func (s *Sender) sendBulk(ctx context.Context, chat int64, o Outgoing, i int) (int, error) {
	if o.Copy != nil {
		return s.copy(ctx, classBulk, chat, o.Copy.FromChat, o.Copy.MessageID)
	}
	if o.Document != nil {
		return s.sendDocument(ctx, classBulk, chat, *o.Document)
	}
	return s.sendPart(ctx, classBulk, chat, Split(o.Message)[i])
}

// Edit replaces the text and buttons of message msg in chat. An edit that
// changes nothing is no error. An edit cannot become two messages: a text
// too long is cut (Fit); the screens that can grow page instead.
func (s *Sender) Edit(ctx context.Context, chat int64, msg int, m Message) error {
	m = Fit(m)
	err := s.do(ctx, s.class, chat, func(ctx context.Context, api *tgbot.Bot) error {
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
	return s.do(ctx, s.class, chat, func(ctx context.Context, api *tgbot.Bot) error {
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
	return s.do(ctx, classReply, 0, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	})
}

// SendDocument uploads what data reads as the file name to chat. It is
// streamed into the request, never held whole.
func (s *Sender) SendDocument(ctx context.Context, chat int64, name string, data io.Reader) error {
	return s.do(ctx, s.class, chat, func(ctx context.Context, api *tgbot.Bot) error {
		_, err := api.SendDocument(ctx, &tgbot.SendDocumentParams{
			ChatID: chat, Document: &models.InputFileUpload{Filename: name, Data: data},
		})
		return err
	})
}

// SendPhoto uploads data as the picture name to chat.
func (s *Sender) SendPhoto(ctx context.Context, chat int64, name string, data []byte) error {
	return s.do(ctx, s.class, chat, func(ctx context.Context, api *tgbot.Bot) error {
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
	if errors.Is(err, ErrNotSent) {
		return true
	}
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
	c.deliver(ctx, rec, c.forget)
}

// deliver is Deliver that has forget forget the reply.
func (c *Client) deliver(ctx context.Context, rec store.Reply, forget func(id uint64)) {
	m, decoded := rec.Message.(Message)
	if !decoded {
		if err := json.Unmarshal(rec.Payload, &m); err != nil {
			c.log.Error("undecodable reply dropped", "reply_id", rec.ID, "err", err)
			forget(rec.ID)
			return
		}
	}
	for attempt := 0; ; attempt++ {
		_, err := c.send.SendMessage(ctx, rec.ChatID, m)
		if err == nil {
			forget(rec.ID)
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
			forget(rec.ID)
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
