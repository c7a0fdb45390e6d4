package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/daftar-bot/daftar/store"
)

// Reply markup as Telegram expects it. The library's InlineKeyboardButton
// always sends an empty copy_text object, which Telegram has answered
// with BUTTON_COPY_TEXT_INVALID; these types send only what is set.
type (
	wireInline struct {
		InlineKeyboard [][]wireButton `json:"inline_keyboard"`
	}
	wireButton struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data,omitempty"`
		URL          string `json:"url,omitempty"`
	}
	wireKeyboard struct {
		Keyboard       [][]wireKey `json:"keyboard"`
		ResizeKeyboard bool        `json:"resize_keyboard"`
	}
	wireKey struct {
		Text           string `json:"text"`
		RequestContact bool   `json:"request_contact,omitempty"`
	}
)

func markup(r reply) models.ReplyMarkup {
	switch {
	case len(r.Inline) > 0:
		m := wireInline{InlineKeyboard: make([][]wireButton, len(r.Inline))}
		for i, row := range r.Inline {
			for _, btn := range row {
				m.InlineKeyboard[i] = append(m.InlineKeyboard[i], wireButton{Text: btn.Text, CallbackData: btn.Data, URL: btn.URL})
			}
		}
		return m
	case len(r.Keyboard) > 0:
		m := wireKeyboard{Keyboard: make([][]wireKey, len(r.Keyboard)), ResizeKeyboard: true}
		for i, row := range r.Keyboard {
			for _, btn := range row {
				m.Keyboard[i] = append(m.Keyboard[i], wireKey{Text: btn.Text, RequestContact: btn.Contact})
			}
		}
		return m
	case r.Remove:
		return models.ReplyKeyboardRemove{RemoveKeyboard: true}
	}
	return nil
}

// deliver sends a recorded reply and forgets it once Telegram accepted it
// or refused it for good. Until then it retries: a 429 waits retry_after,
// network and server errors back off. When ctx ends first the reply stays
// recorded and is sent after the next start.
func (b *Bot) deliver(ctx context.Context, rec store.Reply) {
	var r reply
	if err := json.Unmarshal(rec.Payload, &r); err != nil {
		b.log.Error("undecodable reply dropped", "reply_id", rec.ID, "err", err)
		b.forget(rec.ID)
		return
	}
	params := &tgbot.SendMessageParams{
		ChatID:             rec.ChatID,
		Text:               r.Text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		ReplyMarkup:        markup(r),
	}
	for attempt := 0; ; attempt++ {
		_, err := b.api.SendMessage(ctx, params)
		if err == nil {
			b.forget(rec.ID)
			return
		}
		if ctx.Err() != nil {
			return
		}
		var tooMany *tgbot.TooManyRequestsError
		wait := backoff(attempt, 30*time.Second)
		switch {
		case errors.As(err, &tooMany):
			wait = time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		case errors.Is(err, tgbot.ErrorForbidden), errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound):
			b.log.Warn("reply refused by telegram, dropped", "chat_id", rec.ChatID, "err", redact(err, b.opt.Token))
			b.forget(rec.ID)
			return
		case errors.Is(err, tgbot.ErrorUnauthorized):
			b.log.Error("reply not sent: token rejected", "chat_id", rec.ChatID)
			return
		default:
			b.log.Warn("send reply failed, retrying", "chat_id", rec.ChatID, "attempt", attempt+1, "err", redact(err, b.opt.Token))
		}
		select {
		case <-b.stopping:
			return // recorded: sent after the next start
		default:
		}
		if !sleep(ctx, wait) {
			return
		}
	}
}

func (b *Bot) forget(id uint64) {
	if err := b.db.DeleteReplies(id); err != nil {
		b.log.Error("forget sent reply", "reply_id", id, "err", err)
	}
}

// answerCallback stops the spinner on a pressed button. It is not
// durable: Telegram forgets the query soon anyway.
func (b *Bot) answerCallback(ctx context.Context, id, text string) {
	if _, err := b.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text}); err != nil {
		b.log.Debug("answer callback query", "err", redact(err, b.opt.Token))
	}
}

// clearButtons removes the inline keyboard of a message whose button was
// pressed, so that it cannot be pressed again.
func (b *Bot) clearButtons(ctx context.Context, chat int64, msg int) {
	_, err := b.api.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
		ChatID: chat, MessageID: msg, ReplyMarkup: wireInline{InlineKeyboard: [][]wireButton{}},
	})
	if err != nil {
		b.log.Debug("clear buttons", "chat_id", chat, "err", redact(err, b.opt.Token))
	}
}
