package bot

import "context"

// answerCallback stops the spinner on a pressed button. It is not
// durable: Telegram forgets the query soon anyway.
func (b *Bot) answerCallback(ctx context.Context, id, text string) {
	if err := b.send.AnswerCallback(ctx, id, text); err != nil {
		b.log.Debug("answer callback query", "err", err)
	}
}
