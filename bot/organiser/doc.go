// Package organiser is what every organiser command and button of the
// bot is built on: the Request of one organiser's update, the Result an
// action answers, and the helpers their screens share (buttons, batch
// pickers, pages, naming a batch).
//
// Invariants:
//
//   - A Request is made by package bot only (newOrgReq), and only for a
//     sender who organises a course: Courses are the courses the sender
//     may see and act on (store.Catalog.Managed), computed there once for
//     every command and every press. Telegram vouches for UserID; nothing
//     else in an update is trusted.
//   - Every batch or course a command names or a button carries is
//     checked against the Request: Request.Batch and Request.Course are
//     the one check, and BatchPress applies it to a press before its
//     handler runs, so that a forged or outdated press is answered as
//     Stale.
//   - A handler reads and changes the store in the transaction it is
//     given and says what to answer in a Result; package bot records the
//     replies in that transaction and sends them after commit. No handler
//     talks to Telegram, and the bbolt write lock is never held across a
//     request to it.
//   - The command table and the button table (their action names, which
//     are persisted in messages already sent) stay in package bot; a
//     package of organiser commands, like bot/desk, exports the handlers
//     that the tables name. It does not import bot.
package organiser
