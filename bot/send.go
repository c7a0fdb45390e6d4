package bot

import "context"

// answerCallback stops the spinner on a pressed button. It is not
// durable: Telegram forgets the query soon anyway.
func (b *Bot) answerCallback(ctx context.Context, id, text string) {
	if err := b.send.AnswerCallback(ctx, id, text); err != nil {
		b.log.Debug("answer callback query", "err", err)
	}
}

// clearButtons removes the inline keyboard of a message whose button was
// pressed, so that it cannot be pressed again.
func (b *Bot) clearButtons(ctx context.Context, chat int64, msg int) {
	if err := b.send.ClearButtons(ctx, chat, msg); err != nil {
		b.log.Debug("clear buttons", "chat_id", chat, "err", err)
	}
}
