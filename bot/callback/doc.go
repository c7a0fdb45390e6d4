// Package callback is the format of the data the bot puts on its inline
// buttons ("seq:action[:arg]", at most Telegram's 64 bytes). The
// conversation, the organiser commands and the outbox's messages all write
// it; nothing in it is trusted when it comes back: Parse accepts only what
// String writes, and the handlers check the sequence number and argument
// against the state.
package callback
