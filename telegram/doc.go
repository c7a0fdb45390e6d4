// Package telegram is daftar's side of the Telegram Bot API, and the only
// package that imports the Telegram client library (github.com/go-telegram/bot)
// and golang.org/x/time/rate.
//
// A Client polls getUpdates itself and journals every batch in the store
// before the next poll confirms it to Telegram, so an update Telegram
// handed over is never lost; it decodes each journaled update into an
// Update (the application never sees the library's types) and runs the
// application's handler for it, one at a time per chat, chats in
// parallel. The handlers of a batch start while its journal is written to
// disk; their transactions begin after the journal's and so commit after
// it (store.DB.JournalThen). A handler removes its update from the
// journal in the transaction that records its effects. One chat's backlog is bounded
// (Options.Backlog): what a chat sends beyond it is confirmed to Telegram
// without being journaled and reported to Service.Overflow, so that no
// chat can fill the queues or stop the poller. Before the next getUpdates
// the poller settles a moment (settle.go), until the batch's answers are
// on the wire, so that the poll arrives after them and not ahead of the
// answers they bring.
//
// One Sender makes every request of the bot: the replies a person waits
// for and the outbox's bulk messages alike, through one gate that keeps
// Telegram's limits for the whole bot, from when requests start and when
// their answers come (so a network's delay cannot break them): the
// overall rate (send_rate, at most 30 a second) shared by replies and
// bulk, replies first; one message a second per chat for bulk; 20 a
// minute per group; and a 429 answered to any request pauses every
// request for retry_after.
//
// The Dispatcher sends the store's outbox through the Sender, up to
// MaxInFlight entries at once (each to another chat), so that a round
// trip does not lower the rate. It is built from explicit parts: the
// store, the Sender, and the application's render function that turns an
// entry into an Outgoing message. An entry is durably marked as being
// sent before its request leaves and marked sent in the transaction that
// records its message id; each part of a text split into several messages
// is recorded as it goes. A crash repeats at most the entries marked as
// being sent, MaxInFlight at most.
//
// Replies are recorded in the store (as JSON of Message) in the
// transaction of the state change that calls for them and forgotten once
// Telegram accepted them. A handler hands them to Answer, which sends
// them through its chat's send queue without the handler waiting: the
// first reply (or an organiser's edit) is the first request on the wire,
// the answer to a pressed button and the clearing of old buttons follow
// it, once the first requests of the other answers being handed over are
// on the wire too (at most 50 ms later). After a crash Run
// queues what was left ahead of each chat's new work.
//
// Nothing here logs message texts or personal data, and the token never
// appears in a log line or a returned error.
package telegram
