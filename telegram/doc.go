// Package telegram is daftar's side of the Telegram Bot API, and the only
// package that imports the Telegram client library (github.com/go-telegram/bot)
// and golang.org/x/time/rate.
//
// A Client polls getUpdates itself and journals every batch in the store
// before the next poll confirms it to Telegram, so an update Telegram
// handed over is never lost; it decodes each journaled update into an
// Update (the application never sees the library's types) and runs the
// application's handler for it, one at a time per chat, chats in
// parallel. A handler removes its update from the journal in the
// transaction that records its effects.
//
// One Sender makes every request of the bot: the replies a person waits
// for and the outbox's bulk messages alike. It keeps one rate limiter and
// one 429 pause for the whole bot: a 429 answered to any request stops
// bulk sending until retry_after has passed, and holds the replies to the
// chat it was answered for as long; replies to other people go on, because
// a person waiting for their next question must not wait for a
// broadcast's flood limit. Bulk sending keeps the overall rate (send_rate,
// at most 30 a second) and one message a second per chat.
//
// The Dispatcher sends the store's outbox through the Sender. It is built
// from explicit parts: the store, the Sender, and the application's render
// function that turns an entry into an Outgoing message. An entry is marked
// sent in the transaction that records its message id, and normally one
// message at a time is on the wire or sent but unrecorded, so a crash
// repeats at most that one.
//
// Replies are recorded in the store (as JSON of Message) in the
// transaction of the state change that calls for them and forgotten once
// Telegram accepted them; Deliver sends one, and after a crash Run sends
// what was left before it polls again.
//
// Nothing here logs message texts or personal data, and the token never
// appears in a log line or a returned error.
package telegram
