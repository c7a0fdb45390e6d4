// Package telegramtest provides a fake Telegram Bot API server for tests and
// for the offline `daftar demo`, in the manner of net/http/httptest.
//
// NewServer starts a server on 127.0.0.1 with a random port. Point the real
// client library at URL() (tgbot.WithServerURL) and use the same token; the
// bot then talks to the server exactly as it talks to api.telegram.org:
// requests are POSTs to {URL}/bot{token}/{method} with multipart/form-data,
// application/json or application/x-www-form-urlencoded bodies, and answers
// are {"ok":true,"result":...} or {"ok":false,"error_code":...,
// "description":...}. A wrong token gets 401, an unimplemented method 404.
//
//	s := telegramtest.NewServer("123:secret")
//	defer s.Close()
//	ann := telegramtest.User{ID: 42, FirstName: "Ann", LanguageCode: "id"}
//	after := s.LastSeq()
//	s.SendText(ann, "/start")
//	m, err := s.WaitSent(ctx, after, func(m telegramtest.Message) bool { return m.ChatID == ann.ID })
//	_, err = s.PressButton(ann, "Daftar")
//
// The test side plays the users: SendText, SendContact, SendMessage,
// SendGroupText, EditText, PressButton, Callback and InjectUpdate enqueue
// updates that the bot receives through getUpdates, or through its webhook. It observes the bot with
// Sent, SentTo, Current, WaitSent and Subscribe, and makes Telegram misbehave
// with Inject (errors, delays, dropped connections), Block, SetLimits and
// SetGroupLimit; SetLatency gives every call a network's round trip, half
// on the way to the server and half on the way back (the benchmarks'
// -latency flag).
//
// A bot that calls setWebhook gets its updates pushed instead, as from
// Telegram: each queued update is POSTed to the URL (http:// is accepted
// too, for a receiver on 127.0.0.1) as the JSON getUpdates would have
// returned for it, with X-Telegram-Bot-Api-Secret-Token when a secret was
// set. A 2xx answer confirms the update; anything else, or no answer
// within a timeout, records last_error_message for getWebhookInfo and the
// update is sent again later, with a backoff that SetWebhookRetry sets.
// Meanwhile getUpdates answers 409. deleteWebhook stops the deliveries and
// leaves the queue to getUpdates. Deliveries and WaitDeliveries count the
// attempts, WaitConfirmed waits for an update to be confirmed either way.
// Deliveries check https:// receivers against the system's roots, as
// Telegram does for a webhook without an uploaded certificate; SelfSigned
// makes a certificate for a bot's own TLS and a pool for test clients.
// The webhook's invariants:
//   - The updates of one chat are delivered one at a time, in the order
//     they were queued: the next is sent only after the previous one was
//     answered 2xx, so a failing update holds its chat's later ones back.
//     Updates of different chats, and updates that belong to no chat, go
//     in parallel, at most max_connections at once.
//   - With SetLatency an update reaches the webhook d/2 after it was
//     queued (or after its retry was due), and the answer counts d/2 after
//     the webhook gave it.
//   - An update is delivered at least once: an attempt cut short by
//     deleteWebhook, a new setWebhook or Close leaves it queued.
//   - The server owns the delivery goroutines and its HTTP client's
//     connections: removing the webhook or Close ends the deliveries in
//     flight and returns only after they have returned.
//
// Invariants:
//   - Update ids increase by one from 1 (see SetNextUpdateID). getUpdates
//     with offset N confirms and forgets every update below N, as Telegram
//     does, and so does a webhook's 2xx answer for its update;
//     Confirmed and Pending report what was confirmed.
//   - Message ids are counted per chat from 1, shared by the bot's and the
//     users' messages.
//   - Every successful bot action is recorded once, as a Message with a Seq
//     that increases by one across all chats; failed requests are only
//     counted by Requests.
//   - The server checks what Telegram checks and bots get wrong: text length
//     (4096 UTF-16 units), empty text, HTML well-formedness (stricter than
//     Telegram: a bare '&' or '>' is rejected, so unescaped user input
//     fails), "message is not modified", callback_data over 64 bytes,
//     inline buttons without an action, answering a callback query twice,
//     the answer's text over 200 UTF-16 units.
//   - Chats need no introduction: the bot may send to any numeric chat id.
//   - All methods are safe for concurrent use. Close wakes long polls and
//     waiters and returns only when none of the server's goroutines remain.
package telegramtest
