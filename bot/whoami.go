package bot

import (
	"context"
	"fmt"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/telegram"
)

// isIDCommand reports whether u is /id, in a private chat or addressed to
// the bot in a group. It tells anyone their numeric Telegram id, so that
// an organiser finds the number for telegram.admins in the bot itself.
func isIDCommand(u *telegram.Update) bool {
	return (u.Kind == telegram.Private || u.Kind == telegram.Group) &&
		u.Input == telegram.InCommand && locale.Canonical(u.Command) == "id"
}

// tellID answers /id with the sender's id and, in a group, the group's.
// It reads and writes no conversation: in the middle of a form the form
// waits as it was, an organiser's announcement waits for its message, and
// someone who only asks leaves nothing stored. Ids are not personal data
// the bot keeps; the language is the Telegram client's.
func (b *Bot) tellID(ctx context.Context, u *telegram.Update, ev event) {
	m := locale.For(ev.lang).Messages
	text := fmt.Sprintf(m.YourID, ev.userID)
	if u.Kind == telegram.Group {
		text += "\n" + fmt.Sprintf(m.GroupID, ev.chatID)
	}
	b.finish(ctx, u.ID, ev.chatID, []reply{{Text: text}})
}
