// Package bot is daftar's application: the handler of the registration
// conversation (its transitions and screens are package conversation,
// bot/conversation, which bot calls in the handler's transaction), the
// organiser commands (announcements, lists, roll call, exports, opening
// and closing batches, certificates, attendance sheets and activity
// reports), and the participants' certificates and their verification.
// What it says, in every language, is in package locale (bot/locale):
// bot picks a catalogue by the person's language (locale.For, or
// locale.Worded with the course's word for a batch) and fills in its
// texts.
//
// It speaks to Telegram only through package telegram: updates arrive as
// telegram.Update, already checked (a private update's chat is its
// sender's), replies are telegram.Message values, and every request goes
// through the bot's one telegram.Sender. The invariants:
//
//   - A handler loads what it needs, decides, and saves the new state, the
//     replies it calls for and the update's removal from the journal in one
//     store transaction; the replies are sent only after the commit, and the
//     bbolt write lock is never held across a request to Telegram.
//   - Reminders, seat offers, notices, announcement copies and
//     certificates are outbox entries: the telegram.Dispatcher sends them, and the bot's render
//     function (render.go) writes each in the recipient's language at the
//     moment it goes out, or skips it when it no longer applies.
//   - Organiser rights are checked on every command and every button press,
//     against telegram.admins; nothing in callback data is trusted.
package bot
